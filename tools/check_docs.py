"""Run nbdev's offline docs pre-processing and check its output.

Quarto cannot be installed offline, so the site itself is rendered by an online docs job. This runs
the steps before Quarto (refresh _quarto.yml, module index, sidebar, notebook processing into _proc/)
and fails if a page has no title, is missing from the sidebar, or shows a stored error, progress bar, machine path or a source link without a line (`#LNone`).
It also fails if `nbs/_quarto.yml` is not a link to the top-level `../_quarto.yml` (the file people edit), if the
sidebar (`nbs/sidebar.yml`, written by hand) leaves out a notebook of nbs/ or lists one that does not exist, or if the
navbar has no link to the repository (settings.ini `git_url`).
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def sidebar_pages(entries)->list[str]:
    "Every page listed in a Quarto sidebar's `contents`, through sections."
    out = []
    for e in entries or []:
        if isinstance(e, str): out.append(e)
        elif isinstance(e, dict):
            out += [e[k] for k in ('href', 'file') if isinstance(e.get(k), str)]
            out += sidebar_pages(e.get('contents'))
    return out

def site_problems()->list[str]:
    "The Quarto config is the top-level `_quarto.yml`, the sidebar lists exactly the notebooks, the navbar links the repository."
    import os, yaml
    from nbdev.config import get_config
    bad, link = [], ROOT/'nbs'/'_quarto.yml'
    if not (link.is_symlink() and os.readlink(link) == '../_quarto.yml'):
        bad.append("nbs/_quarto.yml: not a link to ../_quarto.yml (edit the top-level _quarto.yml; ln -sf ../_quarto.yml nbs/_quarto.yml)")
    listed = sidebar_pages(yaml.safe_load((ROOT/'nbs'/'sidebar.yml').read_text())['website']['sidebar']['contents'])
    for nb in sorted((ROOT/'nbs').glob('[!_]*.ipynb')):
        if nb.name not in listed: bad.append(f"{nb.name}: missing from the sidebar (nbs/sidebar.yml)")
    for page in listed:
        if not (ROOT/'nbs'/page).exists(): bad.append(f"nbs/sidebar.yml: lists {page}, which is not in nbs/")
    quarto = yaml.safe_load((ROOT/'_quarto.yml').read_text()) if (ROOT/'_quarto.yml').exists() else {}
    nav = (quarto.get('website') or {}).get('navbar') or {}
    hrefs = [i.get('href') for i in (nav.get('left') or []) + (nav.get('right') or []) if isinstance(i, dict)]
    if get_config(path=ROOT).git_url not in hrefs: bad.append(f"_quarto.yml: the navbar has no link to the repository ({get_config(path=ROOT).git_url})")
    return bad

def problems()->list[str]:
    import yaml
    bad = site_problems()
    for nb in sorted((ROOT/'nbs').glob('[!_]*.ipynb')):
        proc = ROOT/'_proc'/nb.name
        if not proc.exists(): bad.append(f"{nb.name}: not processed"); continue
        cells = json.loads(proc.read_text())['cells']
        front = ''.join(cells[0]['source']) if cells and cells[0]['cell_type'] == 'raw' else ''
        meta = yaml.safe_load(front.strip().strip('-')) if front.startswith('---') else {}
        if not (meta or {}).get('title'): bad.append(f"{nb.name}: no title")
        for c in cells:
            if any(o.get('output_type') == 'error' for o in c.get('outputs', [])): bad.append(f"{nb.name}: stored error output")
            text = ''.join(''.join(o.get('text', '')) + ''.join(o.get('data', {}).get('text/plain', '')) for o in c.get('outputs', []))
            if re.search(r'\d+%\|', text): bad.append(f"{nb.name}: stored progress bar")
            if re.search(r'/(tmp|root|home|work)/', text): bad.append(f"{nb.name}: stored path of the machine that ran it")
            md = ''.join(''.join(o.get('data', {}).get('text/markdown', '')) for o in c.get('outputs', []))
            if '#LNone' in md: bad.append(f"{nb.name}: a show_doc source link without a line (#LNone): settings.ini's renderer fixes it, run the page again")
    return bad

def preprocess()->Path:
    "nbdev's docs steps before Quarto: `_quarto.yml`/`nbdev.yml`, module index, sidebar, notebooks processed into `_proc/`."
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.doclinks import _build_modidx
    from nbdev.serve import proc_nbs
    refresh_quarto_yml(); _build_modidx(); nbdev_sidebar(); return proc_nbs()   # proc_nbs spawns workers: call under __main__

if __name__ == '__main__':
    preprocess()
    if bad := problems(): sys.exit('docs check failed:\n  ' + '\n  '.join(bad))
    print("docs check: every page has a title, is in the sidebar, and has no stored error; _quarto.yml is the top-level one and links the repository")
