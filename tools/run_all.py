"""Time "Run all" of chapters as a learner meets it: every cell (`#| eval: false` ones too), the default scale, a fake Colab.

Each notebook is copied to a scratch folder and run there top to bottom, with `HYPERFIT_SCALE` unset, a fake `google.colab`
module importable (no GPU: this machine has none), the offline data standing in for the hub (`HYPERFIT_DATA`), a scratch
`HYPERFIT_RUNS`, and the package's stored results. A result file written to `hyperfit/results/` during the run means a
cache miss: it is reported, and removed unless `--keep`. Nothing is written back to `nbs/`.

    HYPERFIT_DATA=../shared/data HF_HUB_OFFLINE=1 python tools/run_all.py nbs/[1-6]0_*.ipynb
"""
import os, shutil, sys, tempfile, time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT/'hyperfit'/'results'

def fake_colab(folder:Path)->Path:
    "A folder holding an importable, empty `google.colab` package (put it on PYTHONPATH)."
    (folder/'google'/'colab').mkdir(parents=True, exist_ok=True)
    for d in (folder/'google', folder/'google'/'colab'): (d/'__init__.py').write_text('')
    return folder

def run_all(path:Path, keep:bool=False)->dict:
    "Run every cell of a copy of `path` as Colab's Run all would; seconds taken, the failing cell if any, and results written."
    work = Path(tempfile.mkdtemp(prefix='run-all-'))
    nb = nbformat.read(path, as_version=4)
    before = set(RESULTS.iterdir())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(fake_colab(work/'site')), os.environ.get('PYTHONPATH', '')]),
               HYPERFIT_RUNS=str(work/'runs'), TQDM_DISABLE='1', HF_HUB_DISABLE_PROGRESS_BARS='1')
    env.pop('HYPERFIT_SCALE', None); env.pop('HYPERFIT_RESULTS', None)
    old = dict(os.environ); os.environ.clear(); os.environ.update(env)   # the kernel inherits this process's environment
    t0, error = time.time(), None
    try: NotebookClient(nb, timeout=3600, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}}).execute()
    except Exception as e: error = f"{getattr(e, 'ename', type(e).__name__)}: {getattr(e, 'evalue', e)}"[:300]
    finally: os.environ.clear(); os.environ.update(old)
    new = sorted(set(RESULTS.iterdir()) - before)
    if not keep:
        for p in new: p.unlink()
    shutil.rmtree(work, ignore_errors=True)
    return dict(notebook=path.name, seconds=round(time.time() - t0), error=error, computed=[p.name for p in new])

if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    rows = []
    for p in args:
        r = run_all(Path(p), keep='--keep' in sys.argv); rows.append(r)
        print(f"{r['notebook']}: {r['seconds']} s" + (f", FAILED: {r['error']}" if r['error'] else '')
              + (f", computed (not cached): {', '.join(r['computed'])}" if r['computed'] else ', every result from the cache'), flush=True)
    sys.exit(1 if any(r['error'] or r['computed'] for r in rows) else 0)
