"""Chapter 7 (hyperfit.preference): the human-evaluation protocol, the blind annotation panel (driven headlessly), the
statistics checked against reference libraries, and Chapter 4's BLEU checked against nltk.

Every judgment in this file is TEST DATA, made up to have a known answer; none is a result. Generation runs at the `ci`
scale only (the tiny random model)."""
import json, math, random, sys, warnings
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest

from hyperfit.config import get_config, results_dir
from hyperfit.preference import (
    CHOICES, JUDGE_MARGIN, JUDGMENTS, OUTCOMES, SCENARIOS, SYSTEMS, AnnotationPanel, agreement, answer_log_odds, append_event,
    build_task, comparison_pairs, export_task, fleiss_kappa, import_task, judge_pairs, judge_prompt, judge_records, judge_report,
    judgments_path, krippendorff_alpha, mauve_score, mauve_scores, option_ids, pair_scores, paired_comparison, paper_preferences,
    preference_rates, preference_table, proxy_agreement, proxy_table, read_events, read_judgments, replay, scenario_tokens,
    split_task, system_outputs, text_features, unblind)

pytestmark = pytest.mark.xdist_group('preference')   # one worker: its module-scoped fixtures are built once

# ---------------------------------------------------------------------------------------------------------------- helpers
def fake_outputs(n:int=4, domains=('wikipedia', 'fiction', 'news'), systems=tuple(SYSTEMS))->dict:
    "A system_outputs-shaped dict with made-up texts: the protocol without a model."
    texts = lambda who, d: [f"text {i} of {d} by {who}" for i in range(n)]   # 'system 3', never a system's name
    return dict(systems=list(systems), scenarios={'256 tokens': 24, '128 tokens': 8},
                domains={d: dict(context_texts=[f"context {i} of {d}" for i in range(n)],
                                 texts={sc: {'human': texts('a person', d), **{s: texts(f'system {k}', d) for k, s in enumerate(systems)}}
                                        for sc in SCENARIOS})
                         for d in domains})

def fake_judged(system:str, outcomes:list, n:int=20, domain:str='fiction', scenario:str='256 tokens')->list[dict]:
    "TEST DATA: unblinded judgments, annotator a gives outcomes[a] on every one of n contexts."
    return [dict(pair_id=f'{scenario}/{domain}/{i}/{system}', scenario=scenario, domain=domain, context_index=i, system=system,
                 annotator=f'ann{a}', outcome=o) for i in range(n) for a, o in enumerate(outcomes)]

@pytest.fixture
def task_key():
    return build_task(comparison_pairs(fake_outputs()), seed=0)

# ---------------------------------------------------------------------------------------------------------------- protocol
def test_paper_table_holds_table_1():
    t = paper_preferences()
    assert t.loc['TinyLlama 1.1B', 'original greedy'] == 4.9 and t.loc['TinyLlama 1.1B', 'hyperfitted greedy'] == 34.4
    assert t.loc['Llama 3.1 70B', 'hyperfitted greedy'] == 52.4 and t.loc['Llama 3.1 8B', 'hyperfitted greedy + blocker'] == 41.2
    assert t.loc['Llama 3.1 70B', 'hyperfitted greedy + blocker'] == '—'

def test_scenarios_are_the_papers_lengths():
    assert [scenario_tokens(get_config('paper'), L) for L in SCENARIOS.values()] == [224, 96]
    assert [scenario_tokens(get_config('ci'), L) for L in SCENARIOS.values()] == [24, 8]

def test_pairs_one_per_system_and_context():
    pairs = comparison_pairs(fake_outputs())
    assert len(pairs) == 3 * 4 * len(SYSTEMS) and all(p['judgments'] == JUDGMENTS for p in pairs)
    p = next(p for p in pairs if p['system'] == 'hyperfitted greedy' and p['domain'] == 'news' and p['context_index'] == 2)
    k = list(SYSTEMS).index('hyperfitted greedy')
    assert (p['context'], p['system_text'], p['human_text']) == ('context 2 of news', f'text 2 of news by system {k}', 'text 2 of news by a person')

def test_top_p_is_the_paper_baseline():
    from hyperfit.degeneration import DECODING
    assert DECODING[SYSTEMS['original top-p']['decoding']] == dict(do_sample=True, top_p=0.9, temperature=0.7, top_k=50)
    assert SYSTEMS['hyperfitted greedy + blocker']['blocker'] == 5

