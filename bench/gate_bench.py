"""Time `pepctl gate` end to end against the local fake GitHub server.

Usage: python bench/gate_bench.py [--runs N]

The pull request adds a PEP and carries 100 comments and 30 reviews (two of
them approvals); no other pull request is open. Measured, as medians of N
runs of the installed `pepctl gate` in a child process (interpreter start
included):

- first run: a fresh pull request each time, so the gate creates the summary
  comment, adds the label and sets the status;
- rerun: the same pull request again, nothing changed (only the status is sent);
- dry run: reads only.

Also prints the API requests of each kind of run as the fake server counted
them, and `python -c pass` for scale. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, machine, pepctl_command, prepare

sys.path.insert(0, str(REPO / "tests"))

from fakegithub import PEP_DIR, FakeGitHub, Workspace, pep_text  # noqa: E402


def busy_pull(ws: Workspace, number: int):
    pull = ws.pull({f"{PEP_DIR}/PEP-{number:04d}-cache-things.md": pep_text(number)},
                   title=f"PEP-{number:04d}: Cache things")
    for i in range(100):
        ws.repo.add_comment(pull.number, ["eve", "frank", "gina"][i % 3], f"Comment {i}: what about TTLs?")
    for i in range(28):
        ws.repo.add_review(pull.number, ["eve", "frank", "gina", "alice"][i % 4], "COMMENTED")
    ws.repo.add_review(pull.number, "alice", "APPROVED")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    return pull


def timed(ws: Workspace, args: list[str]) -> tuple[float, int]:
    ws.fake.reset_log()
    start = time.perf_counter()
    result = subprocess.run(pepctl_command() + args, cwd=ws.root, env=ws.env(), capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"pepctl {' '.join(args)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed, ws.fake.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    prepare()
    fake = FakeGitHub().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ws = Workspace(fake, Path(tmp) / "checkout")
            first, rerun, dry = [], [], []
            for i in range(args.runs + 1):
                pull = busy_pull(ws, 100 + i)
                # close the previous pull requests: "no other PR is open"
                for other in ws.repo.pulls.values():
                    if other is not pull:
                        other.state = "closed"
                first.append(timed(ws, ["gate", "--pr", str(pull.number)]))
                rerun.append(timed(ws, ["gate", "--pr", str(pull.number)]))
                dry.append(timed(ws, ["gate", "--pr", str(pull.number), "--dry-run"]))
            baseline = []
            for _ in range(args.runs):
                start = time.perf_counter()
                subprocess.run([sys.executable, "-c", "pass"])
                baseline.append(time.perf_counter() - start)
    finally:
        fake.stop()

    def row(name, samples):
        samples = samples[1:]  # the first one warms the caches
        times = [t for t, _ in samples]
        counts = sorted({c for _, c in samples})
        return f"| {name} | {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms | {', '.join(map(str, counts))} |"

    print(f"`pepctl gate`, PR adding a PEP with 100 comments and 30 reviews, no other open PR ({machine()})")
    print()
    print("| run | median | max | API requests |")
    print("|---|---|---|---|")
    print(row("first run (creates summary, label, status)", first))
    print(row("rerun, nothing changed", rerun))
    print(row("--dry-run", dry))
    print(f"| `python -c pass` | {statistics.median(baseline) * 1000:.0f} ms | {max(baseline) * 1000:.0f} ms | - |")


if __name__ == "__main__":
    os.environ.pop("GITHUB_EVENT_PATH", None)
    main()
