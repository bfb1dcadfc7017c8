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
    return (await read_config_file(gh, repo, branch))[0]


async def read_config_file(gh, repo: str, branch: str) -> tuple[Config, str | None]:
    """(the configuration on ``branch``, the repository path of the file it came from, or None)."""
    for name in FILES:
        data = await fetch_at(gh, repo, name, branch, None)
        if data is None:
            continue
        with tempfile.TemporaryDirectory(prefix="pepctl-bot-") as folder:
            path = os.path.join(folder, name)
            with open(path, "wb") as handle:
                handle.write(data)
            if name == "pyproject.toml" and not has_tool_table(path):
                return Config(), None
            try:
                return load_config(path), name
            except ConfigError as err:
                raise ConfigError(str(err).replace(path, f"{repo}:{name}@{branch}")) from None
    return Config(), None


async def repo_policy(gh, repo: str, branch: str) -> tuple[Policy, PepFolder]:
    """The policy, and the PEP folder knowing where the configuration lives (so that a pull request
    changing it is decided as one, as the gate does from a checkout)."""
    config, path = await read_config_file(gh, repo, branch)
    folder = PepFolder.from_config(config)
    folder.config_path = path
    return Policy(config), folder
