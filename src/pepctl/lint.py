"""`pepctl check` without the command line: pick the files, run the rules.

A run over a whole folder of many PEPs is split across processes (fork, one
per CPU): each parses and checks its share of the files with the file rules
and sends back its diagnostics and one small record per PEP; the corpus
rules (duplicate numbers, the index) then run once over all records. The
result is the same as a run in one process, which `PEPCTL_JOBS=1` forces.
"""

from __future__ import annotations

import os

from pepctl import fanout, rules
from pepctl.config import ConfigError
from pepctl.corpus import Corpus, Entry, load_entry
from pepctl.document import Document, DocumentError
from pepctl.fsutil import read_source
from pepctl.model import Pep, number_from_filename, pep_refs
from pepctl.policy import Policy


def resolve_targets(corpus: Corpus, paths: list[str] | None, progress=None) -> list[Entry]:
    """Entries to check: the whole folder, or the named files and folders.

    Files are taken as PEPs when they are named explicitly, except the
    template; folders contribute their PEP-*.md files. `progress(label, done,
    total)` is called as the folder's files are read.
    """
    if not paths:
        all_paths = corpus.paths()
        for done, path in enumerate(all_paths, 1):
            corpus.entry(path)
            if progress is not None:
                progress("reading", done, len(all_paths))
        return corpus.entries
    template = os.path.normpath(corpus.template_path)
    # one folder per proposal (KEP): every proposal file has the template's name, so only its path tells
    nested = getattr(corpus.format, "nested", False)
    template_name = None if nested else os.path.basename(corpus.config.template)
    targets: list[Entry] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path) and nested:  # the proposals in it, at any depth
            found = corpus.format.list_paths(path)
            if not found:  # a typo must not pass as a clean check
                raise ConfigError(f"{path}: no proposals here; looked for {corpus.looked_for()}")
        elif os.path.isdir(path) and not corpus.contains(path):  # a folder named as a PEP file: F001, as in the whole folder
            found = [os.path.join(path, n) for n in sorted(os.listdir(path)) if corpus.is_pep_file(n)]
            if not found:  # a typo must not pass as a clean check
                raise ConfigError(f"{path}: no PEP files here; looked for {corpus.looked_for()}")
        elif os.path.exists(path):
            found = [path]
        else:
            raise ConfigError(f"{path}: no such file or folder")
        for item in found:
            key = os.path.normpath(item)
            if key in seen or os.path.abspath(key) == os.path.abspath(template) or os.path.basename(key) == template_name:
                continue
            seen.add(key)
            targets.append(corpus.entry(item) if corpus.contains(item) else load_entry(item, corpus.format))
    return targets


def check_codes(config, select=(), ignore=()) -> None:
    """ConfigError when --select/--ignore or the config file names a rule that does not exist."""
    rules.check_patterns(list(select) + list(ignore))
    rules.check_config_codes(config)


def lint(corpus: Corpus, policy: Policy, paths=None, select=(), ignore=(), today=None, progress=None):
    """Diagnostics for the named paths (default: every PEP of the corpus).

    `progress(label, done, total)`, when given, is called as files are read and checked.
    """
    check_codes(policy.config, select, ignore)
    selection = rules.Selection(policy.config, select, ignore)
    ctx = rules.Context(corpus, policy, today)
    if not paths:
        count = fanout.default_jobs()
        if count > 1 and len(corpus.paths()) >= fanout.MIN_ITEMS:
            return _lint_split(ctx, selection, count, progress)
    targets = resolve_targets(corpus, paths, progress)
    return rules.run(ctx, targets, selection, progress=progress)


