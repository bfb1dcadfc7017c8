"""Build the static website of a PEP folder.

A build reads every PEP file, makes a record of each (cached by the hash of
its bytes; it holds the file's search words and summary too), and writes:

- ``pep/<file>.html`` for each PEP file, re-rendered only when its cache key
  changed: its bytes, what its links and banner point at, its status
  timeline, the templates, the renderer or the configuration;
- ``index.html``, ``dashboard.html``, ``search.html``, ``404.html``,
  ``api/peps.json``, ``feed.xml`` and ``search-index.json`` on every build,
  from the records alone (cheap), each written only when its bytes change;
- ``static/`` assets, and ``.pepctl-cache/`` (the records and page keys of
  the last build; safe to delete, not for publishing).

Many pages are shared among this process and forked workers (a ``Team``):
on a first build the workers start at once and make the records of their
own pages too, so reading and parsing the folder is shared as well. Every
process takes its own pages biggest first and, when it runs out, the
smallest page another has left, so they finish together. This process
writes the pages made from the records while the workers render. Every file
is written with ``pepctl.fsutil.atomic_write`` from a background thread.
Highlighted code blocks are cached in memory by (language, code), which
``pepctl site serve`` keeps from one rebuild to the next; a cache on disk
cost more to write on every full build than it saved.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import threading
import time

from pepctl.config import Config
from pepctl.fsutil import atomic_write, read_source
from pepctl.site.records import RECORD_VERSION, body_text, make_record, page_path, slug

# Part of every cache key: change it when the site's output changes shape.
SITE_VERSION = "2"
CACHE_DIR = ".pepctl-cache"
CACHE_FILE = "build.marshal"
PARALLEL_MIN = 48  # fewer pages than this are rendered in the main process
RARE_LANGUAGE_PAGES = 20  # a code language on this many pages or fewer is highlighted by one process
# Estimated costs for sharing out the work, in bytes of Markdown (measured on plano-1k: rendering
# takes about 0.12 µs a byte, and 0.07 ms a page besides; stealing evens out what they miss):
PAGE_COST = 600  # what a page costs besides its text (template, file)
PARENT_WORK = 900_000  # what the parent does besides pages (the index, dashboard, JSON, feed, search index)
LEXER_SETUP = 80_000  # setting up a lexer for a rarely used language (compiling its patterns)
TEMPLATES = ("base.html", "pep.html")  # compiled before any fork: every process renders PEP pages
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
        text = (f"built {plural(self.pages, 'PEP page')} ({self.rendered} rendered, {self.pages - self.rendered} "
                f"unchanged) in {self.seconds:.2f} s into {self.out_dir}")
        if self.removed:
            text += f"; removed {plural(self.removed, 'stale page')}"
        if self.unreadable:
            text += (f"; {plural(self.unreadable, 'file')} could not be read as a PEP "
                     f"({'its page says' if self.unreadable == 1 else 'their pages say'} why)")
        return text


GENERATOR_MARK = b'<meta name="generator" content="pepctl">'  # in the head of every page (base.html)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


_ENCODE = json.JSONEncoder(sort_keys=True, default=str).encode  # json.dumps(part, sort_keys=True, default=str)


def digest(*parts) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if not isinstance(part, bytes):
            part = _ENCODE(part).encode("utf-8")
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
    """Writes output files atomically from one background thread, so writes overlap rendering.

    The site can always be built again, so files are renamed into place
    without an fsync each (atomic, not durable): a build is not held up by
    flushing a thousand small files to disk. One thread per process:
    atomic_write is not safe from two threads at once.
    """

    def __init__(self, out_dir: str):
        self.out_dir = out_dir
        self.made_dirs: set[str] = set()
        self.queue = None
        self.thread = None
        self.error: BaseException | None = None
        self.written = 0

    def write(self, rel: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = os.path.join(self.out_dir, rel)
        folder = os.path.dirname(path)
        if folder not in self.made_dirs:
            os.makedirs(folder, exist_ok=True)
            self.made_dirs.add(folder)
        if self.thread is None:
            import queue

            self.queue = queue.SimpleQueue()
            self.thread = threading.Thread(target=self._run, name="pepctl-site-writer", daemon=True)
            self.thread.start()
        self.queue.put((path, data))

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            try:
                atomic_write(item[0], item[1], durable=False)
                self.written += 1
            except BaseException as err:  # every file is still tried; the first error is raised by close()
                if self.error is None:
                    self.error = err

    def close(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def keep_languages_together(shares: list[list[str]], languages: dict[str, list[str]], rank: dict[str, int],
                            sizes: dict[str, int]) -> list[list[str]]:
    """Move pages so that each rarely used language is highlighted by one member only.

    Setting up a lexer compiles its patterns: up to 90 ms for some languages, paid by every
    process that meets the language, although a few code blocks in it take no time to
    highlight. Rare languages used on one page go together; each such group of languages
    goes with all its pages to the member with the least work so far (counted in bytes of
    Markdown, `sizes`), at the head of its list so that no other member takes them; a page
    moved costs the parse of its file again. Each list is otherwise ordered by `rank`
    (biggest first), and members take from each other's ends. All names
    Pygments does not know count as one language (UNKNOWN): the first of them in a
    process costs a search of the installed plugins.
    """
    from pepctl.site.highlight import UNKNOWN

    counts: dict[str, int] = {}
    for share in shares:
        for name in share:
            for language in languages.get(name, ()):
                counts[language] = counts.get(language, 0) + 1
    rare = {language for language, count in counts.items() if count <= RARE_LANGUAGE_PAGES or language == UNKNOWN}
    if not rare:
        return shares
    group = {language: language for language in rare}  # union-find: languages met on one page go together

    def root(language: str) -> str:
        while group[language] != language:
            group[language] = group[group[language]]
            language = group[language]
        return language

    member_of = {name: member for member, share in enumerate(shares) for name in share}
    marked = {}
    for name in member_of:
        mine = [language for language in languages.get(name, ()) if language in rare]
        if mine:
            marked[name] = mine
            first = root(mine[0])
            for language in mine[1:]:
                group[root(language)] = first
    groups: dict[str, list[str]] = {}
    for name, mine in marked.items():
        groups.setdefault(root(mine[0]), []).append(name)
    loads = [sum(sizes.get(name, 0) + PAGE_COST for name in share if name not in marked) for share in shares]
    loads[0] += PARENT_WORK
    for pages in sorted(groups.values(), key=len, reverse=True):
        member = loads.index(min(loads))
        for name in pages:
            member_of[name] = member
        languages_in = {language for name in pages for language in marked[name]}
        loads[member] += sum(sizes.get(name, 0) + PAGE_COST for name in pages) + LEXER_SETUP * len(languages_in)
    moved: list[list[str]] = [[] for _ in shares]
    for name in sorted(member_of, key=lambda name: (name not in marked, rank[name])):
        moved[member_of[name]].append(name)
    return moved


def share_out(names: list[str], sizes: dict[str, int], members: int) -> list[list[str]]:
    """Pages shared among `members` by size, biggest first, each to the least loaded (LPT)."""
    order = sorted(names, key=lambda name: sizes.get(name, 0), reverse=True)
    loads = [0] * members
    shares: list[list[str]] = [[] for _ in range(members)]
    for name in order:
        member = loads.index(min(loads))
        shares[member].append(name)
        loads[member] += sizes.get(name, 0) + PAGE_COST
    return shares


class Queues:
    """Who renders which page, in memory that forked processes share.

    One queue of files for the records (taken in order by whoever is free),
    then one list of pages per member: a member takes pages from the front
    of its own list (biggest first) and, once it is empty, the last page
    (the smallest) of the longest other list, so the members end together
    whatever their pages cost. One lock guards it all.
    """

    def __init__(self, names: list[str], members: int, context=None):
        if context is None:
            import multiprocessing

            context = multiprocessing.get_context("fork")
        self.names = names
        self.index = {name: i for i, name in enumerate(names)}
        self.members = members
        self.order = context.RawArray("i", max(1, len(names)))
        self.bounds = context.RawArray("i", 2 * members)  # per member: its next page, the end of its list
        self.cursor = context.RawArray("i", 2)  # the records queue: next file, number of files
        self.lock = context.Lock()

    def line_up(self, queue: list[str]) -> None:
        """The files to make records of, in the order to take them."""
        for position, name in enumerate(queue):
            self.order[position] = self.index[name]
        self.cursor[0] = 0
        self.cursor[1] = len(queue)

    def queued(self) -> list[str]:
        return [self.names[self.order[position]] for position in range(self.cursor[1])]

    def next_file(self) -> str | None:
        """The next file to make the record of, or None when every file is taken."""
        cursor = self.cursor
        with self.lock:
            position = cursor[0]
            if position >= cursor[1]:
                return None
            cursor[0] = position + 1
        return self.names[self.order[position]]

    def files(self):
        return iter(self.next_file, None)

    def deal(self, shares: list[list[str]]) -> None:
        """Give each member its list of pages (before any member starts on them)."""
        position = 0
        for member, share in enumerate(shares):
            self.bounds[2 * member] = position
            for name in share:
                self.order[position] = self.index[name]
                position += 1
            self.bounds[2 * member + 1] = position

    def share(self, member: int) -> list[str]:
        """The pages dealt to `member` and not taken yet."""
        with self.lock:
            return [self.names[self.order[i]] for i in range(self.bounds[2 * member], self.bounds[2 * member + 1])]

    def total(self) -> int:
        return self.bounds[2 * self.members - 1]

    def take(self, member: int) -> str | None:
        """The next page for `member`, or None when every page is taken."""
        bounds = self.bounds
        with self.lock:
            head = bounds[2 * member]
            if head < bounds[2 * member + 1]:
                bounds[2 * member] = head + 1
                return self.names[self.order[head]]
            victim, most = -1, 0
            for other in range(self.members):
                left = bounds[2 * other + 1] - bounds[2 * other]
                if left > most:
                    victim, most = other, left
            if victim < 0:
                return None
            tail = bounds[2 * victim + 1] - 1
            bounds[2 * victim + 1] = tail
            return self.names[self.order[tail]]

    def left(self) -> int:
        bounds = self.bounds
        return sum(bounds[2 * m + 1] - bounds[2 * m] for m in range(self.members))


class Team:
    """The processes that share a build's pages: this one (member 0) and forked workers.

    The pages are shared out through ``Queues``. Forked from a process with no
    other thread running; workers write their pages themselves.

    Without ``shares`` the team starts with the records: every member takes
    the next file from one queue (biggest first), reads it and makes its
    record (search words included), and the workers send theirs back. The
    files a member made the records of become its list of pages (its parsed
    documents are at hand), but for pages in rarely used code languages (see
    ``keep_languages_together``); the parent sends every record, the
    timelines and the links' targets once it has them all. With ``shares`` (a
    rebuild with many pages to do) the workers inherit all of that and start
    on the pages at once.
    """

    def __init__(self, builder, names: list[str], members: int, sizes: dict[str, int], queue: list[str] | None = None,
                 shares: list[list[str]] | None = None):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.builder = builder
        self.sizes = sizes
        self.size = members
        self.records_phase = shares is None
        self.queues = Queues(names, members, context)
        if shares is None:
            self.queues.line_up(queue or [])
        else:
            self.queues.deal(shares)
        self.processes = []
        self.pipes = []
        try:
            for member in range(1, members):
                here, there = context.Pipe()
                process = context.Process(target=_member_main, args=(self, member, there), daemon=True)
                process.start()
                there.close()
                self.processes.append(process)
                self.pipes.append(here)
        except BaseException:
            self.close()
            raise

    def files(self):
        return self.queues.files()

    def render(self, member: int, writer: Writer, progress: Progress | None = None) -> tuple[list[str], dict]:
        """Render pages until none is left; returns the names that failed, and timings."""
        builder = self.builder
        queues = self.queues
        own = set(queues.share(member))  # as dealt (a forked worker did not see the parent deal it)
        total = queues.total()
        failed = []
        pages = stolen = 0
        started = time.perf_counter()
        while True:
            name = queues.take(member)
            if name is None:
                break
            if not builder.render_page(name, writer):
                failed.append(name)
            pages += 1
            if name not in own:
                stolen += 1
            if progress is not None:
                progress.update(total - queues.left(), total)
        return failed, {"pages": pages, "stolen": stolen, "seconds": time.perf_counter() - started}

    def _receive(self, pipe, kind: str):
        try:
            message = pipe.recv()
        except EOFError:
            raise RuntimeError("a worker process of the site build stopped unexpectedly") from None
        if message[0] == "error":
            raise RuntimeError(f"a worker process of the site build failed:\n{message[1]}")
        if message[0] != kind:
            raise RuntimeError(f"a worker process of the site build sent {message[0]!r}, expected {kind!r}")
        return message[1:]

    def gather_records(self, own: dict) -> tuple[dict, list[str]]:
        """Every member's records (`own` are this process's) and the workers' warnings; deals out the pages."""
        records = dict(own)
        shares = [list(own)]
        self.made = [set(own)]
        warnings = []
        for pipe in self.pipes:
            more, notes = self._receive(pipe, "records")
            records.update(more)
            shares.append(list(more))
            self.made.append(set(more))
            warnings += notes
        rank = {name: position for position, name in enumerate(self.queues.queued())}
        languages = {name: record.get("languages", ()) for name, record in records.items()}
        self.queues.deal(keep_languages_together(shares, languages, rank, self.sizes))
        return records, warnings

    def send_globals(self, builder) -> None:
        """To each worker, what it needs to render any page: all that the parent knows but the records it made."""
        from multiprocessing.reduction import ForkingPickler

        for member, pipe in enumerate(self.pipes, 1):
            pipe.send_bytes(ForkingPickler.dumps(builder.shared_state(self.made[member])))

    def finish(self) -> tuple[list[str], list[str], list[dict]]:
        """Wait for the workers: the pages that failed, their warnings, their timings."""
        failed, warnings, stats = [], [], []
        for pipe in self.pipes:
            names, more, numbers = self._receive(pipe, "done")
            failed += names
            warnings += more
            stats.append(numbers)
        for process in self.processes:
            process.join()
        self.processes = []
        return failed, warnings, stats

    def close(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        self.processes = []
        for pipe in self.pipes:
            pipe.close()
        self.pipes = []


def _member_main(team: Team, member: int, conn) -> None:
    """A forked worker: (its records,) then pages until none is left; exits without Python's teardown."""
    code = 0
    try:
        builder = team.builder
        started = time.perf_counter()
        stats = {"member": member, "records": 0.0, "waited": 0.0}
        if team.records_phase:
            records = builder.make_records(team.files())
            stats["records"] = time.perf_counter() - started
            conn.send(("records", records, builder.warnings))
            builder.warnings = []
            mark = time.perf_counter()
            import pickle

            builder.take_globals(pickle.loads(conn.recv_bytes()), records)
            stats["waited"] = time.perf_counter() - mark
        writer = Writer(builder.out_dir)
        failed, numbers = team.render(member, writer)
        mark = time.perf_counter()
        writer.close()
        stats.update(numbers, flushed=time.perf_counter() - mark, total=time.perf_counter() - started)
        conn.send(("done", failed, builder.warnings, stats))
    except BaseException:
        import traceback

        code = 1
        try:
            conn.send(("error", traceback.format_exc()))
        except Exception:
            pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


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
        self.paths: dict[str, str] = {}  # file name -> path
        self.sources: dict[str, bytes] = {}  # file name -> bytes, for the files this process read
        self.docs: dict = {}  # file name -> Document parsed for its record, until its page is rendered
        self.bodies: dict[str, str] = {}  # file name -> body text made for its summary, likewise
        self.unreadable_files: dict[str, str] = {}  # file name -> why it could not be read

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
            from pepctl.fsutil import git_root

            # Silent only for a folder outside any repository: when a repository is there but git
            # cannot read it (git missing, "dubious ownership" in a CI container), say so.
            if not isinstance(err, ConfigError) or git_root(self.pep_dir) is not None:
                self.warnings.append(f"git history not read, so the site has no status timelines: {err}")
            self.history = None
            self.last_changes = {}
            self.git_cache = None

    def _load_cache(self) -> dict:
        path = os.path.join(self.out_dir, CACHE_DIR, CACHE_FILE)
        try:
            with open(path, "rb") as handle:
                cache = marshal.load(handle)
            if isinstance(cache, dict) and cache.get("version") == SITE_VERSION:
                cache["records"] = marshal.loads(cache["records"])
                return cache
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            pass
        return {"version": SITE_VERSION, "site": None, "records": {}, "pages": {}}

    def read(self, name: str) -> bytes:
        try:
            data = read_source(self.paths[name])
        except OSError as err:
            data = b""
            self.unreadable_files[name] = f"cannot read the file: {err.strerror}"
            self.warnings.append(f"{self.paths[name]}: {self.unreadable_files[name]}")
        self.sources[name] = data
        return data

    def source(self, name: str) -> bytes:
        """The bytes of a PEP file, read now if another process read it for its record."""
        data = self.sources.get(name)
        return data if data is not None else self.read(name)

    def make_records(self, names, cached: dict | None = None) -> dict:
        """The records of some files (search words and summary included), reusing cached ones by hash."""
        from pepctl.site.highlight import code_languages
        from pepctl.site.pages import search_fields

        cached = cached or {}
        records = {}
        for name in names:
            data = self.read(name)
            unreadable = self.unreadable_files.get(name)
            source_hash = digest(RECORD_VERSION, data, unreadable or "")
            record = cached.get(name)
            if record is None or record.get("hash") != source_hash:
                record = make_record(name, data, source_hash, self.docs, unreadable)
                search_fields(record, data, self.docs.get(name), self.bodies)
                record["languages"] = code_languages(data) if not record["error"] else []
            records[name] = record
        return records

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

    def parallel(self, pages: int) -> bool:
        return pages >= PARALLEL_MIN and self.jobs > 1 and _can_fork()

    def prepare_rendering(self) -> None:
        """The renderer and the compiled templates (made before any fork, so workers inherit them)."""
        if getattr(self, "renderer", None) is not None:
            return
        from pepctl.site import pages  # noqa: F401 - imported once, here
        from pepctl.site.highlight import Highlighter
        from pepctl.site.markdown import Renderer

        if self.highlighter is None:
            self.highlighter = Highlighter()
        self.renderer = Renderer(self.highlighter)
        self.env = make_environment()
        for name in TEMPLATES:
            self.env.get_template(name)

    def shared_state(self, made: set) -> dict:
        """What a worker forked before the records were made needs to render any page (less the records it made)."""
        records = {name: {k: v for k, v in record.items() if k != "words"}
                   for name, record in self.records.items() if name not in made}
        return {"records": records, "timelines": self.timeline_of, "last_changes": self.last_changes,
                "history": self.history, "repo": self.repo}

    def take_globals(self, state: dict, records: dict) -> None:
        """The parent's state, with `records` (the ones this worker made)."""
        records.update(state["records"])
        self.records = {name: records[name] for name in self.paths}  # in file order, as the parent has them
        self.timeline_of = state["timelines"]
        self.last_changes = state["last_changes"]
        self.history = state["history"]
        self.repo = state["repo"]
        self.index_maps()

    # -- the build ---------------------------------------------------------------

    def build(self) -> BuildResult:
        from pepctl.fanout import gc_paused

        with gc_paused():  # a build makes many small objects and frees few: collections only cost time
            try:
                return self._build()
            finally:
                # Drop what the build made before collections resume; what is left (modules and
                # lexers loaded, templates) is long-lived.
                for name in ("records", "docs", "bodies", "sources", "pages", "by_number", "unique_numbers",
                             "timeline_of", "history", "last_changes", "git_cache", "corpus"):
                    if hasattr(self, name):
                        delattr(self, name)

    def _build(self) -> BuildResult:
        started = time.perf_counter()
        trace = self.trace = Trace()
        from pepctl.corpus import Corpus
        from pepctl.policy import Policy

        team = None
        try:
            self.corpus = Corpus(self.pep_dir, self.config)
            self.policy = Policy(self.config)
            cache = self._load_cache()
            os.makedirs(self.out_dir, exist_ok=True)
            names = [os.path.basename(p) for p in self.corpus.paths()]
            self.paths = dict(zip(names, self.corpus.paths()))

            if not cache["pages"] and self.parallel(len(names)):
                # nothing to reuse: every page is to be made. Fork now, and make the records in every process.
                self.prepare_rendering()
                sizes = {}
                for name, path in self.paths.items():
                    try:
                        sizes[name] = os.stat(path).st_size
                    except OSError:
                        sizes[name] = 0
                queue = sorted(names, key=sizes.__getitem__, reverse=True)
                team = Team(self, names, self.jobs, sizes, queue=queue)
                trace(f"{team.size - 1} workers started")
            git_thread = threading.Thread(target=self._load_git, args=(cache.get("git"),), daemon=True)
            git_thread.start()
            if team is not None:
                own = self.make_records(team.files(), cache["records"])
                trace(f"own records ({len(own)})")
                records, warnings = team.gather_records(own)
                self.warnings += warnings
                self.records = {name: records[name] for name in names}
            else:
                self.records = self.make_records(names, cache["records"])
            unreadable = sum(1 for record in self.records.values() if record["error"])
            trace("records")
            git_thread.join()
            trace("git history")
            self.repo = self.repository()
            self.index_maps()
            self.timeline_of = self.timelines()
            if team is not None:
                team.send_globals(self)  # the workers start on their pages
                trace("records sent")
            site_key = self.site_key()
            page_keys = {}
            dirty = []
            for name in names:
                key = self.page_key(site_key, name)
                page_keys[name] = key
                if cache["site"] != site_key or cache["pages"].get(name) != key \
                        or not os.path.exists(os.path.join(self.out_dir, self.records[name]["page"])):
                    dirty.append(name)
            trace(f"page keys ({len(dirty)} dirty)")

            if team is None:
                self.prepare_rendering()
                if self.parallel(len(dirty)):  # many pages to do again: fork now, the workers inherit the records
                    sizes = {name: len(self.sources.get(name, b"")) for name in dirty}
                    rank = {name: position for position, name in enumerate(sorted(dirty, key=sizes.__getitem__,
                                                                                   reverse=True))}
                    languages = {name: self.records[name].get("languages", ()) for name in dirty}
                    shares = keep_languages_together(share_out(dirty, sizes, self.jobs), languages, rank, sizes)
                    team = Team(self, names, self.jobs, sizes, shares=shares)
                    trace(f"{team.size - 1} workers started")
            from pepctl.site import pages

            writer = Writer(self.out_dir)  # its thread starts after every fork
            pages.write_record_pages(self, writer)
            trace("index, dashboard, JSON, feed, search index")
            records_blob = marshal.dumps(self.records)

            failed = []
            if team is not None:
                failed, numbers = team.render(0, writer, self.progress)
                trace(f"own pages done ({numbers['pages']}, {numbers['stolen']} taken from others)")
                more, warnings, stats = team.finish()
                failed += more
                self.warnings += warnings
                trace("workers done")
                if trace.enabled:
                    for s in stats:
                        sys.stderr.write(
                            f"[site]   worker {s['member']}: records {s['records']:.3f} s, waited {s['waited']:.3f} s,"
                            f" {s['pages']} pages ({s['stolen']} taken) in {s['seconds']:.3f} s, writes"
                            f" {s['flushed']:.3f} s, total {s['total']:.3f} s\n")
            else:
                for done, name in enumerate(dirty, 1):
                    if not self.render_page(name, writer):
                        failed.append(name)
                    self.progress.update(done, len(dirty))
            self.progress.done()
            removed = self.remove_stale(cache, names)
            writer.close()
            trace("writes flushed")

            for name in failed:
                page_keys.pop(name, None)  # rendered again next time
            new_cache = {"version": SITE_VERSION, "site": site_key, "records": records_blob, "pages": page_keys,
                         "git": self.git_cache}
            os.makedirs(os.path.join(self.out_dir, CACHE_DIR), exist_ok=True)
            atomic_write(os.path.join(self.out_dir, CACHE_DIR, CACHE_FILE), marshal.dumps(new_cache), durable=False)
            trace("cache saved")
        finally:
            if team is not None:
                team.close()
        return BuildResult(self.out_dir, len(names), len(dirty), removed, time.perf_counter() - started,
                           self.warnings, unreadable)

    # -- link resolution and keys ------------------------------------------------

    def index_maps(self) -> None:
        self.pages = {name: record["url"] for name, record in self.records.items()}
        self.by_number: dict[int, list[dict]] = {}
        for record in self.records.values():
            if record["number"] is not None:
                self.by_number.setdefault(record["number"], []).append(record)
        self.unique_numbers = {n: rs[0]["url"] for n, rs in self.by_number.items() if len(rs) == 1}

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
            from pepctl.fsutil import git_root

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
            "root_blob": f"{url}/blob/{branch}/",  # what a link starting with "/" is relative to
            "root_raw": f"{url}/raw/{branch}/",
            "edit": f"{url}/edit/{branch}/{prefix}",
            "commit": f"{url}/commit/",
            "issues": f"{url}/issues/",
        }

    # -- one PEP page ------------------------------------------------------------

    def render_page(self, name: str, writer: Writer) -> bool:
        """Write one PEP's page; False when it failed (then the page says so, and the next build tries again)."""
        from pepctl.site import pages

        record = self.records[name]
        try:
            pages.render_pep(self, record, writer)
            return True
        except Exception as err:  # a bug must cost one page, not the build
            if os.environ.get("PEPCTL_DEBUG"):
                raise
            message = f"the page could not be rendered ({type(err).__name__}: {err}); this is a bug in pepctl"
            failed = dict(record, error={"message": message, "line": 1})
            sys.stderr.write(f"pepctl: warning: {name}: {message}\n")
            pages.render_pep(self, failed, writer)
            return False

    def remove_stale(self, cache: dict, names: list[str]) -> int:
        """Delete the pages of PEP files that are gone: those the last build's cache lists, or, with no
        cache (deleted, or an output folder built before), every page in pep/ that pepctl wrote."""
        current = set(names)
        if cache["records"]:
            stale = [self.out_dir + os.sep + (record.get("page") or page_path(name))
                     for name, record in cache["records"].items() if name not in current]
        else:
            stale = self._orphan_pages({self.records[name]["page"] for name in names if name in self.records})
        removed = 0
        for path in stale:
            try:
                os.unlink(path)
                removed += 1
            except FileNotFoundError:
                pass
            except OSError as err:
                self.warnings.append(f"{path}: cannot remove a stale page: {err.strerror}")
        return removed

    def _orphan_pages(self, pages: set[str]) -> list[str]:
        """Pages in pep/ that no current file has and that say pepctl made them (a file of the
        user's own there is left alone)."""
        folder = os.path.join(self.out_dir, "pep")
        try:
            names = os.listdir(folder)
        except OSError:
            return []
        found = []
        for name in names:
            if not name.endswith(".html") or f"pep/{name}" in pages:
                continue
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as handle:
                    head = handle.read(1024)
            except OSError:
                continue
            if GENERATOR_MARK in head:
                found.append(path)
        return found


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
    # -z: names come NUL-terminated and unquoted, whatever they hold (", \, tab, newline)
    done = gitutil.run_git(["log", "-z", "--first-parent", "--no-renames", "--format=\x1e%H\x1f%cI",
                            "--name-only", "--no-show-signature", "--", spec], info.root)
    found: dict = {}
    commit = date = ""
    for item in done.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        item = item.removeprefix("\n")  # git puts a newline between a commit's line and its names
        if item.startswith("\x1e"):
            commit, _, date = item[1:].partition("\x1f")
        elif item:
            directory, _, name = item.rpartition("/")
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
    from pepctl.site.pages import pep_label

    env.filters["pepnum"] = pep_label
    return env


def build_site(pep_dir: str, out_dir: str, config: Config | None = None, base_url: str = "",
               progress: Progress | None = None, jobs: int | None = None, today=None,
               highlighter=None) -> BuildResult:
    """Build (or bring up to date) the website of `pep_dir` in `out_dir`."""
    builder = SiteBuilder(pep_dir, out_dir, config, base_url, progress, jobs, today, highlighter)
    return builder.build()


__all__ = ["BuildResult", "Progress", "SiteBuilder", "body_text", "build_site"]