@pytest.mark.timeout(600)
def test_system_outputs_at_the_ci_scale(monkeypatch):
    "Every system continues every domain's contexts with the tiny model; the result is cached and read back without a model."
    cfg = get_config('ci')
    out = system_outputs(cfg)
    assert out['systems'] == list(SYSTEMS) and out['scenarios'] == {'256 tokens': 24, '128 tokens': 8}
    for d in out['domains'].values():
        assert len(d['contexts']) == cfg.n_compare and set(d['outputs']) == set(SYSTEMS)
        assert all(0 < len(i) <= cfg.new_tokens for ids in d['outputs'].values() for i in ids)
        assert all(len(c) == cfg.prompt_len for c in d['contexts']) and all(len(h) == cfg.new_tokens for h in d['human'])
    assert any(p.name.startswith('preference-ci-') for p in results_dir().glob('*.json'))
    import hyperfit.preference as pref
    monkeypatch.setattr(pref, 'load_model', lambda *a, **k: pytest.fail('generated again instead of reading the cache'))
    assert system_outputs(cfg) == out
    pairs = comparison_pairs(out, '128 tokens')
    assert len(pairs) == 3 * cfg.n_compare * len(SYSTEMS)

# ---------------------------------------------------------------------------------------------------------------- task
def test_task_is_blind_and_seeded(task_key):
    task, key = task_key
    assert build_task(comparison_pairs(fake_outputs()), seed=0) == (task, key)
    text = json.dumps(task)
    assert not any(s in text for s in SYSTEMS) and 'pair_id' not in text and 'model_side' not in text
    sides = Counter(k['model_side'] for k in key['items'].values())
    assert abs(sides['A'] - sides['B']) <= 1
    assert [it['item'] for it in task['items']] == sorted(key['items'])
    # the order is shuffled: not the pairs' order
    assert [key['items'][it['item']]['pair_id'] for it in task['items']] != [p['pair_id'] for p in comparison_pairs(fake_outputs())]

def test_export_import_round_trip(tmp_path, task_key):
    task, key = task_key
    assert import_task(export_task(task, tmp_path/'task.json')) == task
    assert not (tmp_path/'key.json').exists()                                  # the key is never written with the task
    with pytest.raises(ValueError, match='that is the key'): export_task({**task, 'items': [{**task['items'][0], 'model_side': 'A'}]}, tmp_path/'x.json')
    (tmp_path/'dup.json').write_text(json.dumps({**task, 'items': task['items'][:2] * 2}))
    with pytest.raises(ValueError, match='unique item id'): import_task(tmp_path/'dup.json')

def test_split_task_gives_each_item_to_three_different_annotators(task_key):
    task, _ = task_key
    parts = split_task(task, [f'a{i}' for i in range(7)])
    per = Counter(it['item'] for p in parts.values() for it in p['items'])
    assert set(per.values()) == {JUDGMENTS} and len(per) == len(task['items'])
    sizes = [len(p['items']) for p in parts.values()]
    assert max(sizes) - min(sizes) <= 1
    assert all(len({it['item'] for it in p['items']}) == len(p['items']) for p in parts.values())
    assert all(p['task'] == task['task'] for p in parts.values())                 # the key still applies to every part
    with pytest.raises(ValueError): split_task(task, ['a', 'a', 'b'])

# ---------------------------------------------------------------------------------------------------------------- panel
def test_panel_writes_every_click_at_once_and_resumes(tmp_path, task_key):
    task, key = task_key
    items = [it['item'] for it in task['items']]
    p = AnnotationPanel(task, 'ann1', tmp_path)
    p.buttons['A'].click()
    assert [e['choice'] for e in read_events(p.path)] == ['A']                    # on disk before anything is closed
    p.buttons['B'].click(); p.buttons['equal'].click()
    p.buttons['undo'].click()                                                     # back to the third item
    assert p.current == items[2] and p.bar.value == 2
    p.buttons['skip'].click()
    assert p.current == items[3] and p.queue[-1] == items[2]
    p.keys.value = 'e'
    assert p.keys.value == '' and p.current == items[4]
    del p                                                                         # a restart
    q = AnnotationPanel(task, 'ann1', tmp_path)
    assert q.current == items[2] and q.bar.value == 3 and q.order == items[:2] + [items[3]]
    q.press('undo')
    assert q.current == items[3]
    events = read_events(q.path)
    assert [e['event'] for e in events] == ['judge', 'judge', 'judge', 'undo', 'skip', 'judge', 'undo']
    assert all(set(e) >= {'task', 'annotator', 'item', 'event', 'time', 'seconds'} for e in events)

