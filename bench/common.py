"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "plano-1k"


def prepare() -> None:
    """Make every run start as an installed tool does: with bytecode compiled.

    pip compiles .pyc files at install time, but an editable install (or an
    environment with PYTHONDONTWRITEBYTECODE set) leaves the sources to be
    compiled on every start, which would time the compiler, not pepctl.
    """
    import compileall
    import sysconfig

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    for folder in {REPO / "src", Path(sysconfig.get_paths()["purelib"])}:
        compileall.compile_dir(str(folder), quiet=1)


def pepctl_command() -> list[str]:
    """The installed console script next to this interpreter (what users run)."""
    script = Path(sys.executable).with_name("pepctl")
    if not script.exists():
        sys.exit("pepctl is not installed next to this Python; run: pip install -e .")
    return [str(script)]


def wall(cmd: list[str], runs: int, warmup: int = 2, ok=(0, 1)) -> float:
    """Median wall time in seconds of `runs` executions (after warm-up runs)."""
    samples = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if result.returncode not in ok:
            sys.exit(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
        if i >= warmup:
            samples.append(elapsed)
    return statistics.median(samples)


def table(rows: list[tuple[str, float, str, float, float]]) -> str:
    lines = [
        "| measurement | pepctl (median) | baseline | baseline (median) | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, ours, base_name, base, target in rows:
        ratio = ours / base
        verdict = "ok" if ratio <= target else "MISSED"
        lines.append(
            f"| {name} | {ours * 1000:.1f} ms | {base_name} | {base * 1000:.1f} ms | {ratio:.2f}x | <= {target}x ({verdict}) |"
        )
    return "\n".join(lines)


def machine() -> str:
    return f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {sys.platform}"
