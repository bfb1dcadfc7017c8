"""Time `pepctl check`, `index --check` and `list` against their baselines.

Usage: python bench/check_bench.py [CORPUS_DIR] [--runs N] [--compare-with OTHER_PEPCTL]

Every figure is the median of N runs (default 9) of the real command, with
its baseline measured in the same run: a plain script that reads every file
and finds its headings with one regex (corpus-wide commands), and an empty
console script that pip installs into this venv for the run (one-file check:
the launcher is the floor no installed command can beat). Prints a Markdown table.

With --compare-with, the pepctl console script of another install (e.g. the
code before a refactoring) is timed too, run for run in turn with this one
(A B, B A, ...), against the same baselines: the table gives both figures,
both ratios and this / other (ok when at most 1.05, i.e. within 5%).
"""

from __future__ import annotations

import argparse
import sys

from common import DEFAULT_CORPUS, REPO, EmptyConsoleScript, machine, pepctl_command, prepare, table, wall, walls

SAME_WITHIN = 1.05  # --compare-with: this pepctl may be at most 5% slower than the other


def compare_table(rows: list[tuple[str, float, float, str, float, float]]) -> str:
    lines = [
        ("| measurement | this pepctl | other pepctl | baseline | baseline (median) | ratio (this) "
         "| ratio (other) | target | this / other |"),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, ours, other, base_name, base, target in rows:
        verdict = "ok" if ours / base <= target else "MISSED"
        same = "ok" if ours / other <= SAME_WITHIN else "SLOWER"
        lines.append(
            f"| {name} | {ours * 1000:.1f} ms | {other * 1000:.1f} ms | {base_name} | {base * 1000:.1f} ms "
            f"| {ours / base:.2f}x | {other / base:.2f}x | <= {target}x ({verdict}) | {ours / other:.3f} ({same}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--compare-with", metavar="OTHER_PEPCTL",
                        help="another pepctl console script, timed in turn with this one")
    args = parser.parse_args()
    corpus, runs = args.corpus, args.runs
    others = [args.compare_with] if args.compare_with else []
    prepare(others)
    pepctls = [pepctl_command() + ["--dir", corpus]] + [[other, "--dir", corpus] for other in others]
    one_file = f"{corpus}/PEP-0001-private-fields.md"

    def timed(args: list[str]) -> list[float]:
        """Medians of the command for this pepctl and the other (when given), in turn."""
        return walls([pepctl + args for pepctl in pepctls], runs)

    baseline = wall([sys.executable, str(REPO / "bench" / "headings_baseline.py"), corpus], runs)
    python_pass = wall([sys.executable, "-c", "pass"], runs)
    # pip's console-script launcher imports `re` before pepctl runs: the floor
    # any installed command starts from.
    launcher_floor = wall([sys.executable, "-c", "import re, sys"], runs)
    with EmptyConsoleScript() as empty:
        empty_script = wall([empty], runs)
    rows = [
        ("`check` (whole corpus)", timed(["check"]), "read + heading regex", baseline, 2.0),
        ("`check` (one file)", timed(["check", one_file]), "empty console script", empty_script, 1.5),
        ("(launcher floor: `python -c 'import re'`)", [launcher_floor] * len(pepctls), "`python -c pass`",
         python_pass, 1.5),
        ("`index --check`", timed(["index", "--check"]), "read + heading regex", baseline, 2.0),
        ("`list`", timed(["list"]), "read + heading regex", baseline, 2.0),
    ]
    print(f"corpus: {corpus} ({machine()}, median of {runs} runs)\n")
    if not others:
        print(table([(name, mine[0], base_name, base, target) for name, mine, base_name, base, target in rows]))
        return
    print(f"this pepctl: {pepctls[0][0]}\nother pepctl: {others[0]}\n")
    print(compare_table([(name, mine[0], mine[1], base_name, base, target)
                         for name, mine, base_name, base, target in rows if not name.startswith("(")]))
    print(f"\n(empty console script: {empty_script * 1000:.1f} ms; launcher floor, `python -c 'import re'`: "
          f"{launcher_floor * 1000:.1f} ms; `python -c pass`: {python_pass * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
