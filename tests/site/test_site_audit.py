"""Lighthouse and axe-core on the plano-1k corpus's site, in Debian's Chromium, served gzip-compressed.

The site is built from the 1,188-PEP corpus beside the checkout, so the index is of real size, and
served by tests/site/audit/serve.mjs (express with compression) on 127.0.0.1, as a web server sends
it. Lighthouse (the npm package, its CLI) audits four pages with its mobile preset, the default; each
of its four categories must score 95 or more. axe-core, injected into the same pages and the 404
page, must find no serious or critical violation in the light scheme nor in the dark one. Without
the corpus, Chromium or the npm tools (`npm ci` in tests/site/audit) the module skips; in CI it fails.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import statistics
import subprocess
from pathlib import Path

import pytest

from browserhelpers import (ARGS, ARTIFACTS, CHROMIUM, NODE_MODULES, gzip_server, missing,
                            require_audit_tools, require_chromium, screenshot)
from browserhelpers import browser  # noqa: F401 - the module's Chromium (a fixture)
from sitehelpers import CORPUS, build

sync_api = require_chromium()
require_audit_tools()
if not CORPUS.is_dir():
    missing("the plano-1k corpus beside the checkout", "shared/corpora/plano-1k")

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = 0.95
SEARCH = "search.html?q=cache"


EXTERNAL_IMAGE_RE = re.compile(r'<img\b[^>]*\bsrc="https?:', re.I)
RUNS = 3  # Lighthouse's own advice for scores that vary from run to run: the median of several
NAMES = ["index", "pep", "search", "dashboard"]


def longest_page(site: Path) -> str:
    """The page of the corpus's longest PEP among those that show no image from another site (the
    tests run offline: such an image fails to load, and Lighthouse counts the browser's error)."""
    sources = sorted(CORPUS.glob("PEP-*.md"), key=lambda p: (-p.stat().st_size, p.name))
    for source in sources:
        page = site / "pep" / f"{source.stem}.html"
        if page.is_file() and not EXTERNAL_IMAGE_RE.search(page.read_text(encoding="utf-8")):
            return f"pep/{source.stem}.html"
    raise AssertionError("no PEP page without images from elsewhere")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit") / "site"
    build(CORPUS, out, jobs=2, today=datetime.date(2026, 12, 1))
    return out


@pytest.fixture(scope="module")
def pages(built) -> dict:
    return {"index": "index.html", "pep": longest_page(built), "search": SEARCH, "dashboard": "dashboard.html"}


@pytest.fixture(scope="module")
def site(built):
    with gzip_server(built) as url:
        yield url


WHOLE_INDEX = 1_000_000  # bytes: a search that still fetches an index of the whole corpus on first use


def lighthouse(url: str, report: str) -> dict:
    """One Lighthouse run (mobile preset, simulated slow 4G and a 4x slower CPU): its JSON report."""
    command = ["node", str(NODE_MODULES / "lighthouse" / "cli" / "index.js"), url, "--quiet", "--output=json",
               f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={' '.join(ARGS)}"]
    for _ in range(3):  # a browser that answers too late on a busy machine is tried again
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                              timeout=300)
        if done.returncode == 0 or "exceeded the allotted time" not in done.stderr:
            break
    assert done.returncode == 0, f"lighthouse failed on {url}: {done.stderr[-2000:]}"
    with open(report, encoding="utf-8") as handle:
        return json.load(handle)


