"""Build the static website of a PEP folder.

A build reads every PEP file whose stat changed since the last build and makes
its record (reading.py; cached by the hash of the file's bytes, with its search
words and summary), reads the status timelines from git (gitinfo.py) in a
thread meanwhile, makes the one BuildState (state.py) every page is made from,
and writes:

- ``static/`` assets, first (the pages use them);
- ``pep/<file>.html`` for each PEP file (pep_page.py), rendered again only
  when its key changed (cache.py): its bytes, what its links and banner point
  at, its status timeline, the templates, the renderer or the configuration;
- then, once every page is on disk, ``api/peps.json``, ``feed.xml``,
  the search index (``search/``: the passages and shards that changed, the manifest), ``dashboard.html``, ``search.html``, ``404.html``
  and last ``index.html``, made from the records alone (cheap) while the pages
  render, each written only when its bytes change; and only then are the
  pages of files that are gone deleted. A build stopped at any point (Ctrl-C,
  a crash) leaves no list naming a page that is not there.

The build cache lives beside the output folder, never in it (cache.py). The
output folder must be empty, missing or a site pepctl built, unless `force`.

Many pages are shared among this process and forked workers (parallel.py);
on a first build the workers start at once and make records too, so reading
and parsing the folder is shared as well, while this process writes the pages
made from the records. Every file is written atomically from a background
thread (writer.py). Highlighted code blocks are cached by a hash of language
and code in the build cache (highlight.DiskCache), so a full build after the
first highlights only new code; ``pepctl site serve`` also keeps them in memory.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
import threading
import time

from pepctl import fanout
from pepctl.config import Config
from pepctl.corpus import Corpus
from pepctl.fsutil import folder_lock
from pepctl.policy import Policy
from pepctl.site import api, cache, dashboard, diagrams, feed, listing, pep_page, search, templates
from pepctl.site.gitinfo import read_git, repository
from pepctl.site.highlight import DiskCache, Highlighter
from pepctl.site.markdown import Renderer
from pepctl.site.output import check_output, remove_stale
from pepctl.site.parallel import Team, collect_young, keep_languages_together, share_out, worth_forking
from pepctl.site.reading import Reader, site_names
from pepctl.site.records import distinct_pages
from pepctl.site.records import use_labels as records_labels
from pepctl.site.state import BuildState, Settings, resolve_today
from pepctl.site.writer import Held, Writer



def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclasses.dataclass(frozen=True)
class BuildResult:
    out_dir: str
    pages: int  # PEP pages in the site
    rendered: int  # PEP pages written by this build
    removed: int  # pages deleted because their file is gone
    seconds: float
    warnings: list[str]
    unreadable: int  # files that could not be read as PEPs
    # those of `warnings` that are about where the build runs, not about the PEP files (Mermaid's
    # script missing, a bad SOURCE_DATE_EPOCH): `site serve` says each once while it holds
    settings_warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        text = (f"built {plural(self.pages, 'PEP page')} ({self.rendered} rendered, {self.pages - self.rendered} "
                f"unchanged) in {self.seconds:.2f} s into {self.out_dir}")
        if self.removed:
            text += f"; removed {plural(self.removed, 'stale page')}"
        if self.unreadable:
            text += (f"; {plural(self.unreadable, 'file')} could not be read as a PEP "
                     f"({'its page says' if self.unreadable == 1 else 'their pages say'} why)")
        return text


class Trace:
    """Phase timings on stderr when PEPCTL_SITE_TRACE is set (for benchmarking)."""

    def __init__(self):
        self.enabled = bool(os.environ.get("PEPCTL_SITE_TRACE"))
        self.start = self.last = time.perf_counter()

    def __call__(self, what: str) -> None:
        if self.enabled:
            now = time.perf_counter()
            sys.stderr.write(f"[site] {now - self.start:7.3f} s (+{now - self.last:.3f}) {what}\n")
            self.last = now

    def workers(self, stats: list[dict]) -> None:
        for s in stats if self.enabled else ():
            sys.stderr.write(
                f"[site]   worker {s['member']}: records {s['records']:.3f} s, waited {s['waited']:.3f} s,"
                f" {s['pages']} pages ({s['stolen']} taken) in {s['seconds']:.3f} s, writes"
                f" {s['flushed']:.3f} s, total {s['total']:.3f} s\n")


class Background(threading.Thread):
    """A function run in a thread; `result()` waits for it and returns what it returned."""

    def __init__(self, func, *args):
        super().__init__(daemon=True)
        self.func, self.args = func, args
        self.value = self.error = None
        self.start()

    def run(self) -> None:
        try:
            self.value = self.func(*self.args)
        except BaseException as err:
            self.error = err

    def result(self):
        self.join()
        if self.error is not None:
            raise self.error
        return self.value


def normalise_base_url(base_url: str) -> str:
    base_url = (base_url or "").strip()
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return base_url


def build_site(pep_dir: str, out_dir: str, config: Config | None = None, base_url: str = "", progress=None,
               jobs: int | None = None, today=None, highlighter: Highlighter | None = None,
               force: bool = False) -> BuildResult:
    """Build (or bring up to date) the website of `pep_dir` in `out_dir`.

    `progress(label, done, total)` is called as pages are rendered; `jobs`: the processes that share
    the work, this one included (default: pepctl.fanout.default_jobs(), so PEPCTL_JOBS, else one
    per CPU); `today`: the day the dashboard's ages count to (default: SOURCE_DATE_EPOCH's, else
    the clock's); `highlighter`: highlighted code to reuse (`site serve` keeps one between builds);
    `force`: build into a folder that holds other files (OutputFolderError otherwise).
    """
    from pepctl import formats

    config = formats.configure(config or Config(), pep_dir)  # the proposals' format, and its defaults
    jobs = fanout.default_jobs() if jobs is None else jobs
    os.makedirs(out_dir, exist_ok=True)
    # two builds of one site at once (a `site serve` and a `site build`) take turns: each clears
    # the staging folder and rewrites the cache, which the other would find gone under it
    with folder_lock(out_dir):
        if not force:
            check_output(out_dir)
        try:
            with fanout.gc_paused():  # a build makes many small objects and frees few: collections only cost time
                return _build(pep_dir, out_dir, config, normalise_base_url(base_url), progress, jobs, today,
                              highlighter)
        finally:
            records_labels(None)  # the format's labels hold for this build only




def _build(pep_dir: str, out_dir: str, config: Config, base_url: str, progress, jobs: int, today,
           highlighter) -> BuildResult:
    from pepctl import formats

    started = time.perf_counter()
    trace = Trace()
    corpus = Corpus(pep_dir, config)
    settings = Settings(config, Policy(config), base_url, corpus.is_pep_file)
    os.makedirs(out_dir, exist_ok=True)
    cache.remove_old_cache(out_dir)
    store = cache.Store(cache.cache_dir(out_dir))
    last = store.load()
    generation = store.next_generation()
    trace("cache loaded")
    dialect = corpus.format if corpus.format is not formats.PLANO else None
    records_labels(corpus.format)
    # a proposal is named by its path in the folder (a KEP's kep.yaml is one of many)
    names, misnamed = site_names(corpus.paths(), pep_dir, getattr(dialect, "nested", False))
    reader = Reader(dict(zip(names, corpus.paths())), dialect, {name: e.stat for name, e in last.entries.items()})
    highlighter = highlighter if highlighter is not None else Highlighter()
    highlighter.disk = DiskCache(store, generation)
    team = None
    try:
        if not last.pages and worth_forking(len(names), jobs):
            # nothing to reuse: every page is to be made. Fork now, and make the records in every process.
            render = functools.partial(render_page, prepare_rendering(highlighter), reader)
            sizes = file_sizes(reader.paths)
            team = Team(out_dir, names, jobs, render, reader, sizes,
                        queue=sorted(names, key=sizes.__getitem__, reverse=True),
                        make_state=lambda records, rest: BuildState.create(settings, records, **rest),
                        after_pages=highlighter.disk.flush)
            trace(f"{team.size - 1} workers started")
        git = Background(read_git, pep_dir, config, corpus.is_pep_file, last.git)
        last_records = last.records
        if team is not None:
            own = reader.make_records(team.files(), last_records)
            trace(f"own records ({len(own)})")
            records, notes = team.gather_records(own)
            records = {name: records[name] for name in names}
            notes = reader.take_warnings() + notes
        else:
            records = reader.make_records(names, last_records)
            notes = reader.take_warnings()
        records = distinct_pages(records)
        trace("records")
        info = git.result()
        trace("git history")
        day, late = resolve_today(today)
        state = BuildState.create(settings, records, info.history, info.last_changes,
                                  repository(config, pep_dir, info.history), day)
        settings_warnings = ([late] if late else []) + diagrams.warnings(records.values())
        warnings = misnamed + info.warnings + notes + settings_warnings
        if team is not None:
            team.send_state(state)  # the workers start on their pages
            trace("records sent")
        site_key = cache.site_key(config, base_url, state.repo)
        world = cache.world_key(state, site_key, records, info.cache and info.cache.get("key"))
        page_keys = page_keys_of(state, site_key, last if last.site == site_key and last.world == world else None)
        last_pages = last.pages if last.site == site_key else {}
        dirty = [name for name in names if last_pages.get(name) != page_keys[name]
                 or not os.path.exists(os.path.join(out_dir, records[name].page))]
        trace(f"page keys ({len(dirty)} dirty)")

        if team is None:
            render = functools.partial(render_page, prepare_rendering(highlighter), reader)
            if worth_forking(len(dirty), jobs):  # many pages to do again: fork now, the workers inherit the state
                sizes = file_sizes({name: reader.paths[name] for name in dirty})
                rank = {name: position for position, name in enumerate(sorted(dirty, key=sizes.__getitem__,
                                                                               reverse=True))}
                languages = {name: records[name].languages for name in dirty}
                shares = keep_languages_together(share_out(dirty, sizes, jobs), languages, rank, sizes)
                team = Team(out_dir, names, jobs, render, reader, sizes, shares=shares, state=state,
                            after_pages=highlighter.disk.flush)
                trace(f"{team.size - 1} workers started")
        writer = Writer(out_dir)  # its thread starts after every fork
        for rel, data in templates.static_files(diagrams.used(records.values())):  # what the pages use: before them
            writer.write_if_changed(rel, data)
        held = Held(writer, cache.staging_dir(out_dir))  # the files that list the pages: moved in after the pages
        listed = cache.listing_key(world, day, records)
        again = listed != store.meta("listing") or not all(
            os.path.exists(os.path.join(out_dir, rel)) for rel in LISTINGS)
        write_shared_pages(state, held, listings=again)
        trace("index, dashboard, JSON, feed, search index" if again else "search index (the lists are unchanged)")

        failed = []
        if team is not None:
            failed, numbers = team.render(0, state, writer, progress)
            trace(f"own pages done ({numbers['pages']}, {numbers['stolen']} taken from others)")
            more, notes, stats = team.finish()
            failed += more
            warnings += reader.take_warnings() + notes
            trace("workers done")
            trace.workers(stats)
        else:
            for done, name in enumerate(dirty, 1):
                if not render(state, name, writer):
                    failed.append(name)
                collect_young(50, done)
                if progress is not None:
                    progress("rendering pages", done, len(dirty))
            warnings += reader.take_warnings()
        highlighter.disk.flush()
        writer.close()  # every page is on disk: now the files that list them
        trace("pages flushed")
        held.publish()
        writer.close()
        removed = remove_stale(out_dir, last, records, warnings)  # no longer listed: may go
        trace("index, feed, JSON and search written")

        for name in failed:
            page_keys.pop(name, None)  # rendered again next time
        store.save(last, site_key, world, records, reader.stats, page_keys, info.cache, listed)
        highlighter.disk.prune(everything_rendered=len(dirty) == len(names))
        trace("cache saved")
    finally:
        if team is not None:
            team.close()
        highlighter.disk = None
        store.close()
    unreadable = sum(1 for record in records.values() if record.pep.error)
    return BuildResult(out_dir, len(names), len(dirty), removed, time.perf_counter() - started, warnings, unreadable,
                       tuple(settings_warnings))


def page_keys_of(state: BuildState, site_key: str, last: cache.Cache | None) -> dict[str, str]:
    """The key of every page; with `last` (the last build, when nothing outside each file that a page
    shows has changed since: cache.world_key) an unchanged file's key is the one the last build saved."""
    keys = {}
    entries = last.entries if last is not None else {}
    for name, record in state.records.items():
        entry = entries.get(name)
        if entry is not None and entry.page is not None and entry.hash == record.hash:
            keys[name] = entry.page
        else:
            keys[name] = cache.page_key(state, site_key, record)
    return keys


