"""How long `pepctl related` takes on a corpus, against reading the same corpus (`pepctl list`).

Usage: python bench/related_bench.py [--corpus DIR] [--runs N]

Both are the installed console script in a fresh process, run in turn (A B, B A, ...), medians of
--runs runs after two warm-ups. `related` reads every PEP's title and opening sections (in worker
processes on a large folder), imports the ranking library (numpy, bm25s), indexes and ranks;
`list` reads the same files and prints a table. The target: well under a second on plano-1k.
"""

from __future__ import annotations

import argparse
import os

from common import DEFAULT_CORPUS, pepctl_command, prepare, walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    prepare()
    pepctl = pepctl_command()
    folder = ["--dir", args.corpus]
    related_n, related_text, listing = walls(
        [[*pepctl, *folder, "related", "42"], [*pepctl, *folder, "related", "--text", "response cache"],
         [*pepctl, *folder, "list"]], args.runs)
    load = os.getloadavg()[0]
    print(f"corpus: {args.corpus}; {args.runs} runs each, in turn; load average {load:.1f}")
    print("| command | median | against `list` |")
    print("|---|---|---|")
    for name, value in (("`related 42`", related_n), ("`related --text \"response cache\"`", related_text),
                        ("`list` (reads the same files)", listing)):
        print(f"| {name} | {value * 1000:.0f} ms | {value / listing:.2f}× |")


if __name__ == "__main__":
    main()
