"""What syntax highlighting costs a cold build at the least: the corpus's code blocks lexed and
formatted in one process, with nothing else of the build around them.

Usage: python bench/highlight_cost.py [CORPUS_DIR] [--runs N]

Each run is a fresh process (so the lexers are set up cold, as in a cold build). It first finds
every fenced code block the site would highlight (the real renderer, over every PEP's body, with
highlighting recorded instead of done: not timed), then times, in CPU seconds:

- setting up a lexer for every language met (Pygments compiles each lexer's rules on first use);
- lexing every block (the tokens only, through the same combined-pattern driver a build uses);
- lexing and formatting every block into the HTML a page gets (`Highlighter._format`).

Prints the median of N runs (default 5) per language family and in all. Not a target of any
issue: the floor under the highlighting share of a cold build (see bench/site_cost.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from common import DEFAULT_CORPUS, machine, prepare

CHILD = r"""
import glob, json, os, sys, time
from pepctl.document import Document, DocumentError
from pepctl.site.fastlex import accelerate
from pepctl.site.highlight import ACCELERATE_AFTER, Highlighter, escape
from pepctl.site.markdown import Renderer
from pepctl.site.reading import body_text

class Recorder:
    def __init__(self):
        self.blocks = []
    def highlight(self, lang, code):
        self.blocks.append((lang, code))
        return escape(code)

recorder = Recorder()
renderer = Renderer(recorder, diagrams_drawn=False)
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.md"))):
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        doc = Document.from_bytes(data, os.path.basename(path))
    except DocumentError:
        continue
    renderer.render(body_text(doc))

highlighter = Highlighter()
clock = time.process_time
start = clock()
lexers = [(highlighter.lexer(lang), code) for lang, code in recorder.blocks]
setup = clock() - start
lexers = [(lexer, code) for lexer, code in lexers if lexer is not None]
volume = {}
for lexer, code in lexers:
    volume[id(lexer)] = volume.get(id(lexer), 0) + len(code)
for lexer, code in lexers:
    if volume[id(lexer)] >= ACCELERATE_AFTER:
        accelerate(lexer)  # as the build's Highlighter does for a language used a lot

def family(lexer):
    name = lexer.aliases[0] if lexer.aliases else lexer.name
    return name if name in ("swift", "rust") else "others"

out = {"setup": setup, "blocks": len(lexers), "lex": {}, "format": {}, "tokens": {}, "chars": {}}
for lexer, code in lexers:
    key = family(lexer)
    start = clock()
    count = sum(1 for _ in lexer.get_tokens_unprocessed(code))
    out["lex"][key] = out["lex"].get(key, 0) + clock() - start
    out["tokens"][key] = out["tokens"].get(key, 0) + count
    out["chars"][key] = out["chars"].get(key, 0) + len(code)
for lexer, code in lexers:
    key = family(lexer)
    start = clock()
    highlighter._format(lexer, code)
    out["format"][key] = out["format"].get(key, 0) + clock() - start
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    prepare()
    print(f"machine: {machine()}")
    runs = []
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, "-c", CHILD, args.corpus], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"the measuring process failed: {done.stderr[-800:]}")
        runs.append(json.loads(done.stdout))
    first = runs[0]
    families = sorted(first["lex"], key=lambda key: -first["chars"][key])
    print(f"{first['blocks']} code blocks; median of {args.runs} fresh processes, CPU seconds\n")
    print("| code | characters | tokens | lexing | lexing and HTML |\n|---|---|---|---|---|")
    for key in families:
        lex = statistics.median(run["lex"][key] for run in runs)
        both = statistics.median(run["format"][key] for run in runs)
        print(f"| {key} | {first['chars'][key]:,} | {first['tokens'][key]:,} | {lex:.3f} s | {both:.3f} s |")
    setup = statistics.median(run["setup"] for run in runs)
    total = statistics.median(run["setup"] + sum(run["format"].values()) for run in runs)
    print(f"| setting up the lexers | | | {setup:.3f} s | |")
    print(f"\nall of it, set-up, lexing and HTML: {total:.3f} s of CPU")


if __name__ == "__main__":
    main()
