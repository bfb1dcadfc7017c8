"""GitHub's alerts, which cmark-gfm leaves as blockquotes: a top-level blockquote whose first line
is ``[!NOTE]``, ``[!TIP]``, ``[!IMPORTANT]``, ``[!WARNING]`` or ``[!CAUTION]`` becomes a titled box."""

from __future__ import annotations

import re

ALERT_KINDS = {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}
# What cmark-gfm makes of a blockquote whose first line is an alert's marker alone: the marker, then
# the rest of its paragraph after a line break (soft or hard), or the paragraph's end.
ALERT_START_RE = re.compile(r"<blockquote>\n<p>\[!(note|tip|important|warning|caution)\][ \t]*(<br />)?(\n|</p>\n)",
                            re.IGNORECASE)
# The elements an alert cannot be inside of (GitHub: "alerts cannot be nested within other elements").
CONTAINER_RE = re.compile(r"<(/?)(blockquote|li|ul|ol|details|table|div|section|dd|dl)\b[^>]*>")


def alerts(markup: str) -> str:
    """GitHub's alerts: each blockquote at the top level whose first line is ``[!KIND]`` alone
    becomes a ``markdown-alert`` box titled with its kind. Any other blockquote stays one."""
    starts = {m.start(): m for m in ALERT_START_RE.finditer(markup)}
    if not starts:
        return markup
    out: list[str] = []
    stack: list[bool] = []  # per open container: whether it is an alert being rewritten
    position = 0
    for tag in CONTAINER_RE.finditer(markup):
        closing, name = tag.group(1), tag.group(2)
        if not closing:
            found = starts.get(tag.start()) if not stack and name == "blockquote" else None
            if found is not None and not _alert_is_empty(markup, found):
                kind = found.group(1).lower()
                out.append(markup[position : tag.start()])
                out.append(f'<div class="markdown-alert markdown-alert-{kind}">\n'
                           f'<p class="markdown-alert-title">{ALERT_KINDS[kind]}</p>\n')
                out.append("<p>" if found.group(3) == "\n" else "")
                position = found.end()
                stack.append(True)
            else:
                stack.append(False)
        elif stack:
            if stack.pop():
                out.append(markup[position : tag.start()])
                out.append("</div>")
                position = tag.end()
    out.append(markup[position:])
    return "".join(out)


def _alert_is_empty(markup: str, found: re.Match) -> bool:
    """A marker with nothing after it in the quote: GitHub shows it as the text it is."""
    return found.group(3) == "</p>\n" and markup.startswith("</blockquote>", found.end())
