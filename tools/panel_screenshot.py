"""Picture Chapter 7's annotation panel as an annotator sees it: JupyterLab in a headless Chromium, one item of a blind task
built from the stored `cpu`-scale texts (the 128-token scenario, which fits one screen), saved as a PNG for the chapter.

The panel runs in a scratch folder (its judgments file is thrown away); the texts are read from the package's stored
results and never generated here: the script fails if they are not stored. Reuses `jupyterlab_check`'s server handling.

    python tools/panel_screenshot.py [--out hyperfit/results/annotation-panel-cpu.png]
"""
import argparse, json, os, shutil, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from jupyterlab_check import Failed, chromium, lab_server, one_line   # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE = """import tempfile
from hyperfit.config import HEADLINE, get_config, result_path
from hyperfit.preference import AnnotationPanel, build_task, comparison_pairs, system_outputs
run = get_config('cpu')
outputs = system_outputs(run, n=HEADLINE['cpu']['domain_prompts'])   # the stored cpu-scale texts (read, not generated)
task, key = build_task(comparison_pairs(outputs, '128 tokens'), seed=0)
AnnotationPanel(task, 'annotator-1', tempfile.mkdtemp())"""

def notebook(path:Path):
    "A one-cell notebook that shows the panel."
    cell = dict(cell_type='code', id='panel', metadata={}, source=SOURCE, outputs=[], execution_count=None)
    path.write_text(json.dumps(dict(cells=[cell], metadata=dict(kernelspec=dict(name='python3', display_name='Python 3', language='python')),
                                    nbformat=4, nbformat_minor=5)))

def main()->int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', type=Path, default=ROOT/'hyperfit'/'results'/'annotation-panel-cpu.png')   # package data: the chapter shows it wherever hyperfit is installed
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright
    exe = chromium(None)
    if exe is None: print("panel_screenshot: FAILED: no Chromium (apt-get install chromium)"); return 1
    work = Path(tempfile.mkdtemp(prefix='panel-shot-'))
    try:
        (work/'lab').mkdir(); notebook(work/'lab'/'panel.ipynb')
        env = dict(os.environ, HYPERFIT_SCALE='cpu', HF_HUB_OFFLINE='1', JUPYTER_RUNTIME_DIR=str(work/'runtime'),
                   JUPYTERLAB_SETTINGS_DIR=str(work/'settings'), JUPYTERLAB_WORKSPACES_DIR=str(work/'workspaces'), TQDM_DISABLE='1')
        env.pop('HYPERFIT_RESULTS', None)                       # the package's stored results
        with lab_server(work, env) as (port, token), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, timeout=60_000)
            page = browser.new_page(viewport={'width': 1100, 'height': 1000})
            page.goto(f'http://127.0.0.1:{port}/lab/tree/panel.ipynb?token={token}', timeout=60_000)
            page.wait_for_selector('.jp-NotebookPanel .jp-CodeCell', timeout=60_000)
            time.sleep(3)
            page.locator('.jp-Notebook .jp-CodeCell').first.locator('.jp-InputPrompt').click()
            page.keyboard.press('Shift+Enter')
            out = page.locator('.jp-Notebook .jp-CodeCell').first.locator('.jp-OutputArea')
            out.locator('.widget-button').nth(2).wait_for(timeout=120_000)
            if out.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count(): raise Failed(out.inner_text()[:300])
            time.sleep(1)
            a.out.parent.mkdir(parents=True, exist_ok=True)
            out.screenshot(path=str(a.out))
            browser.close()
    except Exception as e:
        print(f"panel_screenshot: FAILED: {one_line(e)}"); return 1
    finally: shutil.rmtree(work, ignore_errors=True)
    print(f"panel_screenshot: wrote {a.out}")
    return 0

if __name__ == '__main__': sys.exit(main())
