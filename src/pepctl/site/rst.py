"""reStructuredText (Python's PEPs) to safe HTML, with docutils.

docutils parses and writes the body (its ``:pep:`` role links ``pep-NNNN.html``, which is the
page of that PEP beside this one); raw HTML and file inclusion are off, and the HTML goes
through the same nh3 cleaning as Markdown's. Section titles become the page's table of
contents. docutils is in the `formats` extra, imported when the first RST page is made.
"""

from __future__ import annotations

import copy
import html as html_lib
import re

from pepctl.site.markdown import Rendered
from pepctl.site.sanitizer import sanitize

HEADING_RE = re.compile(r'<section id="([^"]+)">\s*<h([1-6])>(.*?)</h\2>', re.S)
TAG_RE = re.compile(r"<[^>]*>")
SETTINGS = {
    "report_level": 5,  # messages about the text go nowhere: `pepctl check` is where problems are told
    "halt_level": 5,
    "traceback": True,  # an error is raised to render_rst, not told on stderr before sys.exit(1) (RecursionError)
    "raw_enabled": False,
    "file_insertion_enabled": False,
    "_disable_config": True,
    "pep_base_url": "",
    "pep_file_url_template": "pep-%04d.html",
    "rfc_base_url": "https://datatracker.ietf.org/doc/html/",
    "initial_header_level": 2,
    "doctitle_xform": False,  # the first section is no document title: the PEP's Title header is
    "sectsubtitle_xform": False,
    "embed_stylesheet": False,
    "syntax_highlight": "none",
    "input_encoding": "unicode",
    "output_encoding": "unicode",
}


_SETTINGS = []  # docutils' settings, made once per process: making them costs more than parsing a short PEP


def settings():
    if not _SETTINGS:
        from pepctl.formats.common import need

        frontend = need("docutils.frontend")
        from docutils.parsers.rst import Parser
        from docutils.writers.html5_polyglot import Writer

        made = frontend.get_default_settings(Parser, Writer)
        for key, value in SETTINGS.items():
            setattr(made, key, value)
        _SETTINGS.append(made)
    return _SETTINGS[0]


def render_rst(text: str) -> Rendered:
    from pepctl.formats.common import need

    core = need("docutils.core")
    try:
        parts = core.publish_parts(text, writer="html5", settings=copy.copy(settings()))
        body = parts["body"]
    except Exception as err:  # docutils gives up on some input: the page shows the text as it is
        body = f"<p>(this text could not be rendered: {html_lib.escape(type(err).__name__)})</p>" \
               f"<pre>{html_lib.escape(text)}</pre>"
    headings = []
    for match in HEADING_RE.finditer(body):
        label = html_lib.unescape(TAG_RE.sub("", match.group(3))).strip()
        headings.append((int(match.group(2)), match.group(1), label))
    markup = sanitize(body)
    markup = markup.replace('id="user-content-', 'id="')  # the ids are docutils', made from the titles
    markup = markup.replace("<pre>", '<pre tabindex="0">')  # a code block that scrolls is reached by keyboard too
    return Rendered(markup, headings)
