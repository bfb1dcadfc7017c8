"""Which format a folder is in: file names first, then the first lines of a few files."""

import pytest

from pepctl import formats
from pepctl.config import Config
from pepctl.errors import UsageError


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"PEP-0001-a.md": "# PEP-0001: A\n"}, "plano"),
        ({"pep-0001.rst": "PEP: 1\n"}, "python-pep"),
        ({"eip-1.md": "---\neip: 1\n---\n"}, "eip"),
        ({"0001-a.md": "# A\n\n* Proposal: [SE-0001](0001-a.md)\n* Status: **Accepted**\n"}, "swift"),
        ({"0001-a.md": "- Feature Name: a\n- Start Date: 2020-01-01\n\n# Summary\n"}, "rust-rfc"),
        ({"0001-a.md": "# Use X\n\n## Context and Problem Statement\n\nWhy.\n"}, "madr"),
        # MADR 2: `* Status:` bullets, as Swift's, but MADR's sections
        ({"0001-a.md": "# Use X\n\n* Status: accepted\n* Deciders: Ada\n\n## Context and Problem Statement\n\nWhy.\n"},
         "madr"),
        ({"0001-a.md": "---\nstatus: accepted\n---\n# Use X\n"}, "madr"),
        ({"notes.txt": "nothing\n"}, "plano"),
    ],
)
def test_detect(tmp_path, files, expected):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert formats.detect(str(tmp_path)) == expected


def test_detect_keps_one_folder_each(tmp_path):
    folder = tmp_path / "sig-x" / "42-thing"
    folder.mkdir(parents=True)
    (folder / "kep.yaml").write_text("title: Thing\nkep-number: 42\n")
    assert formats.detect(str(tmp_path)) == "kep"


def test_config_overrides_detection_and_brings_the_format_defaults(tmp_path):
    (tmp_path / "pep-0001.rst").write_text("PEP: 1\n")
    config = formats.configure(Config({"format": "eip"}), str(tmp_path))
    assert config.format == "eip" and "Last Call" in config.states
    detected = formats.configure(Config(), str(tmp_path))
    assert detected.format == "python-pep" and "Final" in detected.states


def test_the_config_file_wins_over_the_format_defaults(tmp_path):
    config = formats.configure(Config({"format": "eip", "states": ["Draft", "Final"]}), str(tmp_path))
    assert config.states == ["Draft", "Final"]


def test_an_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError, match="accepted values: plano, python-pep, eip"):
        formats.configure(Config({"format": "asciidoc"}), None)


def write_all(folder, files):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize("files, expected", [
    # names decide first, whatever the contents
    ({"PEP-0001-a.md": "- Feature Name: a\n", "pep-0002.rst": "PEP: 2\n"}, "plano"),
    ({"pep-0002.rst": "PEP: 2\n", "eip-1.md": "---\neip: 1\n---\n"}, "python-pep"),
    ({"eip-1.md": "x\n", "0001-a.md": "- Feature Name: a\n"}, "eip"),
    # contents: the most votes among the numbered files
    ({"0001-a.md": "- Feature Name: a\n", "0002-b.md": "- Start Date: 2020\n",
      "0003-c.md": "# C\n\n* Status: **Accepted**\n"}, "rust-rfc"),
    ({"001-a.md": "---\nstatus: accepted\n---\n", "002-b.md": "---\nnav_order: 2\n---\n",
      "003-c.md": "- RFC PR: x\n"}, "madr"),
    ({"0001-a.md": "# A\n\n  * Review Manager: x\n"}, "swift"),
    ({"0001-a.md": "# A\n\n* Proposal: [ST-0001](x)\n* Status: **Accepted**\n"}, "swift-testing"),
    ({"01-a.md": "- Feature Name: a\n"}, "plano"),  # two digits: no numbered proposal name
    ({"0001-a.txt": "- Feature Name: a\n"}, "plano"),
    ({"0001-a.md": "Nothing known.\n"}, "plano"),
    ({"0001-a.md": "\n\nq- Feature Name: a typo before the bullet\n"}, "rust-rfc"),
])
def test_detect_more(tmp_path, files, expected):
    write_all(tmp_path, files)
    assert formats.detect(str(tmp_path)) == expected


def test_only_the_first_bytes_and_the_first_twelve_files_are_read(tmp_path):
    padding = "x" * 5000 + "\n"
    write_all(tmp_path, {"0001-a.md": padding + "- Feature Name: a\n"})
    assert formats.detect(str(tmp_path)) == "plano"  # past the first 4 KB
    files = {f"{n:04d}-x.md": "Nothing.\n" for n in range(1, 13)}
    files["0013-late.md"] = "- Feature Name: a\n"
    write_all(tmp_path, files)
    assert formats.detect(str(tmp_path)) == "plano"


def test_keps_at_the_top_one_or_two_levels_down(tmp_path):
    write_all(tmp_path / "top", {"kep.yaml": "title: x\n"})
    write_all(tmp_path / "one", {"1-x/kep.yaml": "title: x\n"})
    write_all(tmp_path / "two", {"sig-a/1-x/kep.yaml": "title: x\n"})
    write_all(tmp_path / "three", {"keps/sig-a/1-x/kep.yaml": "title: x\n"})
    assert [formats.detect(str(tmp_path / n)) for n in ("top", "one", "two", "three")] == ["kep", "kep", "kep", "plano"]


def test_a_missing_or_unreadable_folder_is_plano(tmp_path):
    assert formats.detect(str(tmp_path / "missing")) == "plano"
    (tmp_path / "file").write_text("x")
    assert formats.detect(str(tmp_path / "file")) == "plano"


def test_bytes_that_are_not_utf8_do_not_stop_detection(tmp_path):
    (tmp_path / "0001-a.md").write_bytes(b"\xff\xfe\n- Feature Name: a\n")
    assert formats.detect(str(tmp_path)) == "rust-rfc"


def test_files_beside_the_kep_folders_do_not_stop_the_search(tmp_path):
    write_all(tmp_path, {"0-notes.md": "notes\n", "1-spin/kep.yaml": "title: x\n"})
    assert formats.detect(str(tmp_path)) == "kep"
    write_all(tmp_path / "deep", {"0-notes.md": "notes\n", "a-sig/README.md": "x\n", "b-sig/1-spin/kep.yaml": "title: x\n"})
    assert formats.detect(str(tmp_path / "deep")) == "kep"


def test_numbered_files_of_no_known_format_are_told_how_to_name_one(tmp_path):
    from tests.conftest import run_pepctl

    (tmp_path / "0001-notes.md").write_text("# Notes\n\nNothing a format would know.\n")
    done = run_pepctl("--dir", str(tmp_path), "list")
    assert done.returncode == 2
    assert ("0001-notes.md opens with no header pepctl recognises; if it is another process's proposal, "
            "name its format with `format` in pepctl.toml (python-pep, eip, swift") in done.stderr


@pytest.mark.parametrize("text", [
    "- Start Date: 2014-06-06\n- RFC PR: #1\n- Rust Issue: #2\n- Author: Ada\n\n# Summary\n",  # as rust-lang/rfcs' 0168
    "- Feature Name: `abi_custom`\n- Start Date: 2026-07-01\n\n# Summary\n\n* Proposal: https://example.org/1\n",  # 3980
])
def test_rust_bullets_win_over_bullets_swift_shares_with_any_list(tmp_path, text):
    (tmp_path / "0168-mod.md").write_text(text)
    assert formats.detect(str(tmp_path)) == "rust-rfc"
