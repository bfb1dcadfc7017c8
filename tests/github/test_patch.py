"""Rebuilding head files from the patches of the file listing (pepctl.github.patch)."""

from __future__ import annotations

import pytest

from fakegithub import blob_sha, make_patch

from pepctl.github.patch import apply_patch
from pepctl.github.patch import blob_sha as pepctl_blob_sha


BASE = "".join(f"line {i}\n" for i in range(1, 40))


@pytest.mark.parametrize(
    "old, new",
    [
        ("", "# PEP-0042: X\n\nbody\n"),  # an added file
        ("", "no newline at the end"),
        (BASE, BASE.replace("line 5\n", "line five\n").replace("line 30\n", "")),  # two hunks
        (BASE, BASE + "tail without newline"),
        (BASE + "tail", BASE + "tail\n"),
        ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"),  # CRLF kept
        ("x\n", ""),
        ("ünïcode\n", "ünïcode ✓\n"),
    ],
)
def test_apply_patch_rebuilds_the_exact_bytes(old, new):
    patch = make_patch(old.encode(), new.encode())
    assert apply_patch(old.encode(), patch) == new.encode()


def test_apply_patch_refuses_a_patch_that_does_not_fit():
    patch = make_patch(b"a\nb\nc\n", b"a\nB\nc\n")
    assert apply_patch(b"a\nX\nc\n", patch) is None
    assert apply_patch(b"", "not a patch") is None


def test_blob_sha_is_gits():
    assert blob_sha(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_pepctls_blob_sha_agrees_with_git():
    assert pepctl_blob_sha(b"") == blob_sha(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    assert pepctl_blob_sha(b"# PEP-0042\n") == blob_sha(b"# PEP-0042\n")
