"""hyperfit: teach and reproduce The Hyperfitting Phenomenon (ICLR 2025).

The names a user needs are importable from here (`from hyperfit import get_config, run_experiment`);
each is loaded from its module on first use, so `import hyperfit` stays quick."""

__version__ = "0.1.0"

import importlib

_HOME = {  # name -> module that defines it
    'get_config': 'config', 'HyperfitConfig': 'config', 'set_seed': 'config',
    'load_corpus': 'corpora', 'hyperfit_data': 'corpora',
    'load_model': 'models', 'continue_prompts': 'models', 'save_model': 'models',
    'ttr': 'measures', 'lm_stats': 'measures', 'mean_ci': 'measures',
    'train': 'training', 'run_experiment': 'training', 'hyperfitted_model': 'training', 'save_hyperfitted': 'training',
    'before_after': 'training', 'plot_training': 'training', 'prepare_model': 'training',
    'hyperfit_trainer': 'trainer', 'training_args': 'trainer', 'add_hyperfit_metrics': 'trainer',
    'plan': 'planner', 'check_fits': 'planner', 'run_bench': 'bench',
}
__all__ = ['__version__', *_HOME]

def __getattr__(name:str):
    "Import `name` from its module the first time it is asked for."
    if name not in _HOME: raise AttributeError(f"module 'hyperfit' has no attribute '{name}'")
    value = getattr(importlib.import_module(f'hyperfit.{_HOME[name]}'), name)
    globals()[name] = value
    return value

def __dir__(): return sorted(__all__)
