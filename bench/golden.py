"""Record every output of a pepctl on fixed inputs; compare two recordings byte for byte.

Usage:
  python bench/golden.py record OUT [--pepctl PATH] [--corpus DIR]
  python bench/golden.py compare A B
  python bench/golden.py both --before OLD_PEPCTL [--after NEW_PEPCTL] [--corpus DIR] [--keep DIR]

A refactoring that must change no behaviour is proven by recording the old
and the new pepctl and comparing: `record` runs the given console script
(default: the `pepctl` next to this Python) and writes what it printed under
OUT; `compare` prints every file that differs or exists on one side only,
with the start of a unified diff, and exits 1 when there is any (0 when the
recordings are identical); `both` records the two into temporary folders
(or into --keep DIR/before and DIR/after) and compares them.

Inputs, rebuilt for each recording at the same fixed place
(<tempdir>/pepctl-golden/, so both recordings see the same absolute paths;
a second recording started meanwhile waits for the first, by a lock file):
- plano: the corpus (default: the shared plano-1k) committed in one commit
  to a fresh git repository, under docs/peps, fixed names, emails and dates;
- history: a generated repository with real status history, 40 PEPs x 4
  status changes, from history_bench.py's generator (fixed dates too).

Under OUT/<input>/ each command leaves NAME.stdout, NAME.stderr, NAME.exit:
check in every format (json also with PEPCTL_JOBS=1) and with --select,
--changed-since or one file, list, show of every PEP (text and json,
concatenated into show.txt and show-json.txt with a header line per PEP),
index --check, history, rules, config, config --schema, next, new --dry-run,
status --dry-run on one PEP of each status towards every state, a few error
cases, and the help of every command; commands run with the repository as
the current folder and --dir pointing at its PEP folder. Writes are recorded
on a copy of the PEP folder: `index`, `status` and `new`, each with the bytes
of every file it created or changed in folder write-*/ next to its output.
`site build` is recorded whole (under site/ and site-base-url/, the second
built with --base-url and -j 1), except the build cache folder .pepctl-cache,
which is internal state; a second build (nothing to do) is recorded too.
OUT/commands.txt lists every command in order.

It takes about 3 to 5 minutes per recording on 2 CPUs (2,400 `show` runs,
on WORKERS threads, and four site builds).

What is neutralised, so that two runs of the same pepctl give the same bytes:
- the environment: PEPCTL_*, GIT_* and GITHUB_* variables are dropped; TZ=UTC,
  LC_ALL=C.UTF-8, COLUMNS=80, SOURCE_DATE_EPOCH fixed, git's global and system
  configuration ignored; output goes to files, so no progress display;
- the build time `site build` prints ("in 1.23 s") reads "in <seconds> s";
- today's date, which `status --reason` and `new` write into the PEP, reads
  <today> (pepctl takes it from the clock: no variable sets it).
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import DEFAULT_CORPUS, pepctl_command
from history_bench import build_repo

WORK = Path(tempfile.gettempdir()) / "pepctl-golden"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
COMMIT_DATE = "2026-01-01T00:00:00+0000"
TARGETS = ["Draft", "Under Review", "Accepted", "Implementing", "Complete", "Declined", "Deferred", "Withdrawn"]
WORKERS = max(2, min(4, os.cpu_count() or 1))  # threads running read-only commands
MARKER = "commands.txt"  # every recording has one: `record` only replaces a folder that has it


def child_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PEPCTL_", "GIT_", "GITHUB_")) and k != "PYTHONHASHSEED"}
    env.update(SOURCE_DATE_EPOCH=EPOCH, TZ="UTC", LC_ALL="C.UTF-8", COLUMNS="80",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    env.update(extra)
    return env


def git(args: list[str], cwd: Path) -> None:
    env = child_env(GIT_AUTHOR_NAME="Golden Author", GIT_AUTHOR_EMAIL="golden@example.org",
                    GIT_COMMITTER_NAME="Golden Author", GIT_COMMITTER_EMAIL="golden@example.org",
                    GIT_AUTHOR_DATE=COMMIT_DATE, GIT_COMMITTER_DATE=COMMIT_DATE)
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def make_inputs(corpus: Path) -> dict[str, Path]:
    """Both input repositories, created afresh; their PEP folders by name."""
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    plano = WORK / "plano"
    shutil.copytree(corpus, plano / "docs" / "peps")
    git(["init", "-q", "."], plano)
    git(["add", "-A"], plano)
    git(["commit", "-q", "-m", "Import the corpus"], plano)
    os.environ.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")  # for the generator's git runs
    build_repo(WORK / "history", peps=40, changes=4)
    return {"plano": plano / "docs" / "peps", "history": WORK / "history" / "docs" / "peps"}


class Recorder:
    """Runs one pepctl on one input and writes what it printed under `out`."""

    def __init__(self, pepctl: str, peps: Path, out: Path):
        self.pepctl, self.peps, self.out = pepctl, peps, out
        self.cwd = peps.parent.parent  # the top of the repository
        self.commands: list[str] = []
        out.mkdir(parents=True)

    def run(self, args: list[str], peps: Path | None = None, cwd: Path | None = None, log: bool = True,
            **env: str):
        """(exit code, stdout, stderr) of `pepctl --dir PEPS ARGS`, listed in commands.txt when `log`."""
        cmd = ["--dir", str(peps or self.peps), *args]
        if log:
            self.log(cmd, env)
        done = subprocess.run([self.pepctl, *cmd], cwd=cwd or self.cwd, env=child_env(**env),
                              capture_output=True, check=False)
        return done.returncode, done.stdout, done.stderr

    def log(self, cmd: list[str], env: dict) -> None:
        self.commands.append("".join(f"{k}={v} " for k, v in env.items()) + f"pepctl {' '.join(cmd)}")

    def save(self, name: str, result, scrub=None) -> None:
        code, stdout, stderr = result
        if scrub:
            stdout, stderr = scrub(stdout), scrub(stderr)
        (self.out / f"{name}.stdout").write_bytes(stdout)
        (self.out / f"{name}.stderr").write_bytes(stderr)
        (self.out / f"{name}.exit").write_text(f"{code}\n")

    def parallel(self, jobs: list[tuple[str, list[str], dict]]) -> list:
        """Run read-only commands on a few threads; the results in order."""
        for _, args, env in jobs:  # listed here, in order: the threads start them in any order
            self.log(["--dir", str(self.peps), *args], env)
        with ThreadPoolExecutor(WORKERS) as pool:
            return list(pool.map(lambda job: self.run(job[1], log=False, **job[2]), jobs))


def scrub_seconds(data: bytes) -> bytes:
    return re.sub(rb" in \d+\.\d+ s\b", b" in <seconds> s", data)


def scrub_today(data: bytes) -> bytes:
    today = datetime.datetime.now(datetime.UTC).date().isoformat()  # children run with TZ=UTC
    return data.replace(today.encode(), b"<today>")


def record_site(rec: Recorder, name: str, extra: list[str]) -> None:
    """Build the site into a fixed folder, build again (nothing to do), keep the files."""
    built = WORK / f"{rec.out.name}-{name}"
    shutil.rmtree(built, ignore_errors=True)
    build = ["site", "build", "-o", str(built), *extra]
    rec.save(name, rec.run(build), scrub_seconds)
    rec.save(f"{name}-again", rec.run(build), scrub_seconds)
    top = str(built)
    shutil.copytree(built, rec.out / name, ignore=lambda d, names: [".pepctl-cache"] if d == top else [])


def record_write(rec: Recorder, name: str, args: list[str]) -> None:
    """Run a command that writes on a fresh copy of the PEP folder; keep every file it changed."""
    copy = WORK / "write" / rec.peps.name
    shutil.rmtree(copy.parent, ignore_errors=True)
    shutil.copytree(rec.peps, copy)
    rec.save(name, rec.run(args, peps=copy, cwd=copy.parent), scrub_today)
    changed = rec.out / name
    changed.mkdir()
    for path in sorted(copy.iterdir()):
        original = rec.peps / path.name
        if not original.exists() or original.read_bytes() != path.read_bytes():
            (changed / path.name).write_bytes(scrub_today(path.read_bytes()))
    for path in rec.peps.iterdir():
        if not (copy / path.name).exists():
            (changed / f"{path.name}.deleted").write_text("")


def record_input(pepctl: str, peps: Path, out: Path) -> list[str]:
    rec = Recorder(pepctl, peps, out)
    code, listed, _ = rec.run(["list", "--format", "json"])
    peps_listed = json.loads(listed) if code == 0 else []
    numbers = [str(p["number"]) for p in peps_listed]

    record_site(rec, "site", [])
    record_site(rec, "site-base-url", ["--base-url", "https://peps.example.org/", "-j", "1"])

    # one PEP of each status (the lowest number), for the transitions
    first = {}
    for p in peps_listed:
        first.setdefault(p["status"], str(p["number"]))
    record_write(rec, "write-index", ["index"])
    record_write(rec, "write-new", ["new", "Golden Test Proposal", "--author", "Golden Author (@golden)"])
    if "Draft" in first:
        record_write(rec, "write-status", ["status", first["Draft"], "Withdrawn"])
    if "Under Review" in first:
        record_write(rec, "write-status-reason", ["status", first["Under Review"], "Declined", "--reason",
                                                  "Superseded by a simpler design."])

    jobs: list[tuple[str, list[str], dict]] = []

    def add(name, args, **env):
        jobs.append((name, args, env))

    for fmt in ("json", "text", "sarif", "github"):
        add(f"check-{fmt}", ["check", "--format", fmt])
    add("check-json-jobs1", ["check", "--format", "json"], PEPCTL_JOBS="1")
    add("check-select", ["check", "--select", "H", "--ignore", "H001"])
    add("check-one-file", ["check", str(sorted(peps.glob("PEP-0*.md"))[1])])
    add("check-missing-file", ["check", str(peps / "PEP-9999-missing.md")])
    add("check-changed-since-head", ["check", "--changed-since", "HEAD"])
    add("check-changed-since", ["check", "--changed-since", "HEAD~10"])  # plano has one commit: an error
    for fmt in ("json", "csv", "table"):
        add(f"list-{fmt}", ["list", "--format", fmt])
    add("list-json-jobs1", ["list", "--format", "json"], PEPCTL_JOBS="1")
    add("list-status", ["list", "--status", "Draft", "--status", "Under Review"])
    add("index-check", ["index", "--check"])
    add("index-check-jobs1", ["index", "--check"], PEPCTL_JOBS="1")
    for fmt in ("json", "text"):
        add(f"history-{fmt}", ["history", "--format", fmt])
    if numbers:
        add("history-one", ["history", numbers[-1], "--format", "json"])
    add("rules", ["rules"])
    add("rules-json", ["rules", "--format", "json"])
    add("config", ["config"])
    add("config-json", ["config", "--format", "json"])
    add("config-schema", ["config", "--schema"])
    add("next", ["next"])
    add("new-dry-run", ["new", "Golden Test Proposal", "--dry-run"])
    add("version", ["--version"])
    add("show-missing", ["show", "99999"])
    if numbers:
        add("show-label", ["show", f"PEP-{int(numbers[-1]):04d}"])
    add("status-bad-state", ["status", numbers[0] if numbers else "1", "Bogus", "--dry-run"])
    for status, number in sorted(first.items()):
        for target in TARGETS:
            reason = ["--reason", "Not needed any more."] if target == "Declined" else []
            add(f"status-dry-run-{status.replace(' ', '_')}-{target.replace(' ', '_')}",
                ["status", number, target, "--dry-run", *reason])
    for command in ("", "check", "list", "show", "index", "history", "rules", "config", "next", "new",
                    "status", "site", "site build", "gate", "remind", "sla"):
        add(f"help-{command.replace(' ', '-') or 'pepctl'}", [*command.split(), "--help"])
    for number in numbers:
        add(f"show {number}", ["show", number])
        add(f"show {number} json", ["show", number, "--format", "json"])

    shows = {"show.txt": bytearray(), "show-json.txt": bytearray()}
    for (name, _, _), result in zip(jobs, rec.parallel(jobs)):
        if not name.startswith("show "):
            rec.save(name, result, scrub_today if name.startswith(("new", "status")) else None)
            continue
        code, stdout, stderr = result
        target = shows["show-json.txt" if name.endswith(" json") else "show.txt"]
        target += f"===== pepctl {name} (exit {code}) =====\n".encode() + stdout
        if stderr:
            target += b"----- stderr -----\n" + stderr
    for file, data in shows.items():
        (out / file).write_bytes(bytes(data))
    return rec.commands


def record(out: Path, pepctl: str, corpus: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            sys.exit(f"{out} is not empty and holds no recording; choose another folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    commands = []
    # the inputs live at one fixed place: a second recording on this machine waits for this one
    with open(WORK.with_name("pepctl-golden.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for name, peps in make_inputs(corpus).items():
            commands.append(f"# {name}: {peps}")
            commands += record_input(pepctl, peps, out / name)
        shutil.rmtree(WORK, ignore_errors=True)
    (out / MARKER).write_text("\n".join(commands) + "\n")
    count = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"recorded {len(commands)} commands, {count} files into {out} in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def compare(a: Path, b: Path, excerpts: int = 50) -> int:
    """Print what differs between two recordings, with the start of a diff for the
    first `excerpts` differing files (only the names after that); the number of differing files."""
    left, right = files(a), files(b)
    differing = 0
    for name in sorted(left | right):
        if name not in right or name not in left:
            print(f"only in {a if name in left else b}: {name}")
            differing += 1
            continue
        old, new = (a / name).read_bytes(), (b / name).read_bytes()
        if old == new:
            continue
        differing += 1
        if differing > excerpts:
            print(f"differs: {name}")
            continue
        diff = list(difflib.unified_diff(old.decode("utf-8", "replace").splitlines(),
                                         new.decode("utf-8", "replace").splitlines(),
                                         f"{a}/{name}", f"{b}/{name}", lineterm=""))
        if not diff:  # the same lines, other line endings or final newline
            diff = [f"--- {a}/{name}", f"+++ {b}/{name}", f"(the bytes differ: {len(old)} vs {len(new)} bytes)"]
        print("\n".join(diff[:40]))
        if len(diff) > 40:
            print(f"... ({len(diff) - 40} more diff lines)")
    total = len(left | right)
    print(f"{differing} of {total} files differ" if differing else f"identical: {total} files")
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="record every output of one pepctl")
    rec.add_argument("out", type=Path)
    rec.add_argument("--pepctl", help="console script to run (default: the pepctl next to this Python)")
    rec.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    cmp = sub.add_parser("compare", help="compare two recordings; exit 1 when they differ")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    both = sub.add_parser("both", help="record two pepctls and compare them")
    both.add_argument("--before", required=True, help="the old pepctl console script")
    both.add_argument("--after", help="the new one (default: the pepctl next to this Python)")
    both.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    both.add_argument("--keep", type=Path, help="record into KEEP/before and KEEP/after, kept afterwards")
    args = parser.parse_args()
    for name in ("pepctl", "before", "after"):  # the recordings run in other folders: make paths absolute
        value = getattr(args, name, None)
        if value and os.sep in value:
            setattr(args, name, os.path.abspath(value))

    if args.command == "record":
        record(args.out, args.pepctl or pepctl_command()[0], args.corpus)
    elif args.command == "compare":
        sys.exit(1 if compare(args.a, args.b) else 0)
    else:
        after = args.after or pepctl_command()[0]
        with tempfile.TemporaryDirectory(prefix="pepctl-golden-") as tmp:
            root = args.keep or Path(tmp)
            record(root / "before", args.before, args.corpus)
            record(root / "after", after, args.corpus)
            sys.exit(1 if compare(root / "before", root / "after") else 0)


if __name__ == "__main__":
    main()
