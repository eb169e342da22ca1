"""Put the Exercises cells (<stem>.json beside this file) at the end of each chapter notebook, just before its trailing
hidden cells (the `add_param_docs(__name__)` and `nbdev_export` cells).

Idempotent: the block is found by its first cell, a markdown cell starting with '## Exercises'. A notebook whose block
already holds exactly these cells is left untouched (its stored outputs too); a block that differs is replaced, keeping
the outputs of code cells whose source did not change. New cells get ids derived from the notebook and position, unique
in the notebook.

Usage (from anywhere):
    python tools/exercise_cells/insert.py                 # every chapter with a .json here
    python tools/exercise_cells/insert.py 20_hyperfitting # some chapters
    python tools/exercise_cells/insert.py --check         # exit 1 if a chapter lacks its current block (writes nothing)
    python tools/exercise_cells/insert.py --remove        # take the blocks out again
Then: cd /work/main && nbdev_clean (and re-execute the chapters at the cpu scale to store the outputs).
"""
import hashlib, json, os, sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
NBS = Path(os.environ.get('EXERCISES_NBS', str(Path(__file__).resolve().parents[2]/'nbs')))   # the notebooks to change (another folder to try it on copies)
HEADING = '## Exercises'

def trailing_hidden(nb)->int:
    "Index of the first of the chapter's trailing hidden cells (add_param_docs, nbdev_export); len(cells) if none."
    i = len(nb.cells)
    while i > 0:
        c = nb.cells[i - 1]
        if c.cell_type == 'code' and c.source.lstrip().startswith('#| hide') and ('add_param_docs(__name__)' in c.source or 'nbdev_export' in c.source):
            i -= 1
        else: break
    if i == len(nb.cells): raise ValueError("no trailing '#| hide' add_param_docs / nbdev_export cells found")
    return i

def block(nb)->tuple[int, int]:
    "(start, end) of the inserted Exercises block; start == end when there is none."
    end = trailing_hidden(nb)
    starts = [i for i, c in enumerate(nb.cells[:end]) if c.cell_type == 'markdown' and c.source.startswith(HEADING)]
    if len(starts) > 1: raise ValueError(f"{len(starts)} '{HEADING}' cells: remove the extra ones by hand")
    return (starts[0], end) if starts else (end, end)

def new_cells(stem:str, nb, old:list)->list:
    "The cells of <stem>.json as notebook cells: ids unique in `nb`, outputs kept from `old` code cells of the same source."
    taken = {c.get('id') for c in nb.cells} - {c.get('id') for c in old}
    outputs = {c.source: c.get('outputs', []) for c in old if c.cell_type == 'code'}
    out = []
    for i, spec in enumerate(json.loads((HERE/f'{stem}.json').read_text())):
        c = nbformat.v4.new_code_cell(spec['source']) if spec['cell_type'] == 'code' else nbformat.v4.new_markdown_cell(spec['source'])
        cid, salt = hashlib.sha1(f'{stem}/exercises/{i}'.encode()).hexdigest()[:8], 0
        while cid in taken: salt += 1; cid = hashlib.sha1(f'{stem}/exercises/{i}/{salt}'.encode()).hexdigest()[:8]
        c.id = cid; taken.add(cid)
        if c.cell_type == 'code': c.outputs = outputs.get(c.source, [])
        out.append(c)
    return out

def insert(stem:str, remove:bool=False, check:bool=False)->str:
    path = NBS/f'{stem}.ipynb'
    nb = nbformat.read(path, as_version=4)
    start, end = block(nb)
    old = nb.cells[start:end]
    want = [] if remove else new_cells(stem, nb, old)
    if [(c.cell_type, c.source) for c in old] == [(c.cell_type, c.source) for c in want]: return f'{stem}: up to date'
    if check: return f'{stem}: NOT up to date'
    nb.cells[start:end] = want
    nbformat.write(nb, path)
    return f"{stem}: {'removed' if remove else 'replaced' if old else 'inserted'} {len(old) if remove else len(want)} cells before the trailing hidden cells"

if __name__ == '__main__':
    flags = {a for a in sys.argv[1:] if a.startswith('--')}
    stems = [a for a in sys.argv[1:] if not a.startswith('--')] or sorted(p.stem for p in HERE.glob('[0-9]*.json'))
    msgs = [insert(s, remove='--remove' in flags, check='--check' in flags) for s in stems]
    print('\n'.join(msgs))
    if '--check' in flags and any('NOT' in m for m in msgs): sys.exit(1)
