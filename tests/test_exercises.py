"""The exercises (nbs/96_exercises.ipynb): every reference solution runs at the ci scale, and every checker gives a verdict,
never an exception, accepting a result that shows its effect and rejecting one that does not.

At the ci scale the tiny random model cannot show the effects the chapters teach. So a checker is tested on its own ci
reference result only where that result means something at any scale (`MEANINGFUL_AT_CI`, each with the reason). Everywhere
else it is tested on SYNTHETIC results: the ci reference result with its numbers overwritten by the ones the paper predicts
(to accept) or by the opposite (to reject). A synthetic result is a test input, never a measurement."""
import copy

import pytest

import hyperfit.exercises as ex
from hyperfit.exercises import EXERCISES, Check

pytestmark = pytest.mark.xdist_group('exercises')   # one worker: its module-scoped fixtures are built once

NAMES = [e.name for e in EXERCISES]

MEANINGFUL_AT_CI = {   # exercise -> why its ci reference result is a real instance of the effect
    'ttr_window': "a random model's greedy continuations loop, and the human continuations are real text",
    'greedy_temperature': "dividing logits by a temperature never reorders them, for any model",
    'blocker_n': "the blocker's bound on the overlap holds for any model and any training data",
    'double_descent_n': "the same least-squares fit as at the cpu scale, with fewer random draws",
}

@pytest.fixture(scope='module')
def refs():
    "Every reference solution at the ci scale, once (the shared exercise run is trained by the first that needs it), on one thread."
    import torch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)      # the ci models are tiny: one thread is as fast, and a busy machine does not slow it tenfold
    try: yield {n: getattr(ex, f'solve_{n}')('ci') for n in NAMES}
    finally: torch.set_num_threads(threads)

def check(name): return getattr(ex, f'check_{name}')

# SYNTHETIC results: the ci reference's shape, with numbers made up to show the effect (good) or its absence (bad).
def _ttr_window(r, good):
    r = copy.deepcopy(r)
    if not good: r['greedy'] = copy.deepcopy(r['human'])                                  # greedy as varied as human text
    return r

def _top_p_temperature(r, good):
    r, (lo, hi) = copy.deepcopy(r), (f"T={min(r['temperatures']):g}", f"T={max(r['temperatures']):g}")
    k = len(r['ttr'][lo])
    r['ttr'][lo], r['ttr'][hi] = [0.3] * k, [0.7 if good else 0.3] * k
    return r

def _ends(ttr0, ttr1, val1, train1, ep):
    return dict(epoch=[0, ep], train_loss=[3.6, train1], val_loss=[3.5, val1], ttr=[ttr0, ttr1], ttrs=[[ttr0] * 4, [ttr1] * 4])

def _early_stop(r, good):
    return {**r, 'short': _ends(0.1, 0.17 if good else 0.45, 3.2, 3.0, 2), 'full': _ends(0.1, 0.5, 5.7, 0.06, 20)}

def _low_lr(r, good):
    return {**r, 'base': _ends(0.1, 0.45, 5.0, 0.2, 20), 'low': _ends(0.1, 0.13, 3.4, 2.9, 20) if good else _ends(0.1, 0.42, 5.0, 0.3, 20)}

def _greedy_temperature(r, good):
    r = copy.deepcopy(r)
    if not good: r['differ'] = {t: 17 for t in r['differ']}                               # as if sampled
    return r

def _data_order(r, good):
    o = r['order']
    return {**r, 'shares': {'original vs run A': 0.6, f'original vs run B (order {o})': 0.59,
                            f'run A vs run B (order {o})': 0.11 if good else 0.6}}

def _fewer_than_batch(r, good):
    return {**r, 'base': _ends(0.1, 0.5, 5.0, 0.1, 20), 'small': _ends(0.1, 0.3 if good else 0.5, 5.0, 0.01, 80)}

def _blocker_n(r, good):
    r = copy.deepcopy(r)
    if not good: r['runs'][f"n={min(r['ns'])}"]['overlaps'][0] = min(r['ns']) + 3      # a copy longer than n
    return r

def _training_prompts(r, good):
    r, n = copy.deepcopy(r), r['n']
    k = len(r['runs']['training prompts']['overlaps'])
    r['runs']['held-out prompts']['overlaps'] = [4] * k
    r['runs']['training prompts']['overlaps'] = [90 if good else 5] * k
    r['runs'][f'training prompts, blocker n={n}']['overlaps'] = [n] * k
    return r

def _image_sampling(r, good):
    return {**r, 'real': dict(stripes=0.01, colour_ttr=0.13), 'greedy': dict(stripes=0.7, colour_ttr=0.02),
            'sampled': dict(stripes=0.02 if good else 0.65, colour_ttr=0.2)}

def _image_early_stop(r, good):
    last = dict(train_loss=1.19, val_loss=2.68, stripes=0.34, colour_ttr=0.05) if good else dict(train_loss=0.2, val_loss=5.6, stripes=0.013, colour_ttr=0.14)
    return {**r, 'first': dict(train_loss=1.85, val_loss=1.92, stripes=0.71, colour_ttr=0.02), 'last': last,
            'real': dict(stripes=0.011, colour_ttr=0.13)}

