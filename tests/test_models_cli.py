"Model loading errors, the tiny model, and the CLI's one-line errors."
import pytest
import torch

from hyperfit.cli import main
from hyperfit.config import get_config
from hyperfit.models import continue_prompts, load_model, model_context

def test_tiny_model_is_deterministic():
    (m1, t1), (m2, _) = load_model('tiny-random'), load_model('tiny-random')
    assert all(torch.equal(a, b) for a, b in zip(m1.state_dict().values(), m2.state_dict().values()))
    a = continue_prompts(m1, t1, ['Once upon a time', 'The'], max_new_tokens=16, progress=False)
    assert a == continue_prompts(m2, t1, ['Once upon a time', 'The'], max_new_tokens=16, progress=False)

def test_unknown_model():
    with pytest.raises(ValueError, match="^unknown model 'llama 9000': use smollm2-135m, tiny-random"):
        load_model('llama 9000')

def test_a_hub_id_without_owner_goes_to_the_hub():
    with pytest.raises(OSError, match="could not load model 'gpt2'.*to run offline use model 'smollm2-135m'"):
        load_model('gpt2')

def test_hub_unreachable_says_how_to_run_offline():
    with pytest.raises(OSError, match="could not load model 'TinyLlama/TinyLlama_v1.1'.*to run offline use model 'smollm2-135m'"):
        load_model('TinyLlama/TinyLlama_v1.1')

@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has a GPU')
def test_gpu_requested_without_one():
    with pytest.raises(ValueError, match="device 'cuda' was requested but no CUDA GPU is available: use device 'cpu'"):
        load_model('tiny-random', device='cuda')

def test_prompt_plus_new_tokens_beyond_context():
    m, t = load_model('tiny-random')
    with pytest.raises(ValueError, match="exceeds the model's context of 256"):
        continue_prompts(m, t, 'The', max_new_tokens=model_context(m), progress=False)

def test_bad_scale_in_environment(monkeypatch):
    monkeypatch.setenv('HYPERFIT_SCALE', 'huge')
    with pytest.raises(ValueError, match="HYPERFIT_SCALE='huge' is not a scale: use one of ci, cpu, paper"):
        get_config()

@pytest.mark.parametrize('argv,msg', [
    (['generate', '--model', 'no pe', '--prompt', 'Hi'], "unknown model 'no pe'"),
    (['generate', '--model', 'tiny-random', '--prompt', ' '], "prompt 0 is empty"),
    (['generate', '--model', 'tiny-random', '--prompt', 'Hi', '--device', 'tpu'], "unknown device 'tpu'"),
])
def test_cli_errors_are_one_line(capsys, argv, msg):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith('hyperfit: error: ') and msg in err and err.count('\n') == 1

def test_cli_generate_and_config(capsys):
    assert main(['generate', '--model', 'tiny-random', '--prompt', 'Once', '--max-new-tokens', '5']) == 0
    assert capsys.readouterr().out.startswith('Once')
    assert main(['config', '--scale', 'cpu']) == 0
    assert "differs from the paper in" in capsys.readouterr().out
