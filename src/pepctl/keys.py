"""How names are compared: the one normal form for each kind of name.

Headings, statuses and section names compare with their spaces collapsed and
their case folded; header field names also lose their emphasis markers and
fold their aliases (Author, Authors, Author(s)); GitHub logins compare without
a leading @ and case folded. Pure functions, imported by every layer.
"""

from __future__ import annotations


def text_key(text: str) -> str:
    """A heading, status or section name for lookups: runs of white space as one space, case folded."""
    return " ".join(text.split()).casefold()


def login_key(handle: str | None) -> str:
    """A GitHub login or @handle for comparisons: no surrounding space, no leading @, case folded."""
    return (handle or "").strip().lstrip("@").casefold()


# Field-name aliases: several spellings of one field.
FIELD_ALIASES = {
    "author": "authors",
    "author(s)": "authors",
    "authors": "authors",
    "superseded by": "superseded-by",
    "superseded-by": "superseded-by",
    "supersededby": "superseded-by",
    "tracking issues": "tracking issue",
    "tracking issue(s)": "tracking issue",
    "decided by": "decided-by",
    "decided-by": "decided-by",
}

_FIELD_KEYS: dict[str, str] = {}  # field names seen -> their keys; a corpus uses few names


def field_key(name: str) -> str:
    """A header field's name for lookups: emphasis markers and case gone, aliases folded."""
    key = _FIELD_KEYS.get(name)
    if key is None:
        key = text_key(strip_emphasis(name))
        key = FIELD_ALIASES.get(key, key)
        if len(_FIELD_KEYS) < 4096:
            _FIELD_KEYS[name] = key
    return key


def strip_emphasis(text: str) -> str:
    """A name without the bold or italic markers around it: ``**Status**`` -> ``Status``."""
    text = text.strip()
    for mark in ("**", "__", "*", "_"):
        n = len(mark)
        if len(text) > 2 * n and text.startswith(mark) and text.endswith(mark):
            return text[n:-n].strip()
    return text
