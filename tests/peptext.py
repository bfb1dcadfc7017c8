"""A small PEP file for tests: title heading, header table, one section."""

from __future__ import annotations

TEXT = """# PEP-{n:04d}: {title}

| Field | Value |
|---|---|
| **PEP** | {n:04d} |
| **Title** | {title_cell} |
| **Status** | {status} |
| **Author(s)** | {author} |
| **Created** | 2026-01-05 |{extra}

## Summary

{body}
"""


def small_pep(n: int, title: str, status: str = "Draft", author: str = "Ada Lovelace (@ada)",
              extra: str = "", body: str = "Text.") -> str:
    """`extra`: more header rows, each starting with a newline."""
    return TEXT.format(n=n, title=title, title_cell=title.replace("|", "\\|"), status=status, author=author,
                       extra=extra, body=body)


# PEP-0000 up to its '## Index' heading and the blank line after it; the table goes next.
PROCESS_HEAD = """# PEP-0000: Process

| Field | Value |
|---|---|
| **PEP** | 0000 |
| **Title** | Process |
| **Status** | Active |
| **Authors** | The Maintainers |
| **Created** | 2026-01-01 |

## Index

"""
