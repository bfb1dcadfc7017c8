"""The reading layout, the index and the dashboard as a reader sees them, in Debian's Chromium.

The site is built from the fixture folder (in git, so the dashboard has a decision to list) with one
long PEP written here: a title with inline Markdown, a dozen sections, long paragraphs, code and links
to elsewhere. Each test measures what the reader gets: characters per line, where the text starts on
a phone, what prints, what the toggle keeps, what a sort puts first.
"""

from __future__ import annotations

import datetime
import re
import threading

import pytest

from browserhelpers import require_chromium, screenshot
from browserhelpers import browser  # noqa: F401 - the module's Chromium (a fixture)
from sitehelpers import build, git, history_repo

sync_api = require_chromium()

SECTIONS = ["Summary", "Motivation", "Background", "Design", "Wire format", "Errors", "Security",
            "Compatibility", "Performance", "Alternatives", "Rollout", "Open questions"]  # 12: past 9
PROSE = ("The cache keeps each answer under a key made from the model name and a hash of the messages, "
         "so that a repeated prompt is answered from memory instead of by another round trip. Entries "
         "expire after a time the operator chooses, and a request may ask to bypass the cache when it "
         "needs a fresh answer; both rules are checked before any lookup is made. ")
LONG = "PEP-0010-long-read.md"
TITLE = "Reading `Cache-Control` headers *well*"


