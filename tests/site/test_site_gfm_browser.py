"""GitHub's Markdown additions in a real browser (Debian's Chromium, driven by Playwright): math
shows as MathML that takes up room on the page, and a Mermaid block becomes an SVG drawing, from the
Mermaid script the site serves itself, with no console error.

Mermaid's script comes from npm's mermaid package; .ci/run unpacks it into .ci/npm (see
MERMAID_JS) and these tests fail in CI without it. Elsewhere they use PEPCTL_MERMAID_JS, else that
file, and skip the diagram test when neither is there.
"""

from __future__ import annotations

import os
import threading

import pytest
from browserhelpers import require_chromium, watch
from browserhelpers import browser  # noqa: F401 - the module's Chromium (a fixture)
from sitehelpers import REPO, build, copy_fixtures

MERMAID_JS = REPO / ".ci" / "npm" / "package" / "dist" / "mermaid.min.js"  # where .ci/run unpacks it

sync_api = require_chromium()

PEP = """# PEP-0009: Diagrams and formulas

| Field | Value |
|---|---|
| **PEP** | 0009 |
| **Title** | Diagrams and formulas |
| **Status** | Draft |
| **Authors** | Ada Lovelace (@ada) |
| **Created** | 2024-01-10 |

## Summary

The cost is $c = \\frac{n_1 \\cdot k}{2}$ per request, and in all

$$
\\sum_{i=1}^{n} c_i \\le C_{max}
$$

```mermaid
graph TD
  A[Request] --> B{Cached?}
  B -->|yes| C[Answer]
  B -->|no| D[Compute]
```

> [!WARNING]
> Both are drawn in the browser from the site's own files.
"""


def mermaid_script() -> str | None:
    named = os.environ.get("PEPCTL_MERMAID_JS")
    if named and os.path.isfile(named):
        return named
    return str(MERMAID_JS) if MERMAID_JS.is_file() else None


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from pepctl.site.serve import make_server

    script = mermaid_script()
    if script is None and os.environ.get("CI"):
        pytest.fail(f"Mermaid's script is missing: .ci/run unpacks npm's mermaid package into {MERMAID_JS.parent}",
                    pytrace=False)
    tmp = tmp_path_factory.mktemp("gfm")
    folder = copy_fixtures(tmp)
    (folder / "PEP-0009-diagrams.md").write_text(PEP, encoding="utf-8")
    out = tmp / "site"
    patch = pytest.MonkeyPatch()
    patch.setenv("PEPCTL_MERMAID_JS", script or str(tmp / "no-mermaid.js"))
    try:
        build(folder, out)
    finally:
        patch.undo()
    server = make_server(str(out), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", script is not None
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    watch(page)
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()


def test_math_is_mathml_with_a_size(page, served):
    root, _ = served
    page.goto(root + "pep/PEP-0009-diagrams.html")
    inline = page.locator("article math[display=inline]").first
    block = page.locator("article math[display=block]").first
    for formula in (inline, block):
        box = formula.bounding_box()
        assert box is not None and box["width"] > 10 and box["height"] > 8, box
    # Chromium lays out MathML Core: a fraction is taller than the line's text around it
    fraction = page.locator("article mfrac").first.bounding_box()
    assert fraction["height"] > 15
    assert page.locator(".markdown-alert-warning .markdown-alert-title").inner_text() == "Warning"
    assert page.problems == []


def test_a_mermaid_block_is_drawn_as_svg_from_the_sites_own_script(page, served):
    root, drawn = served
    if not drawn:
        pytest.skip("no Mermaid script here (PEPCTL_MERMAID_JS, or npm's package unpacked as .ci/run does)")
    page.goto(root + "pep/PEP-0009-diagrams.html")
    page.wait_for_selector("figure.mermaid-diagram.drawn svg", timeout=20_000)
    svg = page.locator("figure.mermaid-diagram svg").first
    box = svg.bounding_box()
    assert box["width"] > 50 and box["height"] > 50
    assert "Cached?" in svg.text_content()  # the diagram's own labels, drawn
    assert not page.locator("figure.mermaid-diagram .mermaid-source").is_visible()
    assert all(url.startswith(root) for url in page.requests), page.requests  # nothing from elsewhere
    assert any(url.endswith("static/mermaid.min.js") for url in page.requests)
    assert page.problems == []


def test_pages_without_diagrams_do_not_load_mermaid(page, served):
    root, _ = served
    page.goto(root + "pep/PEP-0001-alpha.html")
    page.wait_for_load_state("load")
    assert not any("mermaid" in url or "diagrams.js" in url for url in page.requests), page.requests
    assert page.problems == []
