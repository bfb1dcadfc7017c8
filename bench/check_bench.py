"""Time `pepctl check`, `index --check` and `list` against their baselines.

Usage: python bench/check_bench.py [CORPUS_DIR] [--runs N]

Every figure is the median of N runs (default 9) of the real command, with
its baseline measured in the same run: a plain script that reads every file
and finds its headings with one regex (corpus-wide commands), and
`python -c pass` (one-file check). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys

from common import DEFAULT_CORPUS, REPO, machine, pepctl_command, prepare, table, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    corpus, runs = args.corpus, args.runs
    prepare()
    pepctl = pepctl_command() + ["--dir", corpus]
    one_file = f"{corpus}/PEP-0001-private-fields.md"

    baseline = wall([sys.executable, str(REPO / "bench" / "headings_baseline.py"), corpus], runs)
    python_pass = wall([sys.executable, "-c", "pass"], runs)
    # pip's console-script launcher imports `re` before pepctl runs: the floor
    # any installed command starts from.
    launcher_floor = wall([sys.executable, "-c", "import re, sys"], runs)
    rows = [
        ("`check` (whole corpus)", wall(pepctl + ["check"], runs), "read + heading regex", baseline, 2.0),
        ("`check` (one file)", wall(pepctl + ["check", one_file], runs), "`python -c pass`", python_pass, 1.5),
        ("(launcher floor: `python -c 'import re'`)", launcher_floor, "`python -c pass`", python_pass, 1.5),
        ("`index --check`", wall(pepctl + ["index", "--check"], runs), "read + heading regex", baseline, 2.0),
        ("`list`", wall(pepctl + ["list"], runs), "read + heading regex", baseline, 2.0),
    ]
    print(f"corpus: {corpus} ({machine()}, median of {runs} runs)\n")
    print(table(rows))


if __name__ == "__main__":
    main()
