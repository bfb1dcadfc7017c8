"""`pepctl check` without the command line: pick the files, run the rules."""

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


def lint(corpus: Corpus, policy: Policy, paths=None, select=(), ignore=(), today=None):
    """Diagnostics for the named paths (default: every PEP of the corpus)."""
    from pepctl import rules

    bad = rules.unknown_patterns(list(select) + list(ignore))
    if bad:
        raise ConfigError(f"unknown rule code or name: {', '.join(bad)}; `pepctl rules` lists them")
    selection = rules.Selection(policy.config, select, ignore)
    targets = resolve_targets(corpus, paths)
    ctx = rules.Context(corpus, policy, today)
    return rules.run(ctx, targets, selection)
