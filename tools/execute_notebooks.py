"""Execute chapter notebooks in place to store their outputs, skipping cells marked `#| eval: false`.

nbconvert does not know nbdev's `#| eval: false`, so this tags those cells `skip-execution` for nbclient.
Progress bars are turned off (`TQDM_DISABLE`) and old widget state dropped: pages never show a frozen bar.
Usage (the `cpu` scale, offline data):

    HYPERFIT_SCALE=cpu HYPERFIT_DATA=../shared/data HF_HUB_OFFLINE=1 \\
        python tools/execute_notebooks.py nbs/50_imagegpt.ipynb && nbdev_clean

Do not set MPLBACKEND=Agg: the kernel's inline backend is what stores the figures in the notebook.
"""
import os, sys, time
import nbformat
from nbclient import NotebookClient

def execute(path:str)->bool:
    "Run every cell of `path` except `#| eval: false` ones and write the outputs back; False if a cell failed."
    t0 = time.time(); print(f"== {path}", flush=True)
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop('widgets', None)              # the state of widgets from an earlier run
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
    os.environ.update(TQDM_DISABLE='1', HF_HUB_DISABLE_PROGRESS_BARS='1')   # the kernel inherits them (transformers' bars follow the hub's switch): no bar is stored in a page
    sys.exit(0 if all([execute(p) for p in sys.argv[1:]]) else 1)
