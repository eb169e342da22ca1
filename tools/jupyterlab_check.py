"""Open Chapter 3 in JupyterLab in a headless Chromium, run it up to its explorer, move a slider: one figure, and it changes.

A copy of the chapter runs in a scratch folder at the ci scale (`HYPERFIT_SCALE=ci`, `HF_HUB_OFFLINE=1`, `HYPERFIT_DATA`
passed through, scratch `HYPERFIT_RESULTS` and `HYPERFIT_RUNS`). The check fails if JupyterLab asks which kernel to use,
if a cell fails, or if after a slider move the explorer's output does not change or shows other than exactly one image.
Chromium is Debian's (`apt-get install chromium`), driven by Playwright (`pip install playwright`, no `playwright install`).

    python tools/jupyterlab_check.py [--skip-if-no-chromium] [--screenshot /tmp/lab.png]

Exit 0 on success; otherwise 1 and one line saying why.
"""
import argparse, contextlib, json, os, secrets, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT/'nbs'/'30_paradox.ipynb'
EXPLORER = 'probe_explorer(res, tok, contexts)'   # the source of the explorer cell, after its `#| eval: false`
CHROMIUMS = ('/usr/bin/chromium', '/usr/bin/chromium-browser')
SETTINGS = {  # a fresh JupyterLab: no news pop-up, every cell in the page (no windowing), no autosave into the copy
    '@jupyterlab/apputils-extension/notification': {'fetchNews': 'false', 'checkForUpdates': False},
    '@jupyterlab/notebook-extension/tracker': {'windowingMode': 'none'},
    '@jupyterlab/docmanager-extension/plugin': {'autosave': False},
}

class Failed(Exception): "The check failed; the message is the one-line reason."

def free_port()->int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def prepare(work:Path, notebook:Path)->dict:
    "Copy the chapter into `work/lab`, write JupyterLab settings; the environment for the server."
    (work/'lab').mkdir(); shutil.copy(notebook, work/'lab'/CHAPTER.name)
    for name, value in SETTINGS.items():
        p = work/'settings'/f'{name}.jupyterlab-settings'; p.parent.mkdir(parents=True, exist_ok=True); p.write_text(json.dumps(value))
    env = dict(os.environ, HYPERFIT_SCALE='ci', HF_HUB_OFFLINE='1', HYPERFIT_RESULTS=str(work/'results'), HYPERFIT_RUNS=str(work/'runs'),
               JUPYTERLAB_SETTINGS_DIR=str(work/'settings'), JUPYTERLAB_WORKSPACES_DIR=str(work/'workspaces'),
               JUPYTER_RUNTIME_DIR=str(work/'runtime'), TQDM_DISABLE='1', HF_HUB_DISABLE_PROGRESS_BARS='1')
    env.pop('IN_TEST', None)
    return env

