"""Lint rules: a registry of stable codes and the engine that runs them.

A file rule is a generator ``check(pep, ctx)`` yielding ``(line, message)`` or
``(line, column, message)``, run on every file that parsed; a raw rule is the
same but gets the corpus Entry (so it also sees files that did not parse).
Rules that look at a few other files ask ``ctx.corpus``, which parses a file
only when asked, so checking one file stays cheap. A corpus rule
``check(ctx, targets)`` yielding ``(path, line, column, message)`` runs once,
after the file rules, over ``ctx.records()``: one small PepSummary per PEP.
That split lets a large run check its files in several processes and still
judge what holds between files in one place. Register one with ``@rule(...)``; the
family modules at the bottom of this file are imported so that all register.
"""

from __future__ import annotations

import datetime
from pepctl.corpus import load_entry
import fnmatch
import os
from collections import namedtuple

from pepctl.config import ConfigError
from pepctl.model import PepSummary, number_from_filename, summary_of  # noqa: F401  (corpus rules read these)
from pepctl.policy import Policy

FILE = "file"
RAW = "raw"
CORPUS = "corpus"


Rule = namedtuple("Rule", "code name severity summary scope check formats", defaults=(None,))
Rule.__doc__ = ("A registered rule: stable code, short name, default severity, one-line summary, scope, check function, "
                "and the formats it is written for (None: a generic rule, run where the format's generic_rules name it).")


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, summary: str, severity: str = "error", scope: str = FILE, formats=None):
    """Register a check function under a stable code and a short name; `formats`: the names of the
    formats it is a convention of (None: a generic rule)."""

    def register(check):
        if code in REGISTRY:
            raise RuntimeError(f"rule code {code} registered twice")
        REGISTRY[code] = Rule(code, name, severity, summary, scope, check, tuple(formats) if formats else None)
        return check

    return register


class Diagnostic(namedtuple("Diagnostic", "path line column code name severity message")):
    """One finding: where (1-based line and column), which rule, how severe, what to do."""

    __slots__ = ()

    def sort_key(self):
        return (self.path, self.line, self.column, self.code)

    def to_json(self) -> dict:
        return self._asdict()

    def __repr__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


class Context:
    """What rules may look at besides the file in hand."""

    def __init__(self, corpus, policy: Policy, today=None):
        self.corpus = corpus
        self.policy = policy
        self.config = policy.config
        self._today = today
        self._template = False
        self.preset_records: list[PepSummary] | None = None  # set by a run split over processes
        self.cache: dict = {}  # what rules compute once per run (rules.header.memo)

    def records(self, full: bool = False) -> list[PepSummary]:
        """One record per PEP file of the folder.

        Files already parsed give their parsed number; the others count by the
        number in their file name, unless ``full`` asks to parse every file.
        """
        if self.preset_records is not None:
            return self.preset_records
        if full:
            return self.corpus.summaries(summary_of)
        out = []
        for path in self.corpus.paths():
            entry = self.corpus.cached(path)
            if entry is not None and entry.pep is not None:
                out.append(summary_of(entry.pep))
            else:
                out.append(PepSummary(path, number_from_filename(path), parsed=False))
        return out

    @property
    def today(self):
        if self._today is None:
            self._today = datetime.date.today()
        return self._today

    @property
    def template(self):
        """The template Document, or None when the folder has none."""
        if self._template is False and self.corpus is None:  # one PEP in memory (lint_pep without a folder)
            self._template = None
        if self._template is False:
            path = self.corpus.template_path
            entry = load_entry(path, self.corpus.format) if os.path.isfile(path) else None
            self._template = entry.pep.document if entry is not None and entry.pep is not None else None
        return self._template


def matches(rule_: Rule, patterns) -> bool:
    """A code, a code prefix (``H``, ``H01``) or a rule name selects a rule."""
    for pattern in patterns:
        pattern = pattern.strip()
        if not pattern:
            continue
        if rule_.code.startswith(pattern.upper()) or rule_.name == pattern.lower():
            return True
    return False


def unknown_patterns(patterns) -> list[str]:
    return [p for p in patterns if p.strip() and not any(matches(r, [p]) for r in REGISTRY.values())]


def unknown_codes_message(bad) -> str:
    return f"unknown rule code or name: {', '.join(bad)}; `pepctl rules` lists them"


def check_patterns(patterns, where: str = "") -> None:
    """ConfigError when a code, prefix or name selects no rule: a typo must not switch rules off."""
    bad = unknown_patterns(patterns)
    if bad:
        raise ConfigError(f"{where}{unknown_codes_message(bad)}")


