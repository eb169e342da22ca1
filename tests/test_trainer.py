"The Hugging Face Trainer path: the paper's protocol as TrainingArguments, hyperfit's measures logged through the Trainer, one SmolLM2 step."
import pytest
import torch
from transformers import TrainerCallback

from hyperfit.config import get_config
from hyperfit.corpora import hyperfit_data
from hyperfit.models import load_model, model_context
from hyperfit.trainer import hyperfit_trainer, measures_table, training_args
from hyperfit.training import train

CI = get_config('ci')

class Recorder(TrainerCallback):
    "Stands for any integration (TensorBoard, W&B, the console): keeps what every on_log call carries."
    def __init__(self): self.logs = []
    def on_log(self, args, state, control, logs=None, **kwargs): self.logs.append(dict(logs))

def test_args_are_the_papers_protocol(tmp_path):
    args = training_args(get_config('paper'), tmp_path)
    assert (args.lr_scheduler_type, args.warmup_steps, args.max_grad_norm, args.weight_decay) == ('constant', 0, 0.0, 0.0)
    assert (args.optim, args.learning_rate, args.per_device_train_batch_size, args.num_train_epochs) == ('adamw_torch', 1e-6, 8, 20)
    assert (args.save_strategy, args.report_to, args.logging_strategy, args.data_seed) == ('no', [], 'epoch', 0)
    assert training_args(get_config('paper', 'authors'), tmp_path).weight_decay == 0.01
    assert training_args(get_config('cpu'), tmp_path).bf16 and training_args(get_config('cpu'), tmp_path).use_cpu == (not torch.cuda.is_available())
    assert training_args(CI, tmp_path, max_steps=3, report_to='tensorboard').max_steps == 3
    with pytest.raises(ValueError, match=r"is Adam with an L2 penalty, which Trainer does not offer: use optimizer='adamw'"):
        training_args(get_config('ci', weight_decay=0.1), tmp_path)

def test_end_to_end_tiny_logs_through_on_log_and_matches_hyperfit_loop(tmp_path):
    model, tok = load_model('tiny-random')
    data = hyperfit_data(CI, tok, model_context(model))
    trainer = hyperfit_trainer(model, tok, data, CI, tmp_path, disable_tqdm=True)
    rec = Recorder(); trainer.add_callback(rec)
    trainer.train()
    hist = trainer.state.log_history
    seen = [l for l in rec.logs if 'ttr' in l]
    assert [l['epoch'] for l in seen] == [0.0, 1.0, 2.0]                             # a baseline, then every epoch
    assert [h for h in hist if 'ttr' in h] == [{**l, 'step': s} for l, s in zip(seen, (0, 4, 8))]   # in the history, once each
    assert all(0 < l['ttr'] <= 1 and l['val_entropy'] > 0 and 0 < l['val_top1_prob'] <= 1 and l['val_loss'] > 0 for l in seen)
    losses = [h for h in hist if 'loss' in h]
    assert [h['epoch'] for h in losses] == [1.0, 2.0] and {h['learning_rate'] for h in losses} == {CI.lr}   # constant, no warm-up
    assert not (tmp_path/'checkpoint-8').exists()                                      # no checkpoints by default
    ref, _ = load_model('tiny-random')
    loop = train(ref, tok, data, CI, progress=False)
    assert [h['loss'] for h in losses] == pytest.approx([h['train_loss'] for h in loop[1:]], abs=1e-4)
    assert measures_table(hist).ttr.tolist() == pytest.approx([h['ttr'] for h in loop])

def test_eval_every_and_the_last_epoch(tmp_path):
    cfg = get_config('ci', epochs=3, eval_every=2)
    model, tok = load_model('tiny-random')
    trainer = hyperfit_trainer(model, tok, hyperfit_data(cfg, tok, model_context(model)), cfg, tmp_path, disable_tqdm=True)
    trainer.train()
    assert [h['epoch'] for h in trainer.state.log_history if 'ttr' in h] == [0.0, 2.0, 3.0]
    assert [h['epoch'] for h in trainer.state.log_history if 'loss' in h] == [1.0, 2.0, 3.0]

def test_one_step_with_smollm2_bf16(tmp_path):
    "One bf16 update of the real SmolLM2-135M through the Trainer on a tiny data set (run under `flock /tmp/cpu.lock`)."
    cfg = get_config('ci', model='smollm2-135m', n_train=4, n_val=2, n_prompts=2, bf16=True, lr=1e-5)
    model, tok = load_model(cfg.model)
    data = hyperfit_data(cfg, tok, model_context(model))
    before = model.lm_head.weight.detach().clone()
    trainer = hyperfit_trainer(model, tok, data, cfg, tmp_path, max_steps=1, disable_tqdm=True)
    out = trainer.train()
    assert out.global_step == 1 and 0 < out.training_loss < 20
    assert [h['step'] for h in trainer.state.log_history if 'ttr' in h] == [0, 1]      # baseline and after the step
    assert not torch.equal(before, model.lm_head.weight.detach())

def test_the_trainer_path_honours_lora_rank(tmp_path):
    from peft import PeftModel
    from hyperfit.config import get_config
    from hyperfit.corpora import hyperfit_data
    from hyperfit.models import load_model, model_context
    from hyperfit.trainer import hyperfit_trainer
    cfg = get_config('ci', lora_rank=4, epochs=1)
    model, tok = load_model('tiny-random')
    trainer = hyperfit_trainer(model, tok, hyperfit_data(cfg, tok, model_context(model)), cfg, tmp_path, disable_tqdm=True)
    assert isinstance(trainer.model, PeftModel)
    trained = {n for n, p in trainer.model.named_parameters() if p.requires_grad}
    assert trained and all('lora_' in n for n in trained)
    trainer.train()

@pytest.mark.parametrize('overrides', [dict(seed=1), dict(bf16=True), dict(optimizer='adamw', weight_decay=0.01)],
                         ids=['seed 1 (data order)', 'bf16 (measured as fit measures)', "authors' AdamW"])
def test_the_trainer_path_is_fits_run(tmp_path, overrides):
    "Another seed, bf16 autocast, decoupled weight decay: the Trainer path trains and measures like hyperfit's loop."
    cfg = get_config('ci', **overrides)
    model, tok = load_model('tiny-random')
    data = hyperfit_data(cfg, tok, model_context(model))
    trainer = hyperfit_trainer(model, tok, data, cfg, tmp_path, disable_tqdm=True)
    trainer.train()
    hist = trainer.state.log_history
    ref, _ = load_model('tiny-random')
    loop = train(ref, tok, data, cfg, progress=False)
    assert [h['loss'] for h in hist if 'loss' in h] == pytest.approx([h['train_loss'] for h in loop[1:]], abs=1e-3)
    assert [h['ttr'] for h in hist if 'ttr' in h] == pytest.approx([h['ttr'] for h in loop])
    assert [h['val_loss'] for h in hist if 'ttr' in h] == pytest.approx([h['val_loss'] for h in loop], abs=1e-3)
