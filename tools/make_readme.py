"""Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which is not installable offline).

Markdown cells are copied; code cells become ```python blocks followed by their stored text output;
cells starting with `#| hide` are left out, and of `#| echo: false` cells only their Markdown outputs are kept (the
landing page's paper-vs-ours table; its figure is left out). `--check` fails if README.md is not up to date.
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def cell_md(cell:dict)->str:
    src = ''.join(cell['source'])
    if cell['cell_type'] == 'markdown': return src
    if src.lstrip().startswith('#| hide'): return ''
    if '#| echo: false' in src:   # the landing page's figure (the README cannot show it) and its Markdown tables (it can)
        return '\n\n'.join(''.join(o['data']['text/markdown']) for o in cell.get('outputs', []) if 'text/markdown' in o.get('data', {}))
    outs = ''.join(''.join(o.get('text', '')) for o in cell.get('outputs', []) if o.get('output_type') == 'stream')
    return f"```python\n{src}\n```" + (f"\n\n```\n{outs.rstrip()}\n```" if outs else '')

def readme()->str:
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text())
    parts = [cell_md(c) for c in nb['cells']]
    return '\n\n'.join(p for p in parts if p) + '\n'

if __name__ == '__main__':
    path, text = ROOT/'README.md', readme()
    if '--check' in sys.argv:
        if path.read_text() != text: sys.exit("README.md is out of date with nbs/index.ipynb: run python tools/make_readme.py")
        print("README.md is up to date")
    else: path.write_text(text)
