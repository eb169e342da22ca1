"""Execute chapter notebooks in place to store their outputs, skipping cells marked `#| eval: false`.

nbconvert does not know nbdev's `#| eval: false`, so this tags those cells `skip-execution` for nbclient.
Usage (the `cpu` scale, offline data):

    HYPERFIT_SCALE=cpu HYPERFIT_DATA=../shared/data HF_HUB_OFFLINE=1 \\
        python tools/execute_notebooks.py nbs/50_imagegpt.ipynb && nbdev_clean

Do not set MPLBACKEND=Agg: the kernel's inline backend is what stores the figures in the notebook.
"""
import sys, time
import nbformat
from nbclient import NotebookClient

def execute(path:str)->bool:
    "Run every cell of `path` except `#| eval: false` ones and write the outputs back; False if a cell failed."
    t0 = time.time(); print(f"== {path}", flush=True)
    nb = nbformat.read(path, as_version=4)
    skipped = [c for c in nb.cells if c.cell_type == 'code' and '#| eval: false' in c.source]
    for c in skipped: c.metadata.setdefault('tags', []).append('skip-execution')
    try: NotebookClient(nb, timeout=7200, kernel_name='python3', resources={'metadata': {'path': 'nbs'}}).execute()
    except Exception as e:
        print(f"FAILED {path}: {str(e)[-2000:]}", flush=True)
        return False
    for c in skipped:
        c.metadata['tags'].remove('skip-execution')
        if not c.metadata['tags']: del c.metadata['tags']
    nbformat.write(nb, path); print(f"ok {path} {time.time() - t0:.0f} s", flush=True)
    return True

if __name__ == '__main__':
    sys.exit(0 if all([execute(p) for p in sys.argv[1:]]) else 1)
