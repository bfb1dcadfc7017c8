"""What every command needs: config, policy, PEP folder; and the shared check run.

Nothing here imports click, so the fast path can use it too.
"""

from __future__ import annotations

import os
import sys

from pepctl.config import ConfigError, load_config
from pepctl.corpus import Corpus, find_pep_dir
from pepctl.errors import PepctlError, UsageError
from pepctl.policy import Policy


def _not_a_config_file(path: str) -> str:
    """What is wrong with a --config that names no regular file, and what to name instead."""
    if not os.path.isdir(path):
        what = "not a regular file" if os.path.exists(path) else "no such file"
        return f"--config {path}: {what}; name a pepctl.toml (or a pyproject.toml with [tool.pepctl])"
    inside = [os.path.join(path, n) for n in ("pepctl.toml", "pyproject.toml") if os.path.isfile(os.path.join(path, n))]
    hint = f"--config {inside[0]}" if inside else "the pepctl.toml (or pyproject.toml) file itself"
    return f"--config {path} is a folder, not a config file; name {hint}"


class App:
    """Global options, with config, policy and corpus loaded on first use."""

    def __init__(self, pep_dir: str | None = None, config_path: str | None = None):
        self.pep_dir_option = pep_dir
        self.config_path = config_path
        self._file_config = None
        self._config = None
        self._policy = None
        self._corpus = None

    @property
    def file_config(self):
        """The configuration as the file says (or the defaults), before the format is known."""
        if self._file_config is None:
            if self.config_path is not None and not os.path.isfile(self.config_path):
                raise ConfigError(_not_a_config_file(self.config_path))
            start = self.pep_dir_option if self.pep_dir_option and os.path.isdir(self.pep_dir_option) else None
            # the PEP folder's own configuration first (found upward from --dir), then the current folder's
            config = load_config(self.config_path, start=start) if start else None
            if config is None or (config.source is None and self.config_path is None):
                config = load_config(self.config_path)
            for warning in config.warnings:
                sys.stderr.write(f"pepctl: warning: {warning}\n")
            self._file_config = config
        return self._file_config

    @property
    def config(self):
        """The configuration a run uses: the file's, with the proposals' format resolved (the
        'format' key, else detected from the PEP folder) and that format's defaults."""
        if self._config is None:
            from pepctl import formats

            raw = self.file_config
            try:
                folder = find_pep_dir(raw, self.pep_dir_option)
            except ConfigError:
                folder = None  # commands that need the folder say so themselves
            self._config = formats.configure(raw, folder)
        return self._config

    @property
    def policy(self):
        if self._policy is None:
            self._policy = Policy(self.config)
        return self._policy

    @property
    def pep_dir(self) -> str:
        return find_pep_dir(self.file_config, self.pep_dir_option)

    @property
    def corpus(self):
        if self._corpus is None:
            self._corpus = Corpus(self.pep_dir, self.config)
        return self._corpus

    def require_peps(self) -> None:
        """A usage error when the PEP folder holds no PEP file: a wrong --dir or exclude must not
        pass as a clean check or an empty list."""
        corpus = self.corpus
        if not corpus.paths():
            raise UsageError(f"{corpus.folder}: no PEP files here; looked for {corpus.looked_for()}. "
                             "Name the PEP folder with --dir PATH (or 'pep-dir' in pepctl.toml), or check 'exclude'.")


class _NoProgress:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def terminal_progress():
    """The progress line when stderr is a terminal, else nothing to draw (pre-commit and CI
    pipe stderr: they skip importing the progress module)."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return _NoProgress()
    from pepctl.cli.progress import TerminalProgress

    return TerminalProgress()


def report(err: PepctlError) -> int:
    """The one place a user's error becomes a message and an exit code: 2 for a UsageError
    (the command line, configuration or environment is wrong; nothing was tried), 1 for the
    rest (refused, or failed)."""
    sys.stderr.write(f"pepctl: error: {err}\n")
    return 2 if isinstance(err, UsageError) else 1


def run_check(app: App, paths, fmt="text", select=(), ignore=(), changed_since=None, out=None, *,
              strict=False, statistics=False, quiet=False) -> int:
    """The whole of `pepctl check`: 0 no errors (1 on warnings too with ``strict``), 1 errors; a
    usage or config error is raised."""
    # only `check` needs the rules: every other command (site, list, show...) starts ~5 ms sooner without them
    from pepctl.fanout import gc_paused
    from pepctl.lint import changed_targets, check_codes, lint
    from pepctl.report import render, statistics_table

    out = out or sys.stdout
    paths = list(paths)
    if changed_since is not None and not changed_since.strip():
        raise UsageError("--changed-since needs a git revision to compare with, e.g. --changed-since origin/main")
    if changed_since:
        paths = changed_targets(app.corpus, changed_since, paths)
        if not paths:
            check_codes(app.config, select, ignore)  # a typo must fail before the first PEP changes
            return 0
    if not paths:
        app.require_peps()
    with gc_paused(), (_NoProgress() if quiet else terminal_progress()) as progress:
        diagnostics = lint(app.corpus, app.policy, paths or None, select, ignore, progress=progress)
    out.write(render(diagnostics, fmt))
    if statistics and fmt == "text":
        out.write(statistics_table(diagnostics))
    errors = sum(d.severity == "error" for d in diagnostics)
    if fmt == "text" and not quiet and _isatty(out):
        sys.stderr.write(summary_line(diagnostics, len(paths) if paths else len(app.corpus.paths())))
    return 1 if errors or (strict and diagnostics) else 0


def summary_line(diagnostics, checked: int) -> str:
    """`3 problems (2 errors, 1 warning) in 2 of 40 files`, or `40 files checked: no problems`."""
    def count(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"

    if not diagnostics:
        return f"{count(checked, 'file')} checked: no problems\n"
    errors = sum(d.severity == "error" for d in diagnostics)
    files = len({d.path for d in diagnostics})
    return (f"{count(len(diagnostics), 'problem')} ({count(errors, 'error')}, {count(len(diagnostics) - errors, 'warning')}) "
            f"in {files} of {count(checked, 'file')}\n")


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def split_codes(values) -> list[str]:
    """`--select A,B --select C` -> [A, B, C]."""
    codes = []
    for value in values:
        codes.extend(part.strip() for part in value.split(",") if part.strip())
    return codes
