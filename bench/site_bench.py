"""Time `pepctl site build` against its peers: full builds cold and with the cache warm, one-PEP rebuilds at
1,000 and 10,000 PEPs, the peak memory of a 10,000-PEP build, and mkdocs and Sphinx on the same files.

Usage: python bench/site_bench.py [CORPUS_DIR] [--runs N] [--peer-runs M] [--no-peers] [--no-sphinx] [--no-10k]
                                  [--fresh-folders] [--compare-with OTHER_PEPCTL]

- full build, cold: `pepctl site build` into an empty folder with no build cache, median of N runs
  (default 5; one more first run warms the file cache and is dropped);
- full build, highlight cache warm: the same, the output folder deleted and the build cache's
  records dropped, its highlighted code kept (what a CI job that restores the cache folder does);
- full build, whole cache warm: the output folder deleted, the cache kept (records and code reused);
- rebuild: one PEP file edited (a line appended), then `pepctl site build` into the folder of the
  previous build, median of N runs; on the corpus and on a 10,000-PEP corpus generated from it
  (every file copied under new numbers until there are 10,000: header and file name renumbered);
- peak memory of a cold full build of the 10,000 PEPs: the largest sum of the resident memory of
  the build's processes (pepctl and its workers), sampled from /proc every 20 ms, and the largest
  single process (getrusage of the children);
- peers, median of M runs each (default 3): `mkdocs build` with Pygments highlighting (the
  `codehilite` and `fenced_code` extensions) of a copy of the same files, and `sphinx-build -b html`
  with MyST over them (a generated conf.py and an index with a glob toctree). They are installed
  from PyPI into their own virtual environment, bench/results/peers (git-ignored); none is a
  dependency of pepctl.

Every command runs as a user runs it (the installed console script, in a fresh process), so the
figures include start-up. Prints a Markdown table, the load average before and after (the machine
may be shared), and writes the figures to bench/results/site.json.

By default each full build (and each peer build) goes into the folder the previous run used,
emptied first. With --fresh-folders each run gets a new folder and nothing is deleted until the
end (a warm run takes the build cache of the run before it, moved beside its new folder, as a CI
job restores its cache into a fresh checkout): on a file system that avoids reusing recently freed inodes (ext4 without a journal scans past
every inode freed in the last minutes, for every file it creates), deleting the previous output
makes the next build's thousand file creations slower, and more so with every run.

With --compare-with, the pepctl console script of another install (e.g. the code before a
refactoring) is timed too: every round builds with both, in turn (A B, B A, ...), each into its
own folders, and the table gives both medians and this / other (ok when at most 1.05, i.e. within
5%). The figures go to bench/results/site-compare.json instead.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import DEFAULT_CORPUS, REPO, in_turn, machine, pepctl_command, prepare

REBUILD_TARGET = 0.5  # seconds, on the corpus
REBUILD_10K_TARGET = 1.0  # seconds, on 10,000 PEPs
MKDOCS_RATIO = 15.0  # mkdocs time / pepctl's cold full build
SPHINX_RATIO = 30.0
WARM_MKDOCS_RATIO = 25.0  # mkdocs time / pepctl's full build with the highlight cache warm
MEMORY_TARGET = 500  # MB, the processes of a 10,000-PEP full build together
BIG = 10_000
SAME_WITHIN = 1.05  # --compare-with: this pepctl may be at most 5% slower than the other


CPU: dict[str, list[float]] = {}  # label -> CPU seconds (user + system) of each timed run, its processes together


def timed(cmd: list[str], cwd: str | None = None, label: str | None = None) -> float:
    """Wall seconds of one run of `cmd`; with `label`, its CPU seconds go to CPU[label] too (the machine
    may be shared: CPU time says what the work cost, whatever else ran meanwhile)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-800:]}")
    if label is not None:
        CPU.setdefault(label, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed


def tag(pepctls: list, k: int) -> str:
    """Suffix of the folders of the k-th pepctl: none when there is only one."""
    return "" if len(pepctls) == 1 else f"-{k}"


def cache_of(out: Path) -> Path:
    """Where pepctl keeps the build cache of an output folder (pepctl.site.cache.cache_dir: beside it)."""
    return out.parent / f".{out.name}.pepctl-cache"


def forget_records(out: Path) -> None:
    """Keep only the highlighted code of a build cache: a build then remakes every record and page."""
    db = sqlite3.connect(cache_of(out) / "site.sqlite")
    db.execute("UPDATE meta SET value = 'forgotten' WHERE key = 'version'")
    db.commit()
    db.close()


def full_builds(pepctls: list[list[str]], corpus: str, work: Path, runs: int, fresh: bool = False,
                mode: str = "cold") -> list[list[float]]:
    """The samples of each pepctl; in every round each builds once, in turn. `mode`: "cold" (no output, no
    cache), "highlight" (no output; the cache's highlighted code only), "warm" (no output; the whole cache)."""
    samples: list[list[float]] = [[] for _ in pepctls]
    for run in range(runs + 1):  # the first run warms the file cache (and, warm, the build cache) and is dropped
        for k in in_turn(run, len(pepctls)):
            out = work / ((f"full-{mode}-{run}" if fresh else f"full-{mode}") + tag(pepctls, k))
            if fresh and mode != "cold" and run:  # the last run's cache, moved beside the new folder
                os.rename(cache_of(work / (f"full-{mode}-{run - 1}" + tag(pepctls, k))), cache_of(out))
            shutil.rmtree(out, ignore_errors=True)
            if mode == "cold":
                shutil.rmtree(cache_of(out), ignore_errors=True)
            elif mode == "highlight" and run:
                forget_records(out)
            label = f"full_{mode}" if run and len(pepctls) == 1 else None
            samples[k].append(timed(pepctls[k] + ["--dir", corpus, "site", "build", "-o", str(out)], label=label))
    return [s[1:] for s in samples]


def rebuilds(pepctls: list[list[str]], corpus: str, work: Path, runs: int, label: str = "") -> list[list[float]]:
    """The samples of each pepctl, each on its own copy of the corpus and its own site."""
    builds, targets = [], []
    for k, pepctl in enumerate(pepctls):
        folder = work / f"edited{label}{tag(pepctls, k)}"
        shutil.copytree(corpus, folder)
        out = work / f"incremental{label}{tag(pepctls, k)}"
        builds.append(pepctl + ["--dir", str(folder), "site", "build", "-o", str(out)])
        timed(builds[k])
        files = sorted(folder.glob("PEP-0*.md"))
        targets.append(files[len(files) // 2])
    samples: list[list[float]] = [[] for _ in pepctls]
    for run in range(runs + 1):
        for k in in_turn(run, len(pepctls)):
            with open(targets[k], "a", encoding="utf-8") as handle:
                handle.write(f"\nEdited for the benchmark, round {run}.\n")
            samples[k].append(timed(builds[k], label=f"rebuild{label}" if run and len(pepctls) == 1 else None))
    return [s[1:] for s in samples]


NAME_RE = re.compile(r"PEP-(\d{4})-(.*)\.md$")


def make_corpus(source: Path, target: Path, total: int) -> Path:
    """`total` PEPs: the corpus's files, then copies of them under numbers no file has (the number in the
    file name, the title heading and the header table renumbered; `-cN` added to the name of copy N)."""
    files = sorted(path for path in source.iterdir() if NAME_RE.match(path.name))
    used = {int(NAME_RE.match(path.name).group(1)) for path in files}
    free = (number for number in range(10_000) if number not in used)
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file():
            shutil.copyfile(path, target / path.name)
    count, copy = len(files), 1
    while count < total:
        for path in files[: total - count]:
            old, rest = NAME_RE.match(path.name).groups()
            new = f"{next(free):04d}"
            text = path.read_text(encoding="utf-8")
            text = re.sub(rf"^# PEP-{old}\b", f"# PEP-{new}", text, count=1, flags=re.M)
            text = re.sub(rf"^\| \*\*PEP\*\* \| {old} \|", f"| **PEP** | {new} |", text, count=1, flags=re.M)
            (target / f"PEP-{new}-{rest}-c{copy}.md").write_text(text, encoding="utf-8")
            count += 1
        copy += 1
    return target


def tree_memory(root: int) -> tuple[int, int]:
    """(resident, proportional) memory in bytes of a process and all its descendants, from /proc: the
    resident sum counts a page shared by forked processes once in each, the proportional (PSS) splits it."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree and pid not in tree}
        tree |= more
        grew = bool(more)
    rss = pss = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith(b"Pss:"):
                        pss += int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            pass
    return rss, pss


def peak_memory(cmd: list[str]) -> tuple[float, float, float, float]:
    """(seconds, peak MB of the process tree's PSS summed, of its RSS summed, peak MB of its largest process)
    of one run of `cmd`."""
    code = ("import resource, subprocess, sys, time\n"
            "start = time.perf_counter()\n"
            "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "print(child.pid, flush=True)\n"
            "code = child.wait()\n"
            "print(time.perf_counter() - start, code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    wrapper = subprocess.Popen([sys.executable, "-c", code, *cmd], stdout=subprocess.PIPE, text=True)
    pid = int(wrapper.stdout.readline())
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = tree_memory(pid)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    seconds, code, largest = wrapper.stdout.readline().split()
    wrapper.wait()
    done.set()
    sampler.join()
    if code != "0":
        sys.exit(f"{' '.join(cmd)} failed ({code})")
    return float(seconds), peak[0] / 1e6, peak[1] / 1e6, int(largest) / 1e3


PEERS = REPO / "bench" / "results" / "peers"


def ensure_peers() -> Path:
    """The peers' own virtual environment (mkdocs, Sphinx, MyST, Pygments), made on first use."""
    python = PEERS / "bin" / "python"
    if not python.exists():
        print("installing mkdocs, Sphinx and MyST into bench/results/peers (not pepctl dependencies) ...",
              file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    done = subprocess.run([str(python), "-c", "import mkdocs, sphinx, myst_parser, pygments"], capture_output=True)
    if done.returncode:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "mkdocs", "sphinx", "myst-parser", "pygments"],
                       check=True)
    return PEERS / "bin"


MKDOCS_YML = "site_name: PEPs\nuse_directory_urls: false\nmarkdown_extensions:\n  - fenced_code\n  - tables\n  - codehilite\n"
SPHINX_CONF = ('project = "PEPs"\nextensions = ["myst_parser"]\nsource_suffix = {".md": "markdown"}\n'
               'suppress_warnings = ["toc.not_included", "myst.header", "myst.xref_missing"]\n')
SPHINX_INDEX = "# PEPs\n\n```{toctree}\n:glob:\n\n*\n```\n"


def peer_builds(corpus: str, work: Path, runs: int, fresh: bool = False, sphinx_too: bool = True
                ) -> dict[str, list[float]]:
    """mkdocs (codehilite) and (unless not `sphinx_too`) Sphinx + MyST on copies of the corpus, in turn, `runs`
    times each."""
    bin_dir = ensure_peers()
    mkdocs, sphinx = work / "mkdocs", work / "sphinx"
    shutil.copytree(corpus, mkdocs / "docs")
    (mkdocs / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    shutil.copytree(corpus, sphinx / "src")
    (sphinx / "src" / "conf.py").write_text(SPHINX_CONF, encoding="utf-8")
    (sphinx / "src" / "index.md").write_text(SPHINX_INDEX, encoding="utf-8")
    samples: dict[str, list[float]] = {"mkdocs": [], "sphinx": []} if sphinx_too else {"mkdocs": []}
    for run in range(runs):
        site = f"site-{run}" if fresh else "site"
        for name in in_turn(run, len(samples)):
            if name == 0:
                shutil.rmtree(mkdocs / site, ignore_errors=True)
                samples["mkdocs"].append(timed([str(bin_dir / "mkdocs"), "build", "-q", "-d", site], cwd=str(mkdocs),
                                               label="mkdocs"))
            else:
                shutil.rmtree(sphinx / site, ignore_errors=True)
                samples["sphinx"].append(timed([str(bin_dir / "sphinx-build"), "-q", "-b", "html", "src", site],
                                               cwd=str(sphinx), label="sphinx"))
    return samples


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer-runs", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true", help="skip mkdocs and Sphinx")
    parser.add_argument("--no-sphinx", action="store_true", help="mkdocs only (a Sphinx build takes minutes)")
    parser.add_argument("--no-10k", action="store_true", help="skip the 10,000-PEP corpus")
    parser.add_argument("--rebuilds-only", action="store_true",
                        help="only the one-PEP rebuilds (on the corpus and, unless --no-10k, on 10,000 PEPs) and the "
                             "10,000-PEP build's memory")
    parser.add_argument("--fresh-folders", action="store_true",
                        help="a new output folder for every run, nothing deleted between runs (warm runs move the cache along)")
    parser.add_argument("--compare-with", metavar="OTHER_PEPCTL",
                        help="another pepctl console script, timed in turn with this one")
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be 3 or more")
    if args.compare_with:
        compare(args)
        return
    prepare()
    pepctl = pepctl_command()
    results: dict = {"machine": machine(), "corpus": args.corpus, "runs": args.runs, "peer_runs": args.peer_runs,
                     "fresh_folders": args.fresh_folders, "load_before": load(), "load_after": "",
                     "rebuilds_only": args.rebuilds_only}
    with tempfile.TemporaryDirectory(prefix="pepctl-site-bench-") as tmp:
        work = Path(tmp)
        for mode in () if args.rebuilds_only else ("cold", "highlight", "warm"):
            [samples] = full_builds([pepctl], args.corpus, work, args.runs, args.fresh_folders, mode)
            results[f"full_{mode}_s"], results[f"full_{mode}_samples"] = statistics.median(samples), samples
        [again] = rebuilds([pepctl], args.corpus, work, args.runs)
        results["rebuild_s"], results["rebuild_samples"] = statistics.median(again), again
        save(results)
        if not args.no_10k:
            big = make_corpus(Path(args.corpus), work / "corpus-10k", BIG)
            out = work / "full-10k"
            seconds, pss, rss, largest = peak_memory(pepctl + ["--dir", str(big), "site", "build", "-o", str(out)])
            results.update(full_10k_s=seconds, peak_10k_mb=pss, peak_10k_rss_mb=rss, largest_process_10k_mb=largest)
            save(results)
            [again] = rebuilds([pepctl], str(big), work, args.runs, "-10k")
            results["rebuild_10k_s"], results["rebuild_10k_samples"] = statistics.median(again), again
            save(results)
        if not args.no_peers and not args.rebuilds_only:  # last: Sphinx takes minutes a run
            for name, samples in peer_builds(args.corpus, work, args.peer_runs, args.fresh_folders,
                                             not args.no_sphinx).items():
                results[f"{name}_s"], results[f"{name}_samples"] = statistics.median(samples), samples
    results["load_after"] = load()
    save(results)
    print(report(results))


def save(results: dict) -> None:
    """The figures so far, in bench/results/site.json (written after each part: a long run can be cut short)."""
    results["cpu_s"] = {label: statistics.median(samples) for label, samples in CPU.items()}
    results["cpu_samples"] = dict(CPU)
    folder = REPO / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    name = "site-rebuilds.json" if results.get("rebuilds_only") else "site.json"
    (folder / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def report(r: dict) -> str:
    folders = "a new folder for each cold run" if r["fresh_folders"] else "one folder, emptied before each run"
    lines = [f"corpus: {r['corpus']} ({r['machine']}; pepctl: median of {r['runs']} runs, peers: median of "
             f"{r['peer_runs']}; {folders}; load average {r['load_before']} before, {r['load_after']} after)", "",
             "| measurement | median | target |", "|---|---|---|"]
    peers = "mkdocs_s" in r
    for mode, what in (("cold", "full, cold (no output, no cache)"),
                       ("highlight", "full, highlight cache warm (no output, records dropped)"),
                       ("warm", "full, whole cache warm (no output)")):
        seconds = r.get(f"full_{mode}_s")
        if seconds is None:
            continue
        target = ""
        if peers and mode == "cold":
            mk = r["mkdocs_s"] / seconds
            target = f"mkdocs {mk:.1f}x (>= {MKDOCS_RATIO:.0f}x {verdict(mk >= MKDOCS_RATIO)})"
            if "sphinx_s" in r:
                sx = r["sphinx_s"] / seconds
                target += f", Sphinx {sx:.1f}x (>= {SPHINX_RATIO:.0f}x {verdict(sx >= SPHINX_RATIO)})"
        elif peers and mode == "highlight":
            mk = r["mkdocs_s"] / seconds
            target = f"mkdocs {mk:.1f}x (>= {WARM_MKDOCS_RATIO:.0f}x {verdict(mk >= WARM_MKDOCS_RATIO)})"
        elif peers:
            target = f"mkdocs {r['mkdocs_s'] / seconds:.1f}x"
        lines.append(f"| `site build`, {what} | {seconds:.2f} s | {target} |")
    lines.append(f"| `site build` after editing one PEP | {r['rebuild_s']:.3f} s | "
                 f"<= {REBUILD_TARGET} s ({verdict(r['rebuild_s'] <= REBUILD_TARGET)}) |")
    if peers:
        lines.append(f"| `mkdocs build` (codehilite) | {r['mkdocs_s']:.2f} s | |")
        if "sphinx_s" in r:
            lines.append(f"| `sphinx-build -b html` (MyST) | {r['sphinx_s']:.2f} s | |")
        cpu = r.get("cpu_s", {})
        if all(key in cpu for key in ("full_cold", "full_highlight", "mkdocs", "sphinx")):
            lines.append(f"| CPU seconds (user + system, all processes): pepctl cold {cpu['full_cold']:.1f}, highlight "
                         f"cache warm {cpu['full_highlight']:.1f}; mkdocs {cpu['mkdocs']:.1f}, Sphinx "
                         f"{cpu['sphinx']:.1f} | mkdocs / pepctl {cpu['mkdocs'] / cpu['full_cold']:.1f}x cold, "
                         f"{cpu['mkdocs'] / cpu['full_highlight']:.1f}x warm; Sphinx / pepctl "
                         f"{cpu['sphinx'] / cpu['full_cold']:.1f}x cold | |")
    if "full_10k_s" in r:
        lines.append(f"| `site build`, full, cold, {BIG:,} PEPs (one run) | {r['full_10k_s']:.2f} s | |")
        lines.append(f"| peak memory of that build, all its processes together (PSS) | {r['peak_10k_mb']:.0f} MB | "
                     f"<= {MEMORY_TARGET} MB ({verdict(r['peak_10k_mb'] <= MEMORY_TARGET)}) |")
        lines.append(f"| (the same, resident sizes summed: pages shared by fork counted in each) | "
                     f"{r['peak_10k_rss_mb']:.0f} MB | |")
        lines.append(f"| (its largest process alone) | {r['largest_process_10k_mb']:.0f} MB | |")
    if "rebuild_10k_s" in r:
        lines.append(f"| `site build` after editing one PEP, {BIG:,} PEPs | {r['rebuild_10k_s']:.3f} s | "
                     f"<= {REBUILD_10K_TARGET} s ({verdict(r['rebuild_10k_s'] <= REBUILD_10K_TARGET)}) |")
    cpu = r.get("cpu_s", {})
    if "rebuild" in cpu:
        lines.append(f"| CPU seconds of a one-PEP rebuild: {cpu['rebuild']:.2f} on the corpus"
                     + (f", {cpu['rebuild-10k']:.2f} on {BIG:,} PEPs" if "rebuild-10k" in cpu else "") + " | | |")
    return "\n".join(lines)


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
        if not args.no_peers:
            mk = peer_builds(args.corpus, work, args.peer_runs, args.fresh_folders)["mkdocs"]
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
        lines.append(f"| mkdocs time / pepctl time (mkdocs: {mkdocs:.2f} s, median of {args.peer_runs}) "
                     f"| {mine:.1f}x | {other:.1f}x | (as the full build) |")
    print("\n".join(lines))
    folder = REPO / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site-compare.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
