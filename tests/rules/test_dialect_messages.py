"""The exact text of every diagnostic of the dialects' convention rules (P: python-pep, E: eip),
compared with a golden file, as tests/rules/test_rule_messages.py does for Plano's rules.

test_dialect_rules.py checks that each rule fires; the scenarios here give every wording a rule can
choose (each problem of a date, a person, a thread address, a Python version, ...), the values just
inside and just past each limit, and the accepted spellings that must give nothing. Every
diagnostic of a scenario is written as

    LINE:COLUMN CODE SEVERITY MESSAGE

under its name; the whole text must equal tests/rules/golden/dialect-messages.txt.

After changing a message on purpose, regenerate the file and review its diff:

    PEPCTL_UPDATE_GOLDEN=1 python -m pytest tests/rules/test_dialect_messages.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pepctl.rules import REGISTRY

from tests.formats.dialects import EIP, PY
from tests.rules.test_dialect_rules import EIP_CASES, FILES, PY_CASES, run, swap

GOLDEN = Path(__file__).resolve().parent / "golden" / "dialect-messages.txt"
UPDATE = os.environ.get("PEPCTL_UPDATE_GOLDEN") == "1"

PY_HEAD = "Python-Version: 3.14\n"


def py_header(line: str) -> str:
    """PY with one more header line, in PEP 12's place for most (after Python-Version)."""
    return swap(PY, PY_HEAD, PY_HEAD + line + "\n")


def py_field(name: str, value: str) -> str:
    """PY with the header `name` set to `value` (replacing it, or added where PEP 12 puts it)."""
    for line in PY.split("\n"):
        if line.startswith(name + ":"):
            return swap(PY, line, f"{name}: {value}".rstrip())
    order = ["Sponsor", "PEP-Delegate", "BDFL-Delegate", "Discussions-To"]
    if name in order:
        return swap(PY, "Status: Draft\n", f"{name}: {value}\nStatus: Draft\n")
    if name == "Topic":
        return swap(PY, "Created:", f"{name}: {value}\nCreated:")
    if name in ("Requires",):
        return swap(PY, "Created:", f"{name}: {value}\nCreated:")
    return py_header(f"{name}: {value}")


def posts(*entries: str) -> str:
    body = "".join(f"    {e},\n" for e in entries)
    return swap(PY, "Post-History:\n    03-Mar-2021,\n    `04-Apr-2021 <https://discuss.python.org/t/frob/123>`__,\n",
                "Post-History:\n" + body)


def eip_field(key: str, value: str | None) -> str:
    """EIP with the preamble key set to `value` (None: removed), or added before `type`."""
    for line in EIP.split("\n"):
        if line.startswith(key + ":"):
            return swap(EIP, line + "\n", "" if value is None else f"{key}: {value}".rstrip() + "\n")
    return swap(EIP, "type:", f"{key}: {value}\ntype:")


DISCOURSE = "https://discuss.python.org/t/"
ARCHIVE = "https://mail.python.org/archives/list/python-dev@python.org/"

