"""Small SVG charts drawn at build time: readable with no JavaScript, coloured by CSS.

Every chart is a horizontal bar chart: one labelled bar per row, the value
written at the end of the bar, a <title> and an aria-label for screen
readers. Colours come from CSS classes, so the light and dark schemes both
apply.
"""

from __future__ import annotations

from html import escape


def bar_chart(rows: list[tuple[str, float, str]], title: str, unit: str = "", width: int = 640,
              label_width: int = 150, bar_height: int = 22, gap: int = 8, css_class: str = "chart") -> str:
    """rows: (label, value, css class of the bar). Returns an inline <svg> element."""
    if not rows:
        return ""
    top = 4
    height = top + len(rows) * (bar_height + gap)
    biggest = max((value for _, value, _ in rows), default=0) or 1
    room = width - label_width - 70
    parts = [
        f'<svg class="{escape(css_class)}" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value, bar_class) in enumerate(rows):
        y = top + index * (bar_height + gap)
        length = 0 if value <= 0 else max(2, round(room * value / biggest))
        shown = f"{value:g}{unit}"
        parts.append(
            f'<g class="row"><text class="label" x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar {escape(bar_class)}" x="{label_width}" y="{y}" width="{length}" '
            f'height="{bar_height}" rx="3"><title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text class="value" x="{label_width + length + 6}" y="{y + bar_height * 0.7:.1f}">'
            f"{escape(shown)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
