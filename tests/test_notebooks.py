"Every notebook in nbs/ runs top to bottom at the `ci` scale, skipping cells flagged in settings.ini `tst_flags`."
from pathlib import Path

import pytest
import nbdev.test as nbtest
from nbdev.config import get_config

NBS = Path(__file__).resolve().parents[1]/'nbs'
FLAGS = get_config(path=NBS.parent).tst_flags.split()

def test_flags_are_space_separated():
    assert FLAGS == ['notest', 'slow', 'gpu']

@pytest.mark.parametrize('nb', sorted(NBS.glob('[!_]*.ipynb')), ids=lambda p: p.name)
def test_notebook(nb):
    ok, _ = nbtest.test_nb(nb, skip_flags=FLAGS)
    assert ok, f"{nb.name} failed at the ci scale: the traceback is above"

@pytest.mark.parametrize('nb', sorted(NBS.glob('[!_]*.ipynb')), ids=lambda p: p.name)
def test_notebook_opens_on_a_python_kernel(nb):
    "JupyterLab and Colab open the notebook on Python 3 without asking which kernel to use."
    import json
    assert json.loads(nb.read_text())['metadata'].get('kernelspec', {}).get('name') == 'python3'

def test_every_page_opens_with_the_install_cell():
    "One install cell, written by tools/install_cells.py, first in every page that has an 'Open in Colab' badge."
    import subprocess, sys
    r = subprocess.run([sys.executable, str(NBS.parent/'tools'/'install_cells.py'), '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_the_install_cell_installs_this_version_only_where_hyperfit_is_missing(monkeypatch):
    import configparser, importlib.util, subprocess, nbformat
    c = configparser.ConfigParser(delimiters=['=']); c.read(NBS.parent/'settings.ini'); v = c['DEFAULT']['version']
    nb = nbformat.read(NBS/'30_paradox.ipynb', as_version=4)                 # uses ipywidgets
    src = next(c.source for c in nb.cells if c.source.startswith('# Installs hyperfit'))
    calls = []
    monkeypatch.setattr(subprocess, 'run', lambda cmd, **kw: calls.append(cmd))
    exec(src, {})                                                              # hyperfit is installed here: nothing runs
    assert calls == []
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name: None)      # as on a fresh Colab runtime
    exec(src, {})
    assert calls and calls[0][-1] == f'hyperfit[chapters] @ git+https://github.com/hyperfit-project/hyperfit@v{v}'

def test_run_all_runs_what_the_docs_run():
    "Colab's Run all does not know `#| eval: false`: code that must not run there is a Markdown block, not a skipped cell."
    import nbformat
    allowed = {('30_paradox.ipynb', 'probe_explorer(')}        # a widget: no static page can show it, Run all should
    for nb in sorted(NBS.glob('[!_]*.ipynb')):
        for c in nbformat.read(nb, as_version=4).cells:
            if c.cell_type == 'code' and '#| eval: false' in c.source:
                assert any(nb.name == n and s in c.source for n, s in allowed), f"{nb.name}: an `eval: false` cell would run under Run all:\n{c.source[:200]}"