def test_panel_to_the_end_and_unblind(tmp_path, task_key):
    task, key = task_key
    small = {**task, 'items': task['items'][:6]}
    p = AnnotationPanel(small, 'ann2', tmp_path)
    for k in 'ab3e12': p.keys.value = k
    assert p.current is None and p.bar.value == 6 and all(p.buttons[c].disabled for c in CHOICES)
    assert 'All 6 items judged' in p.status.value and p.judge('A') is None
    got = unblind(read_judgments(tmp_path), key)
    assert [g['choice'] for g in got] == ['A', 'B', 'B', 'equal', 'A', 'equal']
    for g in got:
        assert g['outcome'] == ('equal' if g['choice'] == 'equal' else 'better' if g['choice'] == g['model_side'] else 'worse')
    with pytest.raises(ValueError, match='key written with that task'): unblind([dict(task='x', item='0001', choice='A', annotator='a')], key)

def test_panel_keys_that_mean_nothing_do_nothing(tmp_path, task_key):
    task, _ = task_key
    p = AnnotationPanel(task, 'ann3', tmp_path)
    p.keys.value = 'z'
    assert p.current == task['items'][0]['item'] and read_events(p.path) == []
    p.buttons['undo'].click()                                                     # nothing to undo
    assert read_events(p.path) == []

def test_log_survives_a_line_cut_by_a_crash(tmp_path):
    log = tmp_path/'judgments-t-a.jsonl'
    append_event(log, dict(task='t', annotator='a', item='1', event='judge', choice='A'))
    with open(log, 'a') as f: f.write('{"task": "t", "annotator": "a", "it')
    append_event(log, dict(task='t', annotator='a', item='2', event='judge', choice='B'))
    with pytest.warns(UserWarning, match=r"1 line\(s\) are not whole records .* the other 2 were read") as said:
        judged, order = replay(read_events(log), 't', 'a')
    assert order == ['1', '2'] and judged['2']['choice'] == 'B'
    assert len(said) == 1 and '\n' not in str(said[0].message)                   # one line, and no judgment lost

def test_a_judgment_of_an_item_the_key_does_not_hold_gets_one_line(task_key):
    task, key = task_key
    with pytest.raises(ValueError, match='item\\(s\\) nope that the key of task') as e:
        unblind([dict(task=task['task'], item='nope', choice='A', annotator='a')], key)
    assert '\n' not in str(e.value)

def test_annotator_ids_name_files_safely(tmp_path, task_key):
    with pytest.raises(ValueError, match='letters, digits'): judgments_path(tmp_path, task_key[0], '../x')

# ---------------------------------------------------------------------------------------------------------------- statistics
def test_rates_known_answers():
    judged = fake_judged('x', ['better', 'equal', 'worse']) + fake_judged('y', ['worse', 'worse', 'equal'], domain='news')
    rates = {(r['system'], r['domain']): r for r in preference_rates(judged)}
    assert math.isclose(rates[('x', 'all')]['pct'], 200 / 3) and math.isclose(rates[('y', 'news')]['pct'], 100 / 3)
    assert rates[('x', 'all')]['judgments'] == 60 and rates[('x', 'all')]['pairs'] == 20
    maj = {r['system']: r['pct'] for r in preference_rates(judged, 'majority') if r['domain'] == 'all'}
    assert maj == {'x': 100.0, 'y': 0.0}
    t = preference_table(preference_rates(judged))
    assert list(t.index) == [('256 tokens', 'x'), ('256 tokens', 'y')] and t.loc[('256 tokens', 'x'), 'judgments'] == 60

def test_rate_interval_is_over_pairs_not_judgments():
    "Three identical judgments per pair carry no more information than one: the interval must not shrink by sqrt(3)."
    rng = np.random.default_rng(1)
    one = [dict(pair_id=f'256 tokens/news/{i}/s', scenario='256 tokens', domain='news', system='s', annotator='a0',
                outcome='equal' if rng.random() < 0.3 else 'worse') for i in range(200)]
    three = [dict(j, annotator=f'a{k}') for j in one for k in range(3)]
    r1, r3 = preference_rates(one)[0], preference_rates(three)[0]
    assert math.isclose(r1['pct'], r3['pct']) and math.isclose(r1['high'] - r1['low'], r3['high'] - r3['low'])

def test_fleiss_kappa_against_statsmodels():
    sm = pytest.importorskip('statsmodels.stats.inter_rater')
    rng = np.random.default_rng(0)
    for _ in range(200):
        k, m, n = rng.integers(2, 5), rng.integers(2, 8), rng.integers(2, 40)
        counts = np.stack([np.bincount(rng.integers(0, k, m), minlength=k) for _ in range(n)])
        ours, ref = fleiss_kappa(counts), sm.fleiss_kappa(counts)
        assert (np.isnan(ours) and np.isnan(ref)) or math.isclose(ours, ref, abs_tol=1e-12)

