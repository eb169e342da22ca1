"The planner: known parameter counts, monotone in batch size, LoRA below full fine-tuning, and a refusal whose flags really fit. Fast: no weights are loaded."
from dataclasses import replace

import pytest

from hyperfit.config import get_config
from hyperfit.planner import FIXES, GPUS, check_fits, fixes, fitting_batch, model_shape, plan, replan

PAPER = get_config('paper')

@pytest.mark.parametrize('name,n', [('TinyLlama/TinyLlama_v1.1', 1_100_048_384), ('meta-llama/Llama-3.1-8B', 8_030_261_248),
                                    ('meta-llama/Llama-3.1-70B', 70_553_706_496), ('smollm2-135m', 134_515_008)])
def test_known_parameter_counts(name, n):
    assert model_shape(name).n_params == n

def test_tiny_random_matches_the_test_model():
    from hyperfit.models import tiny_llama
    assert model_shape('tiny-random').n_params == sum(p.numel() for p in tiny_llama(512).parameters())

def test_chapter_2_arithmetic():
    assert abs(plan(PAPER, gpu='T4').states - 17.6) < 0.05   # 16 bytes per parameter, before activations

def test_memory_and_step_time_grow_with_batch_size():
    ps = [plan(replace(PAPER, batch_size=b)) for b in (1, 2, 4, 8, 16)]
    assert all(a.total < b.total and a.seconds_per_step < b.seconds_per_step for a, b in zip(ps, ps[1:]))
    assert len({round(p.states, 9) for p in ps}) == 1

def test_lora_and_8bit_adam_need_less():
    full = plan(PAPER)
    assert plan(PAPER, lora_rank=16).total < full.total
    assert plan(PAPER, optim='adam8bit').optimizer == pytest.approx(full.optimizer / 4)
    assert plan(PAPER, grad_checkpointing=True).activations < full.activations / 2

def test_fsdp_divides_sharded_states():
    one, four = plan(replace(PAPER, model='meta-llama/Llama-3.1-8B'), gpu='A100-80GB'), plan(replace(PAPER, model='meta-llama/Llama-3.1-8B'), gpu='A100-80GB', n_gpus=4)
    assert four.optimizer == pytest.approx(one.optimizer / 4) and four.gradients == pytest.approx(one.gradients / 4)

def test_check_fits_names_flags_that_fit():
    p = plan(PAPER, gpu='T4')
    with pytest.raises(ValueError) as e: check_fits(p)
    msg = str(e.value)
    assert '\n' not in msg and 'the T4 has 15 GB' in msg and '--lora-rank 16' in msg
    named = [f for f in FIXES if f in msg]
    assert named and all(replan(p, **FIXES[f]).total <= GPUS['T4'] for f in named)
    assert not any(replan(p, **FIXES[f]).fits for f in FIXES if f not in msg)

@pytest.mark.parametrize('gb', [8, 12, 15, 20])
def test_every_suggestion_fits(gb):
    p = plan(PAPER, gpu='T4')
    for group in fixes(p, gb):
        assert replan(p, **{k: v for f in FIXES if f in group for k, v in FIXES[f].items()}).total <= gb
    if (b := fitting_batch(p, gb)): assert replan(p, batch_size=b).total <= gb

def test_check_fits_passes_when_it_fits():
    p = plan(PAPER, gpu='A100-40GB')
    assert check_fits(p) is p                                     # returns the plan itself
    t4 = plan(PAPER, gpu='T4')
    assert check_fits(t4, available_gb=40) is t4                  # an explicit budget overrides the GPU's

def test_nothing_fits_says_so():
    with pytest.raises(ValueError, match='FSDP'): check_fits(plan(replace(PAPER, model='meta-llama/Llama-3.1-70B'), gpu='T4'))

def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match='use one of T4'): plan(PAPER, gpu='V100')
    with pytest.raises(ValueError, match="use 'cpu' or 'cuda'"): plan(PAPER, device='tpu')
    with pytest.raises(ValueError, match='offline the planner knows'): model_shape('no-such/model-here')

def test_a_hub_model_is_sized_at_the_runs_revision(monkeypatch):
    "plan() reads the config of the revision the run trains, not the hub's main branch."
    import transformers
    from hyperfit.planner import model_config
    seen = []
    def fake(name, revision='main', **kw):
        seen.append((name, revision)); return transformers.LlamaConfig(num_hidden_layers=1, hidden_size=8, intermediate_size=16,
                                                                       num_attention_heads=2, vocab_size=32)
    monkeypatch.setattr(transformers.AutoConfig, 'from_pretrained', fake)
    model_config('someone/model', 'v1.0')
    assert seen == [('someone/model', 'v1.0')]
