"""The one training loop under several processes (`torchrun`, as `accelerate launch` starts them): two CPU processes
sharing each batch give the losses of one process with the same global batch, and write one checkpoint and one results file;
with `ACCELERATE_USE_FSDP=true` (what Accelerate's FSDP config sets) the model is sharded with FSDP2 and the same holds,
though only the main process reads the weights (the other builds an empty model on the `meta` device)."""
import json, os, subprocess, sys, textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group('distributed')   # one worker: its module-scoped fixtures are built once

SCRIPT = textwrap.dedent('''
    import json, os, sys
    from pathlib import Path
    from hyperfit.config import get_config
    from hyperfit.corpora import hyperfit_data
    from hyperfit.models import is_sharded, load_model, model_context
    from hyperfit.training import train
    cfg, rank = get_config('ci', epochs=2, checkpoint_minutes=0), os.environ.get('RANK', '0')
    model, tok = load_model('tiny-random')
    sys.stdout.write(f"EMPTY {rank} {next(model.parameters()).is_meta}\\n")   # sharded: the weights are read by the main process only
    data = hyperfit_data(cfg, tok, model_context(model))
    hist = train(model, tok, data, cfg, folder=Path(sys.argv[1]), progress=False)
    sys.stdout.write(f"MODEL {rank} {type(model).__name__}\\n")   # FSDPLlamaForCausalLM once sharded
    sys.stdout.write(f"LOSSES {rank} {json.dumps([h['train_loss'] for h in hist])}\\n")   # one write: whole lines even unbuffered
    if is_sharded():   # LoRA on the empty model: its adapters come from the main process too, and one step trains them as unsharded
        import copy
        from dataclasses import replace
        from hyperfit.training import _shard, make_optimizer, model_weights, prepare_model, train_step
        lcfg, x = replace(cfg, lora_rank=4), data.train[:cfg.batch_size]
        lora = prepare_model(load_model('tiny-random')[0], lcfg)
        empty, ref = next(lora.parameters()).is_meta, copy.deepcopy(lora) if rank == '0' else None
        train_step(lora, _shard(lora, make_optimizer(lora, lcfg)), x, False)   # every process the whole batch: the same gradient
        got = model_weights(lora)                                                # the adapters, gathered onto the main process
        diff = moved = None
        if ref is not None:
            start = {k: v.clone() for k, v in model_weights(ref).items()}
            train_step(ref, make_optimizer(ref, lcfg), x, False); want = model_weights(ref)
            diff, moved = (max((a[k] - b[k]).abs().max().item() for k in want) for a, b in ((got, want), (want, start)))
        sys.stdout.write(f"LORA {rank} {json.dumps(dict(empty=empty, adapters=len(got), diff=diff, moved=moved))}\\n")
''')

FIT = textwrap.dedent('''
    import json, os, sys
    from pathlib import Path
    from hyperfit.config import get_config
    from hyperfit.corpora import hyperfit_data
    from hyperfit.models import load_model, model_context
    from hyperfit.training import fit, make_optimizer
    cfg = get_config('ci')
    model, tok = load_model('tiny-random')
    sys.stdout.write(f"EMPTY {os.environ.get('RANK', '0')} {next(model.parameters()).is_meta}\\n")
    data = hyperfit_data(cfg, tok, model_context(model))
    hist = fit(model, data.train, make_optimizer(model, cfg), int(sys.argv[2]), cfg.batch_size, folder=Path(sys.argv[1]), key='k',
               keep_optimizer=True, progress=False)          # a run of sys.argv[2] epochs, extended by the next call
    sys.stdout.write(f"LOSSES {os.environ.get('RANK', '0')} {json.dumps([h['train_loss'] for h in hist])}\\n")   # one write: whole lines even unbuffered
''')

ENV = {**os.environ, 'HYPERFIT_SCALE': 'ci', 'OMP_NUM_THREADS': '1'}
SHARDED = {'ACCELERATE_USE_FSDP': 'true'}    # what `accelerate launch --config_file fsdp.yaml` sets in every process

def lines(out:str, tag:str)->dict:
    "rank -> what the processes wrote on their `tag` lines."
    return {l.split()[1]: l.split(maxsplit=2)[2] for l in out.splitlines() if l.startswith(tag + ' ')}

def losses(out:str)->dict:
    return {k: json.loads(v) for k, v in lines(out, 'LOSSES').items()}

