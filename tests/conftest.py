"Tests run at the `ci` scale, never wait on the unreachable hub, use the offline data kit when it is beside the clone, and never read or write the user's caches."
import os, tempfile
from pathlib import Path

os.environ['HYPERFIT_SCALE'] = 'ci'
os.environ.setdefault('HF_HUB_OFFLINE', '1')       # fail at once instead of retrying for a minute
os.environ.setdefault('MPLBACKEND', 'Agg')
if os.environ.get('PYTEST_XDIST_WORKER'): os.environ['OMP_NUM_THREADS'] = '1'   # one thread per worker (and its subprocesses): two workers on two cores, not four threads fighting
_KIT = Path(__file__).resolve().parents[2]/'shared'/'data'
if 'HYPERFIT_DATA' not in os.environ and _KIT.is_dir(): os.environ['HYPERFIT_DATA'] = str(_KIT)
# Every cache folder is this session's own: a test can never pass by resuming yesterday's run.
# (HYPERFIT_CACHE also holds the SmolLM2 download, fetched once per session from PyPI.)
for _var in ('HYPERFIT_CACHE', 'HYPERFIT_RUNS', 'HYPERFIT_RESULTS'):
    os.environ[_var] = tempfile.mkdtemp(prefix=f"{_var.lower().replace('_', '-')}-")
