"""Bar charts made at build time as HTML and CSS: readable with no JavaScript, at any width, coloured
by CSS (so the light and dark schemes both apply), every bar a link to the PEPs it counts.

A chart is an ordered list: one item per bar, holding the label, the bar (an SVG rectangle whose
length is a share of the longest's) and the value, all in one link. Text stays text at the page's size, so a phone shows it
as large as the rest of the page (an SVG drawn for a desktop shrinks its labels with its width).
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple


class Bar(NamedTuple):
    label: str
    value: float
    css_class: str  # of the bar: its colour
    href: str  # where the PEPs it counts are listed ('' : no link)


def bar_chart(bars: list[Bar], title: str, unit: str = "", css_class: str = "chart") -> str:
    """An <ol> of bars, labelled `title`; `unit` follows each value (" days")."""
    if not bars:
        return ""
    biggest = max((bar.value for bar in bars), default=0) or 1
    parts = [f'<ol class="{escape(css_class)}" aria-label="{escape(title)}">']
    for bar in bars:
        share = 0 if bar.value <= 0 else max(0.5, round(100 * bar.value / biggest, 1))
        shown = f"{bar.value:g}"
        # the bar is an SVG rectangle: its length is an attribute, not a style, so a Content-Security-
        # Policy that forbids inline styles still draws it
        inner = (f'<span class="bar-label">{escape(bar.label)}</span>'
                 f'<svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">'
                 f'<rect class="bar {escape(bar.css_class)}" width="{share:g}" height="10"/></svg>'
                 f'<span class="bar-value">{escape(shown)}{escape(unit)}</span>')
        inner = f'<a href="{escape(bar.href)}">{inner}</a>' if bar.href else f'<span class="bar-row">{inner}</span>'
        parts.append(f"<li>{inner}</li>")
    parts.append("</ol>")
    return "".join(parts)
