"""Every number in a chapter's prose must come from an output of that chapter, or be the paper's (issue 17).

A number is a decimal (`0.345`, `3.31`), a percentage (`10.9%`) or a multiple (`8.5x`) in a Markdown cell. It
passes when a number of the same value, at the prose's precision, occurs in one of the notebook's stored outputs (text, tables, HTML), or in a code cell's
source (a setting such as `lr 5e-5` or a constant), or in the paper's numbers (`../shared/PAPER.md` when it is beside
the clone, and `hyperfit.measures.PAPER_REFS`). Anything else was typed by hand and may have drifted from the run.

    python tools/check_numbers.py nbs/20_hyperfitting.ipynb nbs/30_paradox.ipynb
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r'(?<![\w.-])(\d+\.\d+%?|\d+(?:\.\d+)?x)(?![\w])')   # 0.345, 10.9%, 8.5x (integers are counts, left alone)

def outputs_text(nb:dict)->str:
    "Everything a reader sees from the notebook's code: sources and stored outputs."
    parts = []
    for c in nb['cells']:
        if c['cell_type'] != 'code': continue
        parts.append(''.join(c['source']))
        for o in c.get('outputs', []):
            parts.append(''.join(o.get('text', '')))
            for k, v in o.get('data', {}).items():
                if k.startswith('text/'): parts.append(''.join(v))
    return '\n'.join(parts)

def paper_text()->str:
    "The paper's numbers, as the project quotes them."
    from hyperfit.measures import PAPER_REFS
    paper = ROOT.parent/'shared'/'PAPER.md'
    return (paper.read_text() if paper.exists() else '') + '\n'.join(PAPER_REFS.values())

VALUE = re.compile(r'(?<![\d.])(\d+\.\d+|\d+)(%?)')

def values(text:str)->set[float]:
    "Every number printed in `text`, percentages as fractions."
    return {float(v) / (100 if pct else 1) for v, pct in VALUE.findall(text)}

def shown(n:str, seen:set[float])->bool:
    "Whether prose number `n` is an output's number at the prose's precision: `3.64` for 3.6412, `32.0%` for 0.3201, `8.5x` for 8.47."
    pct, n = n.endswith('%'), n.rstrip('%x')
    d = len(n.split('.')[1]) if '.' in n else 0
    if pct and any(round(x, d) == round(float(n), d) for x in seen): return True   # a table of percentages (x100)
    v, d = (float(n) / 100, d + 2) if pct else (float(n), d)
    return any(round(x, d) == round(v, d) for x in seen)

def unmatched(path:Path, paper:str)->list[str]:
    "The numbers in `path`'s prose that no output, code cell or paper number shows."
    nb = json.loads(path.read_text())
    seen = values(outputs_text(nb) + paper)
    return [n for c in nb['cells'] if c['cell_type'] == 'markdown' for n in NUMBER.findall(''.join(c['source'])) if not shown(n, seen)]

if __name__ == '__main__':
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT/'nbs').glob('[1-7]0_*.ipynb'))
    paper, failed = paper_text(), False
    for p in paths:
        if bad := unmatched(p, paper):
            failed = True
            print(f"{p.name}: {len(bad)} number(s) in the prose that no output shows: {', '.join(dict.fromkeys(bad))}")
    if failed: sys.exit(1)
    print(f"numbers check: every number in the prose of {len(paths)} notebook(s) is in an output, a code cell or the paper")
