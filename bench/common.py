"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "plano-1k"


def prepare(others: list[str] = ()) -> None:
    """Make every run start as an installed tool does: with bytecode compiled.

    pip compiles .pyc files at install time, but an editable install (or an
    environment with PYTHONDONTWRITEBYTECODE set) leaves the sources to be
    compiled on every start, which would time the compiler, not pepctl.
    `others` are pepctl console scripts of other installs, prepared alike.
    """
    import compileall
    import sysconfig

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    for folder in {REPO / "src", Path(sysconfig.get_paths()["purelib"])}:
        compileall.compile_dir(str(folder), quiet=1)
    for script in others:
        # compiled by that install's own interpreter: its pepctl package
        # (wherever it lives, e.g. an editable checkout) and its site-packages
        code = ("import compileall, os, sysconfig, pepctl; "
                "compileall.compile_dir(os.path.dirname(pepctl.__file__), quiet=1); "
                "compileall.compile_dir(sysconfig.get_paths()['purelib'], quiet=1)")
        subprocess.run([script_python(script), "-c", code], check=True, stdout=subprocess.DEVNULL)


def script_python(script: str) -> str:
    """The interpreter a pip console script starts: its #! line or, when that
    is /bin/sh (very long paths), the exec line below it."""
    with open(script, "rb") as handle:
        head = handle.read(1000).decode("utf-8", "replace")
    found = re.match(r"#!(\S*python\S*)", head) or re.search(r"^'''exec' \"?([^\" ]+)", head, re.MULTILINE)
    if not found:
        sys.exit(f"{script}: not a pip console script (no Python in its first lines)")
    return found.group(1)


def pepctl_command() -> list[str]:
    """The installed console script next to this interpreter (what users run)."""
    script = Path(sys.executable).with_name("pepctl")
    if not script.exists():
        sys.exit("pepctl is not installed next to this Python; run: pip install -e .")
    return [str(script)]


def wall(cmd: list[str], runs: int, warmup: int = 2, ok=(0, 1)) -> float:
    """Median wall time in seconds of `runs` executions (after warm-up runs)."""
    return walls([cmd], runs, warmup, ok)[0]


def in_turn(round: int, count: int) -> list[int]:
    """The order in which `count` alternatives run in this round: 0 1 ..., reversed every other round."""
    order = list(range(count))
    return order[::-1] if round % 2 else order


def walls(cmds: list[list[str]], runs: int, warmup: int = 2, ok=(0, 1)) -> list[float]:
    """`wall` for several commands at once, one median each. They run in turn so
    that drift (other load, CPU clock, file cache) hits each alike; the order
    flips every round (A B, B A, A B, ...) so neither always follows the other."""
    samples: list[list[float]] = [[] for _ in cmds]
    for i in range(warmup + runs):
        for k in in_turn(i, len(cmds)):
            start = time.perf_counter()
            result = subprocess.run(cmds[k], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
            elapsed = time.perf_counter() - start
            if result.returncode not in ok:
                sys.exit(f"{' '.join(cmds[k])} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
            if i >= warmup:
                samples[k].append(elapsed)
    return [statistics.median(s) for s in samples]


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


class EmptyConsoleScript:
    """An empty console script installed by pip into this venv for the length of a `with` block:
    the floor no installed command can beat (pip's launcher imports `re` and the entry point's
    package, then calls a function that returns at once). Uninstalled afterwards."""

    NAME = "pepctl-bench-empty"

    def __enter__(self) -> str:
        import tempfile

        self.tmp = tempfile.TemporaryDirectory(prefix="pepctl-bench-empty-")
        package = Path(self.tmp.name)
        (package / "pepctl_bench_empty").mkdir()
        (package / "pepctl_bench_empty" / "__init__.py").write_text("def main():\n    return 0\n")
        (package / "pyproject.toml").write_text(
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
            f'[project]\nname = "{self.NAME}"\nversion = "0"\n'
            f'[project.scripts]\n{self.NAME} = "pepctl_bench_empty:main"\n'
        )
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", str(package)],
                       check=True, stdout=subprocess.DEVNULL)
        return str(Path(sys.executable).with_name(self.NAME))

    def __exit__(self, *exc) -> None:
        subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", self.NAME], stdout=subprocess.DEVNULL)
        self.tmp.cleanup()

