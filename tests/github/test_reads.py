"""What the adapter reads from GitHub (pepctl.github.reads)."""

from __future__ import annotations

import pytest

pytest.importorskip("gidgethub")

from pepctl.github.folder import PepFolder
from pepctl.github.reads import new_numbers


def test_new_numbers_counts_added_and_renumbered_files():
    folder = PepFolder("docs/peps")
    files = [
        {"filename": "docs/peps/PEP-0042-a.md", "status": "added"},
        {"filename": "docs/peps/PEP-0043-b.md", "status": "modified"},
        {"filename": "docs/peps/PEP-0044-c.md", "status": "renamed", "previous_filename": "docs/peps/PEP-0040-c.md"},
        {"filename": "docs/peps/PEP-0045-d.md", "status": "renamed", "previous_filename": "docs/peps/PEP-0045-x.md"},
        {"filename": "docs/peps/PEP-0046-e.md", "status": "renamed", "previous_filename": "drafts/PEP-0046-e.md"},
        {"filename": "src/PEP-0047-f.md", "status": "added"},
    ]
    assert new_numbers(files, folder) == {42, 44, 46}
