"""Fixtures of the GitHub adapter's tests."""

from __future__ import annotations

import pytest

from fakegithub import pep_text
from githubhelpers import git_at, land


@pytest.fixture
def base_repo(tmp_path):
    """A base branch whose PEP-0042 was a Draft, then Under Review (11:00 at +02:00), then edited."""
    root = tmp_path / "repo"
    root.mkdir()
    git_at(root, "2026-03-01T00:00:00Z", "init", "-q", "-b", "main")
    path = "docs/peps/PEP-0042-a.md"
    land(root, path, pep_text(42, "Draft"), "2026-03-01T10:00:00+00:00")
    land(root, path, pep_text(42, "Under Review"), "2026-03-05T11:00:00+02:00")
    land(root, path, pep_text(42, "Under Review", sections=[("Design", "LRU.")]), "2026-03-09T10:00:00Z")
    return root
