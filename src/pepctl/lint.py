"""`pepctl check` without the command line: pick the files, run the rules.

A run over a whole folder of many PEPs is split across processes (fork, one
per CPU): each parses and checks its share of the files with the file rules
and sends back its diagnostics and one small record per PEP; the corpus
rules (duplicate numbers, the index) then run once over all records. The
result is the same as a run in one process, which `PEPCTL_JOBS=1` forces.
"""

from __future__ import annotations

import os

from pepctl.config import ConfigError
from pepctl.corpus import Corpus, Entry, load_entry
from pepctl.policy import Policy



def resolve_targets(corpus: Corpus, paths: list[str] | None) -> list[Entry]:
    """Entries to check: the whole folder, or the named files and folders.

    Files are taken as PEPs when they are named explicitly, except the
    template; folders contribute their PEP-*.md files.
    """
    if not paths:
        from pepctl.progress import Progress

        all_paths = corpus.paths()
        with Progress("reading", len(all_paths)) as progress:
            for path in all_paths:
                corpus.entry(path)
                progress.step()
        return corpus.entries
    template = os.path.normpath(corpus.template_path)
    targets: list[Entry] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = [os.path.join(path, n) for n in sorted(os.listdir(path)) if corpus.is_pep_file(n)]
        elif os.path.exists(path):
            found = [path]
        else:
            raise ConfigError(f"{path}: no such file or folder")
        for item in found:
            key = os.path.normpath(item)
            if key in seen or key == template or os.path.basename(key) == os.path.basename(corpus.config.template):
                continue
            seen.add(key)
            targets.append(corpus.entry(item) if corpus.contains(item) else load_entry(item))
    return targets


def check_codes(config, select=(), ignore=()) -> None:
    """ConfigError when --select/--ignore or the config file names a rule that does not exist."""
    from pepctl import rules

    rules.check_patterns(list(select) + list(ignore))
    rules.check_config_codes(config)


def lint(corpus: Corpus, policy: Policy, paths=None, select=(), ignore=(), today=None):
    """Diagnostics for the named paths (default: every PEP of the corpus)."""
    from pepctl import rules

    check_codes(policy.config, select, ignore)
    selection = rules.Selection(policy.config, select, ignore)
    ctx = rules.Context(corpus, policy, today)
    if not paths:
        from pepctl import fanout

        count = fanout.default_jobs()
        if count > 1 and len(corpus.paths()) >= fanout.MIN_ITEMS:
            return _lint_split(ctx, selection, count)
    targets = resolve_targets(corpus, paths)
    return rules.run(ctx, targets, selection)


def _check_share(ctx, selection, paths, progress_step=0):
    """File rules on some of the folder's files: (diagnostics, records)."""
    from pepctl import rules
    from pepctl.progress import Progress

    corpus = ctx.corpus
    entries = []
    with Progress("checking", len(corpus.paths()) if progress_step else 0) as bar:
        for path in paths:
            entries.append(corpus.entry(path))
            bar.step(progress_step)
    diagnostics = rules.run(ctx, entries, selection, scopes=(rules.RAW, rules.FILE), progress=False)
    records = [rules.record_of(e.pep) for e in entries if e.pep is not None]
    return diagnostics, records


def _lint_split(ctx, selection, count: int):
    from pepctl import fanout, rules
    from pepctl.model import number_from_filename

    paths = ctx.corpus.paths()
    parts = fanout.shares(paths, count)
    parent = os.getpid()

    def check(part):
        step = count if os.getpid() == parent else 0  # only this process draws progress
        return _check_share(ctx, selection, part, step)

    diagnostics, records = [], []
    for more, more_records in fanout.run_shares(check, parts):
        diagnostics.extend(more)
        records.extend(more_records)
    parsed = {os.path.normpath(r.path): r for r in records}
    ctx.preset_records = [
        parsed.get(os.path.normpath(p)) or rules.PepRecord(p, number_from_filename(p), parsed=False) for p in paths
    ]
    diagnostics.extend(rules.run(ctx, [_Target(p) for p in paths], selection, scopes=(rules.CORPUS,), progress=False))
    diagnostics.sort(key=rules.Diagnostic.sort_key)
    return diagnostics


class _Target:
    """A target file known by path only (its parse happened in another process)."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path