def long_pep() -> str:
    parts = [f"# PEP-0010: {TITLE}\n\n| Field | Value |\n|---|---|\n| **PEP** | 0010 |\n",
             f"| **Title** | {TITLE} |\n| **Status** | Under Review |\n",
             "| **Author(s)** | Ada Lovelace (@ada) |\n| **Sponsor** | Carol Maintainer (@carol) |\n",
             "| **Created** | 2024-02-10 |\n\n"]
    for index, name in enumerate(SECTIONS):
        parts.append(f"## {name}\n\n{PROSE * 3}\n\n")
        if index == 1:
            parts.append("See [the RFC](https://www.rfc-editor.org/rfc/rfc9111) for the header's rules.\n\n")
        if index == 3:
            parts.append("```python\ndef key(model: str, messages: list[str]) -> str:\n"
                         "    return model + ':' + hash_of(messages)\n```\n\n")
    return "".join(parts)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from pepctl.site.serve import make_server

    tmp = tmp_path_factory.mktemp("layout")
    folder = history_repo(tmp)
    (folder / LONG).write_text(long_pep(), encoding="utf-8")
    git(folder.parent, "add", ".")
    git(folder.parent, "commit", "-q", "-m", "long read", date="2024-03-05T09:00:00+00:00")
    out = tmp / "site"
    build(folder, out, today=datetime.date(2024, 3, 20))
    server = make_server(str(out), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def open_page(browser):
    """open_page(url, width, height, **context options) -> a page, closed with its context after the test."""
    contexts = []

    def opened(url: str, width: int = 1366, height: int = 900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.goto(url)
        return page

    yield opened
    for context in contexts:
        context.close()


PHONE = {"width": 360, "height": 640, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LONG_PAGE = "pep/PEP-0010-long-read.html"

# Characters per line of each paragraph of the text that runs over three lines or more: its characters
# over its lines (its height over its line height), the last, short line left out.
CHARS_PER_LINE_JS = """() => [...document.querySelectorAll('.markdown-body > p')].map(p => {
    const style = getComputedStyle(p);
    const lines = Math.round(p.getBoundingClientRect().height / parseFloat(style.lineHeight));
    if (lines < 4) return null;
    return p.textContent.length / (lines - 0.5);
}).filter(x => x !== null)"""


def test_the_text_runs_at_a_reading_measure_on_a_desktop(open_page, served):
    page = open_page(served + LONG_PAGE, 1366, 900)
    measures = page.evaluate(CHARS_PER_LINE_JS)
    assert len(measures) >= 10
    assert 60 <= min(measures) and max(measures) <= 85, measures
    screenshot(page, "layout-pep-desktop.png", full_page=False)
    assert page.problems == []


def test_on_a_phone_the_text_starts_on_the_first_screen(open_page, served):
    page = open_page(served + LONG_PAGE, **PHONE)
    first = page.locator(".markdown-body p").first.bounding_box()
    assert first["y"] + 40 < 640, first  # its first lines are on the first screen, not below the fold
    # the header card and the contents are there, folded: one tap opens each
    about = page.locator("details.pep-about")
    assert about.locator("summary").is_visible() and not about.locator("dl.fields").is_visible()
    about.locator("summary").click()
    assert about.locator("dl.fields").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    screenshot(page, "layout-pep-phone.png", full_page=False)


def test_on_a_desktop_the_card_and_contents_are_open_beside_the_text(open_page, served):
    page = open_page(served + LONG_PAGE, 1366, 900)
    card = page.locator("details.pep-about dl.fields")
    toc = page.locator(".toc ol")
    assert card.is_visible() and toc.is_visible()
    assert card.bounding_box()["x"] + card.bounding_box()["width"] < page.locator(".markdown-body").bounding_box()["x"]


def test_one_status_badge(open_page, served):
    page = open_page(served + LONG_PAGE, 1366, 900)
    badges = page.locator(".pep .badge:not(.timeline .badge)")
    assert badges.count() == 1 and badges.inner_text() == "Under Review"
    assert badges.is_visible()
    assert page.locator("dl.fields dt", has_text="Status").count() == 0


@pytest.mark.parametrize("width, height", [(1366, 900), (360, 640)])
def test_contents_numbers_are_never_clipped(open_page, served, width, height):
    page = open_page(served + LONG_PAGE, width, height)
    summary = page.locator(".toc summary")
    if not page.locator(".toc ol").is_visible():
        summary.click()
    numbers = page.locator(".toc .toc-n")
    assert numbers.count() == len(SECTIONS)
    toc = page.locator(".toc").bounding_box()
    for i in range(numbers.count()):
        number = numbers.nth(i)
        assert number.inner_text() == str(i + 1)
        # all of it drawn: as wide as its text, and inside the contents box
        fits = number.evaluate("n => n.scrollWidth <= n.clientWidth + 0.5 && getComputedStyle(n, '::after').content")
        assert fits == '"."', i
        box = number.bounding_box()
        assert box["x"] >= toc["x"] and box["x"] + box["width"] <= toc["x"] + toc["width"], i
    # the 12th number is as wide as two digits, the 9th as one: nothing cut
    widths = [numbers.nth(i).evaluate("n => n.getBoundingClientRect().width") for i in (8, 11)]
    text_widths = [numbers.nth(i).evaluate(
        "n => { const r = document.createRange(); r.selectNodeContents(n); return r.getBoundingClientRect().width }")
        for i in (8, 11)]
    assert text_widths[1] > text_widths[0] and all(t <= w + 0.5 for t, w in zip(text_widths, widths))


def test_titles_show_their_code_and_emphasis(open_page, served):
    page = open_page(served + LONG_PAGE, 1366, 900)
    assert page.locator("h1.pep-title code").inner_text() == "Cache-Control"
    assert page.locator("h1.pep-title em").inner_text() == "well"
    assert page.title().startswith("PEP-0010: Reading Cache-Control headers well · ")
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description.startswith("The cache keeps each answer under a key")
    page.goto(served + "index.html")
    row = page.locator("#pep-table tr", has=page.locator("td", has_text="PEP-0010"))
    assert row.locator("code").inner_text() == "Cache-Control" and "`" not in row.inner_text()
    page.goto(served + "dashboard.html")
    assert page.locator("table.waiting code", has_text="Cache-Control").count() == 1


def test_print_shows_the_text_and_card_without_navigation(open_page, served):
    page = open_page(served + LONG_PAGE, 1366, 900)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", "#theme-toggle", ".toc", ".site-search"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("dl.fields").is_visible()  # the header card prints, open
    assert page.locator("details.pep-about summary").is_visible() is False
    link = page.locator(".markdown-body a[href^='https://www.rfc-editor.org']")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://www.rfc-editor.org/rfc/rfc9111" in after
    inner = page.locator(".markdown-body a[href^='#']").first
    if inner.count():
        assert inner.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")
    assert page.locator("h2").first.evaluate("h => getComputedStyle(h).breakAfter") == "avoid"
    assert page.locator("pre").first.evaluate("p => getComputedStyle(p).breakInside") == "avoid"
    # on paper, the whole width is the text's; the PDF has no navigation in it
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and b"Dashboard" not in pdf
    page.emulate_media(media="screen")
    assert page.locator(".site-header").is_visible()


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def code_colour(page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('.highlight .k, .highlight .kn')).color")


@pytest.mark.parametrize("system", ["light", "dark"])
def test_the_theme_toggle_is_remembered_across_reloads(open_page, served, system):
    page = open_page(served + LONG_PAGE, 1366, 900, color_scheme=system)
    toggle = page.locator("#theme-toggle")
    first, first_code = background(page), code_colour(page)
    assert toggle.get_attribute("aria-pressed") == ("true" if system == "dark" else "false")
    toggle.click()
    other = "light" if system == "dark" else "dark"
    assert page.evaluate("document.documentElement.dataset.theme") == other
    assert background(page) != first and code_colour(page) != first_code
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == other
    assert background(page) != first and toggle.get_attribute("aria-pressed") == ("true" if other == "dark" else "false")
    page.goto(served + "index.html")  # every page of the site
    assert background(page) != first
    toggle.click()  # and back to the system's
    assert background(page) == first


def test_the_theme_is_set_before_the_page_is_drawn(open_page, served):
    """No flash of the other scheme: theme.js runs in <head>, before <body> exists, from a file (no
    inline script for a Content-Security-Policy to forbid), and marks the root element there."""
    page = open_page(served + LONG_PAGE, 1366, 900, color_scheme="light")
    page.evaluate("localStorage.setItem('pepctl-theme', 'dark')")
    seen = []
    page.on("console", lambda m: seen.append(m.text))
    page.add_init_script("""document.addEventListener('readystatechange', () => {}, {once: true});
        new MutationObserver((_, observer) => { if (document.body) {
            console.log('body:' + document.documentElement.getAttribute('data-theme')); observer.disconnect(); } })
        .observe(document, {childList: true, subtree: true});""")
    page.reload()
    assert "body:dark" in seen
    script = page.locator("head script")
    assert script.count() == 1 and script.get_attribute("src").endswith("static/theme.js")
    assert script.get_attribute("defer") is None and script.get_attribute("async") is None


def test_the_index_lists_each_pep_once(open_page, served):
    page = open_page(served + "index.html", 1366, 900)
    links = page.eval_on_selector_all("main a[href*='pep/']", "els => els.map(a => a.getAttribute('href'))")
    assert len(links) == len(set(links)) == 9
    assert page.locator("#pep-table tbody tr").count() == 9
    # a status link filters the table in place
    page.locator(".status-nav a", has_text="Declined").click()
    assert page.locator("#status-filter").input_value() == "Declined"
    statuses = page.locator("#pep-table tbody tr:visible td:nth-child(3)").all_inner_texts()
    assert statuses == ["Declined"] * int(page.locator(".status-nav a", has_text="Declined").locator(".count").inner_text())
    assert "status=Declined" in page.url
    screenshot(page, "layout-index.png")
    assert page.problems == []


def test_the_status_column_sorts_in_lifecycle_order(open_page, served):
    from pepctl.config import Config

    page = open_page(served + "index.html", 1366, 900)

    def column(n: int) -> list[str]:  # the text as it is, drawn or not (rows off screen are not laid out)
        return page.eval_on_selector_all(f"#pep-table tbody tr td:nth-child({n})",
                                         "cells => cells.map(c => c.textContent.trim())")

    status = page.locator("#pep-table th", has_text="Status")
    status.click()
    page.wait_for_function("() => [...document.querySelectorAll('#pep-table th')].some(th => th.getAttribute('aria-sort'))")
    shown = column(3)
    lifecycle = [s for s in Config().states]
    known = [s for s in shown if s in lifecycle]
    assert known == sorted(known, key=lifecycle.index)
    assert known != sorted(known)  # not the alphabet (Accepted would come before Draft)
    assert shown[-1] == "Unreadable"
    numbers = column(1)
    drafts = [n for n, s in zip(numbers, shown) if s == "Under Review"]
    assert drafts == sorted(drafts)  # within a status, by number
    status.click()
    page.wait_for_function("() => [...document.querySelectorAll('#pep-table th')].some(th => th.getAttribute('aria-sort') === 'descending')")
    assert column(3) == shown[::-1]


@pytest.mark.parametrize("width", [1366, 800])
def test_dates_stay_on_one_line(open_page, served, width):
    page = open_page(served + "index.html", width, 900)
    heights = page.eval_on_selector_all("#pep-table tbody td:nth-child(5)", """cells => cells.map(c => {
        const r = document.createRange(); r.selectNodeContents(c); return r.getClientRects().length; })""")
    assert heights and set(heights) <= {0, 1}


def test_dashboard_is_readable_on_a_phone_and_its_bars_are_links(open_page, served):
    page = open_page(served + "dashboard.html", **PHONE)
    for text in page.locator(".chart .bar-label, .chart .bar-value").all():
        size = text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        box = text.bounding_box()
        assert size >= 12 and box["height"] >= 12, (text.inner_text(), size)
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    # each bar on one row: its label, bar and value side by side, linked or not (a count of 0)
    rows = page.eval_on_selector_all(".chart li", "els => els.map(e => e.getBoundingClientRect().height)")
    assert len(rows) >= 17 and max(rows) < 48, rows
    screenshot(page, "layout-dashboard-phone.png")
    bars = page.locator(".chart a")
    targets = [bars.nth(i).get_attribute("href") for i in range(bars.count())]
    assert len(targets) >= 9
    for i, href in enumerate(targets):
        value = int(bars.nth(i).locator(".bar-value").inner_text().split()[0])
        label = bars.nth(i).locator(".bar-label").inner_text()
        if href.startswith("#"):  # a bucket of decisions: the list of them, opened by the link
            bars.nth(i).click()
            listed = page.locator(href + " li")
            assert listed.count() == value and listed.first.is_visible()
            assert listed.first.locator("a").count() == 1
        elif href.startswith("index.html?status="):  # a status: the index filtered by it
            other = open_page(served + href, 1366, 900)
            shown = other.locator("#pep-table tbody tr:visible td:nth-child(3)").all_inner_texts()
            assert shown == [label] * value, href
        else:  # a PEP waiting for feedback: its page
            assert re.fullmatch(r"pep/PEP-\d{4}-[a-z-]+\.html", href)
            assert page.request.get(served + href).status == 200
            assert label in href
    assert page.problems == []
