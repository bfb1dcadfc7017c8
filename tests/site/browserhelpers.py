"""What the website's browser tests share: Debian's Chromium (never a browser Playwright downloads),
the npm audit tools of tests/site/audit, and the site served gzip-compressed as a web server sends it.

Without Chromium, or without the audit tools installed (`npm ci` in tests/site/audit, as .ci/run
does), the tests that need them skip, except in CI (CI set), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitehelpers import REPO

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"
AUDIT = Path(__file__).resolve().parent / "audit"  # package.json of the audit tools, and serve.mjs
NODE_MODULES = AUDIT / "node_modules"

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def missing(what: str, fix: str) -> None:
    """Skip the module (or fail it in CI) because `what` is not there; `fix` says how to get it."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: CI must install it before the tests ({fix}; .ci/run does)", pytrace=False)
    pytest.skip(f"{what} is missing ({fix}); browser tests skipped", allow_module_level=True)


def require_chromium():
    """Playwright's sync API, once Debian's Chromium is known to be there."""
    if not os.path.exists(CHROMIUM):
        missing(CHROMIUM, "apt-get install chromium")
    return pytest.importorskip("playwright.sync_api", reason="playwright is part of the test extra")


def require_audit_tools() -> None:
    if shutil.which("node") is None:
        missing("node", "apt-get install nodejs npm")
    for tool in ("lighthouse", "axe-core", "express", "compression"):
        if not (NODE_MODULES / tool / "package.json").is_file():
            missing(f"the npm package {tool}", f"cd {AUDIT.relative_to(REPO)} && npm ci")


@contextmanager
def gzip_server(folder: Path):
    """The site in `folder` served gzip-compressed on 127.0.0.1 (express and compression, from npm);
    yields its base URL."""
    process = subprocess.Popen(["node", str(AUDIT / "serve.mjs"), str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        port = process.stdout.readline().strip()
        assert port.isdigit(), f"serve.mjs did not start (exit code {process.poll()})"
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, one per test module (a module imports this fixture)."""
    sync_api = require_chromium()
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def watch(page):
    """Collect in `page.problems` what goes wrong in it: console errors, uncaught errors, dialogs."""
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    return page


def screenshot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)
