"The trainer keeps finished work: Ctrl-C, resume, NaN; the CLI's train job end to end at the ci scale."
import json, shutil, subprocess

import pytest
import torch

from dataclasses import replace

from hyperfit.config import get_config, runs_dir
from hyperfit.corpora import hyperfit_data
from hyperfit.models import load_model, model_context
from hyperfit.training import (Callback, experiment_data, hyperfitted_model, lm_stats, load_checkpoint, results_file,
                               run_experiment, run_folder, train)

CI = get_config('ci', epochs=3, checkpoint_minutes=0)   # a checkpoint every epoch: these tests interrupt between them

def fresh():
    model, tok = load_model('tiny-random')
    return model, tok, hyperfit_data(CI, tok, model_context(model))

class CtrlC(Callback):
    "Press Ctrl-C in the middle of the second epoch."
    def on_step_end(self, run, loss):
        if run.epoch == 1 and run.step == 6: raise KeyboardInterrupt

def test_ctrl_c_keeps_finished_epochs_and_resume_completes(tmp_path, capsys):
    model, tok, data = fresh()
    with pytest.raises(KeyboardInterrupt):    # raised again after saying what was kept, so a script or the CLI stops
        train(model, tok, data, CI, folder=tmp_path, callbacks=[CtrlC()], progress=False)
    assert f"interrupted during epoch 2: 1 finished epoch(s) kept in {tmp_path}; run again to resume" in capsys.readouterr().err
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
    assert len(list(tmp_path.glob('hyperfit-ci-*.json'))) == 1 and len(list(tmp_path.glob('hyperfit-ci-*.png'))) == 1
    again = subprocess.run([exe, 'train', '--scale', 'ci', '--out', str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert 'the finished result is cached' in again.stdout
    from transformers import AutoModelForCausalLM
    from hyperfit.models import continue_prompts
    plain = AutoModelForCausalLM.from_pretrained(tmp_path/'model')     # the saved model, read by plain transformers
    ours, tok = hyperfitted_model(get_config('ci'), progress=False)
    greedy = lambda m: continue_prompts(m, tok, ['Once upon a time'], max_new_tokens=16, progress=False).ids
    assert greedy(plain) == greedy(ours)
    gen = subprocess.run([exe, 'generate', '--model', str(tmp_path/'model'), '--prompt', 'Once upon a time', '--max-new-tokens', '8'],
                         capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0 and gen.stdout.startswith('Once upon a time'), gen.stderr

def test_cli_demo_defaults_to_the_offline_cpu_scale():
    r = subprocess.run([shutil.which('hyperfit'), 'demo', '--help'], capture_output=True, text=True)
    assert r.returncode == 0 and '--corpus' in r.stdout
    from hyperfit.cli import _parser
    a = _parser().parse_args(['demo'])
    assert (a.scale, a.eval_every, str(a.out)) == ('cpu', 4, 'hyperfit-demo')


class FirstStep(Callback):
    "Remember the step a run starts from."
    def on_train_begin(self, run): self.step = run.step

def test_force_retrains_from_step_zero_and_rewrites_the_checkpoint():
    cfg = get_config('ci', seed=11)
    run_experiment(cfg, progress=False)
    ck, = run_folder(cfg, experiment_data(cfg)[1]).glob('*/checkpoint.pt')
    before = ck.stat().st_mtime_ns
    first = FirstStep()
    res = run_experiment(cfg, force=True, progress=False, callbacks=[first])
    assert first.step == 0 and res['cached'] is False and res['history'][-1]['epoch'] == cfg.epochs
    now, = run_folder(cfg, experiment_data(cfg)[1]).glob('*/checkpoint.pt')   # the old checkpoint is gone, a new one written
    assert now.stat().st_mtime_ns != before

def test_weights_are_keyed_by_training_fields_only():
    cfg = get_config('ci', seed=12)
    m1, _ = hyperfitted_model(cfg, progress=False)
    folders = set(runs_dir().iterdir())
    m2, _ = hyperfitted_model(replace(cfg, n_val=2, n_prompts=2, new_tokens=20, eval_every=2), progress=False)
    assert set(runs_dir().iterdir()) == folders                       # evaluation settings: the same weights, no training
    assert torch.equal(m1.lm_head.weight, m2.lm_head.weight)
    m3, _ = hyperfitted_model(replace(cfg, lr=2e-3), progress=False)  # a training setting: a run of its own
    assert len(set(runs_dir().iterdir()) - folders) == 1
    assert not torch.equal(m1.lm_head.weight, m3.lm_head.weight)

def test_a_checkpoint_of_another_config_is_refused(tmp_path):
    model, tok, data = fresh()
    train(model, tok, data, CI, folder=tmp_path, progress=False)
    model, tok, data = fresh()
    with pytest.raises(ValueError, match=r"checkpoint.pt holds another run .*: use another folder, or delete this one to start over"):
        train(model, tok, data, get_config('ci', epochs=3, lr=2e-3), folder=tmp_path, progress=False)

def test_an_edited_corpus_is_trained_on_afresh(tmp_path):
    docs = tmp_path/'docs'; docs.mkdir()
    text = lambda i, w: ' '.join(f"{w}{j % 37} story {i} line {j}." for j in range(120))
    for i in range(8): (docs/f'{i}.txt').write_text(text(i, 'word'))
    cfg = get_config('ci', corpus=str(docs), seed=13)
    a = run_experiment(cfg, progress=False)
    assert run_experiment(cfg, progress=False)['cached']
    for i in range(8): (docs/f'{i}.txt').write_text(text(i, 'other'))   # same name, new content
    b = run_experiment(cfg, progress=False)
    assert not b['cached'] and b['path'] != a['path'] and b['train_key'] != a['train_key']
    assert b['history'][0]['val_loss'] != a['history'][0]['val_loss']


class CtrlCFirst(Callback):
    "Press Ctrl-C during the first evaluation, before anything is finished."
    def on_train_begin(self, run): raise KeyboardInterrupt

def test_ctrl_c_before_any_epoch_says_nothing_was_kept(tmp_path, capsys):
    model, tok, data = fresh()
    with pytest.raises(KeyboardInterrupt):
        train(model, tok, data, CI, folder=tmp_path/'run', callbacks=[CtrlCFirst()], progress=False)
    assert 'interrupted during epoch 1: nothing was saved yet, nothing is kept' in capsys.readouterr().err

def test_a_planted_checkpoint_cannot_run_code(tmp_path):
    "A pickle that would run code on load is refused by `weights_only` loading (issue 14, item 5)."
    class Payload:
        def __reduce__(self): return (exec, ("open(%r, 'w').write('ran')" % str(tmp_path/'pwned'),))
    (tmp_path/'run').mkdir()
    torch.save({'model': Payload()}, tmp_path/'run'/'checkpoint.pt')
    model, tok, data = fresh()
    with pytest.raises(ValueError, match="is not a readable checkpoint"):
        train(model, tok, data, CI, folder=tmp_path/'run', progress=False)
    assert not (tmp_path/'pwned').exists()

def test_a_corrupt_checkpoint_is_named_and_force_recovers(tmp_path):
    cfg = get_config('ci', seed=14)
    _, data = experiment_data(cfg)
    folder = run_folder(cfg, data)/results_file(cfg, data).stem; folder.mkdir(parents=True)
    (folder/'checkpoint.pt').write_bytes(b'')                      # e.g. a full disk
    with pytest.raises(ValueError, match=f"{folder}/checkpoint.pt is not a readable checkpoint .*force=True"):
        run_experiment(cfg, progress=False)
    assert run_experiment(cfg, force=True, progress=False)['history'][-1]['epoch'] == cfg.epochs

def test_a_full_disk_is_a_one_line_error_that_says_what_to_do(tmp_path, monkeypatch):
    def full(*a, **k): raise OSError(28, 'No space left on device')
    monkeypatch.setattr(torch, 'save', full)
    model, tok, data = fresh()
    with pytest.raises(OSError, match=r"could not write the checkpoint to .* \(No space left on device\): free some disk space or set HYPERFIT_RUNS"):
        train(model, tok, data, CI, folder=tmp_path, progress=False)
    assert not list(tmp_path.glob('*.tmp')) and not (tmp_path/'checkpoint.pt').exists()   # no half-written file


def test_measuring_differently_never_retrains_over_a_finished_run():
    cfg = get_config('ci', seed=15, epochs=3)
    first = run_experiment(cfg, progress=False)
    ck, = run_folder(cfg, experiment_data(cfg)[1]).glob('*/checkpoint.pt')
    stamp = ck.stat().st_mtime_ns
    ends = run_experiment(replace(cfg, eval_every=3, n_prompts=2), progress=False)   # before and after only: reuse
    assert ends.get('reused') and [h['epoch'] for h in ends['history']] == [0, 3]
    assert ends['history'][-1]['train_loss'] == first['history'][-1]['train_loss']      # the same training, not a new one
    assert ends['history'][0]['val_loss'] == pytest.approx(first['history'][0]['val_loss'])
    model, _ = hyperfitted_model(cfg, progress=False)
    assert ends['history'][-1]['val_loss'] == pytest.approx(lm_stats(model, experiment_data(cfg)[1].val, cfg.batch_size)['loss'])
    every = run_experiment(replace(cfg, n_prompts=2), progress=False)                    # every epoch on other prompts: trains beside
    assert [h['epoch'] for h in every['history']] == [0, 1, 2, 3]
    assert ck.exists() and ck.stat().st_mtime_ns == stamp                                # the first run's checkpoint untouched
    assert len(list(run_folder(cfg, experiment_data(cfg)[1]).glob('*/checkpoint.pt'))) == 2

def test_results_with_callbacks_are_kept_apart():
    cfg = get_config('ci', seed=16)
    class Extra(Callback):
        def on_evaluate(self, run, record): record['extra'] = 1
    plain = run_experiment(cfg, progress=False)
    extra = run_experiment(cfg, progress=False, callbacks=[Extra()])
    assert not extra['cached'] and extra['path'] != plain['path'] and extra['history'][-1]['extra'] == 1
    assert run_experiment(cfg, progress=False, callbacks=[Extra()])['cached']

def test_numpy_numbers_in_records_do_not_make_a_checkpoint_unloadable(tmp_path):
    import numpy as np
    class NumpyRecord(Callback):
        def on_evaluate(self, run, record): record['np'] = np.float64(0.5)
    model, tok, data = fresh()
    train(model, tok, data, CI, folder=tmp_path, callbacks=[NumpyRecord()], progress=False)
    assert load_checkpoint(tmp_path/'checkpoint.pt')['history'][-1]['np'] == 0.5

def test_callback_settings_enter_the_results_key():
    from hyperfit.paradox import TopKProbe
    cfg = get_config('ci', seed=17)
    a = run_experiment(cfg, progress=False, callbacks=[TopKProbe(n=4)])
    b = run_experiment(cfg, progress=False, callbacks=[TopKProbe(n=6)])
    assert not b['cached'] and a['path'] != b['path'] and len(b['history'][-1]['probe']['rows']) == 6

def test_a_reused_run_records_its_order():
    cfg = get_config('ci', seed=18, epochs=2)
    run_experiment(cfg, progress=False, order=3)
    reused = run_experiment(replace(cfg, eval_every=2, n_prompts=2), progress=False, order=3)
    assert reused.get('reused') and json.loads(open(reused['path']).read())['order'] == 3

def test_a_finished_run_without_optimiser_state_cannot_be_extended(tmp_path):
    from hyperfit.training import fit, make_optimizer
    model, tok, data = fresh()
    fit(model, data.train, make_optimizer(model, CI), 2, 4, folder=tmp_path, key='k', progress=False)
    model, tok, data = fresh()
    with pytest.raises(ValueError, match="without its optimiser state, so it cannot train on: finish runs with keep_optimizer=True"):
        fit(model, data.train, make_optimizer(model, CI), 3, 4, folder=tmp_path, key='k', progress=False)


def test_weights_of_a_run_with_recording_callbacks_are_reused():
    from hyperfit.paradox import TopKProbe
    cfg = get_config('ci', seed=19)
    run_experiment(cfg, progress=False, callbacks=[TopKProbe(n=4)])
    folders = set(runs_dir().rglob('checkpoint.pt'))
    hyperfitted_model(cfg, progress=False)                              # TopKProbe only records: its weights serve
    assert set(runs_dir().rglob('checkpoint.pt')) == folders


def test_checkpoints_are_written_at_most_every_n_minutes_and_at_the_end(tmp_path, monkeypatch, caplog):
    writes = []
    real = torch.save
    monkeypatch.setattr(torch, 'save', lambda obj, f, *a, **k: (writes.append(obj['epoch']), real(obj, f, *a, **k)))
    model, tok, data = fresh()
    with caplog.at_level('INFO', logger='hyperfit'):
        train(model, tok, data, replace(CI, checkpoint_minutes=10), folder=tmp_path, progress=False)
    assert writes == [3]                                             # three epochs in seconds: only the final one is saved
    assert 'checkpoint of epoch 3: ' in caplog.text and ' GB in ' in caplog.text   # its size is said
    writes.clear(); shutil.rmtree(tmp_path); model, tok, data = fresh()
    train(model, tok, data, replace(CI, checkpoint_minutes=0), folder=tmp_path, progress=False)
    assert writes == [1, 2, 3]

def test_a_checkpoint_is_written_once_the_interval_has_passed(tmp_path, monkeypatch):
    clock = iter(range(0, 10**6, 360))                               # every look at the clock: 6 more minutes
    monkeypatch.setattr('hyperfit.training.time.monotonic', lambda: next(clock))
    writes, real = [], torch.save
    monkeypatch.setattr(torch, 'save', lambda obj, f, *a, **k: (writes.append(obj['epoch']), real(obj, f, *a, **k)))
    model, tok, data = fresh()
    train(model, tok, data, replace(CI, checkpoint_minutes=10), folder=tmp_path, progress=False)
    assert writes == [2, 3]                                          # 6 minutes: not yet; 12: saved; the last: always

def test_ctrl_c_before_the_first_timed_checkpoint_keeps_nothing(tmp_path, capsys):
    model, tok, data = fresh()
    with pytest.raises(KeyboardInterrupt):
        train(model, tok, data, replace(CI, checkpoint_minutes=10), folder=tmp_path, callbacks=[CtrlC()], progress=False)
    assert "interrupted during epoch 2: nothing was saved yet, nothing is kept" in capsys.readouterr().err

def test_keep_optimizer_keeps_the_final_optimiser_state(tmp_path):
    model, tok, data = fresh()
    train(model, tok, data, replace(CI, keep_optimizer=True), folder=tmp_path, progress=False)
    assert load_checkpoint(tmp_path/'checkpoint.pt')['opt']
    model, tok, data = fresh()
    train(model, tok, data, CI, folder=tmp_path/'plain', progress=False)
    assert not load_checkpoint(tmp_path/'plain'/'checkpoint.pt')['opt']

def test_lora_hyperfits_keeps_only_adapters_and_saves_a_plain_model(tmp_path):
    from transformers import AutoModelForCausalLM
    from hyperfit.training import save_hyperfitted
    cfg = get_config('ci', lora_rank=4, lr=1e-2, epochs=3)
    res = run_experiment(cfg, progress=False)
    assert res['history'][-1]['train_loss'] < res['history'][0]['train_loss']
    ck = load_checkpoint(next(run_folder(cfg).glob('*/checkpoint.pt')))
    assert ck['model'] and all('lora_' in k for k in ck['model'])          # the frozen base is not copied
    assert run_folder(cfg) != run_folder(replace(cfg, lora_rank=0))          # LoRA is a training setting
    model, tok = hyperfitted_model(cfg, progress=False)
    from peft import PeftModel
    assert not isinstance(model, PeftModel) and not any('lora_' in n for n, _ in model.named_parameters())   # merged: plain
    plain = AutoModelForCausalLM.from_pretrained(save_hyperfitted(cfg, tmp_path/'model'))
    x = torch.tensor([[1, 5, 9, 14]])
    ours = model.generate(x, max_new_tokens=8, do_sample=False, pad_token_id=0)
    theirs = plain.generate(x, max_new_tokens=8, do_sample=False, pad_token_id=0)
    assert torch.equal(ours, theirs)

def test_gradient_checkpointing_changes_nothing_but_memory():
    model, tok, data = fresh()
    a = train(model, tok, data, CI, progress=False)
    model, tok, data = fresh()
    b = train(model, tok, data, replace(CI, grad_checkpointing=True), progress=False)
    assert getattr(model, 'is_activation_checkpointing', None) or model.is_gradient_checkpointing
    assert [h['train_loss'] for h in a] == pytest.approx([h['train_loss'] for h in b], abs=1e-5)

def test_a_hub_model_is_loaded_at_its_revision(monkeypatch):
    from transformers import AutoTokenizer
    from hyperfit import models
    seen = {}
    def fake(path, **kw): seen.update(kw, path=path); raise OSError('offline')
    monkeypatch.setattr(AutoTokenizer, 'from_pretrained', fake)
    with pytest.raises(OSError, match="revision 'abc123'"): models.load_tokenizer('TinyLlama/TinyLlama_v1.1', 'abc123')
    assert seen == dict(path='TinyLlama/TinyLlama_v1.1', revision='abc123')

def test_the_progress_bar_counts_training_steps_only(monkeypatch):
    "The time left is honest from the first step: the bar starts after the first evaluation and pauses through later ones."
    import time, hyperfit.training as T
    bars = []
    class Bar(T.tqdm):
        def __init__(self, *a, **kw): super().__init__(*a, **{**kw, 'disable': False}); bars.append(self); self.made = time.time()
        def close(self): self.elapsed_at_close = self.format_dict['elapsed']; super().close()
    monkeypatch.setattr(T, 'tqdm', Bar)
    model, tok, data = fresh()
    slow = []
    def evaluate(m): t0 = time.time(); time.sleep(0.5); slow.append(t0); return {}
    t0 = time.time()
    T.fit(model, data.train, torch.optim.Adam(model.parameters(), 1e-3), 2, CI.batch_size, evaluate=evaluate, progress=True)
    wall = time.time() - t0
    assert len(slow) == 3 and bars[0].made > slow[0] + 0.5          # made after the baseline evaluation
    assert bars[0].elapsed_at_close < wall - 3 * 0.5 + 0.3           # none of the three evaluations counts as training time

def test_a_run_logs_where_its_time_went(tmp_path, caplog):
    import logging
    model, tok, data = fresh()
    with caplog.at_level(logging.INFO, logger='hyperfit'):
        train(model, tok, data, CI, folder=tmp_path, progress=False)
    msg = [r.getMessage() for r in caplog.records if r.getMessage().startswith('time:')]
    assert len(msg) == 1 and msg[0].startswith('time: 12 training steps') and '4 evaluations' in msg[0] and '3 checkpoints' in msg[0], msg
