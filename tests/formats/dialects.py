"""Small proposal files in each dialect, written for these tests, and helpers to read them."""

from __future__ import annotations

from pepctl.config import Config
from pepctl.document import Document
from pepctl import formats
from pepctl.model import Pep


def doc(text: str, name: str, path: str = "x") -> Document:
    return Document(text, path, header_format=formats.get(name))


def pep(text: str, name: str, path: str) -> Pep:
    return Pep(doc(text, name, path), path)


def configured(name: str) -> Config:
    config = Config({"format": name})
    return formats.configure(config, None)


def edited_equal_except(before: str, after: str, old: str, new: str) -> bool:
    """True when `after` is `before` with exactly one `old` replaced by `new`."""
    at = before.find(old)
    return at != -1 and after == before[:at] + new + before[at + len(old):]


PY = (
    "PEP: 9001\n"
    "Title: Frobnicate the widgets\n"
    "Author: Ada Example <ada@example.org>,\n"
    "        Łukasz Sample <lukasz@example.org>,\n"
    "        Bare Name\n"
    "Status: Draft\n"
    "Type: Standards Track\n"
    "Created: 02-Mar-2021\n"
    "Python-Version: 3.14\n"
    "Post-History:\n"
    "    03-Mar-2021,\n"
    "    `04-Apr-2021 <https://discuss.python.org/t/frob/123>`__,\n"
    "\n"
    "\n"
    "Abstract\n"
    "========\n"
    "\n"
    "Widgets need frobbing. See :pep:`8`.\n"
    "\n"
    "Details\n"
    "-------\n"
    "\n"
    "More.\n"
)

EIP = (
    "---\n"
    "eip: 9001\n"
    'title: "Frobs: a widget change"\n'
    "description: Frobs the widgets\n"
    "author: Ada Example (@ada), Bo Sample <bo@example.org>, Cy Both (@cy) <cy@example.org>\n"
    "discussions-to: https://example.org/t/frobs/1\n"
    "status: Draft\n"
    "type: Standards Track\n"
    "category: Core\n"
    "created: 2021-03-02\n"
    "requires: 1559\n"
    "---\n"
    "\n"
    "## Abstract\n"
    "\n"
    "Frobs widgets; see [EIP-1559](./eip-1559.md).\n"
    "\n"
    "---\n"
    "\n"
    "## Specification\n"
    "\n"
    "status: not metadata\n"
)
