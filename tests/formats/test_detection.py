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
