"Install hyperfit from settings.ini (nbdev 2 layout); works with current setuptools (no pkg_resources)."
from configparser import ConfigParser
import setuptools
from packaging.version import Version

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': 'Apache-2.0', 'mit': 'MIT', 'gpl3': 'GPL-3.0-or-later'}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature']
min_python = cfg['min_python']
py_versions = [f'3.{i}' for i in range(8, 14) if Version(f'3.{i}') >= Version(min_python)]

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    license=licenses[cfg['license']],
    classifiers=[f"Development Status :: {statuses[int(cfg['status']) - 1]}",
                 f"Intended Audience :: {cfg['audience'].title()}",
                 f"Natural Language :: {cfg['language'].title()}"]
               + [f'Programming Language :: Python :: {v}' for v in py_versions],
    url=cfg['git_url'],
    packages=setuptools.find_packages(include=['hyperfit', 'hyperfit.*']),
    package_data={'hyperfit': ['stories/*.txt', 'results/*.json', 'results/*.safetensors', 'results/*.png']},
    include_package_data=True,
    install_requires=cfg['requirements'].split(),
    extras_require={'chapters': cfg['chapters_requirements'].split(), 'dev': cfg['dev_requirements'].split()},
    python_requires=f'>={min_python}',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={'console_scripts': cfg['console_scripts'].split(),
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    author=cfg['author'], author_email=cfg['author_email'], description=cfg['description'],
    keywords=cfg['keywords'])
