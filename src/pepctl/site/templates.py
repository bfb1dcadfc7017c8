"""The files the site ships with: Jinja templates for its pages, and static assets."""

from __future__ import annotations

import os

import jinja2

from pepctl.site import diagrams
from pepctl.site.highlight import style_sheet
from pepctl.site.records import pep_label, slug

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
        _ENVIRONMENT = env
    return _ENVIRONMENT


def prepare() -> None:
    """Compile the templates every process needs (before forking, so that workers inherit them)."""
    for name in PEP_TEMPLATES:
        environment().get_template(name)


def render(name: str, context: dict) -> str:
    return environment().get_template(name).render(context)


def base_context(state, root: str, title: str) -> dict:
    """What every page's template needs: `root` is the way from the page to the site's root."""
    return {"root": root, "page_title": title, "site_title": SITE_TITLE, "base_url": state.base_url}


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
    found.append(("static/pygments.css", style_sheet()))
    mermaid = diagrams.script_path() if diagrams_drawn else None
    if mermaid is not None:  # served for the pages that have diagrams (diagrams.py)
        with open(mermaid, "rb") as handle:
            found.append((diagrams.SCRIPT, handle.read()))
    return found