def run(folder, script:str, *cmd, **env)->str:
    "Run `script` as `folder/run.py` with the command `cmd` (ending in 'run.py' and its arguments); its standard output."
    (folder/'run.py').write_text(script)
    r = subprocess.run([*cmd], cwd=folder, env={**ENV, **env}, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout

TORCHRUN = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2']

def launch(folder, script:str, *args, processes:int=1, **env)->dict:
    "Run `script` in `folder` with `args`, in one process or two under torchrun; its losses by rank."
    return losses(run(folder, script, *(TORCHRUN if processes == 2 else [sys.executable]), 'run.py', *args, **env))

EMPTY_ON_1 = {'0': 'False', '1': 'True'}   # sharded: the main process reads the weights, the other builds the model on `meta`

@pytest.fixture(scope='module')
def single(tmp_path_factory):
    "The one-process run of SCRIPT: its losses and folder."
    work = tmp_path_factory.mktemp('single')
    return launch(work, SCRIPT, 'one')['0'], work/'one'

@pytest.fixture(scope='module')
def straight(tmp_path_factory):
    "FIT's losses over 2 epochs in one process, uninterrupted."
    return launch(tmp_path_factory.mktemp('straight'), FIT, 'run', '2')['0']

def test_two_processes_train_like_one(tmp_path, single):
    out = run(tmp_path, SCRIPT, *TORCHRUN, 'run.py', 'two', ACCELERATE_MIXED_PRECISION='bf16')   # a user's Accelerate default must not change the run
    double = losses(out)
    assert set(double) == {'0', '1'} and double['0'] == double['1']            # every process knows the same history
    assert lines(out, 'MODEL') == {'0': 'LlamaForCausalLM', '1': 'LlamaForCausalLM'}   # DDP: whole on every process
    assert lines(out, 'EMPTY') == {'0': 'False', '1': 'False'} and not lines(out, 'LORA')
    assert double['0'] == pytest.approx(single[0], rel=1e-5)                  # same global batch, same losses
    assert sorted(p.name for p in (tmp_path/'two').iterdir()) == ['checkpoint.pt', 'results.json']   # one of each
    from hyperfit.training import load_checkpoint
    assert load_checkpoint(tmp_path/'two'/'checkpoint.pt')['epoch'] == 2

def test_two_sharded_processes_train_like_one(tmp_path, single):
    import torch
    from hyperfit.models import load_model
    from hyperfit.training import load_checkpoint, load_weights
    out = run(tmp_path, SCRIPT, *TORCHRUN, 'run.py', 'two', **SHARDED)
    double = losses(out)
    assert set(double) == {'0', '1'} and double['0'] == double['1']
    assert lines(out, 'MODEL') == {'0': 'FSDPLlamaForCausalLM', '1': 'FSDPLlamaForCausalLM'}   # and it stays sharded
    assert lines(out, 'EMPTY') == EMPTY_ON_1                                  # rank 1 trained from the main process's weights
    lora = {k: json.loads(v) for k, v in lines(out, 'LORA').items()}
    assert lora['1']['empty'] and not lora['0']['empty'] and lora['0']['adapters'] > 0   # LoRA built on the empty model too
    assert lora['0']['diff'] < 1e-6 < lora['0']['moved']                      # adapters from the main process, trained as in one
    # Two half-batch means averaged are not bitwise one batch's mean: float rounding, ~4e-8 relative here (as under DDP)
    assert double['0'] == pytest.approx(single[0], rel=1e-5)
    assert sorted(p.name for p in (tmp_path/'two').iterdir()) == ['checkpoint.pt', 'results.json']
    ck, ref = load_checkpoint(tmp_path/'two'/'checkpoint.pt'), load_checkpoint(single[1]/'checkpoint.pt')
    assert ck['epoch'] == 2 and set(ck['model']) == set(ref['model'])     # gathered whole: a plain state dict
    load_weights(load_model('tiny-random')[0], ck['model'])                # loads into an unsharded model
    for k, w in ck['model'].items():   # Adam divides by sqrt(v), so that rounding grows to ~1e-5 in the weights (DDP: the same)
        torch.testing.assert_close(w, ref['model'][k], rtol=0, atol=1e-4)

def test_the_docs_fsdp_config_launches_a_sharded_run(tmp_path, single):
    "Chapter 'Lean and large's FSDP config, valid for this Accelerate, shards the run under `accelerate launch` (on CPUs too)."
    import nbformat
    nb = nbformat.read(Path(__file__).resolve().parents[1]/'nbs'/'82_lean.ipynb', as_version=4)
    yaml = next(c.source for c in nb.cells if c.cell_type == 'markdown' and 'distributed_type: FSDP' in c.source)
    (tmp_path/'fsdp.yaml').write_text(yaml.split('```yaml')[1].split('```')[0].replace('num_processes: 8', 'num_processes: 2'))
    out = run(tmp_path, SCRIPT, sys.executable, '-m', 'accelerate.commands.launch', '--config_file', 'fsdp.yaml', 'run.py', 'two')
    assert lines(out, 'MODEL') == {'0': 'FSDPLlamaForCausalLM', '1': 'FSDPLlamaForCausalLM'}
    assert lines(out, 'EMPTY') == EMPTY_ON_1
    assert losses(out)['0'] == pytest.approx(single[0], rel=1e-5)

def test_a_sharded_run_resumes_like_an_uninterrupted_one(tmp_path, straight):
    from hyperfit.training import load_checkpoint
    first = run(tmp_path, FIT, *TORCHRUN, 'run.py', 'run', '1', **SHARDED)
    assert lines(first, 'EMPTY') == EMPTY_ON_1
    opt = load_checkpoint(tmp_path/'run'/'checkpoint.pt')['opt']
    assert opt['state'] and all(isinstance(i, int) for i in opt['state'])   # the optimiser as an unsharded run writes it
    resumed = launch(tmp_path, FIT, 'run', '2', processes=2, **SHARDED)['0']
    assert resumed == pytest.approx(straight, rel=1e-5)                      # a fresh Adam at epoch 2 is 5e-3 off

def test_a_checkpoint_resumes_under_the_other_launch(tmp_path, straight):
    launch(tmp_path, FIT, 'a', '1', processes=2, **SHARDED)                   # sharded, then one process
    assert launch(tmp_path, FIT, 'a', '2')['0'] == pytest.approx(straight, rel=1e-5)
    launch(tmp_path, FIT, 'b', '1')                                           # one process, then sharded
    assert launch(tmp_path, FIT, 'b', '2', processes=2, **SHARDED)['0'] == pytest.approx(straight, rel=1e-5)

def test_sharding_needs_several_processes_and_accelerates_fsdp_flag(monkeypatch):
    from hyperfit.training import is_sharded                                 # defined in models, still importable from training
    monkeypatch.delenv('WORLD_SIZE', raising=False); monkeypatch.setenv('ACCELERATE_USE_FSDP', 'true')
    assert not is_sharded()                                                  # one process: trained as always
    monkeypatch.setenv('WORLD_SIZE', '2'); assert is_sharded()
    monkeypatch.setenv('ACCELERATE_USE_FSDP', 'false'); assert not is_sharded()   # DDP

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
    FakeAcc.distributed_type = types.SimpleNamespace(value='FSDP')           # Accelerate's FSDP config on GPUs
    assert _accelerator(4, 12) is not None
    FakeAcc.distributed_type = types.SimpleNamespace(value='DEEPSPEED')
    with pytest.raises(ValueError, match="runs under DDP or FSDP, not DEEPSPEED"): _accelerator(4, 12)

def test_a_sharded_runs_other_process_builds_smollm2_without_reading_weights(monkeypatch):
    "Outside the main process of a sharded run the GGUF model is built from its metadata on `meta`: nothing read or de-quantised."
    from hyperfit.models import load_model
    from hyperfit.planner import model_shape
    monkeypatch.setenv('WORLD_SIZE', '2'); monkeypatch.setenv('RANK', '1'); monkeypatch.setenv('ACCELERATE_USE_FSDP', 'true')
    model, tok = load_model('smollm2-135m')
    assert {t.device.type for t in [*model.parameters(), *model.buffers()]} == {'meta'}
    assert sum(p.numel() for p in model.parameters()) == model_shape('smollm2-135m').n_params   # the GGUF's architecture
    assert getattr(model.config, 'quantization_config', None) is None and not model.training
    assert tok('Once upon').input_ids                                        # the tokenizer loads as always

def test_the_main_process_will_not_shard_an_empty_model():
    import torch
    from hyperfit.models import load_model
    from hyperfit.training import _shard
    empty = load_model('tiny-random')[0].to('meta')
    with pytest.raises(ValueError, match="the main process's model is empty"): _shard(empty, torch.optim.Adam(empty.parameters()))

def test_a_program_of_several_processes_closes_their_group_as_it_ends(tmp_path, monkeypatch):
    "`_close_processes` (registered at exit by `fit` under several processes) waits for the others and closes the group; without one it does nothing."
    import torch.distributed as td
    from hyperfit.training import _close_processes
    _close_processes()                                                       # no group: nothing to close
    td.init_process_group('gloo', init_method=f"file://{tmp_path/'store'}", rank=0, world_size=1)
    monkeypatch.delattr('sys.last_value', raising=False)                     # a normal end: waits (alone here), then closes
    _close_processes()
    assert not td.is_initialized()
