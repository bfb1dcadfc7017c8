"""The files the site ships with: Jinja templates for its pages, and static assets."""

from __future__ import annotations

import os
import re

import jinja2
from markupsafe import Markup

from pepctl.site import diagrams
from pepctl.site.highlight import style_sheet
from pepctl.site.records import pep_label, slug
from pepctl.site.titles import title_html, title_text

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
SITE_TITLE = "Enhancement Proposals"
PEP_TEMPLATES = ("base.html", "pep.html")  # compiled before any fork: every process renders PEP pages

_ENVIRONMENT: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    """The process's one template environment (templates compile on first use and stay)."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(os.path.join(PACKAGE_DIR, "templates")),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # templates ship with pepctl; no stat() per page to check them
            undefined=jinja2.StrictUndefined,  # a value a template names but no page passes is a bug: fail loudly
        )
        env.filters["slug"] = slug
        env.filters["pepnum"] = pep_label
        env.filters["title_html"] = lambda title: Markup(title_html(title))
        env.filters["title_text"] = title_text
        _ENVIRONMENT = env
    return _ENVIRONMENT


def prepare() -> None:
    """Compile the templates every process needs (before forking, so that workers inherit them)."""
    for name in PEP_TEMPLATES:
        environment().get_template(name)


def render(name: str, context: dict) -> str:
    return environment().get_template(name).render(context)


def base_context(state, root: str, title: str, description: str) -> dict:
    """What every page's template needs: `root` is the way from the page to the site's root; `title`
    and `description` are plain text (the page's <title> and meta description)."""
    return {"root": root, "page_title": title, "site_title": SITE_TITLE, "base_url": state.base_url,
            "description": description}


def asset_files() -> list[str]:
    """Every template and static file (their bytes are part of every page's key)."""
    files = []
    for sub in ("templates", "static"):
        folder = os.path.join(PACKAGE_DIR, sub)
        for name in sorted(os.listdir(folder)):
            if not name.startswith("."):
                files.append(os.path.join(folder, name))
    mermaid = diagrams.script_path()
    if mermaid is not None:  # whether pages draw their diagrams depends on it
        files.append(mermaid)
    return files


def static_files(diagrams_drawn: bool = True) -> list[tuple[str, bytes | str]]:
    """(path in the site, content) of the static assets, the code colours' style sheet last; Mermaid's
    script too when it is found and `diagrams_drawn` (some page has a diagram)."""
    folder = os.path.join(PACKAGE_DIR, "static")
    found = []
    for name in sorted(os.listdir(folder)):
        if not name.startswith("."):
            with open(os.path.join(folder, name), "rb") as handle:
                found.append((f"static/{name}", handle.read()))
    found.append(("static/pygments.css", themed(style_sheet())))
    mermaid = diagrams.script_path() if diagrams_drawn else None
    if mermaid is not None:  # served for the pages that have diagrams (diagrams.py)
        with open(mermaid, "rb") as handle:
            found.append((diagrams.SCRIPT, handle.read()))
    return found


DARK_BLOCK_RE = re.compile(r"@media \(prefers-color-scheme: dark\) \{\n(.*)\}\n?\Z", re.S)


def themed(sheet: str) -> str:
    """The code colours' style sheet, following the page's light/dark toggle as well as the system: its
    dark rules apply under a dark system setting unless the reader chose light, and whenever the reader
    chose dark (static/theme.js sets data-theme on the root element)."""
    match = DARK_BLOCK_RE.search(sheet)
    if match is None:
        return sheet
    dark = match.group(1)
    system = re.sub(r"^\.highlight", ":root:not([data-theme=light]) .highlight", dark, flags=re.M)
    chosen = re.sub(r"^\.highlight", ":root[data-theme=dark] .highlight", dark, flags=re.M)
    return f"{sheet[:match.start()]}@media (prefers-color-scheme: dark) {{\n{system}}}\n{chosen}"
