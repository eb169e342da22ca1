"The trainer keeps finished work: Ctrl-C, resume, NaN; the CLI's train job end to end at the ci scale."
import json, shutil, subprocess

import pytest
import torch

from hyperfit.config import get_config, result_path
from hyperfit.corpora import hyperfit_data
from hyperfit.models import load_model, model_context
from hyperfit.training import Callback, lm_stats, train

CI = get_config('ci', epochs=3)

def fresh():
    model, tok = load_model('tiny-random')
    return model, tok, hyperfit_data(CI, tok, model_context(model))

class CtrlC(Callback):
    "Press Ctrl-C in the middle of the second epoch."
    def on_step_end(self, run, loss):
        if run.epoch == 1 and run.step == 6: raise KeyboardInterrupt

def test_ctrl_c_keeps_finished_epochs_and_resume_completes(tmp_path, capsys):
    model, tok, data = fresh()
    hist = train(model, tok, data, CI, folder=tmp_path, callbacks=[CtrlC()], progress=False)
    assert [h['epoch'] for h in hist] == [0, 1]
    assert 'interrupted after epoch 1' in capsys.readouterr().out
    saved = json.loads((tmp_path/'results.json').read_text())['history']
    assert [h['epoch'] for h in saved] == [0, 1]
    model, tok, data = fresh()
    resumed = train(model, tok, data, CI, folder=tmp_path, progress=False)
    model, tok, data = fresh()
    straight = train(model, tok, data, CI, progress=False)
    assert [h['epoch'] for h in resumed] == [0, 1, 2, 3]
    assert resumed[-1]['train_loss'] == pytest.approx(straight[-1]['train_loss'], abs=1e-5)

def test_training_loss_goes_to_near_zero():
    model, tok, data = fresh()
    hist = train(model, tok, data, get_config('ci', epochs=40, eval_every=40, lr=1e-2), progress=False)
    assert hist[0]['train_loss'] > 6 and hist[-1]['train_loss'] < 1.0
    assert hist[-1]['val_loss'] > hist[0]['val_loss']   # memorising 16 sequences makes held-out text less likely

def test_nan_loss_stops_with_a_message():
    model, tok, data = fresh()
    with pytest.raises(FloatingPointError, match=r"training loss is nan at epoch 1, step 1: lower the learning rate"):
        with torch.no_grad(): model.lm_head.weight.fill_(float('nan'))
        train(model, tok, data, CI, progress=False)

def test_cli_train_end_to_end(tmp_path):
    exe = shutil.which('hyperfit')
    r = subprocess.run([exe, 'train', '--scale', 'ci', '--out', str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert 'greedy continuation, before' in r.stdout and 'greedy TTR' in r.stdout
    assert result_path('hyperfit', get_config('ci'), tmp_path).exists()
    assert result_path('hyperfit', get_config('ci'), tmp_path).with_suffix('.png').exists()
    again = subprocess.run([exe, 'train', '--scale', 'ci', '--out', str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert 'the finished result is cached' in again.stdout

def test_cli_demo_defaults_to_the_offline_cpu_scale():
    r = subprocess.run([shutil.which('hyperfit'), 'demo', '--help'], capture_output=True, text=True)
    assert r.returncode == 0 and '--corpus' in r.stdout
    from hyperfit.cli import _parser
    a = _parser().parse_args(['demo'])
    assert (a.scale, a.eval_every, str(a.out)) == ('cpu', 4, 'hyperfit-demo')