def lint_pep(policy: Policy, pep, *, corpus: Corpus | None = None, today=None, select=(), ignore=(),
             errors_only: bool = False) -> list:
    """The per-file rules (as `check` runs them on a file) on one PEP held in memory.

    Nothing is read from the PEP folder except through `corpus` (the template, for the
    rules that compare with it); without one those rules stay quiet. `status`, `new` and
    the review engine judge edited PEPs with this before anything is written.
    """
    rules.check_config_codes(policy.config)  # a misspelt code must not quietly switch rules off
    entry = Entry(pep.path, pep, None, len(pep.document.to_bytes()))
    selection = rules.Selection(policy.config, select=list(select), ignore=list(ignore))
    ctx = rules.Context(corpus, policy, today)
    found = rules.run(ctx, [entry], selection, (rules.RAW, rules.FILE))
    return [d for d in found if d.severity == "error"] if errors_only else found


# -- check --changed-since ----------------------------------------------------------


def _proposal_test(corpus: Corpus):
    """Whether a path from the PEP folder is a proposal of its format (None: Plano's PEP-*.md files)."""
    fmt = corpus.format
    if not hasattr(fmt, "lifecycle"):
        return None
    if getattr(fmt, "nested", False):  # one folder per proposal, at any depth: sig/NNNN-name/kep.yaml
        return lambda rel: fmt.is_proposal(os.path.basename(rel)) and fmt.number_from_name(rel) is not None
    return lambda rel: os.sep not in rel and corpus.is_pep_file(rel)


def changed_targets(corpus: Corpus, ref: str, paths=()) -> list[str]:
    """What `check --changed-since REF` looks at: the changed PEP files, and the
    files a change can break without being touched itself.

    Those are the index, when a PEP came, went, or changed its index row
    (number, title, status, authors); PEPs that link to a file that is gone
    (deleted or renamed); PEPs whose Supersedes/Superseded-By names a number
    that is gone, or that a changed PEP named or stopped naming there. Other
    untouched files are left alone, old problems and all.
    """
    from pepctl.gitutil import (
        changes_since,  # git and subprocess: only for --changed-since, off the pre-commit path
    )

    changes = changes_since(corpus.folder, ref, paths, _proposal_test(corpus))
    targets = changes.files
    chosen = {os.path.realpath(t) for t in targets}
    extra: list[str] = []

    def add(path: str) -> None:
        real = os.path.realpath(path)
        if real not in chosen and changes.in_scope(real) and os.path.isfile(real):
            chosen.add(real)
            extra.append(path)

    before = changes.contents_then(list(changes.modified.values()) + list(changes.removed.values()))
    by_real = {os.path.realpath(p): p for p in corpus.paths()}
    row_changed = bool(changes.added or changes.removed)
    gone_numbers: set[int] = set()
    partners: set[int] = set()
    for real, rel in changes.modified.items():
        then = _facts_of_bytes(before.get(rel), rel, corpus.format)
        path = by_real.get(real)
        now = _facts(corpus.entry(path).pep) if path is not None else None
        if then is None or now is None:
            row_changed = True  # cannot tell: look
            continue
        (row_then, refs_then), (row_now, refs_now) = then, now
        if row_then != row_now:
            row_changed = True
            if row_then[0] != row_now[0] and row_then[0] is not None:
                gone_numbers.add(row_then[0])
        for was, is_ in zip(refs_then, refs_now):  # Supersedes, Superseded-By
            partners |= was ^ is_  # the PEPs named or no longer named there may now disagree
    for rel in changes.removed.values():
        then = _facts_of_bytes(before.get(rel), rel, corpus.format)
        number = then[0][0] if then is not None else number_from_filename(rel)
        if number is not None:
            gone_numbers.add(number)
    if gone_numbers:  # a number still in use (a rename keeps it) is not gone
        gone_numbers -= {number_from_filename(p) for p in corpus.paths()}

    if row_changed and corpus.index_path is not None:
        add(corpus.index_path)
    if partners:
        for path in corpus.paths():
            if number_from_filename(path) in partners:
                add(path)
    if changes.removed or gone_numbers:
        for path in _referrers(corpus, set(changes.removed), gone_numbers, chosen):
            add(path)
    return targets + sorted(extra)


