"""Every command on the real dialect corpora beside the checkout: every file read, no traceback.

Skipped only when ../shared/corpora/dialects is absent.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import dialect_corpus, run_pepctl

# (dialect, its proposal folder, how many proposals are in it)
CORPORA = [
    ("python-pep", ("python-pep", "peps"), 736),
    ("eip", ("eip", "EIPS"), 949),
    ("swift", ("swift", "proposals"), 547),
    ("swift-testing", ("swift", "proposals", "testing"), 28),
    ("rust-rfc", ("rust-rfc", "text"), 639),
    ("kep", ("kep", "keps"), 115),
    ("madr", ("madr", "adr+madr", "docs", "decisions"), 19),
    ("madr-jabref", ("madr", "JabRef+jabref", "docs", "decisions"), 70),
]
STATUS_OPTIONAL = {"madr", "madr-jabref"}  # most decision records write no status


def no_crash(done):
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr[-2000:]


@pytest.mark.parametrize("name, parts, count", CORPORA, ids=[c[0] for c in CORPORA])
def test_list_reads_every_proposal(name, parts, count):
    folder = dialect_corpus(*parts)
    done = run_pepctl("--dir", str(folder), "list", "--format", "json")
    no_crash(done)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == count
    assert all(r["number"] is not None for r in rows)
    if name not in STATUS_OPTIONAL:  # swift's one exception: the rename stub 0519-borrow-inout-types.md
        assert [r["path"].rsplit("/", 1)[-1] for r in rows if not r["status"]] in ([], ["0519-borrow-inout-types.md"])
    assert "could not be read" not in done.stderr


@pytest.mark.parametrize("name, parts, count", CORPORA, ids=[c[0] for c in CORPORA])
def test_check_runs_clean_of_crashes(name, parts, count):
    folder = dialect_corpus(*parts)
    done = run_pepctl("--dir", str(folder), "check", "--format", "json")
    no_crash(done)
    assert done.returncode in (0, 1)
    findings = json.loads(done.stdout)
    assert not any(f["code"].startswith("F") for f in findings)  # every file read


def test_python_peps_have_no_finding_check_peps_would_not_report():
    folder = dialect_corpus("python-pep", "peps")
    done = run_pepctl("--dir", str(folder), "check")
    no_crash(done)
    assert (done.returncode, done.stdout) == (0, "")


def test_eip_findings_are_eip_conventions():
    folder = dialect_corpus("eip", "EIPS")
    done = run_pepctl("--dir", str(folder), "check", "--format", "json")
    codes = {f["code"] for f in json.loads(done.stdout)}
    assert codes and codes <= {"E001", "E003", "E005", "E006", "E007"}


def test_show_uses_the_dialect_label():
    folder = dialect_corpus("python-pep", "peps")
    done = run_pepctl("--dir", str(folder), "show", "8")
    assert done.stdout.startswith("PEP 8: Style Guide for Python Code\n")
    assert "  Author: Guido van Rossum <guido@python.org>, Barry Warsaw" in done.stdout


@pytest.mark.parametrize("parts, expected", [
    (("swift", "proposals"), {"H002", "H006", "H007", "H012", "X001", "X003"}),
    (("rust-rfc", "text"), {"H002", "H006", "H013", "X001"}),
    (("kep", "keps"), {"H006", "H009", "H010"}),
    (("madr", "adr+madr", "docs", "decisions"), {"H009"}),
])
def test_findings_are_the_real_oddities(parts, expected):
    """What check finds on each corpus is what its README lists (a rename stub, a typo, a bad date...)."""
    done = run_pepctl("--dir", str(dialect_corpus(*parts)), "check", "--format", "json")
    no_crash(done)
    assert {f["code"] for f in json.loads(done.stdout)} == expected


def test_the_known_oddities_are_named():
    folder = dialect_corpus("kep", "keps")
    found = json.loads(run_pepctl("--dir", str(folder), "check", "--format", "json").stdout)
    said = {(f["path"].split("/")[-2], f["code"]) for f in found}
    assert ("2625-cpumanager-policies-thread-placement", "H009") in said  # status: imlpemented
    assert ("5075-dra-consumable-capacity", "H010") in said  # creation-date: 2025-30-01
    assert ("4326-downgrade", "H010") in said  # creation-date: yyyy-mm-dd