def test_fleiss_kappa_published_example():
    "The worked example of Fleiss' kappa on Wikipedia: 10 subjects, 14 raters, 5 categories; kappa = 0.210."
    wiki = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    assert abs(fleiss_kappa(wiki) - 0.210) < 5e-4

def test_krippendorff_alpha_against_the_package_and_the_paper():
    kd = pytest.importorskip('krippendorff')
    nan = np.nan
    k2011 = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
             [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    assert abs(krippendorff_alpha(k2011, 'nominal') - 0.743) < 5e-4 and abs(krippendorff_alpha(k2011, 'ordinal') - 0.815) < 5e-4
    rng = np.random.default_rng(0)
    for _ in range(200):
        R, U, V = rng.integers(2, 6), rng.integers(2, 40), rng.integers(2, 5)
        d = rng.integers(0, V, (R, U)).astype(float)
        d[rng.random((R, U)) < 0.3] = np.nan
        for level in ('nominal', 'ordinal'):
            ours = krippendorff_alpha(d, level)
            if np.isnan(ours): continue                                           # undefined; the package divides by zero
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                assert math.isclose(ours, kd.alpha(reliability_data=d, level_of_measurement=level), abs_tol=1e-9)

def test_agreement_known_answers():
    rng = np.random.default_rng(2)
    same = [dict(j, outcome=OUTCOMES[j['context_index'] % 3]) for j in fake_judged('s', ['x'] * 3, n=30)]
    a = agreement(same)
    assert (a['kappa'], a['alpha_ordinal'], a['alpha_binary'], a['kappa_pairs']) == (1.0, 1.0, 1.0, 30)
    noise = [dict(j, outcome=OUTCOMES[rng.integers(3)]) for j in fake_judged('s', ['x'] * 3, n=3000)]
    a = agreement(noise)
    assert abs(a['kappa']) < 0.03 and abs(a['alpha_ordinal']) < 0.03 and abs(a['alpha_binary']) < 0.03
    partial = same + [dict(same[0], pair_id='extra', annotator='ann0')]          # one pair with one judgment only
    assert agreement(partial)['kappa_pairs'] == 30

def test_paired_comparison_known_answers():
    from scipy.stats import wilcoxon
    ten = fake_judged('x', ['better'] * 3, n=10) + fake_judged('y', ['worse'] * 3, n=10)
    ten = [dict(j, outcome='worse') if (j['system'], j['context_index']) == ('x', 0) else
           dict(j, outcome='better') if (j['system'], j['context_index']) == ('y', 0) else j for j in ten]
    r = paired_comparison(ten, 'x', 'y')
    assert (r['contexts'], r['wins'], r['losses'], r['ties']) == (10, 9, 1, 0)
    assert math.isclose(r['sign_p'], 2 * 11 / 1024) and math.isclose(r['mean_diff'], 80.0)
    assert math.isclose(r['wilcoxon_p'], wilcoxon([-1.0] + [1.0] * 9).pvalue)
    assert paired_comparison(ten, 'x', 'x')['sign_p'] == 1.0
    with pytest.raises(ValueError, match='no context has judgments'): paired_comparison(ten, 'x', 'y', scenario='128 tokens')

# ---------------------------------------------------------------------------------------------------------------- automatic judges (issue 18, item 4)
# MAUVE on synthetic features with known answers; the LLM judge's plumbing on the tiny random model (its answers are noise);
# its reading of answers and the proxy-vs-people agreement on made-up log-odds and judgments. All TEST DATA.
@pytest.fixture(scope='module')
def tiny():
    from hyperfit.models import load_model
    return load_model('tiny-random')

def made_up_scores(pairs:list, a:float, b:float)->dict:
    "TEST DATA: what judge_pairs returns, every pair given log-odds a (system as A) and b (system as B)."
    return dict(judge='made-up', chat=False, log_odds={p['pair_id']: [a, b] for p in pairs})

def test_text_features_do_not_depend_on_batching(tiny):
    model, tok = tiny
    texts = [f"context {i}, then a continuation{' that goes on' * i}" for i in range(7)]
    one, many = text_features(model, tok, texts, batch_size=1), text_features(model, tok, texts, batch_size=4)
    assert one.shape == (7, model.config.hidden_size) and np.allclose(one, many, atol=1e-4)
    with pytest.raises(ValueError, match='at least one text'): text_features(model, tok, [])

def test_mauve_known_answers():
    "Gaussian features: one distribution scores near 1 (a set against itself exactly 1), two far apart near 0."
    g = np.random.default_rng(3)
    a, b, far = g.normal(size=(120, 16)), g.normal(size=(120, 16)), g.normal(size=(120, 16)) + 10 * np.eye(16)[0]
    assert mauve_score(a, a)['mauve'] == pytest.approx(1.0)
    alike, apart = mauve_score(a, b), mauve_score(a, far)
    assert alike['mauve'] > 0.8 and apart['mauve'] < 0.1, (alike, apart)
    assert alike['low'] <= alike['mauve'] <= alike['high'] and alike['buckets'] == 12           # 'auto': 120 / 10
    one = mauve_score(a, b, seeds=(7,))
    assert one['low'] == one['mauve'] == one['high']                                            # one seed: no spread
    assert mauve_score(a, b, buckets=4)['buckets'] == 4

@pytest.mark.parametrize('p, q, kw, msg', [
    (np.zeros((5, 4)), np.zeros((5, 3)), {}, 'of one width d'),
    (np.zeros(4), np.zeros((5, 4)), {}, 'of one width d'),
    (np.zeros((1, 4)), np.zeros((5, 4)), {}, '2 rows or more'),
    (np.full((5, 4), np.nan), np.zeros((5, 4)), {}, 'NaN or inf'),
    (np.zeros((5, 4)), np.zeros((5, 4)), dict(seeds=()), 'at least one k-means seed'),
    (np.zeros((5, 4)), np.zeros((5, 4)), dict(buckets=11), "use 'auto' or 2 to 10"),
    (np.zeros((5, 4)), np.zeros((5, 4)), dict(buckets='many'), "use 'auto' or 2 to 10")])
def test_mauve_refuses_bad_input_in_one_line(p, q, kw, msg):
    with pytest.raises(ValueError, match=msg) as e: mauve_score(p, q, **kw)
    assert '\n' not in str(e.value)

def test_mauve_without_the_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, 'mauve', None)                  # as if mauve-text were not installed
    with pytest.raises(ImportError, match='pip install mauve-text'): mauve_score(np.eye(4), np.eye(4))

