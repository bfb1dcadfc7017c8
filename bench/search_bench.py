"""Measure the website's search: what a first query downloads, and what the index costs to build.

Usage: python bench/search_bench.py [CORPUS_DIR] [--large N] [--no-large] [--runs N]
                                    [--no-browser] [--pagefind] [--pagefind-api]

For plano-1k (or CORPUS_DIR) and for a corpus of N PEPs (default 10,000) made from it by
renumbering copies of its files (the `PEP-NNNN` of the file name, the title heading and the PEP
field), it measures, in one run:

- the index as pepctl wrote it before (one `search-index.json` with every PEP's words, fetched
  whole by the first query): its size, gzipped as served, and the time to make it;
- the sharded index (`pepctl.site.search.publish`): the time of a full build of it (empty output
  folder, empty cache), its peak of Python memory (tracemalloc), and the time of a rebuild after
  editing one PEP (the files it rewrites are counted);
- what making the records' search fields costs (passages and terms) against the word lists of before;
- in Debian's Chromium (Playwright), for a spread of queries (a common word, a rare word, a
  prefix, two words, a word found by its stem, a PEP number), the bytes each first query
  transfers: every file it fetches (the scripts, the manifest, the shards, the passages), each
  counted at its gzip size (level 6, as a server compresses), in a fresh browser each time;
  worst and median against the targets (300 KB for plano-1k, 400 KB at 10,000 PEPs);
- with --pagefind-api, Pagefind (`pagefind[bin]`) fed the same records through its Python API
  (`add_custom_record`), as shipped (the API waits 0.1 s for each answer of its service) and with
  that wait taken out (`--pagefind`: only the latter, which shows Pagefind's own cost): indexing
  time, files and peak memory of its service. Pagefind keeps no index between runs: every build
  indexes every PEP again.

Times are CPU seconds of this process (time.process_time) and wall seconds, medians of --runs
(default 3); the CPU figure is the one to trust on a busy machine. Prints Markdown tables and
writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gzip
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

from common import DEFAULT_CORPUS, REPO, machine

sys.path.insert(0, str(REPO / "src"))

TARGETS = {"small": 300_000, "large": 400_000}  # bytes a first query may transfer, gzipped
CHROMIUM = "/usr/bin/chromium"
NAME_RE = re.compile(r"PEP-(\d{4,})-(.*)\.md$")
QUERIES = [  # (what it shows, query); "{rare}" is a word of one PEP of the corpus
    ("common word", "type"),
    ("rare word", "{rare}"),  # a word of the fewest PEPs
    ("prefix", "hist"),
    ("two words", "error handling"),
    ("stem", "decisions"),
    ("PEP number", "pep 42"),
    ("short prefix", "con"),
]


# -- corpora ------------------------------------------------------------------------------------

def make_corpus(source: Path, target: Path, count: int) -> Path:
    """`count` PEPs numbered 0..count-1, each a copy of a file of `source` (in turn) renumbered: its
    file name, its title heading and its PEP field say the new number."""
    files = sorted(p for p in source.iterdir() if NAME_RE.match(p.name))
    target.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        original = files[number % len(files)]
        old = NAME_RE.match(original.name)
        text = original.read_text(encoding="utf-8")
        text = text.replace(f"PEP-{old.group(1)}:", f"PEP-{number:04d}:", 1)
        text = re.sub(r"^(\| \*\*PEP\*\* \| )\d+( \|)", lambda m: f"{m.group(1)}{number:04d}{m.group(2)}", text,
                      count=1, flags=re.M)
        (target / f"PEP-{number:04d}-{old.group(2)}.md").write_text(text, encoding="utf-8")
    return target


def state_of(folder: Path):
    """The BuildState of a folder, made as a build makes it, and the Reader that made its records."""
    from pepctl.config import Config
    from pepctl.corpus import Corpus
    from pepctl.policy import Policy
    from pepctl.site.gitinfo import Repository
    from pepctl.site.reading import Reader
    from pepctl.site.state import BuildState, Settings

    config = Config()
    corpus = Corpus(str(folder), config)
    reader = Reader({os.path.basename(p): p for p in corpus.paths()})
    records = reader.make_records(list(reader.paths))
    reader.docs.clear()
    reader.bodies.clear()
    settings = Settings(config, Policy(config), "", corpus.is_pep_file)
    return BuildState.create(settings, records, None, {}, Repository(), datetime.date(2024, 1, 1)), reader


def timed(func, runs: int):
    """(median CPU seconds, median wall seconds, last result) of `runs` calls."""
    cpu, wall, result = [], [], None
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        result = func()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall), result


# -- the index of before: one file of every PEP's words ------------------------------------------

FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ" + bytes(r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~""", "ascii"),
                       b"abcdefghijklmnopqrstuvwxyz" + b" " * 32)
