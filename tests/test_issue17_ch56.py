"""Issue 17 for Chapters 5 (ImageGPT) and 6 (grokking): model sizes counted, not assumed; the paper's numbers beside ours,
each chapter's from one exported dict; every decimal number in the prose printed by an output; alt text on every figure;
no warning on stderr in the stored pages; the stored ImageGPT run hyperfitted to near-zero training loss."""
import json, re
from dataclasses import asdict
from importlib import resources
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = {n: ROOT/'nbs'/f'{n}.ipynb' for n in ('50_imagegpt', '60_grokking')}

def cells(name:str)->list: return nbformat.read(CHAPTERS[name], as_version=4).cells

def output_text(c)->str:
    "The text a code cell shows: streams and plain-text results."
    return '\n'.join(o.get('text', '') + o.get('data', {}).get('text/plain', '') for o in c.get('outputs', []))

# --- Chapter 5: how big ImageGPT-Large is

def test_imagegpt_large_has_1_36b_parameters_counted_from_its_config():
    from hyperfit.imagegpt import IMAGEGPT_REFS, imagegpt_params
    assert imagegpt_params('openai/imagegpt-large') == 1_362_914_304            # Chen et al.'s iGPT-L: 1.4B
    assert imagegpt_params('openai/imagegpt-small') == 76_682_240
    assert IMAGEGPT_REFS['n_params'] == {'openai/imagegpt-small': '76M', 'openai/imagegpt-medium': '455M', 'openai/imagegpt-large': '1.4B'}

def test_774m_only_named_as_gpt2_large():
    "774M is GPT-2 Large's size; the chapter and its module may only say so."
    text = '\n'.join(c.source for c in cells('50_imagegpt')) + (ROOT/'hyperfit'/'imagegpt.py').read_text()
    assert not re.search(r'774M(?!\s+is\s+GPT-2\s+Large)', text)

# --- the paper's numbers, one dict per chapter

def test_imagegpt_table_sets_the_paper_beside_every_measure():
    from hyperfit.imagegpt import IMAGEGPT_REFS, imagegpt_table
    res = dict(history=[dict(epoch=0, train_loss=2.0, val_loss=2.0, stripes=0.7, colour_ttr=0.02),
                        dict(epoch=5, train_loss=0.01, val_loss=5.0, stripes=0.0, colour_ttr=0.1)], real=dict(stripes=0.01, colour_ttr=0.13))
    t = imagegpt_table(res)
    assert t['paper (Sec. 5, Fig. 6)'].tolist() == [IMAGEGPT_REFS[k] for k in t.index]
    assert '0.05' in IMAGEGPT_REFS['train_loss']                                 # TinyLlama's near zero, from PAPER_REFS

def test_paper_presets_are_the_papers_settings():
    from hyperfit.grokking import GROK_PRESETS, GROK_REFS
    from hyperfit.imagegpt import IMAGE_PRESETS
    p = IMAGE_PRESETS['paper']
    assert (p.model, p.hyperfit_images, p.epochs, p.lr, p.batch_size, p.size, p.n_colors) == ('openai/imagegpt-large', 2000, 20, 1e-6, 8, 32, 512)
    g = GROK_PRESETS['paper']
    assert (g.p, g.train_frac, g.lr, g.weight_decay) == (GROK_REFS['grokking: modulus p'], GROK_REFS['grokking: share of pairs for training'],
                                                        GROK_REFS['grokking: AdamW lr'], GROK_REFS['grokking: weight decay'])
    assert (GROK_REFS['grokking: modulus p'], GROK_REFS['grokking: share of pairs for training'], GROK_REFS['hyperfitting: weight decay']) == (113, 0.3, 0.0)
    assert '10,000' in GROK_REFS['grokking: step val acc first > 95%']

def test_every_comparison_row_has_a_reference():
    from hyperfit.grokking import GROK_REFS, compare_with_hyperfitting, grok_config, grok_table
    hf = dict(config=dict(weight_decay=0.0), history=[dict(epoch=e, train_loss=3 - e, val_loss=3 + e, ttr=0.2 + 0.1 * e) for e in range(4)])
    grok = dict(config=asdict(grok_config('ci')), history=[dict(step=s, train_acc=a, val_acc=v, val_loss=l)
                                                           for s, a, v, l in [(0, 0.0, 0.0, 4.0), (50, 1.0, 0.5, 9.0), (100, 1.0, 1.0, 0.1)]])
    t = grok_table(compare_with_hyperfitting(hf, grok))
    assert list(t.index) == list(GROK_REFS)
    assert t.loc['grokking: step val acc first > 95%', 'ours'] == '100'