def _facts(pep):
    """(index row, (numbers in Supersedes, numbers in Superseded-By)) of a parsed PEP, or None."""
    if pep is None:
        return None
    refs = []
    for key in ("supersedes", "superseded-by"):
        field = pep.document.fields.get(key)
        refs.append(frozenset(pep_refs(field.value)) if field is not None else frozenset())
    return (pep.number, pep.title, pep.status, pep.authors_text), tuple(refs)


def _facts_of_bytes(data: bytes | None, path: str, header_format=None):
    if data is None:
        return None
    try:
        return _facts(Pep(Document.from_bytes(data, path, header_format), path))
    except DocumentError:
        return None


def _referrers(corpus: Corpus, gone_files: set[str], gone_numbers: set[int], skip: set[str]) -> list[str]:
    """PEP files that link to a gone file, or name a gone number in Supersedes/Superseded-By.

    Each file's bytes are searched first; only the few that mention a gone
    name (or a supersede field) are parsed to be sure.
    """
    from urllib.parse import (  # only when files were removed: off the pre-commit path
        quote,
        unquote,
    )

    from pepctl.rules.crossfile import pep_links

    needles = set()
    for gone in gone_files:
        name = os.path.basename(gone)
        needles.add(name.encode("utf-8", "surrogateescape"))
        needles.add(quote(name).encode("ascii"))
    found = []
    for path in corpus.paths():
        real = os.path.realpath(path)
        if real in skip:
            continue
        try:
            data = read_source(path)  # never a pipe, a device or a link out of the folder (git keeps links)
        except OSError:
            continue
        links = any(n in data for n in needles)
        supersede = bool(gone_numbers) and b"supersede" in data.lower()
        if not links and not supersede:
            continue
        pep = corpus.entry(path).pep
        if pep is None:
            continue
        if links:
            folder = os.path.dirname(path)
            targets = (os.path.realpath(os.path.join(folder, unquote(t))) for _, _, t in pep_links(pep.document.text))
            if any(t in gone_files for t in targets):
                found.append(path)
                continue
        if supersede and any(refs & gone_numbers for refs in _facts(pep)[1]):
            found.append(path)
    return found


def _check_share(ctx, selection, paths, progress=None, scale=1):
    """File rules on some of the folder's files: (diagnostics, records).

    `progress` counts this share's files times `scale` (the number of shares), as an estimate
    of the whole run's.
    """
    corpus = ctx.corpus
    entries = []
    total = len(corpus.paths())
    for path in paths:
        entries.append(corpus.entry(path))
        if progress is not None:
            progress("checking", min(total, len(entries) * scale), total)
    diagnostics = rules.run(ctx, entries, selection, scopes=(rules.RAW, rules.FILE))
    records = [rules.summary_of(e.pep) for e in entries if e.pep is not None]
    return diagnostics, records


def _lint_split(ctx, selection, count: int, progress=None):
    paths = ctx.corpus.paths()
    parts = fanout.shares(paths, count)
    parent = os.getpid()

    def check(part):
        shown = progress if os.getpid() == parent else None  # only this process reports progress
        return _check_share(ctx, selection, part, shown, count)

    diagnostics, records = [], []
    for more, more_records in fanout.run_shares(check, parts):
        diagnostics.extend(more)
        records.extend(more_records)
    parsed = {os.path.normpath(r.path): r for r in records}
    ctx.preset_records = [
        parsed.get(os.path.normpath(p)) or rules.PepSummary(p, number_from_filename(p), parsed=False) for p in paths
    ]
    diagnostics.extend(rules.run(ctx, [_Target(p) for p in paths], selection, scopes=(rules.CORPUS,)))
    diagnostics.sort(key=rules.Diagnostic.sort_key)
    return diagnostics


class _Target:
    """A target file known by path only (its parse happened in another process)."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path
