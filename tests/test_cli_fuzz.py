"""Bad invocations of the CLI, generated from the config's fields so the table grows with every new flag:
each ends with exit code 2 and one line on stderr, never a traceback, and never starts training."""
import shutil, subprocess
from dataclasses import fields
from typing import Literal, get_args, get_origin, get_type_hints

import pytest

from hyperfit.cli import main
from hyperfit.config import HyperfitConfig

def bad_values(kind)->list[str]:
    "Command-line values that a field of type `kind` must refuse."
    if kind is bool: return []                                        # --x / --no-x take no value
    if get_origin(kind) is Literal: return ['nope']
    if kind is int: return ['x', '2.5', '-1']
    if kind is float: return ['x', '-1']
    if kind is tuple: return ['x', '0']
    if kind is str: return ['']                                       # an unset shell variable
    return []

HINTS = get_type_hints(HyperfitConfig)
NAMES = ('model', 'corpus')   # checked where they are used, in a real process below
CASES = [(f.name, v) for f in fields(HyperfitConfig) if f.name not in ('scale', *NAMES) for v in bad_values(HINTS[f.name])]

@pytest.mark.parametrize('name,value', CASES, ids=[f"{n}={v}" for n, v in CASES])
def test_a_bad_value_of_any_flag_is_one_line_and_exit_2(monkeypatch, capsys, name, value):
    def never(*a, **k): raise AssertionError('training started on a bad config')
    monkeypatch.setattr('hyperfit.cli.run_experiment', never)
    code = main(['train', '--scale', 'ci', f"--{name.replace('_', '-')}", value])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith('hyperfit: error: ') and err.count('\n') == 1 and 'Traceback' not in err, err

def test_the_table_covers_every_typed_flag():
    covered = {n for n, _ in CASES}
    switches = {f.name for f in fields(HyperfitConfig) if HINTS[f.name] is bool}   # --x / --no-x: nothing to get wrong
    assert covered == {f.name for f in fields(HyperfitConfig)} - switches - {'scale', *NAMES}

@pytest.mark.parametrize('argv', [
    ['train', '--scale', 'ci', '--corpus', ''],                      # an unset shell variable
    ['train', '--scale', 'ci', '--corpus', '/no/such/folder'],
    ['train', '--scale', 'ci', '--model', 'not a model'],
    ['generate', '--prompt', 'Hi', '--model', 'tiny-random', '--max-new-tokens', '400'],
    ['nonsense'],
    [],
    ['generate', '--model', 'tiny-random', '--prompt', b'caf\xff'],   # bytes that are not UTF-8
])
def test_bad_invocations_in_a_real_process(argv):
    r = subprocess.run([shutil.which('hyperfit'), *argv], capture_output=True, text=True, timeout=300, errors='replace')
    assert r.returncode == 2 and r.stderr.startswith('hyperfit: error: ') and r.stderr.count('\n') == 1, r.stderr
    assert 'Traceback' not in r.stderr

def test_ctrl_c_exits_130(monkeypatch):
    def interrupted(*a, **k): raise KeyboardInterrupt
    monkeypatch.setattr('hyperfit.cli.run_experiment', interrupted)
    assert main(['train', '--scale', 'ci']) == 130

def test_an_unwritable_out_is_refused_before_training(monkeypatch, tmp_path, capsys):
    def never(*a, **k): raise AssertionError('training started')
    monkeypatch.setattr('hyperfit.cli.run_experiment', never)
    (tmp_path/'file').write_text('x')
    assert main(['train', '--scale', 'ci', '--out', str(tmp_path/'file')]) == 2
    assert 'give --out a writable folder' in capsys.readouterr().err

def test_the_demo_says_when_it_ignores_hyperfit_scale(monkeypatch, tmp_path, capsys):
    def stop(*a, **k): raise ValueError('stop here')
    monkeypatch.setattr('hyperfit.cli.run_experiment', stop)
    assert main(['demo', '--out', str(tmp_path)]) == 2                 # conftest sets HYPERFIT_SCALE=ci
    assert "HYPERFIT_SCALE=ci is ignored: pass --scale ci to use it" in capsys.readouterr().out

def test_a_run_too_big_for_the_gpu_is_refused_before_loading(monkeypatch, tmp_path, capsys):
    "A pretend free Colab T4 (15 GB) and the paper's TinyLlama run: one line naming the flags that would fit, exit 2."
    from unittest import mock
    def never(*a, **k): raise AssertionError('training started')
    monkeypatch.setattr('hyperfit.cli.run_experiment', never)
    monkeypatch.setattr('torch.cuda.is_available', lambda: True)
    monkeypatch.setattr('torch.cuda.get_device_name', lambda i=0: 'Tesla T4')
    monkeypatch.setattr('torch.cuda.get_device_properties', lambda i=0: mock.Mock(total_memory=15.8e9))   # what a T4 reports
    assert main(['train', '--scale', 'paper', '--out', str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith('hyperfit: error: TinyLlama/TinyLlama_v1.1 needs ~') and 'the T4 has 15 GB: add --' in err and err.count('\n') == 1, err


def test_a_model_the_planner_cannot_size_gets_no_estimate_not_a_traceback(tmp_path):
    from transformers import GPT2Config, T5Config
    from hyperfit.cli import _preflight
    from hyperfit.config import get_config
    GPT2Config(n_layer=2, n_embd=32, n_head=2).save_pretrained(tmp_path/'gpt2')   # not a Llama: sized all the same
    assert _preflight(get_config('ci', model=str(tmp_path/'gpt2'))).startswith('estimate: ~')
    T5Config(num_layers=2, d_model=32, num_heads=2).save_pretrained(tmp_path/'t5')  # no causal LM: the planner has no shape for it
    assert _preflight(get_config('ci', model=str(tmp_path/'t5'))).startswith('(no estimate: ')
