"""Write <stem>.json here for each chapter: the Exercises cells (questions, then Try it experiments) that insert.py puts at
the end of that chapter. The Try it cells are generated from the registry, hyperfit.exercises.EXERCISES (one source of
truth); the questions come from questions.py. Run after changing either: python gen_cells.py"""
import json, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from questions import QUESTIONS               # noqa: E402
from hyperfit.exercises import CHAPTERS, exercises_for   # noqa: E402

HEADING = '## Exercises'   # the first inserted cell starts with this: insert.py finds (and replaces) the block by it

def md(s): return {'cell_type': 'markdown', 'source': s.strip('\n')}
def code(s): return {'cell_type': 'code', 'source': s.strip('\n')}

def cells(stem:str)->list[dict]:
    exs = exercises_for(stem) if stem in CHAPTERS else []   # a chapter may have questions only
    intro = ("Questions first: answer each one in your own words, then open the model answer. Then experiments: each\n"
             "changes one knob of this chapter; write down what you expect before you run it, and let its checker tell\n"
             "you whether your result shows the effect. The [Exercises](exercises.html) page lists every experiment of\nthe book."
             if exs else
             "Answer each question in your own words, then open the model answer. This chapter has no experiments\n"
             "yet; the [Exercises](exercises.html) page lists those of the other chapters.")
    out = [md(f"{HEADING}\n\n{intro}"), md('### Questions')]
    for i, (q, a) in enumerate(QUESTIONS[stem], 1):
        out.append(md(f"**{i}. {q}**\n\n<details><summary>Answer</summary>\n\n{a}\n\n</details>"))
    if not exs: return out                    # a chapter with questions only (its experiments are not written yet)
    names = ''.join(f'\n    solve_{e.name}, check_{e.name},' for e in exs)
    out += [md("""### Try it

Each experiment has a reference solution, `solve_<name>()`, which runs it at this page's scale with the
library's own functions and caches its result, and a checker, `check_<name>(result)`, which says whether
the result shows the expected effect, with the tolerance it uses. Change the knob in the call and run it
again; the checker explains what you see when it is not the expected effect. At the `ci` scale (the tests)
the tiny random model shows none of these effects, and the checkers say so. The times were measured once
at the `cpu` scale on 2 CPU cores:"""),
            code(f"from IPython.display import Markdown\nfrom hyperfit.exercises import (exercise_table, exercises_for,{names})"),
            code(f"Markdown(exercise_table(exercises_for('{stem}'), predict=False))")]
    for e in exs:
        out += [md(f"""#### {e.title}

**The knob:** {e.knob}.

**Predict first.** {e.ask}

<details><summary>What to expect</summary>

{e.predict}

</details>"""),
                code(f"result = solve_{e.name}({e.call})   # the reference solution: change {e.call.split('=')[0]} and run again\ncheck_{e.name}(result)")]
    return out

if __name__ == '__main__':
    for stem in QUESTIONS:
        (HERE/f'{stem}.json').write_text(json.dumps(cells(stem), indent=1) + '\n')
        print(f'{stem}.json: {len(cells(stem))} cells')