WORD_RE = re.compile(r"[^\W_]{2,}")
SINGLES = [bytes([c]) for c in b"abcdefghijklmnopqrstuvwxyz0123456789"]


def old_words(data: bytes, *texts: str) -> bytes:
    """search.words_of as pepctl had it: the distinct words of a file's bytes."""
    pieces = dict.fromkeys(data.translate(FOLD).split())
    odd = [piece for piece in pieces if not piece.isalnum()]
    for piece in odd:
        del pieces[piece]
    for piece in SINGLES:
        pieces.pop(piece, None)
    rest = b" ".join(odd).decode("utf-8", "replace") + " " + " ".join(texts)
    extra = dict.fromkeys(w for w in WORD_RE.findall(rest.lower()) if not (w.isascii() and w.encode() in pieces))
    text = b" ".join(pieces)
    if extra:
        more = " ".join(extra).encode("utf-8")
        text = text + b" " + more if text else more
    return text


def old_index(state, words: dict[str, bytes]) -> bytes:
    """search-index.json as pepctl wrote it."""
    from pepctl.site.records import pep_label

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    docs = []
    for record in state.ordered:
        meta = encode([record.url, pep_label(record.pep.number), record.title, state.groups[record.file],
                       record.summary])
        docs.append(meta[:-1].encode("utf-8") + b',"' + words[record.file] + b'"]')
    head = encode({"schema_version": 1, "fields": ["url", "pep", "title", "status", "summary", "words"]})
    return head[:-1].encode("utf-8") + b',"docs":[' + b",".join(docs) + b"]}"


# -- the sharded index -------------------------------------------------------------------------

def shell_files(state, out: Path) -> None:
    """search.html and the static files, so that the browser can search the index in `out`."""
    from pepctl.site import listing, templates

    for rel, data in templates.static_files():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    (out / "search.html").write_text(listing.search_html(state), encoding="utf-8")


def publish(state, out: Path, cache: Path) -> dict:
    from pepctl.site import search
    from pepctl.site.writer import Writer

    writer = Writer(str(out))
    done = search.publish(state, writer, str(cache))
    writer.close()
    done["written"] = writer.written
    return done


