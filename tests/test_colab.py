"""Stand-ins for Colab (it cannot be reached from here): each chapter's set-up cells run with a fake `google.colab`
module and a pretend CUDA GPU, and must pick the `cpu` scale; no paper-scale run starts unless the reader asks."""
import re
from pathlib import Path

import nbformat
import pytest
from execnb.shell import CaptureShell

NBS = Path(__file__).resolve().parents[1]/'nbs'
CHAPTERS = sorted(NBS.glob('[1-6]0_*.ipynb'))
CONFIG = re.compile(r'^\s*(\w+) = (get_config|image_config|grok_config)\(', re.M)

def pretend_colab_gpu(monkeypatch):
    "A fake `google.colab` module and a CUDA GPU that torch reports, undone after the test (the shell runs in this process)."
    import sys, types, torch, accelerate, transformers   # noqa: F401 (imported first: a pretend GPU mid-import confuses accelerate)
    monkeypatch.setitem(sys.modules, 'google', types.ModuleType('google'))
    monkeypatch.setitem(sys.modules, 'google.colab', types.ModuleType('google.colab'))
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)

def setup_cells(nb)->tuple[list[str], str]:
    "The code cells up to the first that builds the chapter's config (shell lines dropped), and the config's name."
    cells = []
    for c in nb.cells:
        if c.cell_type != 'code': continue
        cells.append('\n'.join(l for l in c.source.splitlines() if not l.lstrip().startswith('!')))
        if (m := CONFIG.search(c.source)): return cells, m.group(1)
    raise AssertionError('no config cell')

@pytest.mark.parametrize('gpu', [True, False], ids=['gpu', 'no-gpu'])
@pytest.mark.parametrize('path', CHAPTERS, ids=lambda p: p.name)
def test_on_colab_a_chapter_runs_at_the_cpu_scale(path, gpu, monkeypatch):
    monkeypatch.delenv('HYPERFIT_SCALE', raising=False)          # as on Colab: nothing set
    cells, name = setup_cells(nbformat.read(path, as_version=4))
    pretend_colab_gpu(monkeypatch)
    if not gpu: monkeypatch.setattr('torch.cuda.is_available', lambda: False)
    sh = CaptureShell()
    for src in cells:
        sh.run_cell(src)
        assert not sh.exc, f"{path.name}: {sh.exc}"
    sh.run_cell(f"import google.colab, torch; assert torch.cuda.is_available() == {gpu}; scale = {name}.scale")
    assert not sh.exc and sh.user_ns['scale'] == 'cpu'

def test_on_colab_chapter_2_finds_its_stored_result(monkeypatch):
    "On Colab (no HYPERFIT_DATA, no HYPERFIT_SCALE) Chapter 2's config and data give the key of the stored cpu-scale run."
    from importlib import resources
    from hyperfit.config import get_config
    from hyperfit.training import experiment_data, results_file
    monkeypatch.delenv('HYPERFIT_SCALE', raising=False); monkeypatch.delenv('HYPERFIT_DATA', raising=False)
    pretend_colab_gpu(monkeypatch)
    cfg = get_config()
    assert cfg.scale == 'cpu'
    stored = resources.files('hyperfit')/'results'
    assert results_file(cfg, experiment_data(cfg)[1], folder=stored).exists()

def test_on_a_colab_gpu_the_paper_scale_starts_only_when_asked(monkeypatch, capsys):
    from unittest import mock
    import accelerate, transformers  # noqa: F401 (imported before the pretend GPU)
    from hyperfit.config import get_config
    from hyperfit.planner import model_shape, paper_scale
    model_shape('TinyLlama/TinyLlama_v1.1')
    with mock.patch('torch.cuda.is_available', return_value=True), \
         mock.patch('torch.cuda.get_device_name', return_value='Tesla T4'), \
         mock.patch('torch.cuda.get_device_properties', return_value=mock.Mock(total_memory=15e9)):
        assert paper_scale(False, get_config('paper')) is False                  # "Run all": the flag is off
        with pytest.raises(ValueError, match='the T4 has 15 GB: add --lora-rank 16'):
            paper_scale(True, get_config('paper'))                              # asked, but it does not fit a free T4
        assert paper_scale(True, get_config('paper', lora_rank=16, grad_checkpointing=True)) is True

def test_on_a_pretend_free_t4_the_colab_preset_fits_and_starts(monkeypatch, capsys):
    "The `colab` preset is TinyLlama sized for a free Colab T4: the planner fits it in 15 GB, in about half an hour of training."
    from unittest import mock
    import accelerate, transformers  # noqa: F401 (imported before the pretend GPU)
    from hyperfit.config import get_config
    from hyperfit.planner import model_shape, paper_scale, plan
    model_shape('TinyLlama/TinyLlama_v1.1')
    colab = get_config('colab')
    assert colab.model == 'TinyLlama/TinyLlama_v1.1' and not colab.bf16    # the paper's model; no bf16 on a T4 (no bf16 units)
    with mock.patch('torch.cuda.is_available', return_value=True), \
         mock.patch('torch.cuda.get_device_name', return_value='Tesla T4'), \
         mock.patch('torch.cuda.get_device_properties', return_value=mock.Mock(total_memory=15e9)):
        assert paper_scale(True, colab) is True                            # passes the fit check
    assert 'T4: ~6.6 GB needed of 15 (fits)' in capsys.readouterr().out
    assert plan(colab, gpu='T4').hours <= 0.6
