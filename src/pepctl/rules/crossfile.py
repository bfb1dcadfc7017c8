"""X: what holds between files: unique numbers, supersede links, PEP links, the index.

These rules ask ``ctx.corpus`` for other files; it parses a file only when
asked, so checking one PEP reads only the PEPs it points at. Without a folder
(``lint_pep`` on a PEP in memory, as the review engine runs it: it reads no
files) there is nothing to compare with, and they stay quiet.
"""

from __future__ import annotations

import bisect
import os
import re

from pepctl.document import Document, DocumentError
from pepctl.fsutil import read_source
from pepctl.model import format_number, pep_label, pep_refs
from pepctl.rules import CORPUS, rule
from pepctl.rules.header import field_position, table_line

# A path ending in a PEP file name; what precedes it decides whether it is a link target.
# Bounded: a file name has at most 255 characters, and an unbounded lazy run rescanned the rest
# of the text from every "PEP-" (a file of "PEP-" repeated took minutes per 100 KB).
PEP_FILE_RE = re.compile(r"PEP-[^\s()<>\[\]#?\"'`]{0,248}?\.md(?![\w.-])")
BACKTICKS_RE = re.compile(r"`+")
TARGET_STOP = " \t\r\n(<[]"
MAX_TARGET = 4096  # PATH_MAX: a longer run of characters is no link target
MAX_LABEL = 999  # CommonMark: a link label has at most 999 characters between its brackets
NUMBER_RE = re.compile(r"PEP-(\d+)")
LINK_TEXT_RE = re.compile(r"\[([^\]]*)\]")


def _same_file(a: str, b: str) -> bool:
    if a == b:
        return True
    if os.path.basename(a) != os.path.basename(b):
        return False
    return os.path.abspath(a) == os.path.abspath(b)


@rule("X001", "duplicate-number", "No two PEP files share a number.", scope=CORPUS)
def duplicate_number(ctx, targets):
    by_number: dict[int, list] = {}
    for record in ctx.records():
        if record.number is not None:
            by_number.setdefault(record.number, []).append(record)
    wanted = {os.path.normpath(e.path) for e in targets}
    for number, records in by_number.items():
        if len(records) < 2:
            continue
        for record in records:
            if os.path.normpath(record.path) not in wanted:
                continue
            others = [r for r in records if not _same_file(r.path, record.path)]
            if not others:
                continue
            # by name, or by path where another file has the same name (two SIGs' `42-spin/kep.yaml`)
            names = ", ".join(r.path if r.filename == record.filename else r.filename for r in others)
            yield record.path, record.line, 1, (
                f"PEP number {format_number(number)} is also used by {names}; every PEP needs its own number: "
                "renumber one of them (`pepctl next` prints the next free number)"
            )


def _refs(pep, key: str) -> list[int]:
    field = pep.document.fields.get(key)
    return pep_refs(field.value) if field is not None else []


def _parsed(ctx, number: int) -> list:
    return [e.pep for e in ctx.corpus.find(number) if e.pep is not None]


# (key, name of the field pointing back, its key)
SUPERSEDE_FIELDS = (("supersedes", "Superseded-By", "superseded-by"), ("superseded-by", "Supersedes", "supersedes"))


@rule("X002", "supersede-target", "Supersedes and Superseded-By name PEPs that exist in the folder.")
def supersede_target(pep, ctx):
    if ctx.corpus is None:  # no folder to look in
        return
    doc = pep.document
    for key, _, _ in SUPERSEDE_FIELDS:
        field = doc.fields.get(key)
        if field is None:
            continue
        for number in pep_refs(field.value):
            if number == pep.number:
                yield (*field_position(pep, field), f"{field.name} names this PEP itself ({format_number(number)}); name the other PEP")
            elif not _parsed(ctx, number):
                yield (*field_position(pep, field), (
                    f"{field.name} names PEP {format_number(number)}, but there is no such PEP in the folder; "
                    "correct the number or remove it"
                ))


