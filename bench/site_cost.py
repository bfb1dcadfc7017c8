"""Where a cold `site build` spends its CPU: the same build with syntax highlighting and/or the search
index left out, so that what each costs is the difference.

Usage: python bench/site_cost.py [CORPUS_DIR] [--runs N]

Each variant is a cold build (new output folder, no build cache) of the corpus (default: plano-1k)
in a fresh process, in turn (base, no highlighting, no search, neither; then again), median of N runs
(default 3). The variants replace, in that process only, `Highlighter.highlight` by plain escaping
and the record's search fields and `search.publish` by nothing; the rest of the build is as shipped.
Prints CPU seconds (user + system of the build's processes, from getrusage) and wall seconds, and
what highlighting and the search index cost as a share of the base build's CPU. Not a target of any
issue: a map of where the time goes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_CORPUS, machine, prepare

VARIANTS = ("base", "no highlighting", "no search", "neither")

RUNNER = """
import sys, zlib
variant = sys.argv[1]
if variant in ("no highlighting", "neither"):
    from pepctl.site import highlight
    highlight.Highlighter.highlight = lambda self, lang, code: highlight.escape(code)
if variant in ("no search", "neither"):
    from pepctl.site import reading, search
    empty = (b"\\n\\n\\n", zlib.compress(b"[]"))
    reading.record_fields = lambda *args: empty
    search.publish = lambda *args, **kwargs: {}
from pepctl.cli import main
sys.exit(main(sys.argv[2:]))
"""


def one(variant: str, corpus: str, out: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER, variant, "--dir", corpus, "site", "build", "-o", str(out)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{variant}: the build failed: {done.stderr.decode()[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    prepare()
    work = Path(tempfile.mkdtemp(prefix="pepctl-site-cost-"))
    figures: dict[str, list[tuple[float, float]]] = {variant: [] for variant in VARIANTS}
    try:
        print(f"machine: {machine()}; load before {os.getloadavg()[0]:.2f}")
        for run in range(args.runs + 1):  # the first round warms the file cache and is dropped
            for k, variant in enumerate(VARIANTS):
                out = work / f"out-{run}-{k}"  # a new folder each time: nothing to reuse
                result = one(variant, args.corpus, out)
                if run:
                    figures[variant].append(result)
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(out.parent / f".{out.name}.pepctl-cache", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cpu = {variant: statistics.median(c for c, _ in runs) for variant, runs in figures.items()}
    wall = {variant: statistics.median(w for _, w in runs) for variant, runs in figures.items()}
    print(f"load after {os.getloadavg()[0]:.2f}; median of {args.runs}\n")
    print("| cold build of the corpus | CPU | wall |\n|---|---|---|")
    for variant in VARIANTS:
        print(f"| {variant} | {cpu[variant]:.2f} s | {wall[variant]:.2f} s |")
    base = cpu["base"]
    print(f"\nhighlighting: {base - cpu['no highlighting']:.2f} s of CPU "
          f"({(base - cpu['no highlighting']) / base:.0%} of the build); "
          f"the search index: {base - cpu['no search']:.2f} s ({(base - cpu['no search']) / base:.0%})")


if __name__ == "__main__":
    main()