PY_SCENARIOS = [
    # P001: the first line
    ("P001-not-first", swap(PY, "PEP: 9001\nTitle: Frobnicate the widgets\n", "Title: Frobnicate the widgets\nPEP: 9001\n")),
    ("P001-blank", swap(PY, "PEP: 9001", "PEP: ")),
    ("P001-not-a-number", swap(PY, "PEP: 9001", "PEP: nine")),
    ("P001-past-9999", swap(PY, "PEP: 9001", "PEP: 10001")),
    ("P001-zero", swap(PY, "PEP: 9001", "PEP: 0")),
    # P005: the title's length, at the limit and past it
    ("P005-79", py_field("Title", "T" * 79)),
    ("P005-80", py_field("Title", "T" * 80)),
    # P006: authors
    ("P006-indented-too-far", swap(PY, "        Łukasz", "          Łukasz")),
    ("P006-indented-nine", swap(PY, "        Łukasz", "         Łukasz")),  # PEP 12 lines authors up under the first: 8
    ("P006-two-marks", swap(PY, "Ada Example <ada@example.org>", "Ada Example <ada<x@@example.org>>")),
    ("P006-no-name", swap(PY, "Ada Example <ada@example.org>", "<ada@example.org>")),
    ("P006-text-after-the-address", swap(PY, "Ada Example <ada@example.org>", "Ada Example <ada@example.org> x")),
    ("P006-no-address", swap(PY, "Ada Example <ada@example.org>", "Ada Example <nobody>")),
    ("P006-bad-local-part", swap(PY, "Ada Example <ada@example.org>", "Ada Example <a b@example.org>")),
    ("P006-bad-domain", swap(PY, "Ada Example <ada@example.org>", "Ada Example <ada@exa_mple.org>")),
    ("P006-bad-top-level", swap(PY, "Ada Example <ada@example.org>", "Ada Example <ada@example.or-g>")),
    ("P006-spelled-at-and-hyphenated-domain", swap(PY, "Ada Example <ada@example.org>", "Ada Example <ada at my-example.org>")),
    ("P006-bare-names", swap(PY, "Ada Example <ada@example.org>", "Ada Example")),
    # P007: sponsor and delegates
    ("P007-sponsor", py_field("Sponsor", "Sam <nope>")),
    ("P007-sponsor-fine", py_field("Sponsor", "Sam Sample <sam@example.org>")),
    ("P007-blank-delegate", py_field("PEP-Delegate", "")),
    ("P007-two-delegates", py_field("BDFL-Delegate", "Bo <bo@example.org>, <cy@example.org>,")),
    # P008: Discussions-To
    ("P008-pending", py_field("Discussions-To", "Pending")),
    ("P008-thread", py_field("Discussions-To", DISCOURSE + "frob-the-widgets/123")),
    ("P008-thread-by-number", py_field("Discussions-To", DISCOURSE + "123/")),
    ("P008-one-post", py_field("Discussions-To", DISCOURSE + "frob/123/4")),
    ("P008-numbered-slug", py_field("Discussions-To", DISCOURSE + "123/456")),
    ("P008-elsewhere", py_field("Discussions-To", "https://example.org/x")),
    ("P008-list", py_field("Discussions-To", "python-dev@python.org")),
    ("P008-google-list", py_field("Discussions-To", "frob-sig@googlegroups.com")),
    ("P008-bad-list", py_field("Discussions-To", "python dev@python.org")),
    ("P008-neither", py_field("Discussions-To", "somewhere")),
    ("P008-plain-http", py_field("Discussions-To", "http://example.org/x")),
    # P009, P010: type and topics
    ("P009-type", py_field("Type", "Feature")),
    ("P010-twice", py_field("Topic", "Packaging, Packaging")),
    ("P010-lower-case", py_field("Topic", "typing")),
    ("P010-unknown", py_field("Topic", "Frobbing")),
    ("P010-unsorted", py_field("Topic", "Typing, Packaging")),
    ("P010-fine", py_field("Topic", "Packaging, Typing")),
    # P012: PEP numbers in Requires, Replaces, Superseded-By
    ("P012-comma", py_field("Requires", "8,12")),
    ("P012-fine", py_field("Requires", "8, 12,")),
    ("P012-blank-entry", py_field("Requires", "8, , 12")),
    ("P012-word", py_field("Replaces", "eight")),
    ("P012-past-9999", py_field("Superseded-By", "10000")),
    # P013: Created
    ("P013-month", swap(PY, "Created: 02-Mar-2021", "Created: 02-Foo-2021")),
    ("P013-no-such-day", swap(PY, "Created: 02-Mar-2021", "Created: 30-Feb-2021")),
    ("P013-before-python", swap(PY, "Created: 02-Mar-2021", "Created: 31-Dec-1989")),
    ("P013-first-year", swap(PY, "Created: 02-Mar-2021", "Created: 01-Jan-1990")),
    ("P013-two-weeks-ahead", swap(PY, "Created: 02-Mar-2021", "Created: 15-Jan-2026")),  # the tests' today is 1 Jan 2026
    ("P013-future", swap(PY, "Created: 02-Mar-2021", "Created: 16-Jan-2026")),
    # P014: Post-History
    ("P014-pending", swap(PY, "Post-History:\n    03-Mar-2021,\n    `04-Apr-2021 <https://discuss.python.org/t/frob/123>`__,\n",
                          "Post-History: Pending\n")),
    ("P014-on-the-header-line", swap(PY, "Post-History:\n    03-Mar-2021,", "Post-History: 03-Mar-2021, 3-Mar-2021,\n   ")),
    ("P014-half-a-link", posts("`04-Apr-2021 <https://discuss.python.org/t/frob/123>", "04-Apr-2021 <x>`__")),
    ("P014-bad-link-date-and-address", posts("`4-Apr-2021 <https://example.org/x>`__")),
    ("P014-archives", posts("`04-Apr-2021 <https://mail.python.org/pipermail/python-dev/2021-April/123.html>`__",
                            f"`05-Apr-2021 <{ARCHIVE}thread/abc123/>`__",
                            f"`06-Apr-2021 <{ARCHIVE}message/abc123/>`__",
                            f"`07-Apr-2021 <{DISCOURSE}frob/123/4>`__",
                            f"`08-Apr-2021 <{DISCOURSE}123>`__",
                            f"`09-Apr-2021 <{DISCOURSE}frob/x/4>`__")),
    # P015: Python-Version
    ("P015-one-part", swap(PY, "Python-Version: 3.14", "Python-Version: 3")),
    ("P015-major", swap(PY, "Python-Version: 3.14", "Python-Version: 4.1")),
    ("P015-minor", swap(PY, "Python-Version: 3.14", "Python-Version: 3.a")),
    ("P015-x-with-micro", swap(PY, "Python-Version: 3.14", "Python-Version: 3.x.1")),
    ("P015-micro", swap(PY, "Python-Version: 3.14", "Python-Version: 3.12.01, 3.12.a, 3.12.1")),
    ("P015-fine", swap(PY, "Python-Version: 3.14", "Python-Version: 3.0, 3.x, 2.7.18, 1.6")),
    # P016: Resolution
    ("P016-elsewhere", py_header("Resolution: https://example.org/decided")),
    ("P016-half-a-link", py_header("Resolution: `05-Jul-2001 <https://example.org/x>")),
    ("P016-message", py_header(f"Resolution: `05-Jul-2001 <{ARCHIVE}message/abc123/#def>`__")),
    ("P016-bad-date", py_header(f"Resolution: `5-Jul-2001 <{DISCOURSE}frob/123/4>`__")),
    ("P016-address", py_header(f"Resolution: {DISCOURSE}frob/123/4")),
    # P017: direct links
    ("P017-both-kinds-on-one-line", swap(PY, "Widgets need frobbing.",
                                         "See https://peps.python.org/pep-0008/ and HTTPS://PEPS.PYTHON.ORG/PEP-0001/ and "
                                         "https://www.rfc-editor.org/rfc/rfc2119 and https://datatracker.ietf.org/doc/html/rfc8174.")),
    ("P017-old-address", swap(PY, "More.", "https://www.python.org/dev/peps/pep-0008/")),
]

