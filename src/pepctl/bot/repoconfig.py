"""A repository's process: its ``pepctl.toml`` (or ``pyproject.toml``'s ``[tool.pepctl]``) on the
default branch, read through the Contents API and parsed by ``pepctl.config`` itself.

The base branch's configuration counts, never the pull request's: a pull request cannot make
its author a maintainer by editing ``pepctl.toml``.
"""

from __future__ import annotations

import os
import tempfile

from pepctl.config import Config, ConfigError, has_tool_table, load_config
from pepctl.github.folder import PepFolder
from pepctl.github.reads import fetch_at
from pepctl.policy import Policy

FILES = ("pepctl.toml", "pyproject.toml")


async def read_config(gh, repo: str, branch: str) -> Config:
    """The configuration on ``branch``: pepctl.toml, else pyproject.toml with [tool.pepctl], else
    the defaults. ConfigError (message naming the file and branch) when it is invalid."""
    for name in FILES:
        data = await fetch_at(gh, repo, name, branch, None)
        if data is None:
            continue
        with tempfile.TemporaryDirectory(prefix="pepctl-bot-") as folder:
            path = os.path.join(folder, name)
            with open(path, "wb") as handle:
                handle.write(data)
            if name == "pyproject.toml" and not has_tool_table(path):
                return Config()
            try:
                return load_config(path)
            except ConfigError as err:
                raise ConfigError(str(err).replace(path, f"{repo}:{name}@{branch}")) from None
    return Config()


async def repo_policy(gh, repo: str, branch: str) -> tuple[Policy, PepFolder]:
    config = await read_config(gh, repo, branch)
    return Policy(config), PepFolder.from_config(config)
