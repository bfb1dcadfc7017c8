"""Small helpers around the ``git`` binary.

Every git call goes through ``run_git``, which turns a missing binary or a
failed command into a GitError naming the command and quoting git's own
message. GitError is a ConfigError, so the command line reports it and exits
with status 2 instead of printing a traceback.

Imported only by the commands that need git; nothing here runs at import time.
"""

from __future__ import annotations

import os
import subprocess

from pepctl.config import ConfigError
from pepctl.corpus import is_pep_name


class GitError(ConfigError):
    """git is missing, or a git command failed."""

    def __init__(self, message: str, command: list[str] | None = None, stderr: str = ""):
        super().__init__(message)
        self.command = command or []
        self.stderr = stderr


class RepoInfo:
    """Where a folder's repository is and what state it is in."""

    __slots__ = ("root", "git_dir", "common_dir", "shallow", "head")

    def __init__(self, root: str, git_dir: str, common_dir: str, shallow: bool, head: str | None):
        self.root = root  # the work tree's top folder, as git spells it
        self.git_dir = git_dir  # absolute
        self.common_dir = common_dir  # absolute; differs from git_dir in a linked worktree
        self.shallow = shallow
        self.head = head  # the commit HEAD points at, or None before the first commit

    def shallow_commits(self) -> set[str]:
        """The commits whose parents a shallow clone left out."""
        try:
            with open(os.path.join(self.common_dir, "shallow"), encoding="ascii", errors="replace") as handle:
                return {line.strip() for line in handle if line.strip()}
        except OSError:
            return set()


def _environment() -> dict:
    env = dict(os.environ)
    # read-only commands such as `git diff` must not take index.lock and get in
    # the way of a git command the user runs at the same time
    env["GIT_OPTIONAL_LOCKS"] = "0"
    return env


def run_git(args: list[str], cwd: str, ok: tuple[int, ...] = (0,), input: bytes | None = None,
            timeout: float | None = None):
    """Run ``git ARGS`` in ``cwd``; a CompletedProcess with bytes stdout and text stderr.

    ``input`` is written to git's standard input. Raises GitError when git
    cannot be started, runs longer than ``timeout`` seconds, or exits with a
    status not in ``ok``.
    """
    command = ["git", *args]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, env=_environment(), input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GitError(f"`{' '.join(command)}` took longer than {timeout:g} s in {cwd}", command) from None
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); this command reads the git history", command) from None
    except NotADirectoryError:
        raise GitError(f"{cwd}: not a folder", command) from None
    except OSError as err:
        raise GitError(f"cannot run git: {err.strerror}", command) from None
    stderr = done.stderr.decode("utf-8", errors="replace").strip()
    if done.returncode not in ok:
        shown = " ".join(command)
        detail = f": {stderr}" if stderr else f" (exit status {done.returncode})"
        raise GitError(f"`{shown}` failed in {cwd}{detail}", command, stderr)
    done.stderr = stderr
    return done


def repo_info(path: str) -> RepoInfo:
    """The repository holding ``path`` (a folder), in one git call.

    Raises GitError with a plain message when ``path`` is not inside a work tree.
    """
    if not os.path.isdir(path):
        raise GitError(f"{path}: no such folder")
    args = ["rev-parse", "--show-toplevel", "--git-dir", "--git-common-dir", "--is-shallow-repository",
            "--verify", "--quiet", "HEAD"]
    try:
        done = run_git(args, path, ok=(0, 1))
    except GitError as err:
        if err.stderr and "not a git repository" in err.stderr:
            raise GitError(
                f"{path} is not inside a git repository; the PEP history is read from git "
                "(run `git init` and commit the PEP files, or point --dir at a clone)",
                err.command,
                err.stderr,
            ) from None
        raise
    lines = done.stdout.decode("utf-8", errors="surrogateescape").splitlines()
    if len(lines) < 4 or not lines[0]:
        raise GitError(f"{path} is not inside a git work tree (a bare repository has no files to read)", ["git", *args])
    root, git_dir, common_dir, shallow = lines[:4]
    head = lines[4].strip() if done.returncode == 0 and len(lines) > 4 else None
    return RepoInfo(
        root,
        os.path.normpath(os.path.join(path, git_dir)),
        os.path.normpath(os.path.join(path, common_dir)),
        shallow.strip() == "true",
        head,
    )


def is_shallow(repo: str) -> bool:
    """True when ``repo`` (any folder inside a work tree) is a shallow clone."""
    done = run_git(["rev-parse", "--is-shallow-repository"], repo)
    return done.stdout.strip() == b"true"


def resolve_commit(repo: str, ref: str) -> str:
    """The commit a ref names; ConfigError naming the ref when there is none."""
    if not ref or ref.startswith("-"):
        raise ConfigError(f"--changed-since {ref!r}: not a git ref (give a branch, tag or commit)")
    done = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], repo, ok=(0, 1))
    sha = done.stdout.decode("ascii", errors="replace").strip()
    if done.returncode != 0 or not sha:
        raise ConfigError(
            f"--changed-since {ref}: no such commit, branch or tag in this repository "
            "(in a shallow CI clone, fetch it first, e.g. `git fetch origin main`)"
        )
    return sha


def repo_relative(path: str, root: str) -> str:
    """``path`` relative to the repository root, with / separators ('' for the root)."""
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    if rel == os.curdir:
        return ""
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        raise ConfigError(f"{path} is outside the git repository at {root}")
    return rel.replace(os.sep, "/")


_repo_relative = repo_relative  # the earlier private name, still used by callers


