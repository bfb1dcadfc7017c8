"""Small helpers around the ``git`` binary.

Every git call goes through ``run_git``, which turns a missing binary or a
failed command into a GitError naming the command and quoting git's own
message. GitError is a ConfigError, so the command line reports it and exits
with status 2 instead of printing a traceback.

Imported only by the commands that need git; nothing here runs at import time.
"""

from __future__ import annotations

import os

from pepctl.config import ConfigError


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


def run_git(args: list[str], cwd: str, ok: tuple[int, ...] = (0,)):
    """Run ``git ARGS`` in ``cwd``; a CompletedProcess with bytes stdout and text stderr.

    Raises GitError when git cannot be started or exits with a status not in ``ok``.
    """
    import subprocess

    command = ["git", *args]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, env=_environment())
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


def is_pep_name(name: str) -> bool:
    return name.startswith("PEP-") and name.endswith(".md")


def changed_files(pep_dir: str, ref: str, paths=()) -> list[str]:
    """PEP files changed between ``ref`` and the working tree.

    Counts committed, staged and unstaged changes and untracked files that are
    not ignored; deleted files are left out (there is nothing to check). Only
    ``PEP-*.md`` files directly inside ``pep_dir`` count, or, when ``paths`` are
    given, files directly inside those folders and the named files themselves.
    Paths come back spelled like ``pep_dir``/``paths``, as the linter expects.
    """
    info = repo_info(pep_dir)
    root = info.root
    sha = resolve_commit(root, ref)
    targets = list(paths) or [pep_dir]
    for target in targets:
        if not os.path.exists(target):
            raise ConfigError(f"{target}: no such file or folder")
    specs = [":(literal)" + (repo_relative(t, root) or ".") for t in targets]
    diff = run_git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", "--no-ext-diff",
                    "--ignore-submodules", sha, "--", *specs], root)
    untracked = run_git(["ls-files", "-z", "--others", "--exclude-standard", "--", *specs], root)
    changed = set()
    for blob in (diff.stdout, untracked.stdout):
        for item in blob.split(b"\0"):
            if item:
                changed.add(os.path.realpath(os.path.join(root, os.fsdecode(item))))

    found: list[str] = []
    seen: set[str] = set()
    for target in targets:
        real = os.path.realpath(target)
        if os.path.isdir(target):
            picks = [(os.path.join(target, os.path.basename(p)), p)
                     for p in changed if os.path.dirname(p) == real and is_pep_name(os.path.basename(p))]
        else:
            picks = [(target, real)] if real in changed else []
        for shown, actual in sorted(picks):
            if actual not in seen and os.path.isfile(actual):
                seen.add(actual)
                found.append(shown)
    return found
