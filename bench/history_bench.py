"""Time `pepctl history` against one `git log --follow -p` per PEP file.

Usage: python bench/history_bench.py [--peps 1000] [--changes 5] [--runs 7]
                                     [--sample N] [--rebuild] [--cache DIR]

The repository is generated once with `git fast-import` (a few seconds, not
thousands of `git commit` runs) and cached under bench/results/, which git
ignores: PEPs in docs/peps, each created as Draft and then changing status
`--changes` times, commits of different PEPs interleaved, one PEP in ten
renamed along the way (and every rename combined with an edit, so only rename
detection can follow it).

Ours is the real command line, `python -m pepctl history --format json`,
median of `--runs` runs. The baseline runs `git log --follow -p -- FILE` for
every current PEP file, one after another; `--sample N` runs it on N files
spread over the folder instead and scales the total up, and the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from common import REPO, machine, prepare, wall

STATUSES = ["Draft", "Under Review", "Draft", "Under Review", "Accepted", "Implementing", "Complete"]
WORDS = (
    "cache route model provider request stream token latency retry budget config policy gateway trace "
    "signal metric upstream fallback schema header listener filter cluster endpoint timeout quota"
).split()
SECTIONS = ["Summary", "Motivation", "Design", "Alternatives Considered", "Compatibility", "Observability",
            "Security Considerations", "Test Plan", "Implementation Plan", "References"]
FORMAT_VERSION = 1  # bump when the generated repository changes shape


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def pep_body(number: int, slug: str, rng: random.Random) -> list[str]:
    """The parts of a PEP that do not change: title and sections (about 5 KB)."""
    sections = []
    for name in SECTIONS:
        paras = "\n\n".join(paragraph(rng, rng.randint(40, 90)) for _ in range(rng.randint(1, 3)))
        sections.append(f"## {name}\n\n{paras}\n")
    return [f"# PEP-{number:04d}: {slug.replace('-', ' ').title()}\n", "\n".join(sections)]


def pep_text(number: int, slug: str, status: str, body: list[str], revision: int) -> str:
    head, sections = body
    return (
        f"{head}\n| Field | Value |\n|---|---|\n| **PEP** | {number:04d} |\n"
        f"| **Title** | {slug.replace('-', ' ').title()} |\n| **Status** | {status} |\n"
        f"| **Author(s)** | Author {number} (@author{number}) |\n| **Created** | 2020-01-01 |\n\n"
        f"{sections}\n<!-- revision {revision} -->\n"
    )


def fast_import_stream(peps: int, changes: int) -> tuple[bytes, int]:
    """A fast-import stream of the whole history, and its number of commits."""
    rng = random.Random(20260101)
    events = []  # (time, pep, step)
    for number in range(1, peps + 1):
        moment = rng.uniform(0, 3 * 365 * 86400)
        for step in range(changes + 1):
            events.append((moment, number, step))
            moment += rng.uniform(86400, 60 * 86400)
    events.sort()
    start = 1577836800  # 2020-01-01
    names = {n: f"proposal-{n:04d}" for n in range(1, peps + 1)}
    bodies = {n: pep_body(n, names[n], random.Random(n)) for n in range(1, peps + 1)}
    renamed = {n for n in range(1, peps + 1) if n % 10 == 3}
    out = bytearray()
    for mark, (moment, number, step) in enumerate(events, start=1):
        when = start + int(moment)
        status = STATUSES[min(step, len(STATUSES) - 1)]
        path = f"docs/peps/PEP-{number:04d}-{names[number]}.md"
        message = f"PEP-{number:04d}: {'add' if step == 0 else 'status ' + status}\n".encode()
        out += b"commit refs/heads/main\n"
        out += f"mark :{mark}\n".encode()
        out += f"author Bench Author <bench@example.org> {when} +0000\n".encode()
        out += f"committer Bench Author <bench@example.org> {when} +0000\n".encode()
        out += b"data %d\n%s" % (len(message), message)
        if number in renamed and step == 3:
            names[number] = f"renamed-{number:04d}"
            new_path = f"docs/peps/PEP-{number:04d}-{names[number]}.md"
            out += f"D {path}\n".encode()
            path = new_path
        content = pep_text(number, names[number], status, bodies[number], step).encode()
        out += f"M 100644 inline {path}\n".encode()
        out += b"data %d\n%s\n" % (len(content), content)
    return bytes(out), len(events)


def build_repo(folder: Path, peps: int, changes: int) -> None:
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(folder)], check=True)
    started = time.perf_counter()
    stream, commits = fast_import_stream(peps, changes)
    subprocess.run(["git", "fast-import", "--quiet"], input=stream, cwd=folder, check=True)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=folder, check=True)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=folder, check=True)
    # packed and with a commit graph, as a clone from a forge would be
    subprocess.run(["git", "gc", "-q"], cwd=folder, check=True)
    (folder / ".bench-complete").write_text(f"{peps} {changes} {FORMAT_VERSION} {commits}\n")
    print(f"generated {folder} ({commits} commits) in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def ensure_repo(cache: Path, peps: int, changes: int, rebuild: bool) -> Path:
    folder = cache / f"history-repo-{peps}x{changes}-v{FORMAT_VERSION}"
    if rebuild or not (folder / ".bench-complete").exists():
        build_repo(folder, peps, changes)
    return folder


def check_output(repo: Path, peps: int, changes: int) -> int:
    """Run ours once and check it found every change; the number of changes."""
    done = subprocess.run([sys.executable, "-m", "pepctl", "history", "--format", "json"], cwd=repo,
                          capture_output=True, check=True)
    data = json.loads(done.stdout)
    expected = peps * (changes + 1)  # the creation counts as None -> Draft
    if len(data) != expected or len({d["number"] for d in data}) != peps:
        sys.exit(f"pepctl history found {len(data)} changes for {len({d['number'] for d in data})} PEPs; "
                 f"expected {expected} for {peps}")
    return len(data)


def baseline(repo: Path, sample: int | None) -> tuple[float, int, int]:
    """(seconds for every file, files run, files in total): one `git log --follow -p` per file."""
    listed = subprocess.run(["git", "ls-files", "-z", "docs/peps"], cwd=repo, capture_output=True, check=True)
    files = sorted(p for p in listed.stdout.decode().split("\0") if p.endswith(".md"))
    chosen = files if not sample or sample >= len(files) else files[:: len(files) // sample][:sample]
    started = time.perf_counter()
    for path in chosen:
        subprocess.run(["git", "log", "--follow", "-p", "--", path], cwd=repo, stdout=subprocess.DEVNULL, check=True)
    elapsed = time.perf_counter() - started
    return elapsed * len(files) / len(chosen), len(chosen), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peps", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=5, help="status changes per PEP after its creation")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sample", type=int, help="run the baseline on this many files and scale up (>= 100)")
    parser.add_argument("--rebuild", action="store_true", help="generate the repository again")
    parser.add_argument("--cache", default=str(REPO / "bench" / "results"))
    args = parser.parse_args()
    if args.sample is not None and args.sample < 100:
        parser.error("--sample must be at least 100")
    prepare()
    repo = ensure_repo(Path(args.cache), args.peps, args.changes, args.rebuild)
    found = check_output(repo, args.peps, args.changes)

    os.chdir(repo)  # as a user would run it: from the top of the clone
    ours = wall([sys.executable, "-m", "pepctl", "history", "--format", "json"], args.runs, warmup=1, ok=(0,))
    base, ran, total = baseline(repo, args.sample)
    how = f"all {total} files" if ran == total else f"{ran} of {total} files, scaled up ×{total / ran:.1f}"
    ratio = base / ours
    verdict = "ok" if ratio >= 20 else "MISSED"
    commits = (repo / ".bench-complete").read_text().split()[3]
    print(f"repository: {args.peps} PEPs × {args.changes} status changes ({commits} commits, {found} changes "
          f"found); {machine()}\n")
    print("| measurement | ours: `pepctl history --format json` (median of "
          f"{args.runs}) | baseline: `git log --follow -p` per file ({how}) | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| history of every PEP | {ours:.3f} s | {base:.2f} s | {ratio:.1f}× faster | ≥ 20× ({verdict}) |")


if __name__ == "__main__":
    main()