class Changes:
    """How the PEP files changed between a commit and the working tree.

    Paths are real (symbolic links resolved) unless said otherwise. Only PEP
    files in scope count: ``PEP-*.md`` files directly inside the folders
    given (or what ``is_proposal`` takes for a proposal, by its path from the
    folder: another format's files), and files named directly.
    """

    def __init__(self, root: str, sha: str, targets: list[str], is_proposal=None):
        self.root = root
        self.sha = sha
        self.targets = [(t, os.path.realpath(t), os.path.isdir(t)) for t in targets]  # as given, real, is a folder
        self.is_proposal = is_proposal or (lambda rel: os.sep not in rel and is_pep_name(rel))
        self.added: set[str] = set()  # new since the commit: added, untracked, copied, or a rename's new name
        self.removed: dict[str, str] = {}  # gone since the commit (deleted, or a rename's old name) -> its path then
        self.modified: dict[str, str] = {}  # there then and now, changed -> its path then (repo-relative)

    def shown(self, real: str) -> str | None:
        """The path spelled like the folder or file given, or None when it is out of scope."""
        for target, target_real, is_dir in self.targets:
            if is_dir:
                rel = _inside(real, target_real)
                if rel is not None and self.is_proposal(rel):
                    return os.path.join(target, rel)
            elif real == target_real:
                return target
        return None

    def in_scope(self, real: str) -> bool:
        """True when a file (real path, existing or not) lies where this run looks."""
        return self.shown(real) is not None

    @property
    def files(self) -> list[str]:
        """The changed files there are to check, spelled like the targets, target by target."""
        changed = self.added | set(self.modified)
        found: list[str] = []
        seen: set[str] = set()
        for target, target_real, is_dir in self.targets:
            if is_dir:
                picks = [(os.path.join(target, rel), p) for p in changed
                         for rel in [_inside(p, target_real)] if rel is not None and self.is_proposal(rel)]
            else:
                picks = [(target, target_real)] if target_real in changed else []
            for shown, actual in sorted(picks):
                if actual not in seen and os.path.isfile(actual):
                    seen.add(actual)
                    found.append(shown)
        return found

    def contents_then(self, rel_paths) -> dict[str, bytes | None]:
        """Repo-relative path -> the file's bytes at the commit (None when git has none), in one git call."""
        rel_paths = list(dict.fromkeys(rel_paths))
        out: dict[str, bytes | None] = {r: None for r in rel_paths}
        asked = [r for r in rel_paths if "\n" not in r and "\r" not in r]
        if not asked:
            return out
        request = b"".join(f"{self.sha}:{r}\n".encode("utf-8", "surrogateescape") for r in asked)
        data = run_git(["cat-file", "--batch"], self.root, input=request).stdout
        pos = 0
        for rel in asked:
            end = data.find(b"\n", pos)
            if end == -1:
                break
            header = data[pos:end].split()
            pos = end + 1
            if len(header) == 3 and header[1] == b"blob" and header[2].isdigit():
                size = int(header[2])
                out[rel] = data[pos : pos + size]
                pos += size + 1  # the content is followed by a newline
            elif len(header) == 3 and header[2].isdigit():
                pos += int(header[2]) + 1  # a tree or other object: skip it
        return out


def _inside(real: str, folder: str) -> str | None:
    """The path of `real` from `folder` (its name when it lies directly there), or None when it is not inside."""
    if os.path.dirname(real) == folder:
        return os.path.basename(real)
    return os.path.relpath(real, folder) if real.startswith(folder.rstrip(os.sep) + os.sep) else None


def changes_since(pep_dir: str, ref: str, paths=(), is_proposal=None) -> Changes:
    """How the PEP files in ``pep_dir`` (or in ``paths``) changed between ``ref`` and the working tree.

    Counts committed, staged and unstaged changes and untracked files that are
    not ignored. Renames are told apart from edits, so that a check can look
    at what pointed at the old name.
    """
    info = repo_info(pep_dir)
    root = info.root
    sha = resolve_commit(root, ref)
    targets = list(paths) or [pep_dir]
    for target in targets:
        if not os.path.exists(target):
            raise ConfigError(f"{target}: no such file or folder")
    specs = [":(literal)" + (repo_relative(t, root) or ".") for t in targets]
    diff = run_git(["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--ignore-submodules", sha, "--", *specs], root)
    untracked = run_git(["ls-files", "-z", "--others", "--exclude-standard", "--", *specs], root)
    changes = Changes(root, sha, targets, is_proposal)

    def real(rel: bytes) -> str:
        return os.path.realpath(os.path.join(root, os.fsdecode(rel)))

    def text(rel: bytes) -> str:
        return os.fsdecode(rel).replace(os.sep, "/")

    items = diff.stdout.split(b"\0")
    i = 0
    while i < len(items) and items[i]:
        status = items[i][:1]
        if status in (b"R", b"C") and i + 2 < len(items):
            old, new = items[i + 1], items[i + 2]
            i += 3
            changes.added.add(real(new))
            if status == b"R":
                changes.removed[real(old)] = text(old)
            continue
        if i + 1 >= len(items):
            break
        path = items[i + 1]
        i += 2
        if status == b"A":
            changes.added.add(real(path))
        elif status == b"D":
            changes.removed[real(path)] = text(path)
        else:  # M, T, U: the same file, changed
            changes.modified[real(path)] = text(path)
    for item in untracked.stdout.split(b"\0"):
        if item:
            changes.added.add(real(item))
    changes.added = {p for p in changes.added if changes.in_scope(p)}
    changes.removed = {p: r for p, r in changes.removed.items() if changes.in_scope(p)}
    changes.modified = {p: r for p, r in changes.modified.items() if changes.in_scope(p)}
    return changes
