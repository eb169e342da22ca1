"""The first cell of every page that can be opened in Colab: install hyperfit where it is missing, pinned to this version.

One source for that cell. `python tools/install_cells.py` rewrites the cell in every notebook with an "Open in Colab" badge;
`--check` fails if one differs (run by the tests). A page that uses ipywidgets installs the `chapters` extra too, nothing else.
"""
import configparser, sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
MARK = '# Installs hyperfit'

def version()->str:
    c = configparser.ConfigParser(delimiters=['=']); c.read(ROOT/'settings.ini')
    return c['DEFAULT']['version']

def chapters_extra()->str:
    "The packages of the `chapters` extra, as settings.ini lists them."
    c = configparser.ConfigParser(delimiters=['=']); c.read(ROOT/'settings.ini')
    return ', '.join(c['DEFAULT']['chapters_requirements'].split())

def install_cell(nb)->str:
    "The install cell's source for notebook `nb`: the package at this version, with the extras the notebook uses."
    extra = '[chapters]' if any('ipywidgets' in c.source for c in nb.cells if c.cell_type == 'code') else ''
    v = version()
    return (f"{MARK} {v} (the version these pages were built with){f' and its chapters extra: {chapters_extra()},' if extra else ''} where it is missing, e.g. on Colab; elsewhere it does nothing\n"
            "import importlib.util, subprocess, sys\n"
            "if importlib.util.find_spec('hyperfit') is None:\n"
            f"    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', 'hyperfit{extra} @ git+https://github.com/hyperfit-project/hyperfit@v{v}'], check=True)")

def pages()->list[Path]:
    "Notebooks with an 'Open in Colab' badge (the landing page is read, not run)."
    return sorted(p for p in (ROOT/'nbs').glob('[!_]*.ipynb') if p.name != 'index.ipynb' and 'colab-badge' in p.read_text())

def problems(write:bool=False)->list[str]:
    out = []
    for p in pages():
        nb = nbformat.read(p, as_version=4)
        code = [c for c in nb.cells if c.cell_type == 'code' and not c.source.startswith('#| default_exp')]
        want = install_cell(nb)
        if code and code[0].source == want: continue
        if write:
            old = [c for c in code if c.source.startswith((MARK, '# Colab only: install'))]
            if old: old[0].source = want
            else:
                i = next(i for i, c in enumerate(nb.cells) if 'colab-badge' in c.source)
                cell = nbformat.v4.new_code_cell(want)
                nb.cells.insert(i + 1 + (nb.cells[i + 1].source.startswith('#| default_exp') if i + 1 < len(nb.cells) else 0), cell)
            nbformat.write(nb, p)
        else: out.append(f"{p.name}: the first code cell is not the install cell (run python tools/install_cells.py)")
    return out

if __name__ == '__main__':
    if '--check' in sys.argv:
        if errs := problems(): sys.exit('\n'.join(errs))
        print(f"install cells up to date in {len(pages())} notebooks")
    else: problems(write=True)
