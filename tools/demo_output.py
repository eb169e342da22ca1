"""Run `hyperfit demo` as a user would, in a scratch folder, and store what it printed for the command-line page.

Training takes about 15 minutes at the `cpu` scale, too long to repeat each time the page is built, so the page shows
this stored record of one real run: the command, its standard output and its log lines (checkpoints, where the time
went), the exit code, the wall time and the machine, and the Fig. 2 plot the demo saved. Paths are relative to the
scratch folder, as a user sees them; progress bars are off (`TQDM_DISABLE=1`), since a stored page never shows one.
Run it alone (under `flock /tmp/cpu.lock`), with `HYPERFIT_DATA` unset or set as a user would have it:

    python tools/demo_output.py [--out hyperfit/results]
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ['hyperfit', 'demo']   # the demo exactly as the README tells a user to run it

def main()->int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', type=Path, default=ROOT/'hyperfit'/'results')   # package data: the page reads it wherever hyperfit is installed
    a = ap.parse_args()
    from hyperfit.bench import machine
    work = Path(tempfile.mkdtemp(prefix='hyperfit-demo-'))
    env = {**os.environ, 'TQDM_DISABLE': '1', 'HYPERFIT_RUNS': 'runs', 'HYPERFIT_RESULTS': 'results'}   # relative: the log shows no machine path
    env.pop('HYPERFIT_SCALE', None)                              # the demo's own scale, as for a new user
    try:
        t0 = time.time()
        r = subprocess.run([sys.executable, '-c', 'import sys; from hyperfit.cli import main; sys.exit(main())', *COMMAND[1:]],
                           cwd=work, env=env, capture_output=True, text=True)
        minutes = (time.time() - t0) / 60
        if r.returncode: print(f"demo_output: FAILED (exit {r.returncode}): {r.stderr.strip()[-400:]}"); return 1
        pngs = sorted((work/'hyperfit-demo').glob('*.png'))
        record = dict(command=' '.join(COMMAND), exit_code=r.returncode, minutes=round(minutes, 1), machine=machine(),
                      date=time.strftime('%Y-%m-%d'), stdout=r.stdout, log=[l for l in r.stderr.splitlines() if l.startswith('hyperfit:')])
        a.out.mkdir(parents=True, exist_ok=True)
        (a.out/'demo-output-cpu.json').write_text(json.dumps(record, indent=1) + '\n')
        if pngs: shutil.copy(pngs[0], a.out/'demo-output-cpu.png')
        print(f"demo_output: stored the output of `{record['command']}` ({record['minutes']} min) in {a.out}")
        return 0
    finally: shutil.rmtree(work, ignore_errors=True)

if __name__ == '__main__': sys.exit(main())
