"""`pepctl convert --to plano`: each dialect's proposals as Plano PEPs that `check` passes but for
what the source lacks."""

from __future__ import annotations

import json
import os

import pytest

from pepctl.convert import iso_date, slug
from tests.conftest import dialect_corpus, run_pepctl
from tests.formats.dialects import EIP, PY
from tests.formats.test_oddities import KEP, MADR, RUST, SWIFT

# format -> (files, the rule codes `check` gives on the result: what that source lacks for Plano)
CASES = {
    "python-pep": ({"pep-9001.rst": PY}, {"S001", "H011"}),  # Plano's sections; GitHub handles (PEPs give e-mails)
    "eip": ({"eip-9001.md": EIP}, {"S001", "H011"}),  # sections; one author named by e-mail only
    # sections; no Created date in Swift's header; Implemented is Complete, and this one names no Implementation
    "swift": ({"0042-spin.md": SWIFT}, {"S001", "H006", "L002"}),
    "rust-rfc": ({"0042-spin.md": RUST}, {"S001", "H007"}),  # sections; RFCs name no authors
    "kep": ({"sig-a/42-spin/kep.yaml": KEP, "sig-a/42-spin/README.md": "# KEP-42\n\n## Summary\n\nS.\n"},
            {"S001", "H011"}),  # sections; one author without an @handle
    # sections, authors; Complete needs a Tracking Issue; the ADR it is superseded by is not in the folder
    "madr": ({"0005-spin.md": MADR}, {"S001", "H007", "L002", "X002"}),
}


def write(folder, files):
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_convert_then_check_lists_only_what_the_source_lacks(tmp_path, name):
    files, lacks = CASES[name]
    write(tmp_path / "in", files)
    out = tmp_path / "out"
    done = run_pepctl("--dir", str(tmp_path / "in"), "convert", "--to", "plano", "-o", str(out))
    assert done.returncode == 0, done.stderr
    names = [n for n in os.listdir(out) if n.startswith("PEP-")]
    assert len(names) == 1
    check = run_pepctl("--config", str(out / "pepctl.toml"), "--dir", str(out), "check", "--format", "json")
    assert "Traceback" not in check.stderr
    assert {f["code"] for f in json.loads(check.stdout)} == lacks


def test_the_converted_file_keeps_number_title_status_and_fields(tmp_path):
    write(tmp_path / "in", {"pep-9001.rst": PY.replace("Status: Draft", "Status: Final")})
    run_pepctl("--dir", str(tmp_path / "in"), "convert", "--to", "plano", "-o", str(tmp_path / "out"))
    text = (tmp_path / "out" / "PEP-9001-frobnicate-the-widgets.md").read_text(encoding="utf-8")
    assert text.startswith("# PEP-9001: Frobnicate the widgets\n\n| Field | Value |\n|---|---|\n| **PEP** | 9001 |\n")
    for row in ("| **Status** | Complete |", "| **Original Status** | Final |", "| **Created** | 2021-03-02 |",
                "| **Target Release** | 3.14 |", "| **Type** | Standards Track |",
                "| **Author(s)** | Ada Example <ada@example.org>, Łukasz Sample <lukasz@example.org>, Bare Name |"):
        assert row in text
    assert "\n## Abstract\n" in text and "\n### Details\n" in text and "========" not in text


def test_convert_refuses_a_folder_that_is_not_empty_and_a_plano_folder(tmp_path):
    write(tmp_path / "in", {"eip-1.md": EIP})
    write(tmp_path / "out", {"x.txt": "mine"})
    done = run_pepctl("--dir", str(tmp_path / "in"), "convert", "--to", "plano", "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "not empty" in done.stderr
    write(tmp_path / "plano", {"PEP-0001-a.md": "# PEP-0001: A\n"})
    done = run_pepctl("--dir", str(tmp_path / "plano"), "convert", "--to", "plano", "-o", str(tmp_path / "o2"))
    assert done.returncode == 2 and "already" in done.stderr


@pytest.mark.parametrize("written, iso", [("05-Jul-2001", "2001-07-05"), ("2020/05/18", "2020-05-18"),
                                           ("(2014-07-11)", "2014-07-11"), ("2023-10-3", "2023-10-03"),
                                           ("23-07-2014", "23-07-2014"), ("2025-30-01", "2025-30-01")])
def test_dates(written, iso):
    assert iso_date(written) == iso


def test_slug():
    assert slug("Frobs: a *widget* change!", 1) == "frobs-a-widget-change"
    assert slug("???", 7) == "proposal-7"


def test_the_eip_corpus_converts(tmp_path):
    folder = dialect_corpus("eip", "EIPS")
    out = tmp_path / "out"
    done = run_pepctl("--dir", str(folder), "convert", "--to", "plano", "-o", str(out))
    assert done.returncode == 0 and "converted 949 proposals" in done.stderr
    check = run_pepctl("--config", str(out / "pepctl.toml"), "--dir", str(out), "check", "--format", "json")
    codes = {f["code"] for f in json.loads(check.stdout)}
    # sections, Moved stubs' missing title/authors/date, e-mail-only authors, Complete without a tracking issue
    assert codes <= {"S001", "S005", "H006", "H007", "H011", "L002"}


@pytest.mark.parametrize("output, code, said", [
    ("a-file", 2, "a-file is a file, not a folder; name a new or empty folder with --output"),
    ("a-file/sub", 2, "cannot create the output folder"),  # as site build says it
])
def test_convert_to_a_file_or_where_no_folder_can_be_made_is_a_usage_error_not_a_crash(tmp_path, output, code, said):
    write(tmp_path / "in", {"eip-1.md": EIP})
    (tmp_path / "a-file").write_text("mine")
    done = run_pepctl("--dir", str(tmp_path / "in"), "convert", "--to", "plano", "-o", str(tmp_path / output))
    assert done.returncode == code, done.stderr
    assert said in done.stderr and "internal error" not in done.stderr
    assert (tmp_path / "a-file").read_text() == "mine"