def test_mauve_scores_per_system_and_domain_cached(monkeypatch):
    cfg, out = get_config('ci'), fake_outputs()
    rows = mauve_scores(out, cfg)                                    # features from the ci model, the tiny random one
    assert len(rows) == 4 * len(SYSTEMS) and {r['domain'] for r in rows} == {'wikipedia', 'fiction', 'news', 'all'}
    assert all(0 <= r['low'] <= r['mauve'] <= r['high'] <= 1 and r['scenario'] == '256 tokens' for r in rows)
    assert {(r['domain'] == 'all', r['n_p'], r['n_q']) for r in rows} == {(False, 4, 4), (True, 12, 12)}
    import hyperfit.preference as pref
    monkeypatch.setattr(pref, 'load_model', lambda *a, **k: pytest.fail('embedded again instead of reading the cache'))
    assert mauve_scores(out, cfg) == rows
    with pytest.raises(ValueError, match='use one of 256 tokens, 128 tokens'): mauve_scores(out, cfg, scenario='64 tokens')

def test_judge_prompt_plain_and_chat():
    from hyperfit.models import load_tokenizer
    tok = load_tokenizer('tiny-random')
    ids, chat = judge_prompt(tok, 'The context', 'first', 'second')
    text = tok.decode(ids, skip_special_tokens=True)
    assert not chat and text.endswith('\nAnswer:') and 'Continuation A: first' in text and 'Continuation B: second' in text
    tok.chat_template = "{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}"
    ids, chat = judge_prompt(tok, 'The context', 'first', 'second')
    assert chat and tok.decode(ids).startswith('[user]Here is') and tok.decode(ids).endswith('[assistant]')

def test_option_ids_leave_out_a_shared_first_token():
    from hyperfit.models import load_tokenizer
    opts = option_ids(load_tokenizer('tiny-random'))
    assert opts['A'] and opts['B'] and not set(opts['A']) & set(opts['B'])
    vocab = {'A': [1], 'B': [2], ' A': [3, 1], ' B': [3, 2]}          # ' A' and ' B' both begin with a space token
    fake = lambda s, add_special_tokens=False: SimpleNamespace(input_ids=vocab[s])
    assert option_ids(fake) == {'A': [1], 'B': [2]}
    vocab.update(A=[3, 1], B=[3, 2])                                 # no token of their own at all
    with pytest.raises(ValueError, match='use another judge model'): option_ids(fake)

