"""Build the static website of a PEP folder.

A build reads every PEP file, makes a record of each (cached by the hash of
its bytes), and writes:

- ``pep/<file>.html`` for each PEP file, re-rendered only when its cache key
  changed: its bytes, what its links and banner point at, its status
  timeline, the templates, the renderer or the configuration;
- ``index.html``, ``dashboard.html``, ``search.html``, ``404.html``,
  ``api/peps.json``, ``feed.xml`` and ``search-index.json`` on every build,
  from the records (cheap);
- ``static/`` assets, and ``.pepctl-cache/`` (the records, page keys and
  search words of the last build; safe to delete, not for publishing).

Pages are rendered in forked worker processes when there are many to do,
while the main process writes the index, dashboard and data files; every
file is written with ``pepctl.fsutil.atomic_write``, from a background
thread so that the disk flushes overlap with rendering. Highlighted code blocks are
cached in memory by (language, code), which ``pepctl site serve`` keeps
from one rebuild to the next; a cache on disk cost more to write on every
full build than it saved.
"""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from pepctl.config import Config
from pepctl.fsutil import atomic_write
from pepctl.site.records import RECORD_VERSION, body_text, make_record, page_path, slug

# Part of every cache key: change it when the site's output changes shape.
SITE_VERSION = "1"
CACHE_DIR = ".pepctl-cache"
CACHE_FILE = "build.marshal"
PARALLEL_MIN = 48  # fewer pages than this are rendered in the main process
CHUNK = 24
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class BuildResult:
    __slots__ = ("out_dir", "pages", "rendered", "removed", "seconds", "warnings", "unreadable")

    def __init__(self, out_dir, pages, rendered, removed, seconds, warnings, unreadable):
        self.out_dir = out_dir
        self.pages = pages  # PEP pages in the site
        self.rendered = rendered  # PEP pages written by this build
        self.removed = removed  # pages deleted because their file is gone
        self.seconds = seconds
        self.warnings = warnings
        self.unreadable = unreadable  # files that could not be read as PEPs

    def summary(self) -> str:
        text = (f"built {self.pages} PEP pages ({self.rendered} rendered, {self.pages - self.rendered} unchanged) "
                f"in {self.seconds:.2f} s into {self.out_dir}")
        if self.removed:
            text += f"; removed {self.removed} stale pages"
        if self.unreadable:
            text += f"; {self.unreadable} files could not be read as PEPs (their pages say why)"
        return text


def digest(*parts) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if not isinstance(part, bytes):
            part = json.dumps(part, sort_keys=True, default=str).encode("utf-8")
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def asset_files() -> list[str]:
    files = []
    for sub in ("templates", "static"):
        folder = os.path.join(PACKAGE_DIR, sub)
        for name in sorted(os.listdir(folder)):
            if not name.startswith("."):
                files.append(os.path.join(folder, name))
    return files


def normalise_base_url(base_url: str) -> str:
    base_url = (base_url or "").strip()
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return base_url


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


class Progress:
    """A one-line counter on a terminal; silent elsewhere."""

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False
        self.last = 0.0

    def update(self, done: int, total: int, what: str = "rendering pages") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.05:
            return
        self.last = now
        self.stream.write(f"\r{what}: {done}/{total}\x1b[K")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


