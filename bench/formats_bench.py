"""Time pepctl on the six dialect corpora, against python/peps' own tools.

Usage: python bench/formats_bench.py [--dialects DIR] [--check-peps FILE] [--runs N] [--site-runs N]

- `check` on python/peps' 736 PEPs against their own `check-peps.py` (give its path with
  --check-peps; it is python/peps' file, not part of pepctl), run in turn in the same run
  (A B, B A, ...) on a copy of the PEPs laid out as that script expects (peps/ beside it);
  the findings of each are counted too.
- `check` on every corpus: median time and number of findings.
- `site build` of python/peps: a full build into an empty folder (median of --site-runs), and
  a rebuild with nothing changed, against the time their Sphinx build takes (a figure measured
  elsewhere: --sphinx-seconds, default 318 s = 5 min 18 s; Sphinx is not run here).

Prints Markdown tables. Every figure is the median of the runs of the real installed command.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, machine, pepctl_command, prepare, walls

DIALECTS = REPO.parent / "shared" / "corpora" / "dialects"
CORPORA = [
    ("python-pep", "python-pep/peps"),
    ("eip", "eip/EIPS"),
    ("swift", "swift/proposals"),
    ("rust-rfc", "rust-rfc/text"),
    ("kep", "kep/keps"),
    ("madr (JabRef)", "madr/JabRef+jabref/docs/decisions"),
]


def count_lines(cmd: list[str], cwd: str | None = None) -> int:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-500:]}")
    return len([line for line in done.stdout.splitlines() if line.strip()])


def timed_once(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialects", default=str(DIALECTS))
    parser.add_argument("--check-peps", metavar="FILE", help="python/peps' check-peps.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site-runs", type=int, default=1)
    parser.add_argument("--sphinx-seconds", type=float, default=318.0)
    args = parser.parse_args()
    prepare()
    pepctl = pepctl_command()
    root = Path(args.dialects)
    print(f"corpora: {root} ({machine()}, median of {args.runs} runs)\n")

    peps = root / "python-pep" / "peps"
    if args.check_peps:
        with tempfile.TemporaryDirectory(prefix="pepctl-check-peps-") as tmp:
            shutil.copy(args.check_peps, Path(tmp) / "check-peps.py")
            shutil.copytree(peps, Path(tmp) / "peps")
            theirs = [sys.executable, str(Path(tmp) / "check-peps.py")]
            ours = pepctl + ["--dir", str(Path(tmp) / "peps"), "check"]
            mine, other = walls([ours, theirs], args.runs)
            found_mine = count_lines(ours)
            found_theirs = count_lines(theirs, cwd=tmp)
        print("| python/peps, 736 PEPs | median | findings |\n|---|---|---|")
        print(f"| `pepctl check` | {mine:.3f} s | {found_mine} |")
        print(f"| `check-peps.py` (same run, in turn) | {other:.3f} s | {found_theirs} |")
        print(f"| ratio | {mine / other:.2f}x ({'faster' if mine < other else 'SLOWER'}) | |\n")
    else:
        print("(no --check-peps given: python/peps' check-peps.py is not part of pepctl; "
              "their figure is 0.77 s, median of 5, on the same PEPs)\n")

    print("| corpus | proposals | `pepctl check` (median) | findings |\n|---|---|---|---|")
    for name, rel in CORPORA:
        folder = root / rel
        if not folder.is_dir():
            continue
        cmd = pepctl + ["--dir", str(folder), "check"]
        median = walls([cmd], args.runs)[0]
        listed = count_lines(pepctl + ["--dir", str(folder), "list"])
        print(f"| {name} | {listed} | {median:.3f} s | {count_lines(cmd)} |")

    print("\n| python/peps site | median | vs Sphinx ({:.0f} s) |\n|---|---|---|".format(args.sphinx_seconds))
    full, again = [], []
    for _ in range(args.site_runs):
        with tempfile.TemporaryDirectory(prefix="pepctl-site-") as out:
            full.append(timed_once(pepctl + ["--dir", str(peps), "site", "build", "-o", out]))
            again.append(timed_once(pepctl + ["--dir", str(peps), "site", "build", "-o", out]))
    for label, samples in (("full build, empty folder", full), ("rebuild, nothing changed", again)):
        median = statistics.median(samples)
        print(f"| `site build`, {label} | {median:.2f} s | {args.sphinx_seconds / median:.0f}x faster |")
    print(f"\n(jobs: {os.environ.get('PEPCTL_JOBS', 'one per CPU')})")


if __name__ == "__main__":
    main()
