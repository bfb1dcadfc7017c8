"""Where the PEP files are: the PEP folder as a path inside the repository, and the local
checkout of the base branch, read as data to save API requests."""

from __future__ import annotations

import os
import re
import threading

from pepctl.config import ConfigError
from pepctl.corpus import is_pep_file, is_pep_name
from pepctl.fsutil import git_root
from pepctl.gitutil import GitError, run_git
from pepctl.history import read_history

GIT_TIMEOUT = 60  # seconds for one read from the local clone; a hung git must not hang the gate


class PepFolder:
    """The PEP folder as a path inside the repository, and which names in it are PEPs."""

    def __init__(self, path: str, template: str = "PEP-TEMPLATE.md", exclude=(), config_path: str | None = None):
        self.path = path.strip("/").replace(os.sep, "/")
        if self.path == ".":
            self.path = ""
        self.template = os.path.basename(template)
        self.exclude = list(exclude)
        # the repository path of the file the policy was read from (pepctl.toml or pyproject.toml),
        # when known: a pull request that changes it changes the process (R018)
        self.config_path = config_path

    @classmethod
    def from_config(cls, config, pep_dir: str | None = None, root: str | None = None) -> PepFolder:
        """The folder from a local checkout (repository-relative), else the config, else docs/peps."""
        path = "docs/peps"
        if pep_dir is not None and root is not None:
            path = _inside(pep_dir, root) or path
        elif config.pep_dir:
            path = config.pep_dir
        return cls(path, config.template, config.exclude, _inside(getattr(config, "source", None), root))

    def holds(self, path: str | None) -> bool:
        """True when ``path`` (repository-relative) is a PEP file of this folder."""
        if not path:
            return False
        folder, _, name = path.rpartition("/")
        return folder == self.path and is_pep_file(name, self.template, self.exclude)


def _inside(path: str | None, root: str | None) -> str | None:
    """``path`` relative to the repository ``root`` ('/'-separated), or None when either is unknown
    or the file is outside the repository."""
    if not path or not root:
        return None
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


class LocalRepo:
    """A local git checkout (the base branch), used to save API requests.

    Only object reads: ``git cat-file`` (through ``pepctl.gitutil.run_git``) and one
    ``git log`` pass (``pepctl.history``); nothing from the pull request is checked out,
    installed or run.
    """

    def __init__(self, root: str, pep_dir: str | None = None):
        self.root = root
        self.pep_dir = pep_dir
        self._history = None  # (History or None, error message or None), read once
        self._history_lock = threading.Lock()

    @classmethod
    def find(cls, pep_dir: str | None) -> LocalRepo | None:
        start = pep_dir if pep_dir and os.path.isdir(pep_dir) else os.getcwd()
        root = git_root(start)
        if root is None:
            return None
        return cls(root, pep_dir if pep_dir and os.path.isdir(pep_dir) else None)

    def has_commit(self, sha: str) -> bool:
        if not re.fullmatch(r"[0-9a-f]{40}", sha or ""):
            return False
        try:
            run_git(["cat-file", "-e", f"{sha}^{{commit}}"], self.root, timeout=GIT_TIMEOUT)
        except GitError:
            return False
        return True

    def show(self, sha: str, path: str) -> bytes | None:
        """The bytes of ``path`` at ``sha``, or None when git does not have them."""
        try:
            return run_git(["cat-file", "blob", f"{sha}:{path}"], self.root, timeout=GIT_TIMEOUT).stdout
        except GitError:
            return None

    def history(self, folder: PepFolder):
        """Status timelines of the checked-out PEP folder: (History, None), or (None, why not).

        One ``git log`` pass, made once however many pull requests ask.
        """
        with self._history_lock:
            if self._history is None:
                self._history = self._read_history(folder)
            return self._history

    def _read_history(self, folder: PepFolder):
        if self.pep_dir is None:
            return None, "the PEP folder is not in the local checkout"
        prefix = folder.path + "/" if folder.path else ""
        try:
            return read_history(self.pep_dir, lambda name: folder.holds(prefix + name)), None
        except (ConfigError, OSError) as err:  # GitError is a ConfigError
            return None, str(err)

    def pep_names(self) -> list[str] | None:
        """PEP file names in the checked-out PEP folder (the base branch in CI)."""
        if self.pep_dir is None:
            return None
        try:
            return sorted(n for n in os.listdir(self.pep_dir) if is_pep_name(n))
        except OSError:
            return None
