"""What a reader on a slow phone gets from the website: the index's size and sorting time, and
Lighthouse's mobile scores, for this checkout and (with --baseline) another revision, in the same run.

Usage: python bench/site_reader_bench.py [CORPUS_DIR] [--baseline GIT_REF] [--runs N] [--lighthouse-runs M]

Both sites are built from the same corpus (the baseline's code taken with `git archive REF src`, run
by this Python), served gzip-compressed by tests/site/audit/serve.mjs (`npm ci` there first), and
opened in Debian's Chromium:

- PEP pages: characters per line of their paragraphs of four lines or more (characters over lines,
  at 1,366x900), median and range over the corpus's four longest PEPs;
- index.html: its elements (document.querySelectorAll('*')), its bytes sent gzip-compressed;
- sorting: a 360x640 phone with the CPU slowed 4x (CDP Emulation.setCPUThrottlingRate), a click on
  the Title, Status and PEP headers, each timed from the click to the frame after it, median of N
  clicks (default 7), the two sites in turn;
- Lighthouse (mobile preset, the default): median of M runs (default 3; 0 skips it) of the index and
  of the corpus's longest PEP page, per category, and the index's Total Blocking Time.

Prints a Markdown table; writes the figures to bench/results/site-reader.json.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import DEFAULT_CORPUS, REPO

AUDIT = REPO / "tests" / "site" / "audit"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SORT_JS = """async (column) => {
  const th = document.querySelectorAll('#pep-table th')[column];
  const start = performance.now();
  th.click();
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}"""


def build(corpus: Path, out: Path, src: Path) -> None:
    code = ("import datetime, sys; from pepctl.site import build_site; "
            "build_site(sys.argv[1], sys.argv[2], today=datetime.date(2026, 12, 1))")
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, "-c", code, str(corpus), str(out)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"building {out} with {src} failed: {done.stderr[-800:]}")


def serve(folder: Path):
    process = subprocess.Popen(["node", str(AUDIT / "serve.mjs"), str(folder)], stdout=subprocess.PIPE, text=True)
    return process, f"http://127.0.0.1:{process.stdout.readline().strip()}/"


MEASURE_JS = """() => [...document.querySelectorAll('.markdown-body > p')].map(p => {
  const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
  return lines < 4 ? null : p.textContent.length / (lines - 0.5);
}).filter(x => x !== null)"""


def line_lengths(urls: list[str], pages: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        for url in urls:
            values = []
            for path in pages:
                page.goto(url + path)
                values += page.evaluate(MEASURE_JS)
            found.append({"chars_per_line": statistics.median(values), "chars_min": min(values),
                          "chars_max": max(values)})
        browser.close()
    return found


def sort_times(urls: list[str], runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    found = [{"title": [], "status": [], "number": []} for _ in urls]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages = []
        for url in urls:
            context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
            page = context.new_page()
            page.goto(url + "index.html")
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
            pages.append(page)
        elements = [page.evaluate("document.querySelectorAll('*').length") for page in pages]
        for round_ in range(runs):
            order = range(len(pages)) if round_ % 2 == 0 else reversed(range(len(pages)))
            for k in order:
                for column, name in ((1, "title"), (2, "status"), (0, "number")):
                    found[k][name].append(pages[k].evaluate(SORT_JS, column))
        browser.close()
    return [{"elements": count, **{name: statistics.median(times) for name, times in sorts.items()}}
            for count, sorts in zip(elements, found)]


def lighthouse(url: str, runs: int) -> dict:
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            path = Path(tmp) / f"{run}.json"
            subprocess.run(["node", str(AUDIT / "node_modules" / "lighthouse" / "cli" / "index.js"), url, "--quiet",
                            "--output=json", f"--output-path={path}", f"--only-categories={','.join(CATEGORIES)}",
                            f"--chrome-flags={' '.join(ARGS)}"], env={**os.environ, "CHROME_PATH": CHROMIUM},
                           check=True, capture_output=True)
            reports.append(json.loads(path.read_text(encoding="utf-8")))
    figures = {c: statistics.median(round(r["categories"][c]["score"] * 100) for r in reports) for c in CATEGORIES}
    figures["tbt_ms"] = statistics.median(r["audits"]["total-blocking-time"]["numericValue"] for r in reports)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--baseline", help="a git revision of this repository to compare with (e.g. main)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"{corpus}: no such folder (give the corpus to build as the first argument)")
    if not (AUDIT / "node_modules" / "lighthouse").is_dir():
        sys.exit(f"the audit tools are not installed: cd {AUDIT.relative_to(REPO)} && npm ci")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sources = {"this checkout": REPO / "src"}
        if args.baseline:
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.baseline, "src"], capture_output=True)
            if archive.returncode != 0:
                sys.exit(f"git archive {args.baseline}: {archive.stderr.decode().strip()}")
            (tmp / "baseline").mkdir()
            subprocess.run(["tar", "-x", "-C", str(tmp / "baseline")], input=archive.stdout, check=True)
            sources[f"baseline ({args.baseline})"] = tmp / "baseline" / "src"
        servers, urls = [], []
        for index, (name, src) in enumerate(sources.items()):
            out = tmp / f"site-{index}"
            build(corpus, out, src)
            process, url = serve(out)
            servers.append(process)
            urls.append(url)
        by_size = sorted(corpus.glob("PEP-*.md"), key=lambda p: (-p.stat().st_size, p.name))
        longest = by_size[0].stem
        try:
            sorts = sort_times(urls, args.runs)
            measures = line_lengths(urls, [f"pep/{p.stem}.html" for p in by_size[:4]])
            rows = {}
            for (name, _), url, sort, measure, index in zip(sources.items(), urls, sorts, measures, range(len(urls))):
                index_bytes = (tmp / f"site-{index}" / "index.html").read_bytes()
                rows[name] = {**sort, **measure, "index_gzip_bytes": len(gzip.compress(index_bytes, 6))}
                if args.lighthouse_runs:
                    rows[name]["lighthouse_index"] = lighthouse(url + "index.html", args.lighthouse_runs)
                    rows[name]["lighthouse_pep"] = lighthouse(url + f"pep/{longest}.html", args.lighthouse_runs)
        finally:
            for process in servers:
                process.terminate()
    print(f"| {corpus.name}, {datetime.date.today()} | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    print("| characters per line, median (min-max) | " + " | ".join(
        f"{row['chars_per_line']:.0f} ({row['chars_min']:.0f}-{row['chars_max']:.0f})" for row in rows.values()) + " |")
    for key, label in (("elements", "index elements"), ("index_gzip_bytes", "index.html, gzip bytes"),
                       ("title", "sort by title, 4x CPU (ms)"), ("status", "sort by status (ms)"),
                       ("number", "sort by number (ms)")):
        print(f"| {label} | " + " | ".join(f"{row[key]:.0f}" for row in rows.values()) + " |")
    for page in ("index", "pep"):
        if args.lighthouse_runs:
            print(f"| Lighthouse {page} (perf/a11y/bp/seo) | " + " | ".join(
                "/".join(f"{row[f'lighthouse_{page}'][c]:.0f}" for c in CATEGORIES) for row in rows.values()) + " |")
    if args.lighthouse_runs:
        print("| index Total Blocking Time (ms) | " + " | ".join(
            f"{row['lighthouse_index']['tbt_ms']:.0f}" for row in rows.values()) + " |")
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "site-reader.json").write_text(json.dumps({"corpus": corpus.name, "rows": rows}, indent=2) + "\n",
                                              encoding="utf-8")


if __name__ == "__main__":
    main()
