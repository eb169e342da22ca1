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

def test_the_sdist_holds_what_building_and_running_from_it_needs(tmp_path):
    "setup.py reads settings.ini; the chapters and the CLI read the stories and stored results (installing it: .ci/run)."
    import configparser, tarfile
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, '-m', 'build', '--sdist', '--no-isolation', '--outdir', str(tmp_path), str(root)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    c = configparser.ConfigParser(delimiters=['=']); c.read(root/'settings.ini'); top = f"hyperfit-{c['DEFAULT']['version']}"
    with tarfile.open(next(tmp_path.glob('*.tar.gz'))) as t: names = set(t.getnames())
    for f in ['settings.ini', 'LICENSE', 'README.md', 'CHANGELOG.md', 'setup.py']: assert f"{top}/{f}" in names, f
    for f in ('hyperfit/stories/*.txt', 'hyperfit/results/*.json', 'hyperfit/results/*.safetensors', 'hyperfit/results/*.png'):
        want = {f"{top}/{p.relative_to(root)}" for p in root.glob(f) if '-ci-' not in p.name}
        assert want and want <= names, f"{f}: missing {sorted(want - names)[:3]}"
    assert not [n for n in names if '-ci-' in n], "ci-scale caches are local, not package data"
