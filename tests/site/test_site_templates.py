"""The templates and static files the site ships with."""

from __future__ import annotations

import os

from sitehelpers import CORPUS  # noqa: F401  (skips the module without the site extra)

from pepctl.site import templates


def test_one_environment_with_the_site_filters():
    env = templates.environment()
    assert env is templates.environment()
    assert env.filters["pepnum"](7) == "PEP-0007" and env.filters["slug"]("Under Review") == "under-review"


def test_static_files_and_the_code_colours():
    files = dict(templates.static_files())
    assert {"static/site.css", "static/site.js", "static/search.js", "static/pygments.css"} <= set(files)
    assert list(files)[-1] == "static/pygments.css" and "prefers-color-scheme: dark" in files["static/pygments.css"]
    names = {os.path.basename(path) for path in templates.asset_files()}
    assert {"pep.html", "base.html", "site.css"} <= names


def test_every_page_names_its_root_and_title():
    class State:
        base_url = ""

    context = templates.base_context(State(), "../", "Alpha", "About <alpha> & more")
    assert context == {"root": "../", "page_title": "Alpha", "site_title": templates.SITE_TITLE, "base_url": "",
                       "description": "About <alpha> & more"}
    page = templates.render("search.html", context)
    assert "<title>Alpha · Enhancement Proposals</title>" in page
    assert '<meta name="description" content="About &lt;alpha&gt; &amp; more">' in page
