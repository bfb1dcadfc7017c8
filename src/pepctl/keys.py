"""How names are compared: the one normal form for each kind of name.

Headings, statuses and section names compare with their spaces collapsed and
their case folded; GitHub logins compare without a leading @ and case folded.
Pure functions, imported by every layer.
"""

from __future__ import annotations


def text_key(text: str) -> str:
    """A heading, status or section name for lookups: runs of white space as one space, case folded."""
    return " ".join(text.split()).casefold()


def login_key(handle: str | None) -> str:
    """A GitHub login or @handle for comparisons: no surrounding space, no leading @, case folded."""
    return (handle or "").strip().lstrip("@").casefold()
