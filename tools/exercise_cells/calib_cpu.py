"Calibration at the cpu scale (run under flock /tmp/cpu.lock): every reference solution, timed, plus candidate variants."
import os, sys, time, json
B = os.environ.get('CALIB_DIR', '/tmp/hyperfit-calib')
# CALIB_RESULTS: where results are cached; the package's own results folder finds the chapters' stored runs (early_stop
# compares with Chapter 2's full run) and keeps the reference results the chapters then show
os.environ.update(HYPERFIT_SCALE=os.environ.get('CALIB_SCALE', 'cpu'), HF_HUB_OFFLINE='1', HYPERFIT_DATA='/work/shared/data',
                  HYPERFIT_RESULTS=os.environ.get('CALIB_RESULTS', f'{B}/results'), HYPERFIT_RUNS=f'{B}/runs')
import hyperfit.exercises as ex
from dataclasses import replace
from hyperfit.training import run_experiment
from hyperfit.grokking import grok_config, train_grokking, first_step
from hyperfit.config import cached
log = open(f'{B}/calib.log', 'a')
def say(*a):
    print(*a, flush=True); print(*a, file=log, flush=True)
SCALE = os.environ.get('CALIB_SCALE', 'cpu')
names = sys.argv[1:] or [e.name for e in ex.EXERCISES]
out = json.load(open(f'{B}/calib.json')) if os.path.exists(f'{B}/calib.json') else {}
for n in names:
    t = time.time()
    if False: pass
    elif n == 'grok_wd03':
        c = grok_config(SCALE, weight_decay=0.3)
        h = cached('grokking', c, lambda: train_grokking(c, progress=False))['history']
        r = dict(train_100=first_step(h, 'train_acc', 1.0), val_95=first_step(h, 'val_acc', 0.95), final=h[-1]['val_acc'])
    else:
        r = getattr(ex, f'solve_{n}')(SCALE)
        v = getattr(ex, f'check_{n}')(r)
        say(f'--- {n}: ok={v.ok}\n{v.message}')
    m = (time.time() - t) / 60
    say(f'=== {n}: {m:.2f} min')
    out[n] = dict(minutes=m, result=r)
    json.dump(out, open(f'{B}/calib.json', 'w'), indent=1, default=str)
