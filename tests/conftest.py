"""Shared fixtures: the real corpus, the seed files, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpora" / "plano-1k"
SEEDS = SHARED / "seeds"
DIALECTS = SHARED / "corpora" / "dialects"  # six real corpora in their own formats (README.md there)


def dialect_corpus(*parts: str) -> Path:
    """A folder of the dialect corpora beside this checkout; the test is skipped only when it is absent."""
    folder = DIALECTS.joinpath(*parts)
    if not folder.is_dir():
        pytest.skip(f"the dialect corpus {'/'.join(parts)} is not beside this checkout")
    return folder


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the plano-1k corpus is not beside this checkout")
    return CORPUS


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("the seed files are not beside this checkout")
    return SEEDS


def run_pepctl(*args: str, cwd: str | os.PathLike | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a child process, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pepctl", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def pepctl():
    return run_pepctl
