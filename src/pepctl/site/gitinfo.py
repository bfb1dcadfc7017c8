"""What the site takes from git: status timelines, each file's last commit, where the repository is.

The timelines are the ones `pepctl history` reads (one `git log -p` pass);
the last commits come from one `git log --name-only` pass. Both depend only
on the commit checked out, so a build reuses the last build's while HEAD
stays the same (the `git log -p` over a long history is the slow part of a
rebuild).
"""

from __future__ import annotations

import dataclasses
import os
from typing import NamedTuple

from pepctl import gitutil
from pepctl.config import Config, ConfigError
from pepctl.fsutil import git_root
from pepctl.history import Change, History, read_history


class GitInfo(NamedTuple):
    history: History | None  # None outside git (or when git cannot read the repository)
    last_changes: dict[str, dict]  # file name -> {'date', 'commit'}
    cache: dict | None  # what the next build may reuse (build cache)
    warnings: list[str]


def read_git(pep_dir: str, config: Config, is_pep_file, cached: dict | None = None) -> GitInfo:
    """The timelines and last commits of the PEP folder's files; `cached`: the last build's."""
    try:
        info = gitutil.repo_info(pep_dir)
        key = [info.head, info.shallow, pep_dir, os.path.realpath(pep_dir), config.template, list(config.exclude)]
        if info.head is not None and cached and cached.get("key") == key:
            history = History([Change(*c) for c in cached["changes"]], cached["warning"], cached["root"])
            last_changes = cached["last"]
        else:
            from pepctl import formats

            history = read_history(pep_dir, is_pep_file, formats.of(config))
            last_changes = last_commits(pep_dir)
    except Exception as err:  # not a repository, no git, an odd repository: no timelines
        # Silent only for a folder outside any repository: when a repository is there but git
        # cannot read it (git missing, "dubious ownership" in a CI container), say so.
        warnings = []
        if not isinstance(err, ConfigError) or git_root(pep_dir) is not None:
            warnings.append(f"git history not read, so the site has no status timelines: {err}")
        return GitInfo(None, {}, None, warnings)
    cache = {
        "key": key,
        "changes": [(c.number, c.path, c.date, c.commit, c.old, c.new) for c in history.changes],
        "warning": history.warning,
        "root": history.repo_root,
        "last": last_changes,
    }
    return GitInfo(history, last_changes, cache, [history.warning] if history.warning else [])


def last_commits(pep_dir: str) -> dict:
    """File name -> {'date', 'commit'} of the newest commit that touched it (first-parent history)."""
    info = gitutil.repo_info(pep_dir)
    if info.head is None:
        return {}
    folder = gitutil.repo_relative(pep_dir, info.root)
    spec = f"{folder}/" if folder else "."
    # -z: names come NUL-terminated and unquoted, whatever they hold (", \, tab, newline)
    done = gitutil.run_git(["log", "-z", "--first-parent", "--no-renames", "--format=\x1e%H\x1f%cI",
                            "--name-only", "--no-show-signature", "--", spec], info.root)
    found: dict = {}
    commit = date = ""
    for item in done.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        item = item.removeprefix("\n")  # git puts a newline between a commit's line and its names
        if item.startswith("\x1e"):
            commit, _, date = item[1:].partition("\x1f")
        elif item:
            directory, _, name = item.rpartition("/")
            if directory == folder and name not in found:
                found[name] = {"date": date, "commit": commit}
    return found


@dataclasses.dataclass(frozen=True)
class Repository:
    """Where the PEP folder lives on its forge, for source, edit, commit and issue links ('' when unknown)."""

    url: str = ""
    blob: str = ""  # the PEP folder in the file view
    raw: str = ""  # the PEP folder's raw files
    root_blob: str = ""  # the repository's root in the file view: what a link starting with "/" is relative to
    root_raw: str = ""
    edit: str = ""
    commit: str = ""
    issues: str = ""


def repository(config: Config, pep_dir: str, history: History | None) -> Repository:
    """The links of `repository-url` (and `repository-branch`); empty ones without it."""
    url = (getattr(config, "repository_url", "") or "").rstrip("/")
    if not url:
        return Repository()
    if url.endswith(".git"):
        url = url[:-4]
    branch = getattr(config, "repository_branch", "") or "main"
    folder = None
    root = history.repo_root if history is not None and history.repo_root else git_root(pep_dir)
    if root is not None:
        rel = os.path.relpath(os.path.realpath(pep_dir), os.path.realpath(root))
        folder = "" if rel == os.curdir else rel.replace(os.sep, "/")
    if folder is None:
        folder = (config.pep_dir or "docs/peps").strip("/")
    prefix = f"{folder}/" if folder else ""
    return Repository(
        url=url,
        blob=f"{url}/blob/{branch}/{prefix}",
        raw=f"{url}/raw/{branch}/{prefix}",
        root_blob=f"{url}/blob/{branch}/",
        root_raw=f"{url}/raw/{branch}/",
        edit=f"{url}/edit/{branch}/{prefix}",
        commit=f"{url}/commit/",
        issues=f"{url}/issues/",
    )
