"""Which format a folder of proposals is in, from its file names and, when names say too little,
the first lines of a few files."""

from __future__ import annotations

import os
import re

PLANO_RE = re.compile(r"PEP-\d+.*\.md")
PYTHON_RE = re.compile(r"pep-\d{4}\.rst")
EIP_RE = re.compile(r"eip-\d+\.md")
NUMBERED_RE = re.compile(r"\d{3,}-.*\.md")
SNIFF = 4096


def detect(folder: str) -> str:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return "plano"
    if any(PLANO_RE.fullmatch(n) for n in names):
        return "plano"
    if any(PYTHON_RE.fullmatch(n) for n in names):
        return "python-pep"
    if any(EIP_RE.fullmatch(n) for n in names):
        return "eip"
    if _holds_keps(folder, names):
        return "kep"
    numbered = [n for n in names if NUMBERED_RE.fullmatch(n)]
    votes = {"swift": 0, "swift-testing": 0, "rust-rfc": 0, "madr": 0}
    for name in numbered[:12]:
        head = _head(os.path.join(folder, name))
        # MADR's sections first: MADR 2 records open with `* Status:` bullets, as Swift's proposals do
        if re.search(r"^##[ \t]+(?:Context and Problem Statement|Decision Outcome|Considered Options)", head, re.M | re.I) \
                or re.search(r"^(?:status|decision-makers|nav_order):", head, re.M):
            votes["madr"] += 1
        elif re.search(r"^\S?-[ \t]+(?:Feature Name|Start Date|RFC PR|Rust Issue)", head, re.M):
            # Rust's bullets before Swift's: an RFC may also hold an `- Author:` or `* Proposal:` item
            votes["rust-rfc"] += 1
        elif re.search(r"^[ \t]*[*-][ \t]+(?:Proposal|Status|Review Manager|Authors?):", head, re.M | re.I):
            # Swift Testing's proposals (ST-NNNN) number apart from the language's (SE-NNNN)
            testing = re.search(r"^[ \t]*[*-][ \t]+Proposal:[ \t]*\[?ST-\d", head, re.M | re.I)
            votes["swift-testing" if testing else "swift"] += 1
    best = max(votes, key=votes.get)
    return best if votes[best] else "plano"


def _head(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF).decode("utf-8", "replace")
    except OSError:
        return ""


def _holds_keps(folder: str, names: list[str]) -> bool:
    if "kep.yaml" in names:
        return True
    for name in names[:200]:
        path = os.path.join(folder, name)
        if not os.path.isdir(path):
            continue
        try:
            inner = os.listdir(path)
        except OSError:
            continue
        if "kep.yaml" in inner:
            return True
        for sub in inner[:50]:
            if os.path.isfile(os.path.join(path, sub, "kep.yaml")):
                return True
    return False