def test_answer_log_odds_do_not_depend_on_batching(tiny):
    model, tok = tiny
    prompts = [judge_prompt(tok, f'context {i}', 'a' * i, 'b')[0] for i in range(1, 6)]
    d = answer_log_odds(model, tok, prompts, batch_size=2)
    assert d.shape == (5,) and np.allclose(d, answer_log_odds(model, tok, prompts, batch_size=1), atol=1e-4)

@pytest.mark.timeout(600)
def test_judge_on_the_tiny_model_gives_judgments_shaped_as_peoples(monkeypatch, task_key):
    "Every pair judged twice; the records go through preference_rates, agreement and paired_comparison; cached."
    cfg, pairs = get_config('ci'), comparison_pairs(fake_outputs())
    scores = judge_pairs(pairs, cfg)
    assert scores['judge'] == 'tiny-random' and not scores['chat'] and set(scores['log_odds']) == {p['pair_id'] for p in pairs}
    recs = judge_records(pairs, scores)
    task, key = task_key
    person = unblind([dict(task=task['task'], item='0001', annotator='a', choice='A')], key)[0]
    assert len(recs) == 2 * len(pairs) and all(set(r) == set(person) | {'log_odds'} for r in recs)
    assert {r['model_side'] for r in recs} == {'A', 'B'} and len({r['annotator'] for r in recs}) == 2
    assert len(preference_rates(recs)) == 4 * len(SYSTEMS) and agreement(recs)['annotators'] == 2
    assert paired_comparison(recs, 'hyperfitted greedy', 'original greedy')['contexts'] == 12
    rep = judge_report(recs)
    assert rep['prompts'] == 2 * len(pairs) and rep['pairs'] == len(pairs)
    assert math.isclose(rep['share_A'] + rep['share_equal'] + rep['share_B'], 1.0) and 0 <= rep['consistent'] <= 1
    import hyperfit.preference as pref
    monkeypatch.setattr(pref, 'load_model', lambda *a, **k: pytest.fail('judged again instead of reading the cache'))
    assert judge_pairs(pairs, cfg) == scores

def test_the_paper_and_colab_scales_ask_a_stronger_judge_from_the_hub(monkeypatch):
    "Off the ci and cpu scales the default judge is a hub model (JUDGES); the hub is unreachable here, so the tiny model answers for it."
    import hyperfit.preference as pref
    from hyperfit.models import load_model
    asked = []
    monkeypatch.setattr(pref, 'load_model', lambda name, *a, **k: asked.append(name) or load_model('tiny-random'))
    pairs = comparison_pairs(fake_outputs(n=1))
    for scale in ('paper', 'colab'):
        assert judge_pairs(pairs, get_config(scale))['judge'] == pref.JUDGES[scale] == 'HuggingFaceTB/SmolLM2-1.7B-Instruct'
    assert asked == ['HuggingFaceTB/SmolLM2-1.7B-Instruct'] * 2
    assert get_config('paper').n_compare == 100      # the paper's contexts per domain (Sec. 4), TinyLlama's run

def test_judge_refuses_bad_input_in_one_line():
    cfg, pairs = get_config('ci'), comparison_pairs(fake_outputs())
    for call, msg in [(lambda: judge_pairs([], cfg), 'comparison_pairs'), (lambda: judge_pairs(pairs + pairs[:1], cfg), 'pass each pair once'),
                      (lambda: judge_pairs(pairs, cfg, template='{a} or {b}?'), '{context}, {a} and {b}'),
                      (lambda: judge_pairs([dict(pairs[0], system_text='word ' * 400)], cfg), "exceeds the judge's context of 256"),
                      (lambda: judge_records(pairs, made_up_scores(pairs[:3], 1, 1)), 'run judge_pairs on these pairs'),
                      (lambda: judge_records(pairs, made_up_scores(pairs, 1, 1), margin=-1), 'use 0'),
                      (lambda: judge_report([]), 'judge_pairs')]:
        with pytest.raises(ValueError, match=msg) as e: call()
        assert '\n' not in str(e.value)

