"""Every Python example in the README and docs/ runs, and the values its comments claim are the ones
the code returns (`expr  # literal` lines are checked)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from peptext import small_pep

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK_RE = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def examples():
    for page in PAGES:
        for number, match in enumerate(BLOCK_RE.finditer(page.read_text(encoding="utf-8"))):
            yield pytest.param(match.group(1), id=f"{page.name}-{number}")


def claims(code: str):
    """(expression, value) of each `expr  # literal` line."""
    for line in code.splitlines():
        expr, sep, comment = line.partition("  #")
        if not sep or not expr.strip() or "=" in expr.replace("==", ""):
            continue
        try:
            yield expr.strip(), ast.literal_eval(comment.strip())
        except (ValueError, SyntaxError):
            continue  # a comment in words, not a value


@pytest.mark.parametrize("code", list(examples()))
def test_the_example_runs_and_its_claims_hold(code, tmp_path, monkeypatch):
    peps = tmp_path / "docs" / "peps"
    peps.mkdir(parents=True)
    (peps / "PEP-0042-cache.md").write_text(small_pep(42, "Cache", "Draft"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    scope = {"new_file_bytes": small_pep(42, "Cache things", "Under Review").encode()}
    exec(compile(code, "<example>", "exec"), scope)
    for expr, value in claims(code):
        got = eval(expr, scope)
        assert (list(got) if isinstance(value, list) else got) == value, expr


def test_there_are_examples_to_run():
    assert len(list(examples())) >= 2
