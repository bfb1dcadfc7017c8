"""Time `pepctl site build`: a full build, a rebuild after editing one PEP, and mkdocs on the same files.

Usage: python bench/site_bench.py [CORPUS_DIR] [--runs N] [--mkdocs-runs M] [--no-mkdocs] [--fresh-folders]
                                  [--compare-with OTHER_PEPCTL]

- full build: `pepctl site build` into an empty folder, median of N runs (default 5);
- rebuild: one PEP file edited (a line appended), then `pepctl site build` into the
  folder of the previous build, median of N runs;
- mkdocs: `mkdocs build` of a copy of the same files with a minimal mkdocs.yml,
  median of M runs (default 3; each takes half a minute). mkdocs is installed
  into this Python by this script when missing: it is no dependency of pepctl.

Every command runs as a user runs it (the installed console script, in a
fresh process), so the figures include start-up. Prints a Markdown table and
writes the figures to bench/results/site.json.

By default each full build (and each mkdocs build) goes into the folder the
previous run used, emptied first. With --fresh-folders each run gets a new
folder and nothing is deleted until the end: on a file system that avoids
reusing recently freed inodes (ext4 without a journal scans past every inode
freed in the last minutes, for every file it creates), deleting the previous
output makes the next build's thousand file creations slower, and more so
with every run.

With --compare-with, the pepctl console script of another install (e.g. the
code before a refactoring) is timed too: every round builds with both, in
turn (A B, B A, ...), each into its own folders, and the table gives both
medians and this / other (ok when at most 1.05, i.e. within 5%); mkdocs, when
not skipped, is measured once and divided by both. The figures go to
bench/results/site-compare.json instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_CORPUS, REPO, in_turn, machine, pepctl_command, prepare

FULL_TARGET = 2.0  # seconds
REBUILD_TARGET = 0.5
RATIO_TARGET = 15.0
SAME_WITHIN = 1.05  # --compare-with: this pepctl may be at most 5% slower than the other


def timed(cmd: list[str], cwd: str | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-800:]}")
    return elapsed


def tag(pepctls: list, k: int) -> str:
    """Suffix of the folders of the k-th pepctl: none when there is only one."""
    return "" if len(pepctls) == 1 else f"-{k}"


def full_builds(pepctls: list[list[str]], corpus: str, work: Path, runs: int, fresh: bool = False) -> list[list[float]]:
    """The samples of each pepctl; in every round each builds once, in turn."""
    samples: list[list[float]] = [[] for _ in pepctls]
    for run in range(runs + 1):  # the first run warms the file cache and is dropped
        for k in in_turn(run, len(pepctls)):
            out = work / ((f"full-{run}" if fresh else "full") + tag(pepctls, k))
            shutil.rmtree(out, ignore_errors=True)
            samples[k].append(timed(pepctls[k] + ["--dir", corpus, "site", "build", "-o", str(out)]))
    return [s[1:] for s in samples]


def rebuilds(pepctls: list[list[str]], corpus: str, work: Path, runs: int) -> list[list[float]]:
    """The samples of each pepctl, each on its own copy of the corpus and its own site."""
    builds, targets = [], []
    for k, pepctl in enumerate(pepctls):
        folder = work / f"edited{tag(pepctls, k)}"
        shutil.copytree(corpus, folder)
        out = work / f"incremental{tag(pepctls, k)}"
        builds.append(pepctl + ["--dir", str(folder), "site", "build", "-o", str(out)])
        timed(builds[k])
        targets.append(sorted(folder.glob("PEP-0*.md"))[len(list(folder.glob("PEP-0*.md"))) // 2])
    samples: list[list[float]] = [[] for _ in pepctls]
    for run in range(runs + 1):
        for k in in_turn(run, len(pepctls)):
            with open(targets[k], "a", encoding="utf-8") as handle:
                handle.write(f"\nEdited for the benchmark, round {run}.\n")
            samples[k].append(timed(builds[k]))
    return [s[1:] for s in samples]


def ensure_mkdocs() -> None:
    if importlib.util.find_spec("mkdocs") is None:
        print("installing mkdocs for the comparison (not a pepctl dependency) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mkdocs"], check=True)


def mkdocs_builds(corpus: str, work: Path, runs: int, fresh: bool = False) -> list[float]:
    ensure_mkdocs()
    project = work / "mkdocs"
    shutil.copytree(corpus, project / "docs")
    (project / "mkdocs.yml").write_text("site_name: PEPs\nuse_directory_urls: false\n", encoding="utf-8")
    samples = []
    for run in range(runs):
        site = f"site-{run}" if fresh else "site"
        shutil.rmtree(project / site, ignore_errors=True)
        samples.append(timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", site], cwd=str(project)))
    return samples


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mkdocs-runs", type=int, default=3)
    parser.add_argument("--no-mkdocs", action="store_true", help="skip the mkdocs comparison")
    parser.add_argument("--fresh-folders", action="store_true",
                        help="a new output folder for every run, nothing deleted between runs")
    parser.add_argument("--compare-with", metavar="OTHER_PEPCTL",
                        help="another pepctl console script, timed in turn with this one")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be 5 or more")
    if args.compare_with:
        compare(args)
        return
    prepare()
    pepctl = pepctl_command()
    results: dict = {"machine": machine(), "corpus": args.corpus, "runs": args.runs,
                     "fresh_folders": args.fresh_folders}
    with tempfile.TemporaryDirectory(prefix="pepctl-site-bench-") as tmp:
        work = Path(tmp)
        [full] = full_builds([pepctl], args.corpus, work, args.runs, args.fresh_folders)
        [again] = rebuilds([pepctl], args.corpus, work, args.runs)
        results["full_build_s"] = statistics.median(full)
        results["rebuild_one_edit_s"] = statistics.median(again)
        results["full_build_samples"] = full
        results["rebuild_samples"] = again
        if not args.no_mkdocs:
            mk = mkdocs_builds(args.corpus, work, args.mkdocs_runs, args.fresh_folders)
            results["mkdocs_build_s"] = statistics.median(mk)
            results["mkdocs_samples"] = mk
            results["mkdocs_ratio"] = results["mkdocs_build_s"] / results["full_build_s"]

    folders = "a new folder for each run" if args.fresh_folders else "one folder, emptied before each run"
    lines = [f"corpus: {args.corpus} ({machine()}; pepctl: median of {args.runs} runs; {folders})", "",
             "| measurement | median | target |", "|---|---|---|",
             f"| `site build`, full (empty output folder) | {results['full_build_s']:.2f} s | "
             f"<= {FULL_TARGET} s ({verdict(results['full_build_s'] <= FULL_TARGET)}) |",
             f"| `site build` after editing one PEP | {results['rebuild_one_edit_s']:.2f} s | "
             f"<= {REBUILD_TARGET} s ({verdict(results['rebuild_one_edit_s'] <= REBUILD_TARGET)}) |"]
    if "mkdocs_build_s" in results:
        lines.append(f"| `mkdocs build`, same files (median of {args.mkdocs_runs}) | "
                     f"{results['mkdocs_build_s']:.2f} s | |")
        lines.append(f"| mkdocs time / pepctl time | {results['mkdocs_ratio']:.1f}x | "
                     f">= {RATIO_TARGET:.0f}x ({verdict(results['mkdocs_ratio'] >= RATIO_TARGET)}) |")
    print("\n".join(lines))
    folder = REPO / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def compare(args) -> None:
    """--compare-with: this pepctl and the other, round by round, into bench/results/site-compare.json."""
    prepare([args.compare_with])
    pepctls = [pepctl_command(), [args.compare_with]]
    results: dict = {"machine": machine(), "corpus": args.corpus, "runs": args.runs,
                     "fresh_folders": args.fresh_folders, "this": pepctls[0][0], "other": args.compare_with}
    with tempfile.TemporaryDirectory(prefix="pepctl-site-bench-") as tmp:
        work = Path(tmp)
        full = full_builds(pepctls, args.corpus, work, args.runs, args.fresh_folders)
        again = rebuilds(pepctls, args.corpus, work, args.runs)
        mkdocs = None
        if not args.no_mkdocs:
            mk = mkdocs_builds(args.corpus, work, args.mkdocs_runs, args.fresh_folders)
            mkdocs = statistics.median(mk)
            results["mkdocs_build_s"], results["mkdocs_samples"] = mkdocs, mk
    for key, samples in (("full_build", full), ("rebuild_one_edit", again)):
        for side, mine in zip(("this", "other"), samples):
            results[f"{key}_s_{side}"] = statistics.median(mine)
            results[f"{key}_samples_{side}"] = mine

    folders = "a new folder for each run" if args.fresh_folders else "one folder per pepctl, emptied before each run"
    lines = [f"corpus: {args.corpus} ({machine()}; median of {args.runs} runs each, in turn; {folders})",
             f"this pepctl: {pepctls[0][0]}", f"other pepctl: {args.compare_with}", "",
             "| measurement | this pepctl | other pepctl | this / other |", "|---|---|---|---|"]
    for key, name in (("full_build", "`site build`, full (empty output folder)"),
                      ("rebuild_one_edit", "`site build` after editing one PEP")):
        mine, other = results[f"{key}_s_this"], results[f"{key}_s_other"]
        same = "ok" if mine / other <= SAME_WITHIN else "SLOWER"
        lines.append(f"| {name} | {mine:.3f} s | {other:.3f} s | {mine / other:.3f} ({same}) |")
    if mkdocs is not None:
        mine, other = mkdocs / results["full_build_s_this"], mkdocs / results["full_build_s_other"]
        results["mkdocs_ratio_this"], results["mkdocs_ratio_other"] = mine, other
        lines.append(f"| mkdocs time / pepctl time (mkdocs: {mkdocs:.2f} s, median of {args.mkdocs_runs}) "
                     f"| {mine:.1f}x | {other:.1f}x | (as the full build) |")
    print("\n".join(lines))
    folder = REPO / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site-compare.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
