"""The rules on the real corpus: 1,188 proposals written by many people, real defects included."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from pepctl.corpus import Corpus
from pepctl.lint import lint
from pepctl.policy import Policy
from pepctl.rules import REGISTRY

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "plano-1k"
TODAY = datetime.date(2026, 6, 1)

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the plano-1k corpus is not beside this checkout")


@pytest.fixture(scope="module")
def diagnostics():
    return lint(Corpus(str(CORPUS)), Policy(), today=TODAY)


def of(diagnostics, name: str, code: str | None = None):
    return [d for d in diagnostics if Path(d.path).name == name and (code is None or d.code == code)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("PEP-2071-impl-trait-existential-types.md", "PEP-2071-impl-trait-type-alias.md"),
        ("PEP-5519-borrow-inout-types.md", "PEP-5519-ref-and-mutableref-types-for-safe.md"),
    ],
)
def test_duplicate_numbers_are_reported_on_both_files(diagnostics, one, other):
    for this, that in ((one, other), (other, one)):
        (finding,) = of(diagnostics, this, "X001")
        assert that in finding.message
        assert finding.severity == "error"


def test_no_other_duplicate_numbers(diagnostics):
    names = {Path(d.path).name for d in diagnostics if d.code == "X001"}
    assert names == {
        "PEP-2071-impl-trait-existential-types.md",
        "PEP-2071-impl-trait-type-alias.md",
        "PEP-5519-borrow-inout-types.md",
        "PEP-5519-ref-and-mutableref-types-for-safe.md",
    }


def test_pep_0000_is_clean_apart_from_its_stale_index(diagnostics):
    """PEP-0000 passes every rule; its Index lists only itself while the folder holds 1,187 PEPs.

    That stale index is a real defect of the corpus (`pepctl index` fixes it),
    so X005 must report it, once, and nothing else may.
    """
    findings = of(diagnostics, "PEP-0000-process.md")
    assert [d.code for d in findings] == ["X005"]
    assert "pepctl index" in findings[0].message


def test_one_file_check_still_sees_the_duplicate():
    target = CORPUS / "PEP-5519-borrow-inout-types.md"
    found = lint(Corpus(str(CORPUS)), Policy(), [str(target)], today=TODAY)
    assert [d.code for d in found if d.code == "X001"] == ["X001"]
    assert {Path(d.path).name for d in found} == {target.name}


def test_real_defects_are_reported(diagnostics):
    (bad_date,) = of(diagnostics, "PEP-0534-deriving2derive.md", "H010")
    assert "2014-19-19" in bad_date.message
    (title,) = of(diagnostics, "PEP-5008-add-a-lazy-flatmap-for-sequences.md", "H005")
    assert "Add a Lazy flatMap" in title.message


def test_every_finding_is_well_formed(diagnostics):
    assert diagnostics, "the corpus has real defects; an empty result means the rules did not run"
    line_counts: dict[str, int] = {}
    for d in diagnostics:
        assert d.code in REGISTRY
        assert d.severity in ("error", "warning")
        assert d.message and "\n" not in d.message
        if d.path not in line_counts:
            line_counts[d.path] = Path(d.path).read_bytes().count(b"\n") + 1
        assert 1 <= d.line <= line_counts[d.path], (d.path, d.line)
        assert d.column >= 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_ends_cleanly_in_every_format(pepctl, fmt):
    result = pepctl("--dir", str(CORPUS), "check", "--format", fmt)
    assert result.returncode == 1  # findings, not a crash
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    if fmt == "json":
        assert {item["code"] for item in json.loads(result.stdout)} >= {"X001", "X005"}
    elif fmt == "sarif":
        log = json.loads(result.stdout)
        assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"X001", "X005"}
    elif fmt == "github":
        assert all(line.startswith(("::error ", "::warning ")) for line in result.stdout.splitlines())
    else:
        assert "X001 PEP number 2071" in result.stdout
