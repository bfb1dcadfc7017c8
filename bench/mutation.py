"""Mutation testing of pepctl's core with mutmut: how many deliberate bugs do the tests catch?

Usage:
    python bench/mutation.py [MODULE ...] [--jobs N] [--workdir DIR] [--resume]
                             [--no-child-processes] [--json FILE]
    python bench/mutation.py [MODULE ...] --count-only | --estimate
    python bench/mutation.py --report-only [--workdir DIR]

MODULE is a file or folder under src/ (``src/pepctl/policy.py``, ``src/pepctl/rules``), a
dotted name (``pepctl.policy``, ``pepctl.review``) or a glob (``src/pepctl/rules/*``). With none,
the scope is the core, the lint rules, the review engine and the site's sanitising: the
``only_mutate`` list of ``[tool.mutmut]`` in pyproject.toml.

Not run in CI: the full scope takes hours to days on 2 CPUs (``--estimate`` says how long; see
docs/performance.md, "Mutation testing"). It installs
mutmut when it is missing (``pip install -e '.[mutation]'`` does the same), copies the project
to a work folder (default ``bench/results/mutation/``, git-ignored) so the checkout is never
touched, runs ``mutmut run`` there and prints the score: killed / total, then every surviving
mutant as ``path:line`` with the line before and after, and the mutants no test reaches.

How the tests are run, and why:

- mutmut runs the test suite in its own process, without pytest-xdist, once to learn which
  tests reach which function, once clean, then for each mutant only the tests that reach its
  function (with ``-x``), in ``--jobs`` forked workers.
- Many tests run ``python -m pepctl`` in a child process. mutmut only sees what runs in its
  own process, so by default this script puts the mutated sources first on the children's
  PYTHONPATH and, while mutmut maps tests to functions, records which functions each child
  ran (a ``sitecustomize`` and a small pytest plugin in the work folder, no change to the
  tests). Without that (``--no-child-processes``), command-line tests neither select nor
  kill mutants, and functions reached only through the command line count as "no tests".
- mutmut skips decorated functions, so every ``@rule`` check and ``@property`` would go
  unmutated: the copy applies those decorators after the definition instead (``undecorate``).
- Each run of the tests is a fresh fork of a process that ran none (``process_isolation`` in
  pyproject.toml), and a mutant's tests run quickest first (the plugin).
- The browser tests (Chromium) are left out; tests that need the 1,188-PEP corpus skip,
  since the work folder is not beside ``shared/``.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORKDIR = REPO / "bench" / "results" / "mutation"
COPIED = ["src", "tests", "docs", "examples", "action.yml", ".pre-commit-hooks.yaml", "README.md"]
MUTMUT = "mutmut>=3.8,<4"
HITS_ENV = "MUTMUT_CHILD_HITS"  # not PEPCTL_*: the gate tests drop those from the environment
MUTANTS_ENV = "MUTMUT_CHILD_SOURCES"

# Started with every Python process the tests start (it is on their PYTHONPATH). While mutmut
# maps tests to functions (MUTANT_UNDER_TEST=stats), the functions a child runs are appended
# to a file the plugin below hands to mutmut after each test. pepctl ends with os._exit, so
# each new name is written at once rather than at exit.
SITECUSTOMIZE = f'''\
import os
import sys

# The mutated copy first, so that `python -m pepctl` runs it rather than the editable install.
# Only once it exists: a folder missing at start-up would be cached as "nothing here" and then
# hide the copy from mutmut's own process too, which puts the same folder first itself.
_mutants = os.environ.get("{MUTANTS_ENV}")
if _mutants and os.path.isdir(_mutants) and _mutants not in sys.path:
    sys.path.insert(0, _mutants)

if os.environ.get("MUTANT_UNDER_TEST") == "stats":
    try:
        import mutmut.mutation.trampoline as _trampoline
    except ImportError:
        pass
    else:
        _seen = set()
        _path = os.environ.get("{HITS_ENV}")
        _out = open(_path, "a", buffering=1, encoding="utf-8") if _path else None

        def _record(name, caller=None):  # mutmut's own would look for its config in the child's folder
            if name not in _seen:
                _seen.add(name)
                if _out is not None:
                    _out.write(name + "\\n")

        _trampoline.record_trampoline_hit = _record
'''

# mutmut runs the mutants it is given in its own order, the quickest tests first: the mutants an
# interrupted run had checked would then be the cheap ones (those of the modules with the fastest
# tests), not a random part of the sample. For a sample, this runs mutmut with that order
# replaced by the sample's own random order (the file ORDER_FILE, one name a line), so the
# mutants checked at any moment are a uniform random subsample and a partial score is unbiased.
ORDER_FILE = "sample-order.txt"
RUN_IN_ORDER = f"""\
import sys
import mutmut.__main__ as main