def start_lab(work:Path, env:dict, port:int, token:str, timeout:float=60)->subprocess.Popen:
    "Start `jupyter lab` on `work/lab` and wait until it answers."
    cmd = [sys.executable, '-m', 'jupyter', 'lab', '--no-browser', '--allow-root', f'--port={port}', '--ip=127.0.0.1',
           f'--ServerApp.token={token}', f'--ServerApp.root_dir={work/"lab"}', '--ServerApp.port_retries=0']
    log = open(work/'lab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=work/'lab', env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None: raise Failed(f"jupyter lab exited with {proc.returncode}: {tail(work/'lab.log')}")
        try: api(port, token, 'status'); return proc
        except OSError: time.sleep(0.5)
    raise Failed(f"jupyter lab did not answer within {timeout:.0f} s")

@contextlib.contextmanager
def lab_server(work:Path, env:dict):
    "JupyterLab on `work/lab` for the duration of the block: yields (port, token), then stops it and its kernels."
    port, token, proc = free_port(), secrets.token_hex(16), None
    try:
        proc = start_lab(work, env, port, token)
        yield port, token
    finally:
        if proc is not None: stop_lab(proc, work, port, token)

def one_line(e:BaseException)->str:
    "An exception as one line: its type and the first line of its message."
    return f"{type(e).__name__}: {(str(e).strip().splitlines() or [''])[0]}"

def api(port:int, token:str, path:str, method:str='GET'):
    req = urllib.request.Request(f'http://127.0.0.1:{port}/api/{path}', method=method, headers={'Authorization': f'token {token}'})
    with urllib.request.urlopen(req, timeout=5) as r: body = r.read()
    return json.loads(body) if body else None

def stop_lab(proc:subprocess.Popen, work:Path, port:int, token:str):
    "Shut down the kernels, stop the server, then kill whatever still runs from this check's runtime folder."
    try:
        for k in api(port, token, 'kernels'): api(port, token, f"kernels/{k['id']}", 'DELETE')
    except Exception: pass
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        if proc.poll() is not None: break
        try: os.killpg(proc.pid, sig)
        except ProcessLookupError: break
        try: proc.wait(wait)
        except subprocess.TimeoutExpired: pass
    for pid in pids_mentioning(str(work/'runtime')): # a kernel (its own session) the server failed to stop
        try: os.kill(pid, signal.SIGKILL)
        except ProcessLookupError: pass

def pids_mentioning(text:str)->list[int]:
    "Processes whose command line contains `text` (this check's unique scratch path)."
    out = []
    for d in Path('/proc').glob('[0-9]*'):
        try:
            if text in (d/'cmdline').read_bytes().replace(b'\0', b' ').decode(errors='replace'): out.append(int(d.name))
        except OSError: pass
    return out

def tail(path:Path, n:int=1)->str:
    lines = [l for l in path.read_text(errors='replace').splitlines() if l.strip()]
    return ' | '.join(lines[-n:])[-300:]

JS_STATE = """() => {
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
    const imgs = o => o ? [...o.querySelectorAll('.widget-output img')].map(i => i.src) : [];
    const ex = cells.find(c => c.querySelector('.jp-InputArea .cm-content')?.textContent.includes(EXPLORER) &&
                               c.querySelector('.jp-InputArea .cm-content')?.textContent.includes('eval: false'));
    return {prompts: cells.map(c => c.querySelector('.jp-InputPrompt')?.textContent.trim() ?? ''),
            errors: cells.filter(c => c.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
                                      ?.textContent.includes('Traceback')).map(c => cells.indexOf(c)),
            dialogs: [...document.querySelectorAll('.jp-Dialog')].map(d => (d.querySelector('.jp-Dialog-header') ?? d).textContent.trim().slice(0, 80)),
            explorer: ex ? cells.indexOf(ex) : -1, images: imgs(ex)};
}"""

def state(page)->dict:
    "Prompts of the code cells ('[ ]', '[*]', '[3]'), cells showing a traceback, open dialogs, the explorer cell and its images."
    return page.evaluate(JS_STATE.replace('EXPLORER', json.dumps(EXPLORER)))

def wait_for(page, what:str, ok, timeout:float, every:float=0.5)->dict:
    "Poll `state` until `ok(state)`; fail on a dialog, a traceback or the timeout."
    t0 = time.time()
    while True:
        s = state(page)
        if s['dialogs']: raise Failed(f"a dialog opened while waiting for {what}: {s['dialogs'][0]!r}")
        if s['errors']: raise Failed(f"code cell {s['errors'][0]} of the chapter failed (see the screenshot)")
        if ok(s): return s
        if time.time() - t0 > timeout: raise Failed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)

def menu(page, top:str, item:str):
    "Click `top` in the menu bar, then `item`."
    page.locator('.lm-MenuBar-itemLabel', has_text=top).first.click()
    page.get_by_role('menuitem', name=item, exact=True).click()

def done(s:dict, upto:int)->bool:
    "Every code cell up to `upto` (included) ran and none is queued."
    return all(p[1:-2].strip().isdigit() for p in s['prompts'][:upto + 1]) and not any('*' in p for p in s['prompts'])