EIP_SCENARIOS = [
    # E001
    ("E001-empty", eip_field("description", "")),
    ("E001-no-author", eip_field("author", None)),
    ("E001-standards-track-needs-a-category", eip_field("category", None)),
    ("E001-moved-stub", swap(eip_field("status", "Moved"), "category: Core\n", "")),
    ("E001-meta-needs-no-category", eip_field("category", None).replace("type: Standards Track", "type: Meta")),
    # E002
    ("E002-comma", eip_field("requires", "155,1559")),
    ("E002-not-numbers", eip_field("requires", "EIP-155")),
    ("E002-twice", eip_field("requires", "155, 155")),
    ("E002-itself", eip_field("requires", "155, 9001")),
    ("E002-fine", eip_field("requires", "155, 1559")),
    # E003: a moved stub is left alone
    ("E003-moved-stub", swap(eip_field("status", "Moved"), "eip: 9001\ntitle", "title").replace("---\n\n## Abstract", "eip: 9001\n---\n\n## Abstract")),
    # E004
    ("E004-type", eip_field("type", "Feature")),
    ("E004-category-outside-standards-track", eip_field("type", "Meta")),
    ("E004-moved-keeps-its-category", eip_field("type", "Meta").replace("status: Draft", "status: Moved")),
    # E005
    ("E005-badly-written", eip_field("author", "Ada Example (ada), Bo (@bo)")),
    ("E005-et-al-last", eip_field("author", "Ada Example (@ada), et al.")),
    ("E005-et-al-first", eip_field("author", "et al., Ada Example (@ada)")),
    ("E005-last-badly-written", eip_field("author", "Ada Example (@ada), Bo (bo)")),
    # E006
    ("E006-deadline", eip_field("status", "Last Call") .replace("type:", "last-call-deadline: 2026-02-01\ntype:")),
    ("E006-bad-deadline", eip_field("status", "Last Call").replace("type:", "last-call-deadline: soon\ntype:")),
    ("E006-withdrawn", eip_field("status", "Withdrawn")),
    ("E006-withdrawn-with-reason", eip_field("status", "Withdrawn").replace("type:", "withdrawal-reason: superseded\ntype:")),
    # E007: at each limit and one past it
    ("E007-44-and-140", eip_field("title", "T" * 44).replace("description: Frobs the widgets", "description: " + "d" * 140)),
    ("E007-45-and-141", eip_field("title", "T" * 45).replace("description: Frobs the widgets", "description: " + "d" * 141)),
]