def failing_audits(report: dict, category: str) -> list:
    """The weighted audits of a category that did not pass, with what they say, for the failure message."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            found.append((ref["id"], audit["score"], audit.get("displayValue", "")))
    return found


def scores(report: dict) -> dict:
    return {c: report["categories"][c]["score"] for c in CATEGORIES}


@pytest.fixture(scope="module")
def reports(site, pages, tmp_path_factory):
    """reports(name): Lighthouse's reports of a page: one run, and two more when a category of the
    first scores under the bar (a busy machine slows the simulated phone). A summary of every run is
    kept in test-artifacts."""
    folder = tmp_path_factory.mktemp("lighthouse")
    found = {}
    summary_file = ARTIFACTS / "lighthouse-summary.json"
    summary_file.unlink(missing_ok=True)

    def runs_of(name: str) -> list:
        if name not in found:
            url = site + pages[name]
            runs = [lighthouse(url, str(folder / f"{name}-1.json"))]
            while min(scores(runs[0]).values()) < MINIMUM and len(runs) < RUNS:
                runs.append(lighthouse(url, str(folder / f"{name}-{len(runs) + 1}.json")))
            found[name] = runs
            summary = {name: {"url": pages[name], "runs": [
                {"scores": scores(report),
                 "metrics": {m: report["audits"][m].get("displayValue") for m in (
                     "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                     "cumulative-layout-shift", "speed-index", "dom-size")}} for report in runs]}
                for name, runs in found.items()}
            ARTIFACTS.mkdir(exist_ok=True)
            summary_file.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        return found[name]

    return runs_of


def test_lighthouse_scores_95_in_every_category_on_a_phone(reports, built):
    """One test for the four pages (under pytest-xdist, tests of one module may go to different
    processes, and each would build the site and share the machine with the other's Lighthouse)."""
    low, known = {}, {}
    whole = built / "search-index.json"
    for name in NAMES:
        runs = reports(name)
        for report in runs:
            assert report["configSettings"]["formFactor"] == "mobile"
            assert report["configSettings"]["throttlingMethod"] == "simulate"
            assert "runtimeError" not in report, report.get("runtimeError")
        # the median of the runs (one run when it passed at once)
        median = {c: statistics.median(scores(report)[c] for report in runs) for c in CATEGORIES}
        failing = {c: (median[c], [failing_audits(report, c) for report in runs]) for c in CATEGORIES
                   if median[c] < MINIMUM}
        if failing and name == "search" and whole.is_file() and whole.stat().st_size > WHOLE_INDEX:
            known[name] = failing
        elif failing:
            low[name] = failing
    assert low == {}
    if known:
        # Known, and not the page's layout: its results wait for the whole corpus's index (the
        # search part of the same work replaces it). Once that file is gone or small, this holds.
        pytest.xfail(f"the first search downloads all of search-index.json ({whole.stat().st_size // 1000} kB): "
                     f"{known}")


def axe_violations(page) -> list:
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(browser, site, pages, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    found = {}
    unfocusable = False
    for name, path in {**pages, "404": "no-such-page.html"}.items():
        response = page.goto(site + path)
        assert response.status == (404 if name == "404" else 200), name
        if name == "search":
            page.wait_for_selector("#search-results li")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(255, 255, 255)") == (scheme == "light"), (name, background)
        violations = axe_violations(page)
        if violations:
            found[name] = violations
        code_blocks = page.evaluate("[...document.querySelectorAll('pre')].map(p => p.tabIndex)")
        if any(index < 0 for index in code_blocks):
            unfocusable = True
    context.close()
    known = {name: [v for v in found[name] if v[0] != "scrollable-region-focusable"] for name in found}
    if found and unfocusable and not any(known.values()):
        # Known, and not the layout's: code blocks that scroll sideways are not yet focusable
        # (`<pre tabindex="0">`, the Markdown part of the same work). Once they are, this holds.
        pytest.xfail(f"code blocks not focusable: {found}")
    assert found == {}


def test_screenshots_of_the_real_sized_site(browser, site, pages):
    """Kept in test-artifacts/ for a person to look at: the index, a long PEP on a desktop and on a
    phone, search results and the dashboard."""
    shots = [("plano-index.png", pages["index"], {"width": 1366, "height": 900}, False),
             ("plano-pep-desktop.png", pages["pep"], {"width": 1366, "height": 900}, False),
             ("plano-pep-phone.png", pages["pep"], {"width": 360, "height": 640}, True),
             ("plano-search.png", SEARCH, {"width": 1366, "height": 900}, False),
             ("plano-dashboard.png", pages["dashboard"], {"width": 360, "height": 640}, True)]
    for name, path, viewport, phone in shots:
        context = browser.new_context(viewport=viewport, is_mobile=phone, device_scale_factor=2 if phone else 1)
        page = context.new_page()
        page.goto(site + path)
        if path == SEARCH:
            page.wait_for_selector("#search-results li")
        screenshot(page, name, full_page=path == pages["dashboard"])
        context.close()
        assert (ARTIFACTS / name).stat().st_size > 10_000, name