def _double_descent_n(r, good):
    return {**r, 'peak': r['n'] if good else 2 * r['n']}

def _grok_data(r, good):
    return {**r, 'val_95': 1500 if good else None, 'final_val_acc': 1.0 if good else 0.5}

def _judge_margin(r, good):
    r, (wide, narrow) = copy.deepcopy(r), (str(max(r['margins'])), str(min(r['margins'])))
    for s in r['not_worse'][wide]:
        hyp = s == 'hyperfitted greedy'
        r['not_worse'][wide][s] = [1.0] * (10 if hyp else 9) + [0.0] * (0 if hyp else 1)
        r['not_worse'][narrow][s] = [1.0] * (6 if hyp else 2) + [0.0] * (4 if hyp else 8) if good else r['not_worse'][wide][s]
    return r

def _mauve_texts(r, good):
    r = copy.deepcopy(r)
    for k, (orig, hyp) in {'all': (0.5, 0.9), 'few': (0.98, 0.9) if good else (0.5, 0.9)}.items():
        r[k]['original greedy']['mauve'], r[k]['hyperfitted greedy']['mauve'] = orig, hyp
    return r

def _judge_question(r, good):
    r = copy.deepcopy(r)
    for k, v in r['reports'].items(): v.update(share_A=1.0 if good or k != 'the other' else 0.5, share_equal=0.0)
    return r

SYNTHETIC = {n: globals()[f'_{n}'] for n in NAMES}

def test_every_exercise_has_a_solution_a_checker_and_a_synthetic_case():
    assert set(SYNTHETIC) == set(NAMES) and set(MEANINGFUL_AT_CI) <= set(NAMES)
    table = ex.exercise_table()
    assert all(f'solve_{n}, check_{n}' in table for n in NAMES)

@pytest.mark.parametrize('name', NAMES)
def test_the_reference_solution_runs_at_ci_and_gets_a_verdict(refs, name):
    "Whatever the tiny model does, the checker reads the reference result and says something, naming its tolerance."
    v = check(name)(refs[name])
    assert isinstance(v, Check) and v.name == name and 'Tolerance' in v.message
    assert name not in MEANINGFUL_AT_CI or v.ok, f"{name}: the ci reference should show the effect ({MEANINGFUL_AT_CI[name]}):\n{v}"

@pytest.mark.parametrize('name', NAMES)
def test_the_checker_accepts_a_result_with_the_effect(refs, name):
    "The ci reference result where it is meaningful (MEANINGFUL_AT_CI), else a SYNTHETIC result shaped like it."
    res = refs[name] if name in MEANINGFUL_AT_CI else SYNTHETIC[name](refs[name], good=True)
    assert check(name)(res), f"{name} rejected a result with the effect:\n{check(name)(res)}"

@pytest.mark.parametrize('name', NAMES)
def test_the_checker_rejects_a_clearly_wrong_result(refs, name):
    "A SYNTHETIC result shaped like the ci reference, with the opposite of the expected effect."
    v = check(name)(SYNTHETIC[name](refs[name], good=False))
    assert not v and v.message, f"{name} accepted a result without the effect:\n{v}"

@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('junk', [None, {}, {'x': 1}, 'a result', [1, 2]])
def test_a_checker_never_raises(name, junk):
    v = check(name)(junk)
    assert isinstance(v, Check) and not v.ok and f'solve_{name}' in v.message

@pytest.mark.parametrize('name', NAMES)
def test_a_checker_reads_a_half_broken_result_without_raising(refs, name):
    "Every key present but the insides wrong: still a verdict, not an exception."
    broken = {k: None for k in refs[name]}
    v = check(name)(broken)
    assert isinstance(v, Check) and not v.ok

def test_solutions_are_cached(refs):
    "A second call reads the stored result: the chapters re-render in seconds once a result is stored."
    assert ex.solve_ttr_window('ci') == refs['ttr_window']
    assert ex.solve_greedy_temperature('ci') == refs['greedy_temperature']

def _tool(path):
    "A tool script imported as a module."
    import importlib.util
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def test_every_chapter_carries_its_current_exercises_block():
    "The Exercises block of each chapter is what gen_cells makes from questions.py and EXERCISES today (insert.py --check)."
    import json, sys
    from pathlib import Path
    tools = Path(__file__).resolve().parents[1]/'tools'/'exercise_cells'
    sys.path.insert(0, str(tools))                     # gen_cells imports questions.py from its own folder
    try: gen, ins = _tool(tools/'gen_cells.py'), _tool(tools/'insert.py')
    finally: sys.path.remove(str(tools))
    assert set(gen.QUESTIONS) >= set(ex.CHAPTERS)
    for stem in gen.QUESTIONS:
        stored = json.loads((tools/f'{stem}.json').read_text())
        assert stored == gen.cells(stem), f"{stem}.json is stale: run python tools/exercise_cells/gen_cells.py"
        assert ins.insert(stem, check=True).endswith('up to date'), f"{stem}: run python tools/exercise_cells/insert.py"