def test_judge_records_known_answers():
    "Made-up log-odds: always A gives 50% and no consistency; always the system 100% and full consistency; inside the margin, equal."
    pairs = comparison_pairs(fake_outputs(n=2))
    pct = lambda recs: {r['pct'] for r in preference_rates(recs) if r['domain'] == 'all'}
    says_a = judge_records(pairs, made_up_scores(pairs, 2.0, 2.0))
    rep = judge_report(says_a)
    assert (rep['share_A'], rep['share_B'], rep['consistent'], pct(says_a)) == (1.0, 0.0, 0.0, {50.0})
    fan = judge_records(pairs, made_up_scores(pairs, 2.0, -2.0))
    assert (judge_report(fan)['share_A'], judge_report(fan)['consistent'], pct(fan)) == (0.5, 1.0, {100.0})
    critic = judge_records(pairs, made_up_scores(pairs, -2.0, 2.0))
    assert (judge_report(critic)['consistent'], pct(critic)) == (1.0, {0.0})
    tie = JUDGE_MARGIN / 2
    unsure = judge_records(pairs, made_up_scores(pairs, tie, -tie))
    assert {r['choice'] for r in unsure} == {'equal'} and judge_report(unsure)['share_equal'] == 1.0
    assert {r['outcome'] for r in judge_records(pairs, made_up_scores(pairs, tie, -tie), margin=0)} == {'better'}

def test_judge_records_pooled_cancel_a_constant_lean():
    "Pooled: one judgment per pair from (system-as-A minus system-as-B log-odds) / 2, so a lean to A shared by both orders drops out."
    pairs = comparison_pairs(fake_outputs(n=2))
    pct = lambda a, b: {r['pct'] for r in preference_rates(judge_records(pairs, made_up_scores(pairs, a, b), pooled=True)) if r['domain'] == 'all'}
    recs = judge_records(pairs, made_up_scores(pairs, 5.0, 4.0), pooled=True)         # leans to A by 4.5; prefers the system by 0.5
    assert len(recs) == len(pairs) and {(r['model_side'], r['choice'], r['outcome'], r['log_odds']) for r in recs} == {('A', 'A', 'better', 0.5)}
    assert pct(5.0, 5.0) == {100.0} and pct(4.0, 5.0) == {0.0} and pct(5.0 + JUDGE_MARGIN, 5.0) == {100.0}
    assert {r['choice'] for r in judge_records(pairs, made_up_scores(pairs, 5.0, 5.0 - JUDGE_MARGIN), pooled=True)} == {'equal'}

def test_proxy_agreement_known_answer():
    "People: better or equal on pairs 0-9, worse on 10-19; proxy: better on 0-14, worse on 15-19, split on 20 (left out)."
    people = [dict(j, outcome='equal' if j['context_index'] < 10 else 'worse') for j in fake_judged('s', ['x'] * 3, n=21)]
    proxy = [dict(j, annotator=side, outcome='better' if j['context_index'] < 15 or (j['context_index'] == 20 and side == 'A') else 'worse')
             for j in fake_judged('s', ['x'], n=21) for side in 'AB']
    r = proxy_agreement(people, proxy)
    assert (r['pairs'], r['undecided'], r['human_rate'], r['proxy_rate']) == (21, 1, 50.0, 75.0)
    po, pe = 15 / 20, 0.5 * 0.75 + 0.5 * 0.25                       # observed and chance agreement
    assert math.isclose(r['agree'], po) and math.isclose(r['kappa'], (po - pe) / (1 - pe))
    assert r['agree_low'] < po < r['agree_high']
    assert proxy_agreement(people, people)['kappa'] == 1.0
    with pytest.raises(ValueError, match='no pair was judged by both'): proxy_agreement(people, fake_judged('t', ['better']))
    split = [dict(j, outcome='worse' if j['annotator'] == 'ann0' else 'better') for j in fake_judged('s', ['x'] * 2, n=3)]
    with pytest.raises(ValueError, match='has a verdict on both sides'): proxy_agreement(split, proxy)

def test_proxy_table_sets_the_papers_human_numbers_beside():
    pairs = comparison_pairs(fake_outputs(n=2))
    judge_rows = preference_rates(judge_records(pairs, made_up_scores(pairs, 2.0, -2.0)))
    mauve_rows = [dict(scenario='256 tokens', system=s, domain=d, mauve=0.5, low=0.4, high=0.6)
                  for s in SYSTEMS for d in ('wikipedia', 'fiction', 'news', 'all')]
    t = proxy_table({'judge': judge_rows, 'MAUVE x100': mauve_rows})
    assert len(t) == 2 * len(SYSTEMS) and list(t.columns) == ['wikipedia', 'fiction', 'news', 'all', 'people, TinyLlama 1.1B (paper Table 1)']
    assert t.loc[('MAUVE x100 (256 tokens)', 'hyperfitted greedy'), 'news'] == '50.0 [40, 60]'
    assert t.loc[('MAUVE x100 (256 tokens)', 'hyperfitted greedy'), 'people, TinyLlama 1.1B (paper Table 1)'] == 34.4
    assert t.loc[('judge (256 tokens)', 'original greedy'), 'all'].startswith('100.0')
    assert t.loc[('judge (256 tokens)', 'original contrastive'), 'people, TinyLlama 1.1B (paper Table 1)'] == '—'
    with pytest.raises(ValueError, match='use one of TinyLlama 1.1B'): proxy_table({'judge': judge_rows}, paper_model='GPT-5')
    with pytest.raises(ValueError, match='no rows'): proxy_table({'judge': []})

