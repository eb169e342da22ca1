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