class Writer:
    """Writes output files atomically from a background thread, so writes overlap rendering.

    The site can always be built again, so files are renamed into place
    without an fsync each (atomic, not durable): a build is not held up by
    flushing a thousand small files to disk.
    """

    def __init__(self, out_dir: str, threads: int = 1):
        self.out_dir = out_dir
        self.pool = ThreadPoolExecutor(threads)
        self.futures = []
        self.made_dirs: set[str] = set()

    def write(self, rel: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = os.path.join(self.out_dir, rel)
        folder = os.path.dirname(path)
        if folder not in self.made_dirs:
            os.makedirs(folder, exist_ok=True)
            self.made_dirs.add(folder)
        self.futures.append(self.pool.submit(atomic_write, path, data, durable=False))

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        for future in self.futures:
            future.result()  # raise the first write error, if any
        self.futures = []


# The state forked workers render from (set just before the pool starts).
_JOB = None
_BARRIER = None
_WRITER: Writer | None = None  # one per worker process, kept across chunks so flushes overlap rendering


def _render_chunk(names: list[str]):
    global _WRITER
    job = _JOB
    if _WRITER is None:
        _WRITER = Writer(job.out_dir)
    started = time.perf_counter()
    results = [(name, job.render_page(name, _WRITER)) for name in names]
    if job.trace.enabled:
        sys.stderr.write(f"[site]   worker {os.getpid()}: {len(names)} pages in {time.perf_counter() - started:.3f} s\n")
    return results


def _flush_worker(_index: int) -> int:
    """Wait for this worker's writes. The barrier makes every worker take exactly one of these tasks."""
    global _WRITER
    written = 0
    try:
        if _WRITER is not None:
            written = len(_WRITER.futures)
            _WRITER.close()
            _WRITER = None
    finally:
        _BARRIER.wait(timeout=600)
    return written


class SiteBuilder:
    def __init__(self, pep_dir: str, out_dir: str, config: Config | None = None, base_url: str = "",
                 progress: Progress | None = None, jobs: int | None = None, today=None, highlighter=None):
        self.pep_dir = pep_dir
        self.out_dir = out_dir
        self.config = config or Config()
        self.base_url = normalise_base_url(base_url)
        self.progress = progress or Progress()
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        self.today = today
        self.warnings: list[str] = []
        self.highlighter = highlighter

    # -- inputs ------------------------------------------------------------------

    def _load_git(self, cached: dict | None = None) -> None:
        """Status timelines and last commits, or None when the folder is not in git.

        They depend only on the commit checked out, so the last build's are reused while HEAD
        stays the same (a `git log -p` over a long history is the slow part of a rebuild).
        """
        self.history = None
        self.last_changes = {}
        self.git_cache = None
        try:
            from pepctl import gitutil
            from pepctl.history import Change, History, read_history

            info = gitutil.repo_info(self.pep_dir)
            key = [info.head, info.shallow, self.pep_dir, os.path.realpath(self.pep_dir),
                   self.config.template, list(self.config.exclude)]
            if info.head is not None and cached and cached.get("key") == key:
                self.history = History([Change(*c) for c in cached["changes"]], cached["warning"], cached["root"])
                self.last_changes = cached["last"]
            else:
                self.history = read_history(self.pep_dir, self.corpus.is_pep_file)
                self.last_changes = last_commits(self.pep_dir)
            if self.history.warning:
                self.warnings.append(self.history.warning)
            self.git_cache = {
                "key": key,
                "changes": [(c.number, c.path, c.date, c.commit, c.old, c.new) for c in self.history.changes],
                "warning": self.history.warning,
                "root": self.history.repo_root,
                "last": self.last_changes,
            }
        except ImportError:
            return
        except Exception as err:  # not a repository, no git, an odd repository: no timelines
            from pepctl.config import ConfigError

            if not isinstance(err, ConfigError):
                self.warnings.append(f"git history not read: {err}")
            self.history = None
            self.last_changes = {}
            self.git_cache = None

    def _load_cache(self) -> dict:
        path = os.path.join(self.out_dir, CACHE_DIR, CACHE_FILE)
        try:
            with open(path, "rb") as handle:
                cache = marshal.load(handle)
            if isinstance(cache, dict) and cache.get("version") == SITE_VERSION:
                return cache
        except (OSError, EOFError, ValueError, TypeError):
            pass
        return {"version": SITE_VERSION, "site": None, "records": {}, "pages": {}, "search": {}}

    def site_key(self) -> str:
        import cmarkgfm
        import jinja2
        import nh3
        import pygments

        from pepctl.site.markdown import RENDERER_VERSION

        assets = []
        for path in asset_files():
            with open(path, "rb") as handle:
                assets.append(handle.read())
        versions = [getattr(m, "__version__", "") for m in (cmarkgfm, jinja2, nh3, pygments)]
        return digest(SITE_VERSION, RENDERER_VERSION, RECORD_VERSION, versions, *assets,
                      self.config.as_dict(), self.base_url, self.repo)

    # -- the build ---------------------------------------------------------------

    def build(self) -> BuildResult:
        started = time.perf_counter()
        trace = self.trace = Trace()
        from pepctl.corpus import Corpus
        from pepctl.policy import Policy

        gc_was_enabled = gc.isenabled()
        gc.disable()  # a build makes many small objects and frees few: collections only cost time
        try:
            self.corpus = Corpus(self.pep_dir, self.config)
            self.policy = Policy(self.config)
            cache = self._load_cache()
            git_thread = threading.Thread(target=self._load_git, args=(cache.get("git"),), daemon=True)
            git_thread.start()
            os.makedirs(self.out_dir, exist_ok=True)

            names = [os.path.basename(p) for p in self.corpus.paths()]
            self.sources: dict[str, bytes] = {}
            self.records: dict[str, dict] = {}
            self.docs: dict = {}
            unreadable = 0
            for path, name in zip(self.corpus.paths(), names):
                try:
                    with open(path, "rb") as handle:
                        data = handle.read()
                except OSError as err:
                    data = b""
                    self.warnings.append(f"{path}: cannot read the file: {err.strerror}")
                self.sources[name] = data
                source_hash = digest(RECORD_VERSION, data)
                record = cache["records"].get(name)
                if record is None or record.get("hash") != source_hash:
                    record = make_record(name, data, source_hash, self.docs)
                self.records[name] = record
                if record["error"]:
                    unreadable += 1

            trace("records")
            git_thread.join()
            trace("git history")
            self.repo = self.repository()
            site_key = self.site_key()
            self.index_maps()
            timelines = self.timelines()
            self.timeline_of = timelines
            page_keys = {}
            dirty = []
            for name in names:
                key = self.page_key(site_key, name)
                page_keys[name] = key
                if cache["site"] != site_key or cache["pages"].get(name) != key or name not in cache["search"] \
                        or not os.path.exists(os.path.join(self.out_dir, self.records[name]["page"])):
                    dirty.append(name)

            trace(f"page keys ({len(dirty)} dirty)")
            search = {name: cache["search"][name] for name in names if name in cache["search"]}
            from pepctl.site import pages
            from pepctl.site.highlight import Highlighter
            from pepctl.site.markdown import Renderer

            if self.highlighter is None:
                self.highlighter = Highlighter()
            self.renderer = Renderer(self.highlighter)
            self.env = make_environment()
            writer = Writer(self.out_dir)
            finish = self.render_pages(dirty, search, writer)
            trace("pages started")
            pages.write_record_pages(self, writer)  # runs while workers render
            trace("index, dashboard, JSON")
            finish()
            trace("pages done")
            self.search = search
            pages.write_search_pages(self, writer, search)
            trace("feed, search index")
            removed = self.remove_stale(cache, names)
            writer.close()
            trace("writes flushed")

            for name, entry in search.items():
                if len(entry) > 2:
                    page_keys.pop(name, None)
            new_cache = {"version": SITE_VERSION, "site": site_key, "records": self.records,
                         "pages": page_keys, "search": search, "git": self.git_cache}
            os.makedirs(os.path.join(self.out_dir, CACHE_DIR), exist_ok=True)
            atomic_write(os.path.join(self.out_dir, CACHE_DIR, CACHE_FILE), marshal.dumps(new_cache))
            trace("cache saved")
        finally:
            if gc_was_enabled:
                gc.enable()
        return BuildResult(self.out_dir, len(names), len(dirty), removed, time.perf_counter() - started,
                           self.warnings, unreadable)

    def render_pages(self, dirty: list[str], search: dict, writer: Writer):
        """Start rendering the dirty pages; returns a function that waits for the rest.

        Many pages go to forked workers, which start at once; a few are done
        here and now.
        """
        total = len(dirty)
        use_pool = total >= PARALLEL_MIN and self.jobs > 1 and _can_fork()
        if not use_pool:
            for done, name in enumerate(dirty, 1):
                search[name] = self.render_page(name, writer)
                self.progress.update(done, total)
            self.progress.done()
            return lambda: None
        import multiprocessing

        global _JOB, _BARRIER
        _JOB = self
        # biggest files first, so that the last chunks to finish are small and the workers end together
        ordered = sorted(dirty, key=lambda name: len(self.sources[name]), reverse=True)
        chunks = [ordered[i : i + CHUNK] for i in range(0, total, CHUNK)]
        context = multiprocessing.get_context("fork")
        workers = min(self.jobs, len(chunks))
        _BARRIER = context.Barrier(workers)
        gc.freeze()  # keep the parent's objects out of the children's collections (and copies)
        pool = context.Pool(workers)
        results = pool.imap_unordered(_render_chunk, chunks)

        def finish() -> None:
            global _JOB
            done = 0
            try:
                for chunk in results:
                    for name, entry in chunk:
                        search[name] = entry
                    done += len(chunk)
                    self.progress.update(done, total)
                pool.map(_flush_worker, range(workers), chunksize=1)
                self.trace("worker writes flushed")
            finally:
                pool.close()
                pool.join()
                gc.unfreeze()
                _JOB = None
                self.progress.done()

        return finish

    # -- link resolution and keys ------------------------------------------------

    def index_maps(self) -> None:
        self.pages = {name: record["page"] for name, record in self.records.items()}
        self.by_number: dict[int, list[dict]] = {}
        for record in self.records.values():
            if record["number"] is not None:
                self.by_number.setdefault(record["number"], []).append(record)
        self.unique_numbers = {n: rs[0]["page"] for n, rs in self.by_number.items() if len(rs) == 1}

    def resolve(self, name: str) -> str | None:
        import re

        page = self.pages.get(name)
        if page is None:
            match = re.match(r"PEP-(\d+)", name)
            page = self.unique_numbers.get(int(match.group(1))) if match else None
        return page

    def neighbours(self, record: dict) -> list:
        info = []
        for number in record["supersedes"] + record["superseded_by"]:
            for other in self.by_number.get(number, []):
                info.append([number, other["page"], other["title"], other["status"]])
        return info

    def page_key(self, site_key: str, name: str) -> str:
        record = self.records[name]
        links = [[link, self.resolve(link)] for link in record["links"]]
        timeline = [c.to_json() for c in self.timeline_of.get(name, [])]
        return digest(site_key, record["hash"], links, self.neighbours(record), timeline,
                      self.last_changes.get(name), self.history is not None)

    def timelines(self) -> dict:
        if self.history is None:
            return {}
        table: dict[str, list] = {}
        for change in self.history.changes:
            table.setdefault(os.path.basename(change.path), []).append(change)
        return table

    def repository(self) -> dict:
        """Where the PEP folder lives in the repository, for source, edit and commit links."""
        url = (getattr(self.config, "repository_url", "") or "").rstrip("/")
        if not url:
            return {}
        if url.endswith(".git"):
            url = url[:-4]
        branch = getattr(self.config, "repository_branch", "") or "main"
        folder = None
        root = None
        if self.history is not None and self.history.repo_root:
            root = self.history.repo_root
        else:
            from pepctl.corpus import git_root

            root = git_root(self.pep_dir)
        if root is not None:
            rel = os.path.relpath(os.path.realpath(self.pep_dir), os.path.realpath(root))
            folder = "" if rel == os.curdir else rel.replace(os.sep, "/")
        if folder is None:
            folder = (self.config.pep_dir or "docs/peps").strip("/")
        prefix = f"{folder}/" if folder else ""
        return {
            "url": url,
            "blob": f"{url}/blob/{branch}/{prefix}",
            "raw": f"{url}/raw/{branch}/{prefix}",
            "edit": f"{url}/edit/{branch}/{prefix}",
            "commit": f"{url}/commit/",
            "issues": f"{url}/issues/",
        }

    # -- one PEP page ------------------------------------------------------------

    def render_page(self, name: str, writer: Writer):
        from pepctl.site import pages

        record = self.records[name]
        try:
            return pages.render_pep(self, record, writer)
        except Exception as err:  # a bug must cost one page, not the build
            if os.environ.get("PEPCTL_DEBUG"):
                raise
            message = f"the page could not be rendered ({type(err).__name__}: {err}); this is a bug in pepctl"
            failed = dict(record, error={"message": message, "line": 1})
            sys.stderr.write(f"pepctl: warning: {name}: {message}\n")
            return pages.render_pep(self, failed, writer) + ["failed"]  # rendered again next time

    def remove_stale(self, cache: dict, names: list[str]) -> int:
        current = set(names)
        removed = 0
        for name, record in cache["records"].items():
            if name in current:
                continue
            path = os.path.join(self.out_dir, record.get("page") or page_path(name))
            try:
                os.unlink(path)
                removed += 1
            except FileNotFoundError:
                pass
            except OSError as err:
                self.warnings.append(f"{path}: cannot remove a stale page: {err.strerror}")
        return removed


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def last_commits(pep_dir: str) -> dict:
    """File name -> {'date', 'commit'} of the newest commit that touched it (first-parent history)."""
    from pepctl import gitutil

    info = gitutil.repo_info(pep_dir)
    if info.head is None:
        return {}
    folder = gitutil._repo_relative(pep_dir, info.root)
    spec = f"{folder}/" if folder else "."
    done = gitutil.run_git(["-c", "core.quotepath=false", "log", "--first-parent", "--no-renames",
                            "--format=\x1e%H\x1f%cI", "--name-only", "--no-show-signature", "--", spec], info.root)
    found: dict = {}
    commit = date = ""
    for line in done.stdout.decode("utf-8", errors="replace").split("\n"):  # not splitlines: it splits on \x1e
        if line.startswith("\x1e"):
            commit, _, date = line[1:].partition("\x1f")
        elif line:
            directory, _, name = line.rpartition("/")
            if directory == folder and name not in found:
                found[name] = {"date": date, "commit": commit}
    return found


def make_environment():
    import jinja2

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
    from pepctl.model import format_number

    env.filters["pepnum"] = lambda n: "PEP-" + format_number(n) if isinstance(n, int) else "PEP-????"
    return env


def build_site(pep_dir: str, out_dir: str, config: Config | None = None, base_url: str = "",
               progress: Progress | None = None, jobs: int | None = None, today=None,
               highlighter=None) -> BuildResult:
    """Build (or bring up to date) the website of `pep_dir` in `out_dir`."""
    builder = SiteBuilder(pep_dir, out_dir, config, base_url, progress, jobs, today, highlighter)
    return builder.build()


__all__ = ["BuildResult", "Progress", "SiteBuilder", "body_text", "build_site"]
