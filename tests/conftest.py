"Tests run at the `ci` scale, never wait on the unreachable hub, and use the offline data kit when it is beside the clone."
import os
from pathlib import Path

os.environ['HYPERFIT_SCALE'] = 'ci'
os.environ.setdefault('HF_HUB_OFFLINE', '1')       # fail at once instead of retrying for a minute
os.environ.setdefault('MPLBACKEND', 'Agg')
_KIT = Path(__file__).resolve().parents[2]/'shared'/'data'
if 'HYPERFIT_DATA' not in os.environ and _KIT.is_dir(): os.environ['HYPERFIT_DATA'] = str(_KIT)
if 'HYPERFIT_RESULTS' not in os.environ:  # ci-scale runs write their results here, not into the package
    import tempfile
    os.environ['HYPERFIT_RESULTS'] = tempfile.mkdtemp(prefix='hyperfit-results-')
