"""What each dialect's reader makes of a file, to the character, compared with a golden file.

The readers find fields by offsets (where a name starts, where its value starts and ends, on
which line), and the edits, the lint positions and the history all build on those offsets. The
corpus tests beside the checkout read thousands of real files but only check that nothing
breaks; here, small files written for the test (each dialect's usual form and its oddities,
with LF and CRLF line endings) are read and every part of the result is written out: the
header's place, each field with its spans and the text they cover, the problems, the PEP's
number, title, status and authors, and the text after setting the status, each field, and adding a field.
The whole must equal tests/formats/golden/readers.txt.

After changing a reader on purpose, regenerate the file and review its diff:

    PEPCTL_UPDATE_GOLDEN=1 python -m pytest tests/formats/test_reader_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pepctl.document import Document
from pepctl import formats
from pepctl.model import Pep
from tests.formats.dialects import EIP, PY
from tests.formats.test_oddities import KEP, MADR, RUST, SWIFT

GOLDEN = Path(__file__).resolve().parent / "golden" / "readers.txt"
UPDATE = os.environ.get("PEPCTL_UPDATE_GOLDEN") == "1"

# (id, format, path, text)
FILES = [
    ("swift", "swift", "proposals/0042-spin.md", SWIFT),
    ("swift-odd", "swift", "proposals/0043-odd.md",
     "\n# Odd one\n\n* Proposal: [SE-0043](0043-odd.md)\n- Authors: [Ada](https://github.com/ada), [Bo](https://github.com/bo)\n"
     "\t- Other: a tab-indented sub-item\n* **Status:** **Accepted**\n*  Implementation:   \n>* Review Manager: Cy\n* Status: Rejected\n\nText.\n"),
    ("swift-testing", "swift-testing", "proposals/testing/0007-spin.md", SWIFT.replace("SE-0042", "ST-0007")),
    ("rust-rfc", "rust-rfc", "text/0042-widget-spin.md", RUST),
    ("rust-rfc-odd", "rust-rfc", "text/0043-odd.md",
     "- Feature Name: None\n+ Start Date: 2020-01-02\n- RFC PR:\n- [a bare link](https://example.org)\n"
     "  continued below\n- Rust Issue: N/A\n\n# Summary\n"),
    ("kep", "kep", "keps/sig-node/42-spin/kep.yaml", KEP),
    ("kep-odd", "kep", "keps/sig-node/43-odd/kep.yaml",
     "title: 'Odd: one'\nkep-number: \"43\"\nauthors: [\"@ada\", bo]\nstatus: implemented\nlast-updated: 2022-01-01\n"
     "see-also:\n  - \"/keps/sig-node/42-spin\"\nstatus: duplicate\n"),
    ("madr", "madr", "docs/decisions/0005-spin.md", MADR),
    ("madr-bullets", "madr", "docs/adr/0006-old.md",
     "# Use old bullets\n\n* Status: accepted\n* Deciders: Ada, Bo\n* Date: 2019-01-02\n\n## Context\n\nWhy.\n"),
    ("eip", "eip", "EIPS/eip-9001.md", EIP),
    ("eip-odd", "eip", "EIPS/eip-9002.md",
     "---\neip: 9002\ntitle: 'Quoted: title'\nauthor: Ada (@ada)\nstatus: Draft\ntype: Meta\ncreated: 2021-03-02\n"
     "requires:\n---\n\nBody with\nstatus: not metadata\n"),
    ("python-pep", "python-pep", "peps/pep-9001.rst", PY),
    ("python-pep-odd", "python-pep", "peps/pep-9002.rst",
     "PEP: 9002\nTitle: Odd one\nAuthor: Ada <ada@example.org>\n    continued,\n Bo\nStatus: Draft\nType: Process\n"
     "Created:\nnot a header\nPost-History: 01-Jan-2020\n\nAbstract\n========\n\nText.\n"),
]
CASES = [(f"{name}/{ending}", fmt, path, text if ending == "lf" else text.replace("\n", "\r\n"))
         for name, fmt, path, text in FILES for ending in ("lf", "crlf")]


def describe(fmt: str, path: str, text: str) -> list[str]:
    header_format = formats.get(fmt)
    doc = Document(text, path, header_format=header_format)
    head = doc.header
    out = [f"header: lines {head.first_line}-{head.last_line}, span {head.start}-{head.end}"]
    for f in head.field_list:
        covered = text[f.value_start:f.value_end] if f.value_start is not None else None
        out.append(f"field {f.name!r} key={f.key!r} line={f.line} name@{f.name_start} "
                   f"value@{f.value_start}-{f.value_end} raw={f.raw!r} value={f.value!r} covers={covered!r}")
    for p in doc.problems:
        out.append(f"problem {p.line}:{p.column} {p.kind}: {p.message}")
    pep = Pep(doc, path)
    out.append(f"pep: number={pep.number} title={pep.title!r} status={pep.status!r} authors={pep.authors_text!r}")
    if head.field_list:
        edited = Document(text, path, header_format=header_format)
        status = edited.field("status")
        if status is not None:
            edited.set_field("status", "Zzz")
            out.append("status set: " + _changed(text, edited.text))
        for f in head.field_list:  # every field, the empty ones too: the value written, every other byte kept
            one = Document(text, path, header_format=header_format)
            try:
                one.apply(header_format.set_value(one, f, "Zz 1"))
            except ValueError as refused:  # a value pepctl will not rewrite (a YAML list): said, not mangled
                out.append(f"set {f.name!r} (line {f.line}) refused: {refused}")
                continue
            out.append(f"set {f.name!r} (line {f.line}): " + _changed(text, one.text))
        first = head.field_list[0].name
        added = Document(text, path, header_format=header_format)
        added.add_field("Zz-Extra", "1", after=first)
        out.append(f"field added after {first!r}: " + _changed(text, added.text))
        names = [f.name for f in head.field_list]
        # the new field is read back, and no field of the header is lost behind it
        assert [f.name for f in added.header.field_list if f.name != "Zz-Extra"] == names
        assert added.get("Zz-Extra") == "1"
    return out


def _changed(before: str, after: str) -> str:
    """The part of `after` that differs from `before`, with a few characters around it."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return f"@{start} {before[max(0, start - 8):len(before) - end + 8]!r} -> {after[max(0, start - 8):len(after) - end + 8]!r}"


def read_golden() -> dict[str, list[str]]:
    blocks = {}
    for block in GOLDEN.read_text(encoding="utf-8").split("\n\n"):
        head, *lines = block.strip("\n").split("\n")
        blocks[head[3:]] = lines
    return blocks


@pytest.mark.skipif(not UPDATE, reason="set PEPCTL_UPDATE_GOLDEN=1 to rewrite the golden file")
def test_update_golden_file():
    GOLDEN.parent.mkdir(exist_ok=True)
    blocks = ["\n".join([f"== {name}", *describe(fmt, path, text)]) for name, fmt, path, text in CASES]
    GOLDEN.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


@pytest.mark.skipif(UPDATE, reason="rewriting the golden file")
@pytest.mark.parametrize("name, fmt, path, text", CASES, ids=[c[0] for c in CASES])
def test_reader(name, fmt, path, text):
    assert describe(fmt, path, text) == read_golden()[name]


@pytest.mark.skipif(UPDATE, reason="rewriting the golden file")
def test_golden_file_has_every_case_and_format():
    assert list(read_golden()) == [c[0] for c in CASES]
    assert {fmt for _, fmt, _, _ in FILES} == set(formats.NAMES) - {"plano"}
