"Issue 17 for Chapters 1 and 4: the published numbers live in one dict per chapter and sit beside ours in the results tables, prose quotes only what an output shows, figures have alt text, and Chapter 4's shaded example shades something."
import json, re
from pathlib import Path

import pytest

from hyperfit.citation import CITATION_REFS, memorisation_table
from hyperfit.degeneration import DEGENERATION_REFS, beside_literature

NBS = Path(__file__).resolve().parents[1]/'nbs'
CH1, CH4 = NBS/'10_degeneration.ipynb', NBS/'40_citation.ipynb'

def cells(path:Path)->list[dict]: return json.loads(path.read_text())['cells']
def src(c:dict)->str: return ''.join(c['source'])

def outputs_text(path:Path)->str:
    "Every stored output of a notebook as text: streams, plain text and HTML."
    out = []
    for c in cells(path):
        for o in c.get('outputs', []):
            out.append(''.join(o.get('text', '')))
            for k in ('text/plain', 'text/html'): out.append(''.join(o.get('data', {}).get(k, '')))
    return '\n'.join(out)

def test_chapter1_refs_hold_the_published_numbers():
    loop, div, ttr = (DEGENERATION_REFS[k]['rows'] for k in ('loop', 'diversity', 'ttr'))
    assert (loop['greedy'], loop['beam search (b 16)'], loop['top-k 40'], loop['human']) == ('73.7', '28.9', '0.8', '0.3')
    assert loop['top-p (paper baseline)'].startswith('0.4 (nucleus')
    assert (div['greedy'], div['human']) == ('5.4', '93.6')
    assert div['top-p (paper baseline)'].startswith('93.6') and div['contrastive (k 4, alpha 0.6)'].startswith('92.5')
    assert ttr['greedy'] == '17-57'
    for e in DEGENERATION_REFS.values():
        assert re.search(r'(Table|Fig\.) \d', e['source']) or 'WebText' in e['source']
        assert e['models'] and e['column']

def test_chapter4_refs_hold_the_published_numbers():
    r = {k: v['rows'] for k, v in CITATION_REFS.items()}
    assert r['mean_overlap'] == {'original': '~4.0', 'hyperfitted': '~5.8'}
    assert r['share_over_10'] == {'hyperfitted': 'under 2'}
    assert '42.9' in r['preference']['hyperfitted'] and '45.2' in r['preference']['hyperfitted']
    assert '41.2' in r['preference']['hyperfitted + blocker'] and '44.1' in r['preference']['hyperfitted + blocker']
    assert 'different measure' in CITATION_REFS['preference']['what']
    assert all('Table' in v['column'] for v in CITATION_REFS.values())

def test_beside_literature_sets_ours_beside_theirs():
    rows = [dict(method=m, ttr=t, diversity=d, loop=l) for m, t, d, l in
            [('human', .7, .9, 0), ('human', .8, .9, 0), ('human', .75, .9, 0), ('greedy', .2, .05, 1), ('greedy', .2, .05, 1)]]
    t = beside_literature(rows)
    assert list(t.index[:2]) == ['human', 'greedy']
    assert t.loc['greedy', 'loop x100'] == '100.0 [34, 100]' and t.loc['human', 'ttr x100'].startswith('75.0 [')   # 2 of 2 loops: a Wilson interval
    assert t.loc['human', 'loop x100'] == '0.0 [0, 56]'                      # 0 of 3: not a zero-width interval
    assert t.loc['greedy', DEGENERATION_REFS['diversity']['column']] == '5.4'
    assert t.loc['beam search (b 16)', 'ttr x100'] == 'not run here'
    assert set(DEGENERATION_REFS['loop']['rows']) <= set(t.index)          # every published number has a row

def test_memorisation_table_carries_intervals_and_the_paper():
    m = dict(overlaps=[3, 5, 4, 12], ttr=0.5, rep_4=0.1, self_bleu=0.2, dataset_bleu=0.1, seconds=3.0)
    t = memorisation_table({'hyperfitted': m, 'new model': m})
    assert re.fullmatch(r'6\.000 \[\d\.\d\d, \d+\.\d\d\]', t.loc['hyperfitted', 'mean longest overlap'])
    assert t.loc['hyperfitted', CITATION_REFS['share_over_10']['column']] == 'under 2'
    assert t.loc['new model', CITATION_REFS['mean_overlap']['column']] == '—'

@pytest.mark.parametrize('path,typed', [(CH1, ['73.7', '28.9', '5.4%', '93.6', '92.5', '0.73']),
                                        (CH4, ['42.9', '41.2', '45.2', '44.1', '5.8', '4.0 '])])
def test_prose_does_not_type_the_published_numbers(path, typed):
    prose = '\n'.join(src(c) for c in cells(path) if c['cell_type'] == 'markdown')
    assert not [x for x in typed if x in prose]

@pytest.mark.parametrize('path,heading', [(CH1, '## The run at this scale'), (CH4, '## Three models at this scale')])
def test_every_decimal_in_the_results_prose_is_in_an_output(path, heading):
    cs = cells(path)
    start = next(i for i, c in enumerate(cs) if c['cell_type'] == 'markdown' and heading in src(c))
    end = next((i for i, c in enumerate(cs) if c['cell_type'] == 'markdown' and src(c).startswith('## Exercises')), len(cs))   # the results end there
    prose = '\n'.join(src(c) for c in cs[start:end] if c['cell_type'] == 'markdown')
    shown = outputs_text(path)
    missing = [x for x in re.findall(r'\d+\.\d+', prose) if not re.search(rf'(?<![\d.]){re.escape(x)}(?!\d)', shown)]
    assert not missing, f"{path.name}: prose numbers no output shows: {missing}"

@pytest.mark.parametrize('path', [CH1, CH4])
def test_figures_have_alt_text(path):
    figs = [c for c in cells(path) if c['cell_type'] == 'code' and any('image/png' in o.get('data', {}) for o in c.get('outputs', []))]
    assert figs and all(src(c).startswith('#| fig-alt: ') for c in figs)

def test_chapter4_shaded_example_shades_a_copied_span():
    c = next(c for c in cells(CH4) if c['cell_type'] == 'code' and 'continuation(name, pick)' in src(c))
    html = ''.join(''.join(o.get('data', {}).get('text/html', '')) for o in c.get('outputs', []))
    assert '<mark' in html

def test_share_ci_is_statsmodels_wilson_interval_and_never_zero_width():
    "Shares of yes/no outcomes (loops, copies over 10 tokens, agreeing orders) get Wilson intervals, checked against statsmodels."
    import numpy as np, torch
    from statsmodels.stats.proportion import proportion_confint
    from hyperfit.measures import estimate_ci, mean_ci, share_ci
    rng = np.random.default_rng(0)
    for n in (1, 4, 40, 152, 720):
        for k in {0, n // 3, n}:
            x = [1] * k + [0] * (n - k)
            lo, hi = proportion_confint(k, n, alpha=0.05, method='wilson')
            assert np.allclose(share_ci(x), (k / n, lo, hi), atol=1e-9)
            assert share_ci(x)[2] - share_ci(x)[1] > 0                                     # 0 of n or n of n: still an interval
    x = rng.integers(0, 2, 50)
    assert share_ci(x) == share_ci(list(x)) == share_ci(tuple(x)) == share_ci(torch.tensor(x)) == estimate_ci(x.astype(bool))
    assert estimate_ci([0.2, 0.5, 0.7]) == mean_ci([0.2, 0.5, 0.7])
    with pytest.raises(ValueError, match='use mean_ci'): share_ci([0.5, 1])
