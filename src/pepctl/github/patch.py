"""Rebuilding a file from the ``patch`` of a pull request's file listing, checked against its blob id.

The listing of a pull request's files already carries each file's unified diff; applying it
to the base version gives the head version without another request. ``blob_sha`` is git's
object id of a file's bytes, which the listing also reports, so a wrong rebuild is never used.
"""

from __future__ import annotations

import hashlib
import re

HUNK_RE = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _lines(data: bytes) -> list[bytes]:
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def apply_patch(old: bytes, patch: str) -> bytes | None:
    """Apply the hunks of a unified diff (as in a file entry's ``patch``) to ``old``.

    Returns None when the patch does not fit; callers check the result against
    the blob id anyway, so a wrong rebuild is never used.
    """
    source = _lines(old)
    out: list[bytes] = []
    pos = 0
    last = None  # kind of the last hunk line: ' ', '+' or '-'
    lines = patch.split("\n")
    i = 0
    try:
        while i < len(lines):
            header = HUNK_RE.match(lines[i])
            if header is None:
                if lines[i] == "" and i == len(lines) - 1:
                    break
                return None
            start, length = int(header.group(1)), int(header.group(2) or 1)
            begin = start if length == 0 else start - 1
            if begin < pos or begin > len(source):
                return None
            out.extend(source[pos:begin])
            pos = begin
            i += 1
            while i < len(lines) and not lines[i].startswith("@@"):
                line = lines[i]
                kind, text = line[:1], line[1:].encode("utf-8")
                if kind in (" ", "-"):
                    if pos >= len(source) or source[pos].removesuffix(b"\n") != text:
                        return None
                    if kind == " ":
                        out.append(source[pos])
                    pos += 1
                    last = kind
                elif kind == "+":
                    out.append(text + b"\n")
                    last = kind
                elif kind == "\\":
                    if last in (" ", "+") and out and out[-1].endswith(b"\n"):
                        out[-1] = out[-1][:-1]
                elif line == "" and i == len(lines) - 1:
                    pass
                else:
                    return None
                i += 1
        out.extend(source[pos:])
    except UnicodeEncodeError:
        return None
    return b"".join(out)