@rule("X003", "supersede-symmetry", "A Supersedes B exactly when B is Superseded-By A.")
def supersede_symmetry(pep, ctx):
    if ctx.corpus is None:  # no folder to look in
        return
    doc = pep.document
    for key, reverse, reverse_key in SUPERSEDE_FIELDS:
        field = doc.fields.get(key)
        if field is None:
            continue
        me = pep.number
        if me is None:
            return
        for number in pep_refs(field.value):
            if number == me:
                continue
            others = _parsed(ctx, number)
            if not others:
                continue  # X002 reports it
            if any(me in _refs(other, reverse_key) for other in others):
                continue
            target = others[0]
            fmt = target.document.format
            if hasattr(fmt, "label"):  # a dialect: its own labels, field names and way of citing a number
                said, other = fmt.label(number), fmt.label(me)
                mine = str(me) if fmt.name in ("python-pep", "eip") else other  # as the format cites a number
                reverse_name = fmt.spelled(reverse)
            else:
                said, other, mine = f"PEP {format_number(number)}", format_number(me), pep_label(me)
                reverse_name = reverse
            yield (*field_position(pep, field), (
                f"this PEP's {field.name} names {said}, but {target.filename} does not name "
                f"{other} in its {reverse_name} field; add `{fmt.example(reverse, mine)}` there"
            ))


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of the code spans of one line: a run of backticks up to the next run of the same
    length, as ``(?<!`)(`+)(?!`).+?(?<!`)\\1(?!`)`` finds them, in one pass (that regex rescans the
    rest of the line from every unmatched run)."""
    runs = [(m.start(), m.end()) for m in BACKTICKS_RE.finditer(line)]
    closer: list[int | None] = [None] * len(runs)
    later: dict[int, int] = {}  # run length -> index of the nearest later run of that length
    for i in range(len(runs) - 1, -1, -1):
        size = runs[i][1] - runs[i][0]
        closer[i] = later.get(size)
        later[size] = i
    spans, i = [], 0
    while i < len(runs):
        j = closer[i]
        if j is None:
            i += 1
        else:
            spans.append((runs[i][0], runs[j][1]))
            i = j + 1
    return spans


def _in_code_span(text: str, start: int, end: int, cache: dict | None = None) -> bool:
    """Whether text[start:end] lies inside one code span of its line; `cache` (line start -> spans)
    spares a line with many links from being read again for each."""
    line_start = text.rfind("\n", 0, start) + 1
    spans = cache.get(line_start) if cache is not None else None
    if spans is None:
        line_end = text.find("\n", end)
        spans = code_spans(text[line_start : line_end if line_end != -1 else len(text)])
        if cache is not None:
            cache[line_start] = spans
    at = bisect.bisect_right(spans, (start - line_start, float("inf"))) - 1  # the spans are sorted and disjoint
    return at >= 0 and end - line_start <= spans[at][1]


def pep_links(text: str):
    """(start, end, target) of Markdown link targets that name a PEP file.

    Inline links ``[t](PEP-0042-x.md)``, ``[t](./PEP-0042-x.md#anchor)`` and
    reference definitions ``[t]: PEP-0042-x.md``; external URLs are skipped.
    """
    stop, scanned = -1, 0  # the last TARGET_STOP character before `scanned`: each character is looked at once
    for match in PEP_FILE_RE.finditer(text):
        end = match.end()
        stop = max(stop, *(text.rfind(c, scanned, match.start()) for c in TARGET_STOP))
        scanned = match.start()
        start = stop + 1
        if end - start > MAX_TARGET:
            continue
        target = text[start:end]
        if "://" in target or target.startswith("mailto:"):
            continue
        before = start
        if before > 0 and text[before - 1] == "<":
            before -= 1
        while before > 0 and text[before - 1] in " \t":
            before -= 1
        if text[before - 2 : before] == "](":
            yield start, end, target
        elif text[before - 2 : before] == "]:":
            opening = text.rfind("[", max(0, before - 2 - MAX_LABEL - 1), before)
            line_start = text.rfind("\n", max(0, opening - 4), opening) + 1  # further back: indented too far anyway
            if opening >= 0 and not text[line_start:opening].strip(" ") and len(text[line_start:opening]) <= 3:
                yield start, end, target


@rule("X004", "broken-pep-link", "Markdown links to PEP-*.md files (inline or reference-style) point at files that exist; code is ignored.")
def broken_pep_link(pep, ctx):
    if ctx.corpus is None:  # no folder to look in
        return
    doc = pep.document
    text = doc.text
    if PEP_FILE_RE.search(text) is None:
        return  # the common case: no PEP file named anywhere
    spans: dict = {}
    line, counted, line_start = 0, 0, 0  # lines are counted on from the previous link, not from the top
    for start, end, target in pep_links(text):
        path = target
        if "%" in path:
            from urllib.parse import unquote  # only for a link with %-escapes: rare

            path = unquote(path)
        if os.path.exists(os.path.join(os.path.dirname(pep.path), path)):
            continue
        if _inside(doc.fences, start, closed=False) or _in_code_span(text, start, end, spans):
            continue
        found = text.count("\n", counted, start)
        if found:
            line += found
            line_start = text.rfind("\n", counted, start) + 1
        counted = start
        if doc.comments and _inside(doc.comments, line, closed=True):
            continue
        hint = ""
        match = NUMBER_RE.match(os.path.basename(path))
        if match:
            found = _parsed(ctx, int(match.group(1)))
            if found:
                hint = f" (PEP {format_number(found[0].number)} is {found[0].filename})"
        yield line + 1, start - line_start + 1, f"link target {target!r} does not exist in the PEP folder; fix the file name{hint}"


def _inside(ranges: list[tuple[int, int]], value: int, closed: bool) -> bool:
    """Whether value lies in one of the sorted, disjoint (first, last) ranges (last excluded unless closed)."""
    at = bisect.bisect_right(ranges, (value, float("inf"))) - 1
    return at >= 0 and (value <= ranges[at][1] if closed else value < ranges[at][1])


def _row_key(row: list[str]) -> str:
    return row[0] if row else ""


def _row_label(key: str) -> str:
    match = LINK_TEXT_RE.match(key)
    return match.group(1) if match else key


@rule("X005", "index-sync", "The index file's '## Index' table lists every PEP as `pepctl index` would write it.", scope=CORPUS)
def index_sync(ctx, targets):
    index_path = ctx.corpus.index_path
    if index_path is None:
        return
    corpus = ctx.corpus
    if corpus.contains(index_path):  # a PEP of the folder: checked when it is checked
        if not any(_same_file(e.path, index_path) for e in targets):
            return
        entry = corpus.entry(index_path)
        if entry.pep is None:
            return
        path, document, first = entry.path, entry.pep.document, table_line(entry.pep)
    else:  # a file of its own (`index-file`): checked with the whole folder, as `pepctl index --check` does
        wanted = {os.path.normpath(e.path) for e in targets}
        if not all(os.path.normpath(p) in wanted for p in corpus.paths()) or not os.path.isfile(index_path):
            return
        path, first = index_path, 1
        try:
            document = Document.from_bytes(read_source(index_path), index_path)
        except OSError as err:
            yield path, 1, 1, f"cannot read the index file: {err.strerror}"
            return
        except DocumentError as err:
            yield path, err.line, err.column, err.message
            return
    from pepctl.index import IndexFormatError, IndexTable, expected_rows, rewrite, row_number, unreadable  # not for one file

    table = IndexTable(document)
    parsed = [r for r in ctx.records(full=True) if r.parsed]
    rows = expected_rows(parsed, index_path)
    if table.problem is not None:
        yield path, table.problem[1], 1, table.problem[0]
        return
    if not table.found:
        where = "the '## Index' section has no table" if table.heading is not None else "there is no '## Index' section"
        yield path, table.line if table.heading is not None else first, 1, f"{where}; run `pepctl index` to write it"
        return
    try:  # exactly what `pepctl index` would do, so the two never disagree
        result = rewrite(document, rows, unreadable(corpus, parsed), index_path)
    except IndexFormatError as err:
        yield path, err.line, 1, err.message
        return
    if result.text is None:
        return
    kept = {k.number for k in result.kept}  # rows of files that cannot be read stay as they are
    have = {_row_key(r): r for r in table.rows if row_number(r) not in kept}
    want = {_row_key(r): r for r in rows}
    parts = []
    missing = [k for k in want if k not in have]
    extra = [k for k in have if k not in want]
    changed = [k for k in want if k in have and have[k] != want[k]]
    for label, keys in (("missing", missing), ("not PEPs in the folder", extra), ("out of date", changed)):
        if keys:
            sample = ", ".join(_row_label(k) for k in keys[:3]) + (", ..." if len(keys) > 3 else "")
            parts.append(f"{len(keys)} {'row' if len(keys) == 1 else 'rows'} {label} ({sample})")
    if not parts:
        parts.append("rows out of order")
    yield path, table.line, 1, f"the Index table is out of date: {'; '.join(parts)}; run `pepctl index` to rewrite it"