# ---------------------------------------------------------------------------------------------------------------- BLEU (issue 18, item 6)
# Chapter 4's BLEU (hyperfit.citation) against nltk's sentence_bleu with the same smoothing: Chen and Cherry's method 1,
# epsilon 0.1 counts for an n-gram order without matches (nltk's default epsilon is also 0.1).
def _nltk():
    bs = pytest.importorskip('nltk.translate.bleu_score')
    return bs.sentence_bleu, bs.corpus_bleu, bs.SmoothingFunction(epsilon=0.1).method1

def _cases(n:int=3000, seed:int=0):
    rng = random.Random(seed)
    for _ in range(n):
        V = rng.choice([3, 5, 10, 30, 200])
        yield ([rng.randrange(V) for _ in range(rng.randint(0, 40))],
               [[rng.randrange(V) for _ in range(rng.randint(1, 40))] for _ in range(rng.randint(1, 4))])

def test_bleu_equals_nltk_sentence_bleu_when_a_unigram_matches():
    from hyperfit.citation import bleu
    sentence_bleu, corpus_bleu, smooth = _nltk()
    checked = 0
    for hyp, refs in _cases():
        if hyp and not any(t in r for r in refs for t in hyp): continue          # see the next test
        assert math.isclose(bleu(hyp, refs), sentence_bleu(refs, hyp, smoothing_function=smooth), rel_tol=1e-12, abs_tol=1e-15), (hyp, refs)
        assert math.isclose(bleu(hyp, refs), corpus_bleu([refs], [hyp], smoothing_function=smooth), rel_tol=1e-12, abs_tol=1e-15)
        checked += 1
    assert checked > 2500
    words = 'the cat sat on the mat and the dog sat on the log'.split()
    assert math.isclose(bleu(words[:7], [words, words[3:]]), sentence_bleu([words, words[3:]], words[:7], smoothing_function=smooth))

def test_bleu_differs_from_nltk_only_without_any_unigram_match():
    "The one disagreement: nltk returns 0 when no unigram matches; Chapter 4 smooths that order too (0.1 counts), giving a small positive score."
    from hyperfit.citation import bleu
    sentence_bleu, _, smooth = _nltk()
    for hyp, refs in _cases():
        if not hyp or any(t in r for r in refs for t in hyp): continue
        assert sentence_bleu(refs, hyp, smoothing_function=smooth) == 0
        r = min((len(x) for x in refs), key=lambda L: (abs(L - len(hyp)), L))
        bp = 1.0 if len(hyp) > r else math.exp(1 - r / len(hyp))
        totals = [max(len(hyp) - n + 1, 1) for n in range(1, 5)]
        assert math.isclose(bleu(hyp, refs), bp * math.prod((0.1 / t) ** 0.25 for t in totals), rel_tol=1e-12)

def test_self_bleu_and_dataset_bleu_equal_nltk():
    from hyperfit.citation import dataset_bleu, self_bleu
    sentence_bleu, _, smooth = _nltk()
    rng = random.Random(1)
    for _ in range(100):
        texts = [[rng.randrange(20) for _ in range(rng.randint(5, 30))] for _ in range(rng.randint(2, 6))]
        train = [[rng.randrange(20) for _ in range(rng.randint(5, 30))] for _ in range(rng.randint(1, 5))]
        shares = lambda t, refs: any(x in r for r in refs for x in t)
        if not all(shares(t, texts[:i] + texts[i+1:]) and shares(t, train) for i, t in enumerate(texts)): continue   # see the test above
        ref_self = np.mean([sentence_bleu(texts[:i] + texts[i+1:], t, smoothing_function=smooth) for i, t in enumerate(texts)])
        ref_data = np.mean([sentence_bleu(train, t, smoothing_function=smooth) for t in texts])
        assert math.isclose(self_bleu(texts), ref_self, rel_tol=1e-12) and math.isclose(dataset_bleu(texts, train), ref_data, rel_tol=1e-12)
