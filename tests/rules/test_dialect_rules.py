"""The dialects' convention rules (P: python-pep, E: eip, ...): each fires on a file written to
break it, and the clean files of each dialect give no finding."""

from __future__ import annotations

import datetime

import pytest

from pepctl.config import Config
from pepctl.corpus import Corpus
from pepctl.formats import configure
from pepctl.lint import lint
from pepctl.policy import Policy
from pepctl.rules import REGISTRY
from tests.formats.dialects import EIP, PY

TODAY = datetime.date(2026, 1, 1)


def run(tmp_path, name: str, files: dict[str, str]):
    for path, text in files.items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    config = configure(Config({"format": name}), str(tmp_path))
    return lint(Corpus(str(tmp_path), config), Policy(config), today=TODAY)


def swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


PY_CASES = [
    ("P001", swap(PY, "PEP: 9001", "PEP: 09001")),
    ("P002", swap(PY, "Type:", "Reviewer: Someone\nType:")),
    ("P003", swap(PY, "Title: Frob", "Title:Frob")),
    ("P004", swap(PY, "Status: Draft\nType: Standards Track", "Type: Standards Track\nStatus: Draft")),
    ("P005", swap(PY, "Title: Frobnicate the widgets", "Title: " + "Long " * 20)),
    ("P006", swap(PY, "Author: Ada Example <ada@example.org>,", "Author: <ada@example.org>,")),
    ("P006", swap(PY, "Łukasz Sample <lukasz@example.org>,", "Łukasz Sample <lukasz@example.org>")),
    ("P007", swap(PY, "Status:", "Sponsor: Sam <nope>\nStatus:")),
    ("P008", swap(PY, "Status:", "Discussions-To: https://example.org/x\nStatus:")),
    ("P009", swap(PY, "Type: Standards Track", "Type: Feature")),
    ("P010", swap(PY, "Created:", "Topic: typing, Packaging\nCreated:")),
    ("P002", swap(PY, "Created:", "Content-Type: text/x-rst\nCreated:")),  # no longer a PEP header
    ("P012", swap(PY, "Created:", "Requires: 08\nCreated:")),
    ("P013", swap(PY, "Created: 02-Mar-2021", "Created: 2021-03-02")),
    ("P014", swap(PY, "    03-Mar-2021,", "    3-Mar-2021,")),
    ("P015", swap(PY, "Python-Version: 3.14", "Python-Version: 3.014")),
    ("P016", PY.replace("Post-History:", "Resolution: https://example.org/decided\nPost-History:").replace(
        "    `04-Apr", "    `04-Apr").replace("Post-History:\n    03-Mar-2021,\n", "Post-History:\n    03-Mar-2021,\n")),
    ("P017", swap(PY, "Widgets need frobbing.", "See https://peps.python.org/pep-0008/ too.")),
    ("H004", swap(PY, "PEP: 9001", "PEP: 9002")),
    ("H006", swap(PY, "Type: Standards Track\n", "")),
    ("H009", swap(PY, "Status: Draft", "Status: Done")),
    ("H012", swap(PY, "Type:", "Title: Again\nType:")),
    ("H013", swap(PY, "Type:", "not a header line\nType:")),
    ("X002", swap(PY, "Created:", "Replaces: 4242\nCreated:")),
]

EIP_CASES = [
    ("E001", swap(EIP, "description: Frobs the widgets\n", "")),
    ("E002", swap(EIP, "requires: 1559", "requires: 1559, 155")),
    ("E003", swap(EIP, "eip: 9001\ntitle", "title").replace("---\n\n## Abstract", "eip: 9001\n---\n\n## Abstract")),
    ("E004", swap(EIP, "category: Core", "category: Kitchen")),
    ("E005", swap(EIP, "author: Ada Example (@ada), Bo Sample <bo@example.org>, Cy Both (@cy) <cy@example.org>",
                  "author: Bo Sample <bo@example.org>")),
    ("E006", swap(EIP, "status: Draft", "status: Last Call")),
    ("E007", swap(EIP, 'title: "Frobs: a widget change"', "title: " + "A very long title " * 4)),
    ("H006", swap(EIP, "status: Draft\n", "")),
    ("H009", swap(EIP, "status: Draft", "status: Sleeping")),
    ("H010", swap(EIP, "created: 2021-03-02", "created: 2021-13-02")),
    ("H013", swap(EIP, "title:", "title: [oops\nx:")),
]

FILES = {"python-pep": "pep-9001.rst", "eip": "eip-9001.md"}
CLEAN = {"python-pep": PY, "eip": EIP}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_files_have_no_findings(tmp_path, name):
    assert run(tmp_path, name, {FILES[name]: CLEAN[name]}) == []


@pytest.mark.parametrize("code, text", PY_CASES, ids=[c for c, _ in PY_CASES])
def test_python_pep_rule_fires(tmp_path, code, text):
    found = run(tmp_path, "python-pep", {"pep-9001.rst": text})
    assert code in {d.code for d in found}, found


@pytest.mark.parametrize("code, text", EIP_CASES, ids=[c for c, _ in EIP_CASES])
def test_eip_rule_fires(tmp_path, code, text):
    found = run(tmp_path, "eip", {"eip-9001.md": text})
    assert code in {d.code for d in found}, found


def test_duplicate_numbers_across_files(tmp_path):
    found = run(tmp_path, "python-pep", {"pep-9001.rst": PY, "pep-9002.rst": PY})
    assert "X001" in {d.code for d in found}


def test_every_dialect_rule_has_a_failing_case():
    cases = {code for code, _ in PY_CASES + EIP_CASES}
    for prefix in ("P", "E"):
        assert {c for c in REGISTRY if c.startswith(prefix)} <= cases


def test_the_plano_rules_stay_out_of_a_dialect(tmp_path):
    found = run(tmp_path, "python-pep", {"pep-9001.rst": swap(PY, "Created: 02-Mar-2021", "Created: 2021-03-02")})
    assert "H010" not in {d.code for d in found}  # Plano's ISO date rule; P013 says it in PEP 12's words
    assert "P013" in {d.code for d in found}
