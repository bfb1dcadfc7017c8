"""Mermaid diagrams: fenced ``mermaid`` blocks drawn in the reader's browser, from files the site serves.

Mermaid draws in the browser only, from a 3 MB script that pepctl does not ship: the site takes it
from the npm package ``mermaid``, installed where the build runs (``npm install mermaid``: the build
looks for ``node_modules/mermaid/dist/mermaid.min.js`` in the current folder and each folder above
it), or from the file ``PEPCTL_MERMAID_JS`` names. The script is copied into ``static/`` and only the
pages that have a diagram load it, with ``diagrams.js``, which runs Mermaid with
``securityLevel: 'strict'`` on each diagram's source read as text. Nothing comes from another site.

Without the script a diagram stays its source, as a code block, with a line that says so, and the
build warns once.
"""

from __future__ import annotations

import os

MARK = 'class="mermaid-diagram"'  # in a page that has a diagram to draw
SCRIPT = "static/mermaid.min.js"  # where the site serves Mermaid's script
SCRIPTS = ("static/mermaid.min.js", "static/diagrams.js")  # what a page with diagrams loads, in order
ENVIRONMENT = "PEPCTL_MERMAID_JS"
PACKAGE_FILE = os.path.join("node_modules", "mermaid", "dist", "mermaid.min.js")
LANGUAGE = "mermaid"


def script_path(start: str | None = None) -> str | None:
    """Mermaid's script, if the build can serve it: PEPCTL_MERMAID_JS's file, else npm's package in
    `start` (default: the current folder) or a folder above it."""
    named = os.environ.get(ENVIRONMENT)
    if named:
        return named if os.path.isfile(named) else None
    folder = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(folder, PACKAGE_FILE)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def used(records) -> bool:
    """Whether any of the PEPs has a Mermaid block."""
    return any(LANGUAGE in record.languages for record in records)


def warnings(records) -> list[str]:
    """What a build says, once, when pages have diagrams and there is no script to draw them."""
    if script_path() is not None or not used(records):
        return []
    named = os.environ.get(ENVIRONMENT)
    if named:
        return [f"{ENVIRONMENT} names {named}, which is not a file: Mermaid diagrams are shown as their "
                "source; point it at mermaid.min.js (from npm's mermaid package, dist/)"]
    return ["Mermaid diagrams are shown as their source: run `npm install mermaid` in this folder (or set "
            f"{ENVIRONMENT} to a mermaid.min.js) and build again to draw them"]


def figure(source_html: str, drawn: bool) -> str:
    """A diagram's block: its source (HTML-escaped, as cmark-gfm gave it) in a figure that
    diagrams.js draws, or, when the site cannot draw it, the source with a note."""
    code = f'<pre class="mermaid-source" tabindex="0" data-lang="mermaid"><code>{source_html}</code></pre>'
    if drawn:
        return f'<figure {MARK}>{code}<figcaption class="muted">Diagram (Mermaid)</figcaption></figure>'
    return (f'<figure class="diagram-source">{code}<figcaption class="muted">Mermaid diagram, shown as its '
            "source: this site was built without Mermaid's script</figcaption></figure>")