def check_config_codes(config) -> None:
    """Every rule code, prefix or name the config file names selects a rule.

    Checked here, where the rules are registered, rather than when the file
    is read: reading the config must stay cheap for commands that lint nothing.
    """
    if config.source is None:
        return  # the defaults name no rules
    table = "[tool.pepctl] " if os.path.basename(config.source) == "pyproject.toml" else ""
    where = f"{config.source}: {table}"
    lists = [("'select'", config.select), ("'ignore'", config.ignore)]
    lists += [(f"'per-file-ignores' for {glob!r}", codes) for glob, codes in config.per_file_ignores.items()]
    for key, codes in lists:
        if any(not code.strip() for code in codes):  # select = [""] would select no rule: every check off
            raise ConfigError(f"{where}{key}: an empty entry names no rule; remove it, or give a code such as "
                              "'S001', a family such as 'S', or a rule name (`pepctl rules` lists them)")
    check_patterns(config.select, f"{where}'select': ")
    check_patterns(config.ignore, f"{where}'ignore': ")
    for key in config.severity:
        check_patterns([key], f"{where}'severity.{key}': ")
    for glob, codes in config.per_file_ignores.items():
        check_patterns(codes, f"{where}'per-file-ignores' for {glob!r}: ")


class Selection:
    """Which rules run, at which severity, with per-file exemptions."""

    def __init__(self, config, select=(), ignore=()):
        chosen = list(select) or list(config.select)
        dropped = list(config.ignore) + list(ignore)
        severity = {}
        for key, level in config.severity.items():
            for r in REGISTRY.values():
                if matches(r, [key]):
                    severity[r.code] = level
        self.rules = []
        applies = applicable(config)
        for r in sorted(REGISTRY.values(), key=lambda r: r.code):
            if not applies(r):
                continue
            if chosen and not matches(r, chosen):
                continue
            if matches(r, dropped) or severity.get(r.code) == "off":
                continue
            self.rules.append(r)
        self.severity = {r.code: severity.get(r.code, r.severity) for r in self.rules}
        self.per_file = list(config.per_file_ignores.items())

    def exempt(self, path: str, code: str) -> bool:
        name = os.path.basename(path)
        for pattern, codes in self.per_file:
            if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(path, pattern):
                if matches(REGISTRY[code], codes):  # as select/ignore: a blank entry exempts nothing
                    return True
        return False


def applicable(config):
    """Whether a rule makes sense for the format the config names: Plano runs the generic rules
    and its own; a dialect runs the generic rules its format lists, and the rules written for it."""
    name = getattr(config, "format", "") or "plano"
    if name == "plano":
        return lambda r: r.formats is None or "plano" in r.formats
    from pepctl import formats

    generic = formats.get(name).generic_rules
    return lambda r: (r.code in generic) if r.formats is None else name in r.formats


def run(ctx: Context, targets, selection: Selection, scopes=(RAW, FILE, CORPUS), progress=None) -> list[Diagnostic]:
    """Run the selected rules of the given scopes on the target entries; `progress(label, done,
    total)`, when given, is called after each file."""
    out: list[Diagnostic] = []

    def emit(r: Rule, path, line, column, message):
        if selection.exempt(path, r.code):
            return
        out.append(Diagnostic(path, max(1, line), max(1, column), r.code, r.name, selection.severity[r.code], message))

    raw_rules = [r for r in selection.rules if r.scope == RAW and RAW in scopes]
    file_rules = [r for r in selection.rules if r.scope == FILE and FILE in scopes]
    for done, entry in enumerate(targets if raw_rules or file_rules else (), 1):
        for r in raw_rules if entry.pep is None else raw_rules + file_rules:
            subject = entry if r.scope == RAW else entry.pep
            for item in r.check(subject, ctx):
                if len(item) == 2:
                    emit(r, entry.path, item[0], 1, item[1])
                else:
                    emit(r, entry.path, *item)
        if progress is not None:
            progress("checking", done, len(targets))
    if CORPUS in scopes:
        for r in selection.rules:
            if r.scope == CORPUS:
                for path, line, column, message in r.check(ctx, targets):
                    emit(r, path, line, column, message)
    out.sort(key=Diagnostic.sort_key)
    return out


# Register every family. Each module holds one family of rules.
from pepctl.rules import files, header, sections, lifecycle, crossfile  # noqa: E402,F401
from pepctl.rules import python_pep, eip  # noqa: E402,F401  (the dialects' conventions)
