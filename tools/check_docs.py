"""Run nbdev's offline docs pre-processing and check its output.

Quarto cannot be installed offline, so the site itself is rendered by an online docs job. This runs
the steps before Quarto (refresh _quarto.yml, module index, sidebar, notebook processing into _proc/)
and fails if a page has no title, is missing from the sidebar, or shows a stored error, progress bar or machine path.
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def problems()->list[str]:
    import yaml
    side = (ROOT/'nbs'/'sidebar.yml').read_text()
    bad = []
    for nb in sorted((ROOT/'nbs').glob('[!_]*.ipynb')):
        proc = ROOT/'_proc'/nb.name
        if not proc.exists(): bad.append(f"{nb.name}: not processed"); continue
        cells = json.loads(proc.read_text())['cells']
        front = ''.join(cells[0]['source']) if cells and cells[0]['cell_type'] == 'raw' else ''
        meta = yaml.safe_load(front.strip().strip('-')) if front.startswith('---') else {}
        if not (meta or {}).get('title'): bad.append(f"{nb.name}: no title")
        if nb.name not in side: bad.append(f"{nb.name}: missing from the sidebar")
        for c in cells:
            if any(o.get('output_type') == 'error' for o in c.get('outputs', [])): bad.append(f"{nb.name}: stored error output")
            text = ''.join(''.join(o.get('text', '')) + ''.join(o.get('data', {}).get('text/plain', '')) for o in c.get('outputs', []))
            if re.search(r'\d+%\|', text): bad.append(f"{nb.name}: stored progress bar")
            if re.search(r'/(tmp|root|home|work)/', text): bad.append(f"{nb.name}: stored path of the machine that ran it")
    return bad

if __name__ == '__main__':
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.doclinks import _build_modidx
    from nbdev.serve import proc_nbs
    refresh_quarto_yml(); _build_modidx(); nbdev_sidebar(); proc_nbs()
    if bad := problems(): sys.exit('docs check failed:\n  ' + '\n  '.join(bad))
    print("docs check: every page has a title, is in the sidebar, and has no stored error")
