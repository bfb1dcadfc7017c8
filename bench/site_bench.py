"""Time `pepctl site build`: a full build, a rebuild after editing one PEP, and mkdocs on the same files.

Usage: python bench/site_bench.py [CORPUS_DIR] [--runs N] [--mkdocs-runs M] [--no-mkdocs] [--fresh-folders]

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

from common import DEFAULT_CORPUS, REPO, machine, pepctl_command, prepare

FULL_TARGET = 2.0  # seconds
REBUILD_TARGET = 0.5
RATIO_TARGET = 15.0


def timed(cmd: list[str], cwd: str | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-800:]}")
    return elapsed


def full_builds(pepctl: list[str], corpus: str, work: Path, runs: int, fresh: bool = False) -> list[float]:
    samples = []
    for run in range(runs + 1):  # the first run warms the file cache and is dropped
        out = work / (f"full-{run}" if fresh else "full")
        shutil.rmtree(out, ignore_errors=True)
        samples.append(timed(pepctl + ["--dir", corpus, "site", "build", "-o", str(out)]))
    return samples[1:]


def rebuilds(pepctl: list[str], corpus: str, work: Path, runs: int) -> list[float]:
    folder = work / "edited"
    shutil.copytree(corpus, folder)
    out = work / "incremental"
    build = pepctl + ["--dir", str(folder), "site", "build", "-o", str(out)]
    timed(build)
    target = sorted(folder.glob("PEP-0*.md"))[len(list(folder.glob("PEP-0*.md"))) // 2]
    samples = []
    for run in range(runs + 1):
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"\nEdited for the benchmark, round {run}.\n")
        samples.append(timed(build))
    return samples[1:]


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
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be 5 or more")
    prepare()
    pepctl = pepctl_command()
    results: dict = {"machine": machine(), "corpus": args.corpus, "runs": args.runs,
                     "fresh_folders": args.fresh_folders}
    with tempfile.TemporaryDirectory(prefix="pepctl-site-bench-") as tmp:
        work = Path(tmp)
        full = full_builds(pepctl, args.corpus, work, args.runs, args.fresh_folders)
        again = rebuilds(pepctl, args.corpus, work, args.runs)
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


if __name__ == "__main__":
    main()