ALL = ([(f"python-pep/fires-{i}-{code}", "python-pep", text) for i, (code, text) in enumerate(PY_CASES)]
       + [(f"eip/fires-{i}-{code}", "eip", text) for i, (code, text) in enumerate(EIP_CASES)]
       + [(f"python-pep/{name}", "python-pep", text) for name, text in PY_SCENARIOS]
       + [(f"eip/{name}", "eip", text) for name, text in EIP_SCENARIOS])


def render(fmt: str, text: str, root: Path) -> list[str]:
    return [f"{d.line}:{d.column} {d.code} {d.severity} {d.message}" for d in run(root, fmt, {FILES[fmt]: text})]


def read_golden() -> dict[str, list[str]]:
    blocks = {}
    for block in GOLDEN.read_text(encoding="utf-8").split("\n\n"):
        head, *lines = block.strip("\n").split("\n")
        assert head.startswith("== "), head
        blocks[head[3:]] = lines
    return blocks


def test_scenario_names_are_unique():
    names = [name for name, _, _ in ALL]
    assert len(names) == len(set(names))


@pytest.mark.skipif(not UPDATE, reason="set PEPCTL_UPDATE_GOLDEN=1 to rewrite the golden file")
def test_update_golden_file(tmp_path_factory):
    blocks = ["\n".join([f"== {name}", *render(fmt, text, tmp_path_factory.mktemp("d"))]) for name, fmt, text in ALL]
    GOLDEN.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


@pytest.mark.skipif(UPDATE, reason="rewriting the golden file")
@pytest.mark.parametrize("name, fmt, text", ALL, ids=[name for name, _, _ in ALL])
def test_dialect_messages(name, fmt, text, tmp_path):
    assert render(fmt, text, tmp_path) == read_golden()[name]


@pytest.mark.skipif(UPDATE, reason="rewriting the golden file")
def test_golden_file_has_every_scenario_and_dialect_rule():
    golden = read_golden()
    assert list(golden) == [name for name, _, _ in ALL]
    shown = {line.split(" ", 2)[1] for lines in golden.values() for line in lines}
    dialect = {code for code, r in REGISTRY.items() if r.formats and set(r.formats) & {"python-pep", "eip"}}
    assert sorted(dialect - shown) == []