def check(page, url:str, port:int, token:str, run_timeout:float)->str:
    "The whole check in an open browser page; a summary line."
    t0 = time.time()
    page.goto(url, timeout=60_000)
    page.wait_for_selector('.jp-NotebookPanel .jp-CodeCell', timeout=60_000)
    sessions = []
    while not sessions or not sessions[0].get('kernel'):                     # no dialog: the notebook's kernelspec starts by itself
        s = state(page)
        if s['dialogs']: raise Failed(f"JupyterLab opened a dialog instead of starting the kernel: {s['dialogs'][0]!r}")
        if time.time() - t0 > 60: raise Failed("no kernel started within 60 s of opening the chapter")
        sessions = api(port, token, 'sessions'); time.sleep(0.5)
    kernel = sessions[0]['kernel']['name']
    if kernel != 'python3': raise Failed(f"the chapter opened on kernel {kernel!r}, not python3")
    time.sleep(1); s = wait_for(page, 'the page to settle', lambda s: True, 5)     # a late dialog would fail here
    if s['explorer'] < 0: raise Failed(f"no cell of the chapter reads {EXPLORER!r} under '#| eval: false'")
    cell = page.locator('.jp-Notebook .jp-CodeCell').nth(s['explorer'])
    cell.locator('.jp-InputPrompt').click()
    t1 = time.time()
    menu(page, 'Run', 'Run All Above Selected Cell')
    wait_for(page, 'the cells above the explorer', lambda s: done(s, s['explorer'] - 1), run_timeout)
    page.keyboard.press('Escape'); cell.locator('.jp-InputPrompt').click()
    page.keyboard.press('Shift+Enter')                                           # run the explorer cell
    s = wait_for(page, "the explorer's figure", lambda s: done(s, s['explorer']) and s['images'], 60)
    ran = time.time() - t1
    before = s['images']
    if len(before) != 1: raise Failed(f"the explorer shows {len(before)} images before any change, not 1")
    handle = cell.locator('.widget-slider .noUi-handle').first
    handle.focus(); page.keyboard.press('ArrowRight')
    s = wait_for(page, "the explorer's figure to change after a slider move", lambda s: s['images'] and s['images'] != before, 30)
    time.sleep(2); s = state(page)                                               # a second figure would have arrived by now
    if len(s['images']) != 1: raise Failed(f"after a slider move the explorer shows {len(s['images'])} images, not 1")
    return f"kernel python3 without a dialog; cells ran in {ran:.0f} s; a slider move redrew the explorer's one figure"

def chromium(path:str|None)->str|None:
    "The Chromium to drive: `path`, else Debian's."
    return next((p for p in ([path] if path else CHROMIUMS) if p and Path(p).exists()), None)

def main()->int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--skip-if-no-chromium', action='store_true', help='exit 0 with a message when no Chromium is installed')
    ap.add_argument('--chromium', help=f'the Chromium executable (default: the first of {", ".join(CHROMIUMS)})')
    ap.add_argument('--notebook', type=Path, default=CHAPTER, help='the chapter to open (a copy is run)')
    ap.add_argument('--screenshot', type=Path, help='save the page here at the end, passed or failed')
    ap.add_argument('--timeout', type=float, default=300, help='seconds allowed for the cells above the explorer')
    a = ap.parse_args()
    exe = chromium(a.chromium)
    if exe is None:
        if a.skip_if_no_chromium: print(f"jupyterlab_check: skipped, no Chromium at {a.chromium or ' or '.join(CHROMIUMS)}"); return 0
        print(f"jupyterlab_check: FAILED: no Chromium at {a.chromium or ' or '.join(CHROMIUMS)} (apt-get install chromium)"); return 1
    try: from playwright.sync_api import sync_playwright, Error as PlaywrightError
    except ImportError: print("jupyterlab_check: FAILED: playwright is not installed (pip install playwright)"); return 1
    t0, work = time.time(), Path(tempfile.mkdtemp(prefix='jupyterlab-check-'))
    try:
        env = prepare(work, a.notebook)
        with lab_server(work, env) as (port, token), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, timeout=60_000)
            page = browser.new_page(viewport={'width': 1400, 'height': 1000})
            page.set_default_timeout(30_000)
            try: summary = check(page, f'http://127.0.0.1:{port}/lab/tree/{CHAPTER.name}?token={token}', port, token, a.timeout)
            finally:
                if a.screenshot:
                    try: page.screenshot(path=str(a.screenshot))
                    except PlaywrightError: pass
                browser.close()
    except (Failed, PlaywrightError) as e:
        print(f"jupyterlab_check: FAILED: {(str(e).strip().splitlines() or [type(e).__name__])[0]}"); return 1
    except Exception as e:                                                        # anything else, still in one line
        print(f"jupyterlab_check: FAILED: {one_line(e)}"); return 1
    finally: shutil.rmtree(work, ignore_errors=True)
    print(f"jupyterlab_check: passed in {time.time() - t0:.0f} s: {summary}")
    return 0

if __name__ == '__main__': sys.exit(main())
