"What `import hyperfit` gives a user."
import subprocess, sys

import hyperfit

def test_the_main_names_are_importable_from_the_package():
    for name in hyperfit.__all__:
        assert getattr(hyperfit, name) is not None, name
    from hyperfit import get_config, run_experiment   # noqa: F401

def test_import_hyperfit_does_not_import_torch():
    code = "import sys, hyperfit; print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, '-c', code], capture_output=True, text=True).stdout.strip() == 'False'

def test_an_unknown_name_is_an_attribute_error():
    import pytest
    with pytest.raises(AttributeError, match="no attribute 'nope'"): hyperfit.nope
