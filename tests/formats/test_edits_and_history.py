"""`pepctl status` edits one value in every format (the bytes are equal but for it), and `pepctl
history` reads each format's status changes from git."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import run_pepctl
from tests.formats.dialects import EIP, PY, edited_equal_except
from tests.formats.test_oddities import KEP, MADR, RUST, SWIFT

# (format, file path in the folder, text, status before, the value as written before and after)
CASES = [
    ("python-pep", "pep-9001.rst", PY, "Accepted", "Status: Draft", "Status: Accepted"),
    ("eip", "eip-9001.md", EIP, "Review", "status: Draft", "status: Review"),
    ("swift", "0042-spin.md", SWIFT.replace("**Implemented (Swift 5.9)**", "**Active Review (May 1...May 9, 2026)**"),
     "Returned for Revision", "**Active Review (May 1...May 9, 2026)**", "**Returned for Revision**"),
    ("kep", "sig-a/42-spin/kep.yaml", KEP, "implemented", "status: implementable # was", "status: implemented # was"),
    ("madr", "0005-spin.md", MADR.replace('"superseded by ADR-0057"', "proposed"), "accepted",
     "status: proposed", "status: accepted"),
]


def write(folder, rel: str, data: bytes) -> str:
    path = os.path.join(folder, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


@pytest.mark.parametrize("name, rel, text, new, old_written, new_written", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_status_edit_changes_only_the_value(tmp_path, name, rel, text, new, old_written, new_written, newline):
    before = text.replace("\n", newline).encode()
    path = write(tmp_path, rel, before)
    number = "9001" if "9001" in rel else ("5" if name == "madr" else "42")
    done = run_pepctl("--dir", str(tmp_path), "status", number, new)
    assert done.returncode == 0, done.stderr
    with open(path, "rb") as handle:
        after = handle.read()
    assert edited_equal_except(before.decode(), after.decode(), old_written, new_written)


def test_a_rust_rfc_has_no_status_to_edit(tmp_path):
    write(tmp_path, "0042-spin.md", RUST.encode())
    done = run_pepctl("--dir", str(tmp_path), "status", "42", "Accepted")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "no Status field" in done.stderr


def git(root, *args, day=1):
    env = {**os.environ, "GIT_AUTHOR_DATE": f"2026-01-{day:02d}T12:00:00+00:00",
           "GIT_COMMITTER_DATE": f"2026-01-{day:02d}T12:00:00+00:00", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
                   cwd=root, env=env, check=True, capture_output=True)


HISTORY_CASES = [c for c in CASES] + [
    ("rust-rfc", "0042-spin.md", RUST, None, None, None),
]


@pytest.mark.parametrize("name, rel, text, new, old_written, new_written", HISTORY_CASES, ids=[c[0] for c in HISTORY_CASES])
def test_history_per_format(tmp_path, name, rel, text, new, old_written, new_written):
    root = tmp_path / "repo"
    folder = root / "proposals"
    folder.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    write(folder, rel, text.encode())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "add", day=1)
    if new is not None:
        write(folder, rel, text.replace(old_written, new_written, 1).encode())
        git(root, "commit", "-qam", "move", day=2)
    done = run_pepctl("--dir", str(folder), "history", "--format", "json")
    assert done.returncode == 0, done.stderr
    changes = [(c["date"][:10], c["from"], c["to"]) for c in json.loads(done.stdout)]
    first = {"python-pep": "Draft", "eip": "Draft", "swift": "Active Review", "kep": "implementable",
             "madr": "proposed", "rust-rfc": "Accepted"}[name]
    expected = [("2026-01-01", None, first)]
    if new is not None:
        expected.append(("2026-01-02", first, new))
    assert changes == expected
    numbers = {c["number"] for c in json.loads(done.stdout)}
    assert numbers == {9001 if "9001" in rel else (5 if name == "madr" else 42)}


def test_index_check_on_a_dialect_says_why_there_is_nothing_to_check(tmp_path):
    write(tmp_path, "pep-9001.rst", PY.encode())
    done = run_pepctl("--dir", str(tmp_path), "index", "--check")
    assert (done.returncode, done.stdout) == (0, "")
    assert "PEP 0 is generated" in done.stderr
    done = run_pepctl("--dir", str(tmp_path), "index")
    assert done.returncode == 2 and "no index file to write" in done.stderr


def test_new_refuses_a_dialect_folder(tmp_path):
    write(tmp_path, "eip-9001.md", EIP.encode())
    done = run_pepctl("--dir", str(tmp_path), "new", "Another idea")
    assert done.returncode == 2 and "Ethereum Improvement Proposals" in done.stderr
    assert sorted(os.listdir(tmp_path)) == ["eip-9001.md"]


@pytest.mark.parametrize("status, why", [
    (">-\n  Draft", "written as a YAML block scalar"),
    ("|\n  Draft", "written as a YAML block scalar"),
    ("*state", "a YAML alias"),
])
def test_a_status_eip_cannot_edit_in_place_is_refused_with_where_and_why(tmp_path, status, why):
    text = EIP.replace("description: Frobs the widgets", "description: &state Draft").replace("status: Draft", f"status: {status}")
    path = write(tmp_path, "eip-9001.md", text.encode())
    done = run_pepctl("--dir", str(tmp_path), "status", "9001", "Review")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert f"eip-9001.md: field 'status' on line 7 is {why}; edit it by hand" in done.stderr
    with open(path, "rb") as handle:
        assert handle.read() == text.encode()


@pytest.mark.parametrize("props", ["&state ", "!!str ", "&state !!str ", "!<tag:yaml.org,2002:str> "])
def test_a_status_edit_keeps_the_anchor_and_tag_before_the_value(tmp_path, props):
    text = EIP.replace("status: Draft", f"status: {props}Draft")
    path = write(tmp_path, "eip-9001.md", text.encode())
    done = run_pepctl("--dir", str(tmp_path), "status", "9001", "Review")
    assert done.returncode == 0, done.stderr
    with open(path, "rb") as handle:
        assert handle.read() == text.replace(f"status: {props}Draft", f"status: {props}Review").encode()


@pytest.mark.parametrize("name, rel, text, old_written", [
    ("eip", "eip-9001.md", EIP, "status: Draft"),
    ("kep", "sig-a/42-spin/kep.yaml", KEP, "status: implementable # was"),
    ("madr", "0005-spin.md", MADR.replace('"superseded by ADR-0057"', "proposed"), "status: proposed"),
])
def test_history_reads_past_a_commit_whose_status_line_is_not_utf8(tmp_path, name, rel, text, old_written):
    root = tmp_path / "repo"
    folder = root / "proposals"
    folder.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    key = old_written.split(":")[0]
    write(folder, rel, text.replace(old_written, f"{key}: Dr\xe9ft").encode("latin-1", "replace"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "add", day=1)
    write(folder, rel, text.encode())
    git(root, "commit", "-qam", "fix", day=2)
    done = run_pepctl("--dir", str(folder), "history", "--format", "json")
    assert done.returncode == 0, done.stderr
    changes = [(c["date"][:10], c["to"]) for c in json.loads(done.stdout)]
    assert changes[-1][0] == "2026-01-02" and changes[-1][1] == {"eip": "Draft", "kep": "implementable",
                                                                   "madr": "proposed"}[name]


@pytest.mark.parametrize("name, files", [
    ("python-pep", {"pep-0001.rst": PY.replace("9001", "1").replace("Draft", "Accepted"),
                    "pep-0002.rst": PY.replace("9001", "2")}),
    ("madr", {"0001-old.md": MADR.replace('"superseded by ADR-0057"', "accepted"),
              "0002-new.md": MADR.replace('"superseded by ADR-0057"', "accepted")}),
])
def test_supersede_refuses_a_dialect_folder_and_changes_nothing(tmp_path, name, files):
    for rel, text in files.items():
        write(tmp_path, rel, text.encode())
    done = run_pepctl("--dir", str(tmp_path), "supersede", "1", "2")
    assert done.returncode == 2, done.stderr
    assert "`pepctl supersede` writes Plano PEPs only" in done.stderr and "Traceback" not in done.stderr
    for rel, text in files.items():
        assert (tmp_path / rel).read_bytes() == text.encode()


@pytest.mark.parametrize("name, rel, text, new, old_written, new_written", CASES, ids=[c[0] for c in CASES])
def test_check_changed_since_finds_a_changed_proposal_of_each_format(tmp_path, name, rel, text, new, old_written,
                                                                     new_written):
    root = tmp_path / "repo"
    folder = root / "proposals"
    folder.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    write(folder, rel, text.encode())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "add", day=1)
    state = {"python-pep": "Draft", "eip": "Draft", "swift": "Active Review", "kep": "implementable",
             "madr": "proposed"}[name]
    write(folder, rel, text.replace(old_written, old_written.replace(state, "Bogus"), 1).encode())
    done = run_pepctl("--dir", str(folder), "check", "--changed-since", "HEAD", "--select", "H009", "--format", "json")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert {f["path"].replace(os.sep, "/").split("proposals/")[-1] for f in json.loads(done.stdout)} == {rel}