# --- Chapter 6: the plateau and the mirrored pairs

def test_a_memorising_model_answers_only_mirrored_pairs():
    import torch
    from hyperfit.grokking import has_mirror, mirror_accuracy, modular_addition
    d = modular_addition(7, 0.5)
    m = has_mirror(d)
    table = {tuple(x[:2]): y for x, y in zip(d['x_train'].tolist(), d['y_train'].tolist())}
    def lookup(x):                                           # the training table, read in either order; else 0
        ys = [table.get((a, b), table.get((b, a), 0)) for a, b, _ in x.tolist()]
        return torch.nn.functional.one_hot(torch.tensor(ys), 7).float()
    acc = mirror_accuracy(lookup, d)
    assert acc['mirrored'] == 1.0 and acc['unmirrored'] < 0.5
    assert 0.3 < m.float().mean() < 0.7

# --- the stored pages

@pytest.mark.parametrize('name', CHAPTERS)
def test_every_figure_has_alt_text(name):
    for c in cells(name):
        if any('image/png' in o.get('data', {}) for o in c.get('outputs', [])):
            assert c.source.startswith('#| fig-alt: ') or '\n#| fig-alt: ' in c.source, c.source[:80]

@pytest.mark.parametrize('name', CHAPTERS)
def test_no_warning_on_stderr(name):
    for c in cells(name):
        for o in c.get('outputs', []):
            assert not (o.get('output_type') == 'stream' and o.get('name') == 'stderr'), (c.source[:60], o.get('text', '')[:200])

NUMBER = re.compile(r'(?<![\w.])(\d+(?:,\d{3})*\.\d+)(%|M\b|B\b)?')

def candidates(outputs:str)->set[str]:
    "Every way an output's number may be quoted: as printed, rounded, as a percentage, in millions or billions."
    out = set()
    for s in re.findall(r'-?\d+(?:\.\d+)?(?:e-?\d+)?', outputs.replace(',', '')):
        v = float(s)
        for x, suffix in ((v, ''), (100 * v, '%'), (v / 1e6, 'M'), (v / 1e9, 'B')):
            out |= {f'{x:.{k}f}{suffix}' for k in range(1, 5)} | ({f'{x:.{k}f}' for k in range(1, 5)} if suffix in 'MB' else set())
    return out

@pytest.mark.parametrize('name', CHAPTERS)
def test_decimal_numbers_in_the_prose_are_printed_by_an_output(name):
    "A number with decimals in a markdown cell must be some output's number, as printed or rounded (percentages too)."
    cs = cells(name)
    shown = '\n'.join(output_text(c) for c in cs)
    known = candidates(shown)
    missing = []
    for c in cs:
        if c.cell_type != 'markdown': continue
        for num, suffix in NUMBER.findall(re.sub(r'`[^`]*`', '', c.source)):
            q = num.replace(',', '') + (suffix or '')
            if q not in known and num + (suffix or '') not in shown: missing.append(q)
    assert not missing, f"{name}: numbers in the prose that no output prints: {missing}"

def stored_imagegpt_cpu()->dict:
    "The stored result of the `cpu` preset's ImageGPT run (the one the chapter shows)."
    from hyperfit.imagegpt import IMAGE_PRESETS
    want = asdict(IMAGE_PRESETS['cpu'])
    found = [r for f in (resources.files('hyperfit')/'results').iterdir() if f.name.startswith('imagegpt-cpu-')
             for r in [json.loads(f.read_text())] if r['config'] == want]
    assert len(found) == 1, f"{len(found)} stored results for the cpu preset"
    return found[0]

def test_the_stored_imagegpt_run_reaches_near_zero_training_loss():
    "Hyperfitting means near-zero training loss: the stored run ends below the paper's TinyLlama value, 0.05."
    h = stored_imagegpt_cpu()['history']
    assert h[-1]['train_loss'] < 0.05 < h[0]['train_loss']