def prepare_rendering(highlighter: Highlighter | None) -> Renderer:
    """The renderer, with the templates compiled (made before any fork, so workers inherit them)."""
    templates.prepare()
    return Renderer(highlighter if highlighter is not None else Highlighter())


def file_sizes(paths: dict[str, str]) -> dict[str, int]:
    sizes = {}
    for name, path in paths.items():
        try:
            sizes[name] = os.stat(path).st_size
        except OSError:
            sizes[name] = 0
    return sizes


LISTINGS = ("index.html", "dashboard.html", "search.html", "404.html", "api/peps.json", "feed.xml")


def write_shared_pages(state: BuildState, writer: Writer | Held, listings: bool = True) -> None:
    """The files made from the records alone: index, dashboard, search, 404, JSON, feed and search index.
    Nothing here waits for the PEP pages: the search words and summaries are in the records. The build
    gives a Held writer, which writes them once the pages are on disk; and `listings` False when nothing
    the LISTINGS show has changed since the last build (cache.listing_key): then only the search files."""
    if listings:
        changes = feed.events(state)
        writer.write_if_changed("index.html", listing.index_html(state))
        writer.write_if_changed("dashboard.html", dashboard.dashboard_html(state, changes))
        writer.write_if_changed("search.html", listing.search_html(state))
        writer.write_if_changed("404.html", listing.not_found_html(state))
        writer.write_if_changed("api/peps.json", api.api_json(state))
        writer.write_if_changed("feed.xml", feed.feed_xml(state, changes))
    search.publish(state, writer, cache.cache_dir(writer.out_dir))


def render_page(renderer: Renderer, reader: Reader, state: BuildState, name: str, writer: Writer) -> bool:
    """Write one PEP's page; False when it failed (then the page says so, and the next build tries again)."""
    record = state.records[name]
    try:
        doc, body = reader.document(name) if not record.pep.error else (None, None)
        writer.write(record.page, pep_page.pep_html(state, renderer, record, doc, body))
        return True
    except Exception as err:  # a bug must cost one page, not the build
        if os.environ.get("PEPCTL_DEBUG"):
            raise
        message = f"the page could not be rendered ({type(err).__name__}: {err}); this is a bug in pepctl"
        sys.stderr.write(f"pepctl: warning: {name}: {message}\n")
        writer.write(record.page, pep_page.pep_html(state, renderer, record.failed(message), None, None))
        return False




__all__ = ["BuildResult", "build_site"]
