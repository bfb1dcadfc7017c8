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
]


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
    assert all(r["number"] is not None and r["status"] for r in rows)
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
