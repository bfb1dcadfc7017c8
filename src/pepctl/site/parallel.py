"""Sharing a build's work among processes: which process renders which page, and the Team that does it.

On a first build the workers start at once and make the records of the files
too: every member takes the next file from one queue (biggest first), reads it
and makes its record; the workers send theirs to this process, which sends
every worker what it needs to render any page once it has it all. On a
rebuild with many pages to do, the workers are forked with all of that at
hand. Each member then renders the pages of the files it parsed (their
Documents are at hand), biggest first, and when it runs out, the smallest
page another member has left, so they finish together. The processes and
the shared lists are pepctl.fanout's Crew and Board.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time

from pepctl import fanout
from pepctl.site.highlight import UNKNOWN
from pepctl.site.writer import Writer

PARALLEL_MIN = 48  # fewer pages than this are rendered in the main process
RARE_LANGUAGE_PAGES = 20  # a code language on this many pages or fewer is highlighted by one process
# Estimated costs for sharing out the work, in bytes of Markdown (measured on plano-1k: rendering
# takes about 0.12 µs a byte, and 0.07 ms a page besides; stealing evens out what they miss):
PAGE_COST = 600  # what a page costs besides its text (template, file)
PARENT_WORK = 900_000  # what the parent does besides pages (the index, dashboard, JSON, feed, search index)
LEXER_SETUP = 80_000  # setting up a lexer for a rarely used language (compiling its patterns)


def collect_young(every: int, count: int) -> None:
    """Free the cycles among the objects made lately, every `every` items of work (count: the items so far).

    Under gc_paused nothing is collected, and a parsed document or rendered page leaves small cycles
    that hold it all: at 10,000 PEPs that was hundreds of MB a process. A collection of the youngest
    generation looks only at what was made since the last one, so it costs in proportion to the work.
    """
    if count % every == 0:
        gc.collect(0)


def worth_forking(pages: int, jobs: int) -> bool:
    return pages >= PARALLEL_MIN and jobs > 1 and hasattr(os, "fork")


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


def without_words(record):
    return record if record.stored_search is None else dataclasses.replace(record, stored_search=None)


class Team:
    """This process (member 0) and forked workers sharing a build's pages (and on a first build its records).

    `render(state, name, writer) -> bool` renders one page (False: it failed, and says so); `reader`
    is this process's Reader, which the workers inherit. With `queue` (a first build: the files in
    the order to take them) the members make the records first, and a worker makes its
    BuildState with `make_state(records, sent)` from what `send_state` sends; with `shares` (one
    list of pages per member) and `state`, the workers inherit the state and start on the pages.
    Fork only where no other thread runs.
    """

    def __init__(self, out_dir: str, names: list[str], members: int, render, reader, sizes: dict[str, int], *,
                 queue: list[str] | None = None, make_state=None, shares: list[list[str]] | None = None, state=None,
                 after_pages=None):
        self.out_dir = out_dir
        self.after_pages = after_pages  # called in each worker once its pages are rendered (before "done")
        self.names = names
        self.index = {name: i for i, name in enumerate(names)}
        self.render_page = render
        self.reader = reader
        self.sizes = sizes
        self.make_state = make_state
        self.state = state
        self.records_phase = shares is None
        self.board = fanout.Board(len(names), members)
        if shares is None:
            self.board.line_up([self.index[name] for name in queue or []])
        else:
            self.board.deal([[self.index[name] for name in share] for share in shares])
        self.made: list[set[str]] = []
        self.crew = None
        try:
            self.crew = fanout.Crew(members, self._work, name="a worker process of the site build")
        except BaseException:
            self.board.close()
            raise

    @property
    def size(self) -> int:
        return self.crew.size

    def files(self):
        """The files left to make the records of, taken one by one."""
        names = self.names
        return (names[item] for item in iter(self.board.next, None))

    def gather_records(self, own: dict) -> tuple[dict, list[str]]:
        """Every member's records (`own` are this process's) and the workers' warnings; deals out the pages."""
        records = dict(own)
        shares = [list(own)]
        self.made = [set(own)]
        warnings = []
        for member in range(1, self.size):
            more, notes, stats = self.crew.receive(member, "records")
            self.reader.stats.update(stats)  # what each file's stat was when it was read, for the cache
            records.update(more)
            shares.append(list(more))
            self.made.append(set(more))
            warnings += notes
        rank = {self.names[item]: position for position, item in enumerate(self.board.queued())}
        languages = {name: record.languages for name, record in records.items()}
        shares = keep_languages_together(shares, languages, rank, self.sizes)
        self.board.deal([[self.index[name] for name in share] for share in shares])
        return records, warnings

    def send_state(self, state) -> None:
        """To each worker, what it needs to render any page: the state, less the records it made."""
        rest = {"history": state.history, "last_changes": state.last_changes, "repo": state.repo,
                "today": state.today}
        for member in range(1, self.size):
            made = self.made[member]
            # without their search words, which no page shows (a tenth of what a record weighs)
            records = {name: without_words(record) for name, record in state.records.items() if name not in made}
            self.crew.send(member, "state", records, rest)

    def render(self, member: int, state, writer: Writer, progress=None) -> tuple[list[str], dict]:
        """Render pages until none is left; the names that failed, and timings."""
        board = self.board
        own = set(board.dealt(member))  # as dealt (a forked worker did not see the parent deal it)
        total = board.total()
        failed = []
        pages = stolen = 0
        started = time.perf_counter()
        for item in iter(lambda: board.take(member), None):
            name = self.names[item]
            if not self.render_page(state, name, writer):
                failed.append(name)
            pages += 1
            collect_young(50, pages)
            if item not in own:
                stolen += 1
            if progress is not None:
                progress("rendering pages", total - board.left(), total)
        if progress is not None and not pages:  # the workers took every page: say where they stand
            progress("rendering pages", total - board.left(), total)
        return failed, {"pages": pages, "stolen": stolen, "seconds": time.perf_counter() - started}

    def finish(self) -> tuple[list[str], list[str], list[dict]]:
        """Wait for the workers: the pages that failed, their warnings, their timings."""
        failed, warnings, stats = [], [], []
        for member in range(1, self.size):
            names, more, numbers = self.crew.receive(member, "done")
            failed += names
            warnings += more
            stats.append(numbers)
        self.crew.join()
        return failed, warnings, stats

    def close(self) -> None:
        if self.crew is not None:
            self.crew.close()
        self.board.close()

    def _work(self, member: int, link) -> None:
        """A forked worker: (its records,) then pages until none is left."""
        started = time.perf_counter()
        stats = {"member": member, "records": 0.0, "waited": 0.0}
        state = self.state
        if self.records_phase:
            records = self.reader.make_records(self.files())
            stats["records"] = time.perf_counter() - started
            link.send("records", records, self.reader.take_warnings(), self.reader.stats)
            records = {name: without_words(record) for name, record in records.items()}  # the search is made elsewhere
            mark = time.perf_counter()
            _, others, rest = link.receive()
            others.update(records)
            state = self.make_state({name: others[name] for name in self.names}, rest)
            stats["waited"] = time.perf_counter() - mark
        writer = Writer(self.out_dir)
        failed, numbers = self.render(member, state, writer)
        mark = time.perf_counter()
        if self.after_pages is not None:
            self.after_pages()
        writer.close()
        stats.update(numbers, flushed=time.perf_counter() - mark, total=time.perf_counter() - started)
        link.send("done", failed, self.reader.take_warnings(), stats)