with open({ORDER_FILE!r}, encoding="utf-8") as f:
    _rank = {{name.strip(): i for i, name in enumerate(f) if name.strip()}}
main.estimated_worst_case_time = lambda name: _rank.get(name, len(_rank))
sys.argv[0] = "mutmut"
main.cli()
"""

PLUGIN = f'''\
"""Hands mutmut the functions that a test's child processes ran (see sitecustomize.py), and runs
a mutant's quickest tests first."""

import io
import os

import pytest

_open = io.open  # kept: this runs before the test's fixtures are torn down, and some patch builtins.open or os.stat


@pytest.hookimpl(tryfirst=True)  # before mutmut's own teardown hook files the hits under the test
def pytest_runtest_teardown(item, nextitem):
    path = os.environ.get("{HITS_ENV}")
    if not path or os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return
    try:
        with _open(path, "r+", encoding="utf-8") as f:
            names = {{line.strip() for line in f if line.strip()}}
            f.seek(0)
            f.truncate()
    except FileNotFoundError:
        return
    if names:
        from mutmut.state import state

        state()._stats.update(names)


_SETUP_STEPS = {{"", "stats", "fail", "list_all_tests", "mutant_generation"}}


def pytest_collection_modifyitems(session, config, items):
    """Testing a mutant: the quickest tests first. mutmut stops at the first failure (-x), so a
    killed mutant then costs its quickest failing test, not whatever came first in file order."""
    if os.environ.get("MUTANT_UNDER_TEST", "") in _SETUP_STEPS:
        return
    import json

    try:
        with _open("mutmut-stats.json", encoding="utf-8") as f:  # mutmut runs the tests in mutants/
            durations = json.load(f)["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
'''


def ensure_mutmut() -> None:
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print(f"installing {MUTMUT} (the 'mutation' extra) ...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", MUTMUT], check=True)
    from importlib.metadata import version

    major = int(version("mutmut").split(".")[0])
    if major != 3:
        sys.exit(f"bench/mutation.py needs mutmut 3, found {version('mutmut')}; pip install '{MUTMUT}'")


def project_config() -> dict:
    import tomllib

    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def patterns_for(modules: list[str]) -> list[str]:
    """only_mutate globs (paths relative to the project root) for the modules named."""
    patterns = []
    for module in modules:
        text = module.strip().rstrip("/")
        if not text:
            continue
        if "/" not in text and not text.endswith(".py") and "*" not in text:  # a dotted name
            if text != "pepctl" and not text.startswith("pepctl."):
                text = "pepctl." + text
            text = "src/" + text.replace(".", "/")
        if not text.startswith("src/"):
            text = "src/pepctl/" + text
        path = REPO / text
        if path.is_dir():
            patterns.append(f"{text}/*")
        elif path.with_suffix(".py").is_file() and not text.endswith(".py"):
            patterns.append(text + ".py")
        elif path.is_file() or "*" in text:
            patterns.append(text)
        else:
            sys.exit(f"no module {module!r} (looked for {text})")
    return patterns


KEPT_DECORATORS = {"staticmethod", "classmethod"}  # mutmut mutates functions with only one of these


def undecorate(source: str) -> str:
    """The same module with ``@d(...) def f`` written as ``def f`` then ``f = d(...)(f)``.

    mutmut never mutates a decorated function (nor a @property), and every lint rule is one
    (``@rule(...)``). Applying the decorators after the definition does the same thing at
    import, and lets mutmut mutate the body. Only the work folder's copy is rewritten."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []  # (first line, last line of the decorators, line after which to insert, text)
    nodes = [(node, "") for node in tree.body]
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            nodes += [(child, " " * child.col_offset) for child in node.body]
    for node, indent in nodes:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.decorator_list:
            continue
        names = [d.id for d in node.decorator_list if isinstance(d, ast.Name)]
        if len(node.decorator_list) == 1 and names and names[0] in KEPT_DECORATORS:
            continue
        applied = node.name
        for decorator in reversed(node.decorator_list):
            applied = f"({ast.get_source_segment(source, decorator)})({applied})"
        first = node.decorator_list[0].lineno
        edits.append((first, node.lineno - 1, node.end_lineno, f"{indent}{node.name} = {applied}\n"))
    for first, last, end, text in sorted(edits, reverse=True):
        lines.insert(end, text)
        lines[first - 1 : last] = ["\n"] * (last - first + 1)  # keep the line numbers above the insert
    return "".join(lines)


def prepare(workdir: Path, patterns: list[str], children: bool, resume: bool) -> dict:
    import tomli_w

    if workdir.exists() and not resume:
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")
    for name in COPIED:
        source, target = REPO / name, workdir / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, target)
    for path in sorted((workdir / "src").rglob("*.py")):
        relative = path.relative_to(workdir).as_posix()
        if any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            text = path.read_text(encoding="utf-8")
            changed = undecorate(text)
            if changed != text:
                stat = path.stat()
                path.write_text(changed, encoding="utf-8")
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # mutmut compares mtimes on --resume
    data = project_config()
    settings = data.setdefault("tool", {}).setdefault("mutmut", {})
    settings["only_mutate"] = patterns
    settings["pytest_add_cli_args"] = [*settings.get("pytest_add_cli_args", []), "-p", "pepctl_mutation_plugin"]
    (workdir / "pyproject.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    support = workdir / "support"
    support.mkdir(exist_ok=True)
    (support / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    (support / "pepctl_mutation_plugin.py").write_text(PLUGIN, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MUTANT_UNDER_TEST", "PYTEST_ADDOPTS")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(support)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    if children:
        env[MUTANTS_ENV] = str(workdir / "mutants" / "src")
        env[HITS_ENV] = str(workdir / "child-hits.txt")
    return env


def run_mutmut(workdir: Path, env: dict, jobs: int, names: list[str] | None = None) -> tuple[float, str]:
    """Run ``mutmut run`` in the work folder (only the mutants ``names``, when given, in their
    order), echoing its output; (seconds, output)."""
    log = workdir / "mutmut.log"
    start = time.monotonic()
    with open(log, "wb") as out:
        if names:
            (workdir / ORDER_FILE).write_text("\n".join(names) + "\n", encoding="utf-8")
            command = [sys.executable, "-c", RUN_IN_ORDER, "run", "--max-children", str(jobs), *names]
        else:
            command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)]
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert process.stdout is not None
        for chunk in iter(lambda: process.stdout.read1(4096), b""):
            out.write(chunk)
            if sys.stdout.isatty():
                sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
        code = process.wait()
    elapsed = time.monotonic() - start
    text = log.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        tail = "\n".join(text.replace("\r", "\n").splitlines()[-40:])
        sys.exit(f"mutmut run failed (exit {code}); the end of {log}:\n{tail}")
    return elapsed, text


def sample_names(workdir: Path, size: int, seed: int) -> list[str]:
    """A uniform random sample of ``size`` mutant names of the scope (all of them when fewer), in
    random order, so that the mutants an interrupted run checked are a random sample too."""
    import random

    names = sorted(name for meta in read_meta(workdir).values() for name in meta["exit_code_by_key"])
    return random.Random(seed).sample(names, min(size, len(names)))  # in random order: see RUN_IN_ORDER


def count_mutants(workdir: Path, env: dict, jobs: int) -> dict[str, int]:
    """Generate the mutants only (no test runs): the number per file."""
    code = (
        "import os\n"
        "from mutmut.__main__ import copy_src_dir, create_mutants\n"
        "from mutmut.mutation.trampoline import set_mutant_under_test\n"
        "set_mutant_under_test('mutant_generation')\n"
        "os.makedirs('mutants', exist_ok=True)\n"
        f"copy_src_dir(); create_mutants({jobs})\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env, check=True, stdout=subprocess.DEVNULL)
    return {path: len(data["exit_code_by_key"]) for path, data in read_meta(workdir).items()}


# Planning figures for --estimate, from the runs in docs/performance.md: a mutant that survives
# runs all the tests that reach its function; a killed one stops at its first failing test, and
# with the quickest tests first (the plugin above) that costs about a second. On policy.py 7% of
# the mutants a test reaches survived, on model.py 23%: plan for 20%.
SURVIVING = 0.20
KILLED_SECONDS = 1.0


def estimate(workdir: Path, env: dict, jobs: int) -> None:
    """Generate the mutants and map the tests to functions (one test-suite run), then print, per
    file, the test time every mutant would cost if it survived, and the expected wall time."""
    code = (
        "import json, os\n"
        "from mutmut.__main__ import copy_src_dir, create_mutants, collect_or_load_stats\n"
        "from mutmut.utils.file_utils import copy_also_copy_files, setup_source_paths\n"
        "from mutmut.mutation.trampoline import set_mutant_under_test\n"
        "from mutmut.workers.isolation import get_mutant_runner\n"
        "from mutmut.state import state\n"
        "set_mutant_under_test('mutant_generation')\n"
        "os.makedirs('mutants', exist_ok=True)\n"
        f"copy_src_dir(); copy_also_copy_files(); setup_source_paths(); create_mutants({jobs})\n"
        f"runner = get_mutant_runner({jobs})\n"
        "collect_or_load_stats(runner, mutants_caught_by_type_checker={}, apply_config_invalidation=True)\n"
        "s = state()\n"
        "json.dump({'tests': {k: sorted(v) for k, v in s.tests_by_mangled_function_name.items()},\n"
        "           'durations': s.duration_by_test}, open('mutants/estimate.json', 'w'))\n"
    )
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env, check=True, stdout=subprocess.DEVNULL)
    mapping_seconds = time.monotonic() - start
    data = json.loads((workdir / "mutants" / "estimate.json").read_text(encoding="utf-8"))
    suite = sum(data["durations"].values())
    print(f"mapping tests to functions took {mapping_seconds:.0f} s (one run of the suite: {suite:.0f} s of test time)")
    print()
    print("| file | mutants | no test reaches | worst case (every mutant survives) |")
    print("|---|---|---|---|")
    total_mutants = total_worst = 0.0
    for path, meta in read_meta(workdir).items():
        worst, untested = 0.0, 0
        for name in meta["exit_code_by_key"]:
            tests = data["tests"].get(name.partition("__mutmut_")[0], [])
            untested += not tests
            worst += sum(data["durations"].get(t, 0.0) for t in tests)
        n = len(meta["exit_code_by_key"])
        total_mutants += n
        total_worst += worst
        print(f"| {path} | {n} | {untested} | {worst / 3600:.1f} h |")
    expected = (total_worst * SURVIVING + total_mutants * (1 - SURVIVING) * KILLED_SECONDS) / jobs + 2 * suite
    print()
    print(f"{int(total_mutants)} mutants; worst case (all survive) {total_worst / 3600:.1f} h of tests; expected "
          f"wall time with --jobs {jobs}: about {expected / 3600:.1f} h, if {SURVIVING:.0%} survive and a killed "
          f"one costs {KILLED_SECONDS:.0f} s, plus two runs of the suite")


def read_meta(workdir: Path) -> dict[str, dict]:
    found = {}
    for meta in sorted((workdir / "mutants").rglob("*.py.meta")):
        found[meta.relative_to(workdir / "mutants").as_posix()[: -len(".meta")]] = json.loads(meta.read_text("utf-8"))
    return found


def function_spans(source: str) -> dict[tuple[str | None, str], tuple[int, int]]:
    """(class, function) -> (first line, last line) of every top-level function and method."""
    spans = {}
    for node in ast.parse(source).body:
        owners = [(None, node)] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
        if isinstance(node, ast.ClassDef):
            owners = [(node.name, n) for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for owner, fn in owners:
            first = min([fn.lineno] + [d.lineno for d in fn.decorator_list])
            spans[(owner, fn.name)] = (first, fn.end_lineno or fn.lineno)
    return spans


def locate(diff: str, lines: list[str], span: tuple[int, int] | None) -> tuple[int | None, str, str]:
    """The source line a function diff changes, and the code before and after (first change)."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    before = removed[0].strip() if removed else ""
    after = added[0].strip() if added else "(line removed)"
    if span is None or not before:
        return None, before, after
    offset = 0
    hunk = re.search(r"^@@ -(\d+)", diff, re.M)
    if hunk:  # lines into the function's text where the hunk starts, plus its context lines
        body = diff[hunk.end():].splitlines()[1:]
        context = 0
        for line in body:
            if line.startswith("-"):
                break
            context += 1
        offset = int(hunk.group(1)) - 1 + context
    first, last = span
    candidates = [n for n in range(first, last + 1) if lines[n - 1].strip() == before]
    if not candidates:
        return first, before, after
    return min(candidates, key=lambda n: abs(n - (first + offset))), before, after


def report(workdir: Path) -> dict:
    """Every mutant's status, and where each survivor is; read with mutmut's own helpers."""
    os.chdir(workdir)
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key

    files = {}
    for path, meta in read_meta(workdir).items():
        source = (REPO / path).read_text(encoding="utf-8")  # lines as in the checkout, not the rewritten copy
        lines = source.splitlines()
        spans = function_spans(source)
        entry = {"counts": {}, "survivors": [], "no_tests": {}, "seconds": sum(meta.get("durations_by_key", {}).values())}
        for name, code in sorted(meta["exit_code_by_key"].items(), key=lambda kv: _natural(kv[0])):
            status = status_by_exit_code[code]
            entry["counts"][status] = entry["counts"].get(status, 0) + 1
            function, owner = orig_function_and_class_names_from_key(name)
            label = f"{owner}.{function}" if owner else function
            if status == "no tests":
                entry["no_tests"][label] = entry["no_tests"].get(label, 0) + 1
            elif status in ("survived", "suspicious"):
                try:
                    diff = get_diff_for_mutant(name, path=path)
                except Exception as err:  # a report line is better than no report
                    diff = f"-(diff unavailable: {err})"
                line, before, after = locate(diff, lines, spans.get((owner, function)))
                entry["survivors"].append({"mutant": name, "status": status, "function": label, "line": line,
                                           "before": before, "after": after})
        files[path] = entry
    return files


def _natural(name: str):
    head, _, number = name.rpartition("_")
    return (head, int(number) if number.isdigit() else 0)


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson interval of a proportion hits / n (for a score measured on a sample)."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return centre - half, centre + half


def print_report(files: dict, elapsed: float | None, output: str) -> None:
    """The table per module and the score: detected (killed or timed out) / mutants checked.
    Mutants never run ('not checked': outside a --sample, or an interrupted run) are left out."""
    totals: dict[str, int] = {}
    for entry in files.values():
        for status, n in entry["counts"].items():
            totals[status] = totals.get(status, 0) + n
    unchecked = totals.pop("not checked", 0)
    total = sum(totals.values())
    detected = totals.get("killed", 0) + totals.get("timeout", 0)
    print()
    print("| module | mutants checked | killed | timeout | survived | no tests | other | score |")
    print("|---|---|---|---|---|---|---|---|")
    for path, entry in files.items():
        c = {k: v for k, v in entry["counts"].items() if k != "not checked"}
        n = sum(c.values())
        if not n:
            continue
        other = n - sum(c.get(k, 0) for k in ("killed", "survived", "no tests", "timeout"))
        score = f"{(c.get('killed', 0) + c.get('timeout', 0)) / n:.0%}"
        print(f"| {path} | {n} | {c.get('killed', 0)} | {c.get('timeout', 0)} | {c.get('survived', 0)} "
              f"| {c.get('no tests', 0)} | {other} | {score} |")
    print()
    if unchecked:
        print(f"{unchecked} mutants of the scope not checked (outside the sample, or the run was interrupted)")
    if total:
        low, high = wilson(detected, total)
        interval = f"; 95% interval {low:.1%} to {high:.1%}" if unchecked else ""
        print(f"score: {detected} detected (killed or timed out) / {total} mutants checked = {detected / total:.1%}"
              f"{interval}  (survived {totals.get('survived', 0)}, no tests {totals.get('no tests', 0)})")
    else:
        print("score: no mutants")
    if elapsed is not None:
        rate = re.findall(r"([\d.]+) mutations/second", output)
        print(f"wall time: {elapsed:.0f} s for {total} mutants"
              + (f"; mutmut's mutation phase ran {rate[-1]} mutants/second" if rate else ""))
    survivors = [(path, s) for path, entry in files.items() for s in entry["survivors"]]
    if survivors:
        print()
        print(f"survivors ({len(survivors)}):")
        for path, s in sorted(survivors, key=lambda ps: (ps[0], ps[1]["line"] or 0)):
            where = f"{path}:{s['line']}" if s["line"] else path
            mark = " (suspicious)" if s["status"] == "suspicious" else ""
            print(f"  {where}  {s['function']}{mark}")
            print(f"      - {s['before']}")
            print(f"      + {s['after']}")
    untested = [(path, fn, n) for path, entry in files.items() for fn, n in entry["no_tests"].items()]
    if untested:
        print()
        print("functions no test reaches (mutants not run):")
        for path, fn, n in untested:
            print(f"  {path}  {fn}: {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="files, folders, dotted names or globs (default: the core scope)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2, help="mutants tested at once")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="where the copy and mutmut's state go")
    parser.add_argument("--resume", action="store_true", help="keep the work folder: mutmut re-tests only what changed")
    parser.add_argument("--count-only", action="store_true", help="generate the mutants and count them; run no test")
    parser.add_argument("--estimate", action="store_true",
                        help="count the mutants and time the tests each would run (one run of the suite); run no mutant")
    parser.add_argument("--no-child-processes", dest="children", action="store_false",
                        help="leave `python -m pepctl` children on the unmutated code")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="test a uniform random sample of N mutants of the scope (the score is then an estimate)")
    parser.add_argument("--seed", type=int, default=1, help="the random seed of --sample (default 1)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--report-only", action="store_true",
                        help="print the results already in the work folder (say, of an interrupted run)")
    args = parser.parse_args()

    ensure_mutmut()
    if args.report_only:
        files = report(args.workdir.resolve())
        print_report(files, None, "")
        return
    patterns = patterns_for(args.modules) if args.modules else project_config()["tool"]["mutmut"]["only_mutate"]
    workdir = args.workdir.resolve()
    print(f"scope: {', '.join(patterns)}")
    print(f"work folder: {workdir}")
    env = prepare(workdir, patterns, args.children, args.resume)

    if args.count_only:
        counts = count_mutants(workdir, env, args.jobs)
        for path, n in counts.items():
            print(f"{n:6d}  {path}")
        print(f"{sum(counts.values()):6d}  mutants in all")
        return

    json_path = args.json.resolve() if args.json else None
    if args.estimate:
        estimate(workdir, env, args.jobs)
        return

    names = None
    if args.sample:
        count_mutants(workdir, env, args.jobs)
        names = sample_names(workdir, args.sample, args.seed)
        print(f"sample: {len(names)} mutants (seed {args.seed}); the others stay 'not checked' and out of the score")
    elapsed, output = run_mutmut(workdir, env, args.jobs, names)
    files = report(workdir)
    print_report(files, elapsed, output)
    if json_path:
        json_path.write_text(json.dumps({"seconds": elapsed, "files": files}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
