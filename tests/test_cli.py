"The `train` and `demo` flags are generated from `HyperfitConfig`: one per field, typed, its comment and default as help."
import re
from dataclasses import dataclass, fields
from typing import Literal

import pytest

from hyperfit.cli import _config_flags, _parser, _Parser, main
from hyperfit.config import HyperfitConfig, default_scale, get_config

OWN = {'help', 'recipe', 'out', 'force', 'save_model'}   # the subcommands' flags that are not config fields

def subcommand(name, argv=()): return _parser(argv)._subparsers._group_actions[0].choices[name]

def option_help(text, flag):
    "The help of `flag` in `--help` output: its line and the indented lines that continue it, whitespace joined."
    m = re.search(rf"^  {re.escape(flag)}[ ,].*(?:\n {{3,}}\S.*)*", text, re.M)
    assert m, f"{flag} not in help"
    return ' '.join(m.group(0).split())

def shown(v): return ' '.join(map(str, v)) if isinstance(v, tuple) else str(v)

@pytest.mark.parametrize('command', ['train', 'demo'])
def test_one_flag_per_config_field(command):
    assert {a.dest for a in subcommand(command)._actions} - OWN == {f.name for f in fields(HyperfitConfig)}

@pytest.mark.parametrize('argv,cfg', [
    (['train', '--scale', 'cpu', '--help'], get_config('cpu')),
    (['train', '--help'], get_config(default_scale())),                       # conftest: HYPERFIT_SCALE=ci
    (['demo', '--help'], get_config('cpu', eval_every=4)),
    (['train', '--help', '--scale', 'paper', '--recipe', 'authors'], get_config('paper', 'authors')),
])
def test_help_shows_every_field_with_the_chosen_scales_default(capsys, argv, cfg):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"scale {cfg.scale}, recipe" in ' '.join(out.split())
    for f in fields(HyperfitConfig):
        if f.name != 'scale': assert f"(default: {shown(getattr(cfg, f.name))})" in option_help(out, '--' + f.name.replace('_', '-')), f.name
    assert 'deletes every checkpoint of this training' in option_help(out, '--force')

def test_help_shows_the_field_comments(capsys):
    main(['train', '--help'])
    out = capsys.readouterr().out
    assert option_help(out, '--n-train').startswith('--n-train N_TRAIN training sequences (default: ')
    assert option_help(out, '--bf16').startswith('--bf16, --no-bf16 bf16 autocast; the authors train in fp32')

def test_flags_parse_to_the_fields_types():
    p = subcommand('train')
    assert vars(p.parse_args([]))['bf16'] is None                               # not given: the preset decides
    assert p.parse_args(['--no-bf16']).bf16 is False and p.parse_args(['--bf16']).bf16 is True
    a = p.parse_args(['--sizes', '4', '8', '--lr', '2e-5', '--weight-decay', '0.1', '--n-train', '3'])
    assert (a.sizes, a.lr, a.weight_decay, a.n_train) == ((4, 8), 2e-5, 0.1, 3)

def test_given_flags_and_only_they_reach_the_config(monkeypatch, capsys):
    seen = []
    def run(cfg, out, force): seen.append((cfg, force)); raise ValueError('stop here')
    monkeypatch.setattr('hyperfit.cli.run_experiment', run)
    assert main(['train', '--scale', 'ci', '--recipe', 'authors', '--no-bf16', '--sizes', '4', '8', '--lr', '0.5', '--force']) == 2
    assert seen[-1] == (get_config('ci', 'authors', bf16=False, sizes=(4, 8), lr=0.5), True)
    assert main(['demo', '--scale', 'ci']) == 2
    assert seen[-1] == (get_config('ci', eval_every=4), False)
    assert capsys.readouterr().err == 'hyperfit: error: stop here\n' * 2

@pytest.mark.parametrize('argv,msg', [
    (['train', '--n-train', 'many'], "argument --n-train: invalid int value: 'many': see `hyperfit train --help`"),
    (['train', '--sizes'], "argument --sizes: expected at least one argument"),
    (['train', '--scale', 'huge'], "argument --scale: invalid choice: 'huge'"),
    (['demo', '--recipe', 'mine'], "argument --recipe: invalid choice: 'mine'"),
    (['train', '--learning-rate', '1'], "unrecognized arguments: --learning-rate 1"),
    (['train', '--scale', 'ci', '--n-train', '0'], "n_train=0 must be at least 1"),
    (['train', '--scale', 'ci', '--optimizer', 'sgd'], "argument --optimizer: invalid choice: 'sgd'"),
    (['train', '--scale', 'ci', '--ttr-last', '99'], "ttr_last=99 exceeds new_tokens=24"),
])
def test_bad_values_end_in_one_line_and_exit_2(capsys, argv, msg):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith('hyperfit: error: ') and msg in err and err.count('\n') == 1, err

def test_bad_scale_in_the_environment_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv('HYPERFIT_SCALE', 'huge')
    assert main(['train', '--help']) == 2
    assert capsys.readouterr().err == "hyperfit: error: HYPERFIT_SCALE='huge' is not a scale: use one of ci, cpu, paper\n"

@dataclass(frozen=True)
class Toy:
    "A config with the field types `HyperfitConfig` may grow."
    opt:Literal['adam', 'sgd']='adam'  # update rule
    widths:tuple[float, ...]=(0.5,)    # layer widths

def test_literal_fields_list_their_choices(capsys):
    p = _Parser(prog='hyperfit toy'); _config_flags(p, Toy(widths=(1.0, 2.0)))
    assert p.parse_args(['--opt', 'sgd', '--widths', '3']).__dict__ == dict(opt='sgd', widths=(3.0,))
    help = p.format_help()
    assert option_help(help, '--opt') == '--opt {adam,sgd} update rule (default: adam)'
    assert option_help(help, '--widths') == '--widths WIDTHS [WIDTHS ...] layer widths (default: 1.0 2.0)'
    with pytest.raises(SystemExit): p.parse_args(['--opt', 'rmsprop'])
    assert "argument --opt: invalid choice: 'rmsprop'" in capsys.readouterr().err
