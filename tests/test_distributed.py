"""The one training loop under several processes (`torchrun`, as `accelerate launch` starts them): two CPU processes
sharing each batch give the losses of one process with the same global batch, and write one checkpoint and one results file."""
import json, os, subprocess, sys, textwrap

import pytest

SCRIPT = textwrap.dedent('''
    import json, os, sys
    from pathlib import Path
    from hyperfit.config import get_config
    from hyperfit.corpora import hyperfit_data
    from hyperfit.models import load_model, model_context
    from hyperfit.training import train
    cfg = get_config('ci', epochs=2, checkpoint_minutes=0)
    model, tok = load_model('tiny-random')
    data = hyperfit_data(cfg, tok, model_context(model))
    hist = train(model, tok, data, cfg, folder=Path(sys.argv[1]), progress=False)
    print('LOSSES', os.environ.get('RANK', '0'), json.dumps([h['train_loss'] for h in hist]))
''')

def losses(out:str)->dict:
    return {l.split()[1]: json.loads(l.split(maxsplit=2)[2]) for l in out.splitlines() if l.startswith('LOSSES')}

def test_two_processes_train_like_one(tmp_path):
    (tmp_path/'run.py').write_text(SCRIPT)
    env = {**os.environ, 'HYPERFIT_SCALE': 'ci', 'OMP_NUM_THREADS': '1'}
    one = subprocess.run([sys.executable, 'run.py', 'one'], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    two = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', 'run.py', 'two'], cwd=tmp_path,   # torchrun
                         env={**env, 'ACCELERATE_MIXED_PRECISION': 'bf16'},   # a user's Accelerate default must not change the run
                         capture_output=True, text=True, timeout=300)
    assert one.returncode == 0 and two.returncode == 0, one.stderr[-2000:] + two.stderr[-2000:]
    single, double = losses(one.stdout), losses(two.stdout)
    assert set(double) == {'0', '1'} and double['0'] == double['1']            # every process knows the same history
    assert double['0'] == pytest.approx(single['0'], rel=1e-5)                # same global batch, same losses
    assert sorted(p.name for p in (tmp_path/'two').iterdir()) == ['checkpoint.pt', 'results.json']   # one of each
    from hyperfit.training import load_checkpoint
    assert load_checkpoint(tmp_path/'two'/'checkpoint.pt')['epoch'] == 2

def test_batches_that_do_not_split_evenly_over_the_processes_are_refused(monkeypatch):
    import types
    from hyperfit.training import _accelerator
    monkeypatch.setenv('WORLD_SIZE', '2')
    class FakeAcc:
        num_processes, distributed_type = 2, types.SimpleNamespace(value='MULTI_CPU')
        def __init__(self, cpu, mixed_precision): assert mixed_precision == 'no'
    monkeypatch.setattr('accelerate.Accelerator', FakeAcc)
    with pytest.raises(ValueError, match='must split evenly over 2 processes'): _accelerator(3, 12)    # a batch of 3
    with pytest.raises(ValueError, match='must split evenly over 2 processes'): _accelerator(4, 10)    # a last batch of 2
    assert _accelerator(4, 12) is not None
    FakeAcc.distributed_type = types.SimpleNamespace(value='FSDP')
    with pytest.raises(ValueError, match="runs under DDP only, not FSDP"): _accelerator(4, 12)