def measure_index(name: str, folder: Path, work: Path, runs: int) -> tuple[dict, object]:
    from pepctl.site import searchtext
    from pepctl.site.reading import Reader
    from pepctl.site.records import pep_label
    from pepctl.site.state import BuildState

    figures: dict = {"corpus": name}
    c, w = time.process_time(), time.perf_counter()
    state, reader = state_of(folder)
    figures["records_cpu_s"], figures["records_wall_s"] = time.process_time() - c, time.perf_counter() - w
    figures["peps"] = len(state.records)

    # what the records' search fields cost, against the word lists of before
    sample = sorted(reader.paths)[:: max(1, len(reader.paths) // 300)]
    datas = {n: open(reader.paths[n], "rb").read() for n in sample}
    from pepctl.document import Document
    from pepctl.site.reading import body_text

    docs = {n: Document.from_bytes(d, n) for n, d in datas.items()}
    c = time.process_time()
    for n, doc in docs.items():
        searchtext.record_fields(doc.get("Title"), "PEP-0000", doc.get("Author(s)"), body_text(doc))
    new_fields = (time.process_time() - c) / len(docs)
    c = time.process_time()
    for n, d in datas.items():
        old_words(d, "title", "PEP-0000", "authors")
    old_fields = (time.process_time() - c) / len(docs)
    figures["fields_ms_per_pep"] = {"new": new_fields * 1000, "old": old_fields * 1000}
    figures["record_bytes_per_pep"] = {
        "new": statistics.mean(len(r.terms) + len(r.passages) for r in state.records.values()),
        "old": statistics.mean(len(old_words(datas[n])) for n in datas)}

    # the index of before
    words = {n: old_words(open(reader.paths[n], "rb").read(), r.pep.shown_title, pep_label(r.pep.number),
                          r.pep.authors_text) for n, r in state.records.items()}
    cpu, wall, data = timed(lambda: old_index(state, words), runs)
    figures["old_index"] = {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6)), "cpu_s": cpu, "wall_s": wall}
    words = data = None  # freed before the next measurements

    # the sharded index: full builds (empty folder and cache each time)
    def full():
        for path in (work / "out", work / "cache"):
            shutil.rmtree(path, ignore_errors=True)
        return publish(state, work / "out", work / "cache")

    cpu, wall, done = timed(full, runs)
    files = list((work / "out" / "search").rglob("*.json"))
    figures["full"] = {"cpu_s": cpu, "wall_s": wall, "files": len(files),
                       "shards": len(list((work / "out" / "search" / "s").iterdir())),
                       "bytes": sum(p.stat().st_size for p in files),
                       "cache_bytes": sum(p.stat().st_size for p in (work / "cache").rglob("*") if p.is_file())}
    shard_sizes = sorted(len(gzip.compress(p.read_bytes(), 6)) for p in (work / "out" / "search" / "s").iterdir())
    doc_sizes = sorted(len(gzip.compress(p.read_bytes(), 6)) for p in (work / "out" / "search" / "d").iterdir())
    manifest = (work / "out" / "search" / "manifest.json").read_bytes()
    figures["gzip_sizes"] = {"manifest": len(gzip.compress(manifest, 6)),
                             "shard_median": statistics.median(shard_sizes), "shard_max": shard_sizes[-1],
                             "doc_median": statistics.median(doc_sizes), "doc_max": doc_sizes[-1]}
    shutil.rmtree(work / "out")
    shutil.rmtree(work / "cache")
    tracemalloc.start()
    publish(state, work / "out", work / "cache")
    figures["full"]["peak_python_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()

    # one PEP edited: its record made again, then the index brought up to date
    names = sorted(state.records)
    target = names[len(names) // 2]
    samples_cpu, samples_wall, written = [], [], []
    for run in range(runs):
        path = Path(reader.paths[target])
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"\nEdited for the benchmark, round {run}: a sentence with a newword{run}.\n")
        records = dict(state.records)
        records.update(Reader({target: str(path)}).make_records([target], state.records))
        state = BuildState.create(state_settings(state), records, None, {}, state.repo, state.today)
        c, w = time.process_time(), time.perf_counter()
        done = publish(state, work / "out", work / "cache")
        samples_cpu.append(time.process_time() - c)
        samples_wall.append(time.perf_counter() - w)
        written.append(done["written"])
    figures["one_edit"] = {"cpu_s": statistics.median(samples_cpu), "wall_s": statistics.median(samples_wall),
                           "files_written": written, "shards_touched": done["shards"]}
    return figures, state


def state_settings(state):
    from pepctl.site.state import Settings

    return Settings(state.config, state.policy, state.base_url, state.is_pep_file)


def rare_word(state) -> str:
    """A word of one PEP's title or text only, for the rare-word query."""
    from pepctl.site.searchtext import terms_of

    counts: dict[str, int] = {}
    for record in state.ordered:
        for word in terms_of(record.terms):
            counts[word] = counts.get(word, 0) + 1
    words = [w for w in counts if w.isalpha() and w.isascii() and len(w) >= 8]
    fewest = min(counts[w] for w in words)  # in a corpus of copies, no word is in one PEP only
    candidates = sorted(w for w in words if counts[w] == fewest)
    return candidates[len(candidates) // 2]


# -- in the browser ----------------------------------------------------------------------------

def transfers(out: Path, queries: list[tuple[str, str]], old: tuple[bytes, bytes] | None = None) -> list[dict]:
    """For each query, the files a first search fetched and their gzip sizes (page furniture left out:
    the page, its style sheets, its icon)."""
    from playwright.sync_api import sync_playwright

    from pepctl.site.serve import make_server

    server = make_server(str(out), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    furniture = {"search.html", "static/site.css", "static/pygments.css", "static/favicon.svg", "static/site.js"}
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            for what, query in queries:
                context = browser.new_context()
                page = context.new_page()
                fetched: list[str] = []
                page.on("requestfinished", lambda request: fetched.append(request.url))
                page.goto(base + "search.html?q=" + query.replace(" ", "+"))
                page.wait_for_function("/found|No PEP/.test(document.getElementById('search-status').textContent)",
                                       timeout=60_000)
                page.wait_for_load_state("networkidle")
                status = page.inner_text("#search-status")
                files = {}
                for url in fetched:
                    rel = url[len(base):].split("?")[0]
                    if rel in furniture or not rel:
                        continue
                    data = (out / rel).read_bytes()
                    files[rel] = len(gzip.compress(data, 6))
                rows.append({"what": what, "query": query, "status": status, "files": len(files),
                             "gzip_bytes": sum(files.values()),
                             "shards": sum(1 for f in files if f.startswith("search/s/")),
                             "passages": sum(1 for f in files if f.startswith("search/d/"))})
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


# -- Pagefind ----------------------------------------------------------------------------------

def pagefind(state, out: Path, throttled: bool) -> dict:
    """Pagefind's Python API fed the same records: (seconds, files, bytes, peak memory of its service)."""
    import zlib

    import pagefind.service as service
    from pagefind.index import PagefindIndex

    if not throttled:  # the API's reader sleeps 0.1 s before each answer; take that out
        class Quick:
            def __getattr__(self, name):
                return getattr(asyncio, name)

            @staticmethod
            def sleep(seconds):
                return asyncio.sleep(0)

        service.asyncio = Quick()
    records = []
    for record in state.ordered:
        passages = json.loads(zlib.decompress(record.passages))
        records.append((record.url, record.title, "\n".join(f"{h}\n{t}" for h, t in passages)))

    async def run():
        start = time.perf_counter()
        async with PagefindIndex({"force_language": "en"}) as index:
            pid = index._service._backend.pid
            for url, title, content in records:
                await index.add_custom_record(url=url, content=content, language="en", meta={"title": title})
            added = time.perf_counter()
            await index.write_files(output_path=str(out))
            written = time.perf_counter()
            with open(f"/proc/{pid}/status", encoding="ascii") as handle:
                peak = next(int(line.split()[1]) for line in handle if line.startswith("VmHWM"))
            index._config = {"output_path": str(out)}
            await index._service.close()
            index._service = None
        return added - start, written - added, peak

    adding, writing, peak = asyncio.run(run())
    files = [p for p in out.rglob("*") if p.is_file()]
    return {"throttled": throttled, "add_s": adding, "write_s": writing, "total_s": adding + writing,
            "files": len(files), "bytes": sum(p.stat().st_size for p in files), "service_peak_mb": peak / 1024}


# -- report ------------------------------------------------------------------------------------

def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--large", type=int, default=10_000, help="PEPs in the generated corpus (default 10000)")
    parser.add_argument("--no-large", action="store_true", help="measure the given corpus only")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the transfer measurements")
    parser.add_argument("--pagefind", action="store_true", help="also time Pagefind's API (its wait taken out)")
    parser.add_argument("--pagefind-api", action="store_true",
                        help="also time Pagefind's API as shipped (0.1 s a PEP: minutes at 10,000)")
    args = parser.parse_args()
    results: dict = {"machine": machine(), "runs": args.runs, "corpora": []}
    lines = []
    with tempfile.TemporaryDirectory(prefix="pepctl-search-bench-") as tmp:
        work = Path(tmp)
        corpora = [("small", Path(args.corpus))]
        if not args.no_large:
            print(f"making a corpus of {args.large} PEPs ...", file=sys.stderr)
            corpora.append(("large", make_corpus(Path(args.corpus), work / "large", args.large)))
        for size, source in corpora:
            folder = work / f"copy-{size}"
            shutil.copytree(source, folder)  # edited by the one-PEP rebuilds
            print(f"{folder}: index ...", file=sys.stderr)
            figures, state = measure_index(f"{source.name} ({size})", folder, work / f"index-{size}", args.runs)
            figures["target_bytes"] = TARGETS[size]
            if not args.no_browser:
                print(f"{folder}: queries in Chromium ...", file=sys.stderr)
                out = work / f"index-{size}" / "out"
                shell_files(state, out)
                queries = [(what, query.format(rare=rare_word(state))) for what, query in QUERIES]
                figures["queries"] = transfers(out, queries)
                sizes = [row["gzip_bytes"] for row in figures["queries"]]
                figures["transfer"] = {"worst": max(sizes), "median": statistics.median(sizes)}
            for flag, throttled in ((args.pagefind, False), (args.pagefind_api, True)):
                if flag:
                    print(f"{folder}: Pagefind ({'as shipped' if throttled else 'wait taken out'}) ...",
                          file=sys.stderr)
                    target = work / f"pagefind-{size}-{throttled}"
                    figures.setdefault("pagefind", []).append(pagefind(state, target, throttled))
                    shutil.rmtree(target, ignore_errors=True)
            results["corpora"].append(figures)
            del state
            lines += report(figures)
    print("\n".join(lines))
    folder = REPO / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "search.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def report(f: dict) -> list[str]:
    old, full, edit = f["old_index"], f["full"], f["one_edit"]
    lines = [f"### {f['corpus']}: {f['peps']} PEPs ({machine()})", "",
             "| measurement | before: search-index.json | sharded index |", "|---|---|---|",
             f"| index size (gzip) | {kb(old['bytes'])} ({kb(old['gzip_bytes'])}) | {kb(full['bytes'])} in "
             f"{full['files']} files ({full['shards']} shards; manifest {kb(f['gzip_sizes']['manifest'])}, shard "
             f"median {kb(f['gzip_sizes']['shard_median'])}, max {kb(f['gzip_sizes']['shard_max'])}; passages "
             f"median {kb(f['gzip_sizes']['doc_median'])}, max {kb(f['gzip_sizes']['doc_max'])}, gzip) |",
             f"| full build of the index, CPU (wall) | {old['cpu_s']:.3f} s ({old['wall_s']:.3f} s) | "
             f"{full['cpu_s']:.3f} s ({full['wall_s']:.3f} s); peak {full['peak_python_mb']:.0f} MB of Python "
             f"memory; cache {kb(full['cache_bytes'])} |",
             f"| rebuild after editing one PEP, CPU (wall) | {old['cpu_s']:.3f} s (the whole file again) | "
             f"{edit['cpu_s']:.3f} s ({edit['wall_s']:.3f} s); files written {edit['files_written']} |",
             f"| search fields of a record, per PEP (CPU) | {f['fields_ms_per_pep']['old']:.2f} ms, "
             f"{kb(f['record_bytes_per_pep']['old'])} | {f['fields_ms_per_pep']['new']:.2f} ms, "
             f"{kb(f['record_bytes_per_pep']['new'])} |"]
    if "queries" in f:
        lines += ["", f"First search, gzip bytes of every file fetched (target <= {kb(f['target_bytes'])}; before: "
                      f"{kb(old['gzip_bytes'])} of index for any query):", "",
                  "| query | found | files (shards, passages) | transferred |", "|---|---|---|---|"]
        for row in f["queries"]:
            lines.append(f"| {row['what']}: `{row['query']}` | {row['status']} | {row['files']} ({row['shards']}, "
                         f"{row['passages']}) | {kb(row['gzip_bytes'])} |")
        t = f["transfer"]
        ok = "ok" if t["worst"] <= f["target_bytes"] else "MISSED"
        lines.append(f"| **worst / median** | | | **{kb(t['worst'])}** ({ok}) / {kb(t['median'])} |")
    for p in f.get("pagefind", []):
        lines.append(f"\nPagefind's Python API ({'as shipped' if p['throttled'] else 'its 0.1 s wait per answer taken out'}):"
                     f" add {p['add_s']:.1f} s + write {p['write_s']:.1f} s = {p['total_s']:.1f} s wall, {p['files']}"
                     f" files ({kb(p['bytes'])}), service peak {p['service_peak_mb']:.0f} MB; every build indexes all")
    return lines + [""]


if __name__ == "__main__":
    main()
