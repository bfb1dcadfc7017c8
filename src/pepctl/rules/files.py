"""F: the file itself: readable text, sensible size, conventional name."""

from __future__ import annotations

import os

from pepctl.model import FILE_NAME_RE
from pepctl.rules import RAW, rule


def _error_of(entry, kind):
    error = entry.error
    if error is not None and error.kind == kind:
        yield error.line, error.column, error.message


@rule("F001", "unreadable-file", "The file cannot be read.", scope=RAW)
def unreadable_file(entry, ctx):
    yield from _error_of(entry, "unreadable")


@rule("F002", "not-utf8", "The file is not valid UTF-8.", scope=RAW)
def not_utf8(entry, ctx):
    yield from _error_of(entry, "encoding")


@rule("F003", "binary-file", "The file holds binary data, not Markdown.", scope=RAW)
def binary_file(entry, ctx):
    yield from _error_of(entry, "binary")


@rule("F004", "empty-file", "The file is empty.", scope=RAW)
def empty_file(entry, ctx):
    yield from _error_of(entry, "empty")


@rule("F005", "file-too-large", "The file is far larger than a proposal should be.", severity="warning", scope=RAW)
def file_too_large(entry, ctx):
    limit = ctx.config.max_file_size
    if entry.size > limit:
        yield 1, (
            f"the file is {entry.size / 1048576:.1f} MiB, over the {limit / 1048576:.1f} MiB limit; "
            "move large material (data, logs, images) out of the PEP and link to it"
        )


@rule("F006", "file-name", "File name is PEP-NNNN-short-title.md (lower-case slug).", scope=RAW)
def file_name(entry, ctx):
    name = os.path.basename(entry.path)
    if not FILE_NAME_RE.fullmatch(name):
        yield 1, (
            f"file name {name!r} does not follow PEP-NNNN-short-title.md "
            "(four-digit number, lower-case words joined by hyphens); rename it"
        )
