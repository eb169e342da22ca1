"""Open every processed docs page in headless Chromium: figures load, tables render, no traceback or error output.

Quarto (which renders the real site) is not installable offline, so each page nbdev's pre-processing writes to `_proc/`
(the same steps as tools/check_docs.py) is rendered to HTML with nbconvert's HTMLExporter (classic template, which marks
error outputs `output_error`). Quarto's `echo: false`, `output: false` and `include: false` are honoured, and the front
matter becomes the page's title. Chromium is Debian's (`apt-get install chromium`), driven by Playwright (`pip install
playwright`, no `playwright install`). The browser fetches nothing from the network: remote images (the Colab badge) and
scripts (MathJax) are blocked, and remote images are counted as "not checked". A page fails if:

- an <img> that is not remote has not loaded (`naturalWidth` is 0);
- fewer outputs show a <table> than the notebook has table outputs (a DataFrame's HTML or a markdown table);
- an output is an error (`output_error`) or shows a Python traceback.

    python tools/browser_check.py [--skip-if-no-chromium] [--no-preprocess] [--screenshots /tmp/screens] [pages ...]

Prints one line per page. Exit 0 if every page passes; 2 and one line per failing page if not; 1 if the check cannot run.
"""
import argparse, os, re, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROC = ROOT/'_proc'
CHROMIUMS = ('/usr/bin/chromium', '/usr/bin/chromium-browser')
SCREENS = ('index', '20_hyperfitting')                       # pages photographed with --screenshots
MD_TABLE = re.compile(r'^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$', re.M)   # a markdown table's separator row
DIRECTIVE = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')

def directives(src:str)->dict:
    "Quarto's `#| key: value` lines at the top of a cell."
    out = {}
    for line in src.splitlines():
        if not (m := DIRECTIVE.match(line)): break
        out[m[1]] = m[2].lower()
    return out

def has_table(o:dict)->bool:
    "Does this output show a table: a DataFrame's HTML, or a markdown table?"
    d = o.get('data', {})
    return '<table' in ''.join(d.get('text/html', '')) or bool(MD_TABLE.search(''.join(d.get('text/markdown', ''))))

def front_matter(cell)->dict:
    import yaml
    src = cell.source if cell.cell_type == 'raw' else ''
    return (yaml.safe_load(src.strip().strip('-')) or {}) if src.startswith('---') else {}

def as_page(nb):
    "The notebook as Quarto shows it: title from the front matter, hidden inputs, outputs and cells left out, directives gone."
    import nbformat
    cells = []
    for c in nb.cells:
        if (meta := front_matter(c)):
            head = f"# {meta.get('title', '')}" + (f"\n\n> {meta['description']}" if meta.get('description') else '')
            cells.append(nbformat.v4.new_markdown_cell(head)); continue
        if c.cell_type != 'code': cells.append(c); continue
        d = directives(c.source)
        if d.get('include') == 'false': continue
        if d.get('output') == 'false': c.outputs = []
        c.source = '\n'.join(l for l in c.source.splitlines() if not DIRECTIVE.match(l)).strip('\n')
        if d.get('echo') == 'false' or not c.source: c.metadata['transient'] = {'remove_source': True}   # the templates' flag
        cells.append(c)
    nb.cells = cells
    return nb

def render(nb_path:Path, out:Path)->dict:
    "Write the page's HTML to `out`; what the notebook's outputs lead us to expect on it."
    from nbconvert import HTMLExporter
    import nbformat
    page = as_page(nbformat.read(nb_path, as_version=4))
    exporter = HTMLExporter(template_name='classic', exclude_input_prompt=True, exclude_output_prompt=True)
    out.write_text(exporter.from_notebook_node(page)[0])
    outs = [o for c in page.cells if c.cell_type == 'code' for o in c.get('outputs', [])]
    return dict(tables=sum(has_table(o) for o in outs), errors=sum(o.get('output_type') == 'error' for o in outs))

JS = """() => {
    const remote = s => /^https?:/.test(s);
    const imgs = [...document.images];
    const outs = [...document.querySelectorAll('.output_area')];
    return {
        images: imgs.filter(i => !remote(i.src)).length,
        broken: imgs.filter(i => !remote(i.src) && !(i.complete && i.naturalWidth > 0)).map(i => (i.alt || i.src).slice(0, 60)),
        remote: imgs.filter(i => remote(i.src)).length,
        tables: outs.filter(o => o.querySelector('table')).length,
        errors: document.querySelectorAll('.output_error').length,
        tracebacks: outs.filter(o => /Traceback \\(most recent call last\\)/.test(o.textContent)).length,
    };
}"""

