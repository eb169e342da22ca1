"""Check the API reference: what `show_doc` and `help()` show for every public name of every hyperfit module.

Public means listed in a module's `__all__` and defined there (not re-exported), plus the public methods those
classes define themselves. Reported, one line each:
  * a parameter (or dataclass field) without a docment, the comment after it (parameters that share a line share its comment);
  * a class that `show_doc` renders as `(*args, **kwargs)`, its fields or arguments hidden;
  * a signature holding an object's repr (' at 0x', which changes every run);
  * a parameter shown as `NoneType` (no annotation and a `None` default), or an annotation `show_doc` cannot evaluate
    (a name the module does not import: show_doc then fails on the page);
  * a signature that `show_doc` renders with a line longer than 120 characters;
  * a docment holding a markdown link, or a backticked name that nbdev turns into one (the signature is a code block,
    so the docs show `[name](url)` raw: write the name plain);
  * a public method no notebook `show_doc`s (`show_doc(Class.method)`, in the notebook that defines the class);
  * a dataclass no notebook `show_doc`s from its module (`show_doc(hyperfit.config.HyperfitConfig)`): fastcore reads
    field comments from a module's source file, so a dataclass defined in a notebook shows none.
Exits 1 if anything is reported. Run from the repository root: `python tools/check_api.py`.
"""
import ast, importlib, inspect, json, pkgutil, re, sys, textwrap
from dataclasses import is_dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAXLINE = 120
_LINK = re.compile(r'\[[^\]]+\]\([^)]+\)')

def modules()->list:
    "Every hyperfit module but the generated index."
    import hyperfit
    return [importlib.import_module(f'hyperfit.{m.name}') for m in pkgutil.iter_modules(hyperfit.__path__) if not m.name.startswith('_')]

def public(mod)->list:
    "(name, object) for each name of `mod.__all__` that `mod` defines, classes or functions."
    out = []
    for name in getattr(mod, '__all__', []):
        o = getattr(mod, name, None)
        if (inspect.isclass(o) or inspect.isfunction(o)) and getattr(o, '__module__', None) == mod.__name__: out.append((name, o))
    return out

def methods(cls)->list:
    "(name, function) for the public methods `cls` defines itself: plain, class and static methods."
    out = []
    for name, v in vars(cls).items():
        if name.startswith('_'): continue
        f = v.__func__ if isinstance(v, (classmethod, staticmethod)) else v
        if inspect.isfunction(f): out.append((name, f))
    return out

def shown_docs()->set:
    "Every name a notebook passes to `show_doc`, as written (`Palette.fit`)."
    out = set()
    for nb in (ROOT/'nbs').glob('*.ipynb'):
        for c in json.loads(nb.read_text())['cells']:
            if c['cell_type'] == 'code': out |= set(re.findall(r'show_doc\(\s*([\w.]+)', ''.join(c['source'])))
    return out

def shared_lines(f)->dict:
    "Parameter -> the source line it is on, for a function whose parameters share lines (`model, tok, # from load_model`)."
    from fastcore.docments import get_source
    try: tree = ast.parse(textwrap.dedent(get_source(f) or ''))
    except (SyntaxError, TypeError, OSError): return {}
    if not tree.body or not isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)): return {}
    a = tree.body[0].args
    return {p.arg: p.lineno for p in [*a.posonlyargs, *a.args, a.vararg, *a.kwonlyargs, a.kwarg] if p}

def linked(text:str)->str|None:
    "`text` as the docs show it in a signature when nbdev links a backticked name in it (raw markdown there), else None."
    from nbdev.doclinks import NbdevLookup
    if _LINK.search(text): return text
    out = NbdevLookup().link_line(text)
    return out if out != text else None

def documented_params(obj):
    "The object whose parameters a reader sees for `obj`: a dataclass's fields, a class's own `__init__`, a function; None for a class that takes no arguments of its own."
    if not inspect.isclass(obj) or is_dataclass(obj): return obj
    return obj.__init__ if '__init__' in vars(obj) else None

def problems(obj, name:str)->list[str]:
    "What is wrong with how `obj` is documented: see the module docstring."
    from fastcore.docments import DocmentText, docments
    bad, target = [], documented_params(obj)
    text = str(DocmentText(obj, maxline=110, docstring=False))
    try: sig = str(inspect.signature(obj))
    except (TypeError, ValueError): sig = ''
    if inspect.isclass(obj) and '*args, **kwargs' in text and sig not in ('', '()', '(*args, **kwargs)'):   # fields hidden
        bad.append(f"{name}: show_doc renders it as (*args, **kwargs), not {sig}: give it documented fields or an __init__")
    if ' at 0x' in sig + text: bad.append(f"{name}: the signature holds an object's address")
    if 'NoneType' in text: bad.append(f"{name}: a parameter renders as NoneType: annotate it (e.g. `x:Path|None=None`)")
    try: inspect.signature(obj, eval_str=True)   # what show_doc does
    except (TypeError, ValueError): pass          # no signature to show (a builtin base)
    except (NameError, AttributeError, SyntaxError) as e: bad.append(f"{name}: show_doc cannot evaluate its annotations ({e}): import what they name")
    if (w := max(map(len, text.splitlines()), default=0)) > MAXLINE: bad.append(f"{name}: a rendered signature line of {w} characters")
    if target is None: return bad
    try: dm = docments(target, full=True, args_kwargs=True)
    except Exception as e: return bad + [f"{name}: docments failed ({e!r})"]
    lines = shared_lines(target)
    has_doc = {lines[p] for p, d in dm.items() if p in lines and d.get('docment')}
    for p, d in dm.items():
        if p in ('self', 'cls'): continue
        if p != 'return' and not d.get('docment') and lines.get(p) not in has_doc: bad.append(f"{name}: parameter `{p}` has no docment")
        if d.get('docment') and (l := linked(d['docment'])):
            bad.append(f"{name}: the docment of `{p}` shows a markdown link in the docs: {l[:100]}")
    return bad

def report()->list[str]:
    bad, shown = [], shown_docs()
    for mod in modules():
        short = mod.__name__.split('.', 1)[1]
        for name, o in public(mod):
            bad += [f"{short}.{b}" for b in problems(o, name)]
            if not inspect.isclass(o): continue
            if is_dataclass(o) and not any(s.endswith(f'.{name}') and s.split('.')[-2] != name for s in shown):
                bad.append(f"{short}.{name}: no notebook calls show_doc(<module>.{name}); show_doc of the class a notebook defines has no field comments")
            for m, f in methods(o):
                bad += [f"{short}.{b}" for b in problems(f, f'{name}.{m}')]
                if f'{name}.{m}' not in shown: bad.append(f"{short}.{name}.{m}: no notebook calls show_doc({name}.{m})")
    return bad

if __name__ == '__main__':
    sys.path.insert(0, str(ROOT))
    if bad := report(): sys.exit(f'API check: {len(bad)} problem(s)\n  ' + '\n  '.join(bad))
    print("API check: every public function, class and method has a docment per parameter, a show_doc, a stable signature of short lines")