def check_page(page, html:Path, want:dict)->tuple[list[str], dict]:
    "Open `html` in the browser; the reasons it fails (none if it passes) and what it shows."
    page.goto(html.as_uri(), wait_until='load', timeout=60_000)
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=30_000)
    s = page.evaluate(JS); bad = []
    if s['broken']: bad.append(f"{len(s['broken'])} of {s['images']} images did not load ({', '.join(s['broken'][:3])})")
    if s['tables'] < want['tables']: bad.append(f"{want['tables']} table outputs in the notebook, {s['tables']} shown as a table")
    if s['errors'] or want['errors']: bad.append(f"{max(s['errors'], want['errors'])} error outputs")
    if s['tracebacks']: bad.append(f"{s['tracebacks']} outputs show a Python traceback")
    return bad, s

def chromium(path:str|None)->str|None:
    "The Chromium to drive: `path`, else Debian's."
    return next((p for p in ([path] if path else CHROMIUMS) if p and Path(p).exists()), None)

def main()->int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('pages', nargs='*', help='page names to check, e.g. index 20_hyperfitting (default: every page in _proc/)')
    ap.add_argument('--skip-if-no-chromium', action='store_true', help='exit 0 with a message when no Chromium is installed')
    ap.add_argument('--chromium', help=f'the Chromium executable (default: the first of {", ".join(CHROMIUMS)})')
    ap.add_argument('--no-preprocess', action='store_true', help="use _proc/ as it is instead of running nbdev's pre-processing first")
    ap.add_argument('--screenshots', type=Path, help=f'save the top of {" and ".join(SCREENS)} (and their first figure) here as PNG')
    ap.add_argument('--keep-html', type=Path, help='write the rendered pages here (default: a temporary folder, removed)')
    a = ap.parse_args()
    exe = chromium(a.chromium)
    if exe is None:
        where = a.chromium or ' or '.join(CHROMIUMS)
        if a.skip_if_no_chromium: print(f"browser_check: skipped, no Chromium at {where}"); return 0
        print(f"browser_check: FAILED: no Chromium at {where} (apt-get install chromium)"); return 1
    try: from playwright.sync_api import sync_playwright
    except ImportError: print("browser_check: FAILED: playwright is not installed (pip install playwright)"); return 1
    t0 = time.time(); os.chdir(ROOT)
    if not a.no_preprocess:
        sys.path.insert(0, str(ROOT/'tools')); import check_docs; check_docs.preprocess()
    nbs = sorted(p for p in PROC.glob('*.ipynb') if not a.pages or p.stem in a.pages)
    if not nbs: print(f"browser_check: FAILED: no processed pages in {PROC}{' named ' + ' '.join(a.pages) if a.pages else ''}"); return 1
    tmp = tempfile.TemporaryDirectory(prefix='browser-check-'); out_dir = a.keep_html or Path(tmp.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    if a.screenshots: a.screenshots.mkdir(parents=True, exist_ok=True)
    failed = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, timeout=60_000)
        page = browser.new_page(viewport={'width': 1280, 'height': 1000})
        page.route(re.compile(r'^https?://'), lambda route: route.abort())   # offline: nothing is fetched
        for nb in nbs:
            html = out_dir/f'{nb.stem}.html'
            want = render(nb, html)
            bad, s = check_page(page, html, want)
            print(f"{'FAIL' if bad else 'ok  '} {nb.stem}: {s['images']} images, {s['tables']} tables"
                  + (f", {s['remote']} remote images not checked" if s['remote'] else '') + (f": {'; '.join(bad)}" if bad else ''), flush=True)
            if bad: failed.append(f"{nb.stem}: {'; '.join(bad)}")
            if a.screenshots and nb.stem in SCREENS:
                page.screenshot(path=str(a.screenshots/f'{nb.stem}.png'))
                if page.locator('.output_area img').count():
                    fig = page.locator('.output_area img').first; fig.scroll_into_view_if_needed()
                    fig.screenshot(path=str(a.screenshots/f'{nb.stem}-figure.png'))
        browser.close()
    tmp.cleanup()
    if failed:
        print(f"browser_check: FAILED on {len(failed)} of {len(nbs)} pages:\n" + '\n'.join(failed)); return 2
    print(f"browser_check: passed, {len(nbs)} pages in {time.time() - t0:.0f} s")
    return 0

if __name__ == '__main__': sys.exit(main())
