"""The kep format: one folder per KEP, its kep.yaml the metadata, its README.md the prose."""

from __future__ import annotations

import json
import os
import re

import pytest

from pepctl import formats
from pepctl.corpus import Corpus
from tests.formats.dialects import configured, doc, pep
from tests.formats.test_oddities import KEP


@pytest.mark.parametrize("line, read", [
    ("status: implementable", ("status", "implementable")),
    ("status: implemented # was provisional", ("status", "implemented")),
    ("status: 'implemented' # quoted, then a comment", ("status", "implemented")),
    ('status: "a # b"', ("status", "a # b")),
    ("status:   implemented   ", ("status", "implemented")),
    ("status: implemented\r", ("status", "implemented")),
    ("status:", ("status", "")),
    ("status: '", ("status", "'")),
    ("kep-number: 42", ("kep-number", "42")),
    ('latest-milestone: "v1.22"', ("latest-milestone", "v1.22")),
    ("creation-date: 2021-04-14", ("creation-date", "2021-04-14")),
    ("  alpha: v1.22", None),  # inside milestone:
    ('  - "@ada"', None),
    ("# status: a comment", None),
    ("9status: x", None),
])
def test_field_in_line(line, read):
    assert formats.get("kep").field_in_line(line) == read


def test_field_line_pattern():
    pattern = re.compile(formats.get("kep").field_line_pattern("status"))
    assert pattern.fullmatch("status: implementable # c") and pattern.fullmatch("Status:")
    assert not pattern.fullmatch("  status: x") and not pattern.fullmatch("- status: x")
    assert not pattern.fullmatch("my-status: x") and not pattern.fullmatch("status: a\nb")


def test_the_whole_file_is_the_header():
    d = doc(KEP, "kep")
    assert (d.header.first_line, d.header.last_line, d.header.start) == (0, 10, 0)
    assert d.header.end == len(KEP.rstrip())
    assert [f.name for f in d.field_list] == ["title", "kep-number", "authors", "owning-sig", "status",
                                             "creation-date", "stage", "milestone"]
    assert not doc("", "kep").header.found
    assert not doc("# just a comment\n", "kep").header.found


def test_fields_as_pepctl_reads_them():
    p = pep(KEP, "kep", "keps/sig-node/42-spin/kep.yaml")
    assert p.document.get("PEP") == "42" and p.document.get("Created") == "2021-04-14"
    assert p.document.get("Authors") == "@ada, bo"
    assert p.document.get("milestone") == "alpha: v1.22"
    assert p.title == "Spin widgets" and pep("status: x\n", "kep", "keps/1-x/kep.yaml").title == ""


@pytest.mark.parametrize("path, number", [
    ("keps/sig-node/42-spin/kep.yaml", 42),
    ("keps/sig-node/sub/0007-deep/kep.yaml", 7),
    ("keps/sig-node/NNNN-kep-template/kep.yaml", None),
    ("keps/sig-node/kep.yaml", None),
    ("kep.yaml", None),
])
def test_number_from_the_folder_name(path, number):
    assert formats.get("kep").number_from_name(path) == number
    assert formats.get("kep").is_proposal("kep.yaml") and not formats.get("kep").is_proposal("README.md")


def test_the_number_field_wins_over_the_folder():
    assert pep(KEP.replace("kep-number: 42", "kep-number: 43"), "kep", "keps/sig-a/42-spin/kep.yaml").number == 43
    assert pep(KEP.replace("kep-number: 42\n", ""), "kep", "keps/sig-a/42-spin/kep.yaml").number == 42
    assert formats.get("kep").label(42) == "KEP-42"


def test_the_site_renders_the_readme_beside_kep_yaml(tmp_path):
    folder = tmp_path / "sig-a" / "42-spin"
    folder.mkdir(parents=True)
    (folder / "kep.yaml").write_text(KEP)
    (folder / "README.md").write_text("# KEP-42: Spin\n\nProse.\n")
    kep = formats.get("kep")
    d = doc(KEP, "kep", str(folder / "kep.yaml"))
    assert kep.body(d, str(folder / "kep.yaml")) == ("# KEP-42: Spin\n\nProse.\n", "markdown")
    assert kep.page_body(d) == "# KEP-42: Spin\n\nProse.\n"
    (folder / "README.md").unlink()
    assert kep.body(d, str(folder / "kep.yaml")) == ("", "markdown")
    (folder / "README.md").write_bytes(b"\xff\xfe not utf-8")
    assert kep.body(d, str(folder / "kep.yaml")) == ("", "markdown")


def test_hidden_and_approval_folders_hold_no_keps(tmp_path):
    for folder in ("sig-a/1-one", ".git/2-two", "sig-a/.cache/3-three", "prod-readiness/sig-a/4-four", "sig-b/5-five"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "kep.yaml").write_text(KEP)
    (tmp_path / "sig-b" / "6-no-metadata").mkdir()
    paths = Corpus(str(tmp_path), configured("kep")).paths()
    assert [p.split("/")[-2] for p in paths] == ["1-one", "5-five"]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_edits_keep_lists_comments_and_quotes(ending):
    text = KEP.replace("\n", ending)
    d = doc(text, "kep")
    d.set_field("Status", "implemented")
    d.set_field("stage", "beta")
    d.set_field("Created", "2022-01-01")
    d.set_field("PEP", "43")
    # a date stays a date and a number a number: written plain, as they were
    assert d.text == (text.replace("implementable # was", "implemented # was").replace('"alpha"', '"beta"')
                      .replace("2021-04-14", "2022-01-01").replace("kep-number: 42", "kep-number: 43"))
    d.add_field("Latest-Milestone", "v1.23", after="stage")
    assert f'stage: "beta"{ending}Latest-Milestone: v1.23{ending}milestone:' in d.text
    assert d.get("Latest-Milestone") == "v1.23" and d.get("milestone") == "alpha: v1.22"


def test_history_reads_kep_yaml_and_skips_the_files_beside_it(tmp_path):
    import os
    import subprocess

    from pepctl.history import read_history

    def git(*args, day=1):
        stamp = f"2026-01-{day:02d}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_GLOBAL": os.devnull,
               "GIT_CONFIG_NOSYSTEM": "1"}
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
                       cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    folder = tmp_path / "keps" / "sig-a" / "42-spin"
    folder.mkdir(parents=True)
    (tmp_path / "OWNERS").write_text("x\n")  # outside the folder
    (folder / "README.md").write_text("# KEP-42\n\nstatus: not the metadata\n")  # before kep.yaml in git's order
    (folder / "kep.yaml").write_text(KEP)
    git("add", "-A")
    git("commit", "-qm", "add", day=1)
    (folder / "kep.yaml").write_text(KEP.replace("status: implementable", "status: implemented"))
    (folder / "README.md").write_text("# KEP-42\n\nstatus: done\n")
    git("commit", "-qam", "implement", day=2)
    kep = formats.get("kep")
    changes = read_history(str(tmp_path / "keps"), is_pep_file=kep.is_proposal, header_format=kep).changes
    assert [(c.number, c.date[:10], c.old, c.new) for c in changes] == [
        (42, "2026-01-01", None, "implementable"), (42, "2026-01-02", "implementable", "implemented")]
    assert {os.path.basename(c.path) for c in changes} == {"kep.yaml"}


def test_example_spells_the_field_as_kep_yaml_does():
    assert formats.get("kep").example("Created", "2024-01-02") == "creation-date: 2024-01-02"
    assert formats.get("kep").example("PEP", "42") == "kep-number: 42"


def test_two_keps_with_one_number_are_named_by_their_folders(tmp_path):
    from tests.conftest import run_pepctl

    for folder in ("sig-a/42-spin", "sig-b/43-copy"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "kep.yaml").write_text(KEP)
    done = run_pepctl("--dir", str(tmp_path), "check")
    assert done.returncode == 1
    assert "is also used by 42-spin/kep.yaml;" in done.stdout
    assert "is also used by 43-copy/kep.yaml;" in done.stdout
    assert "(the file name is 43-copy/kep.yaml)" in done.stdout


def test_two_keps_in_folders_of_one_name_are_named_by_their_paths(tmp_path):
    from tests.conftest import run_pepctl

    for folder in ("sig-a/42-spin", "sig-b/42-spin"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "kep.yaml").write_text(KEP)
    done = run_pepctl("--dir", str(tmp_path), "check")
    assert done.returncode == 1
    for mine, other in (("sig-a", "sig-b"), ("sig-b", "sig-a")):
        assert re.search(rf"{mine}/42-spin/kep.yaml:2:1: X001 .* is also used by \S*{other}/42-spin/kep.yaml;", done.stdout)


def test_a_kep_folder_with_a_readme_and_no_kep_yaml_is_reported(tmp_path):
    from tests.conftest import run_pepctl

    (tmp_path / "sig-a" / "42-spin").mkdir(parents=True)
    (tmp_path / "sig-a" / "42-spin" / "kep.yaml").write_text(KEP)
    (tmp_path / "sig-a" / "42-spin" / "7-notes").mkdir()  # a folder inside a KEP is no KEP of its own
    (tmp_path / "sig-a" / "42-spin" / "7-notes" / "README.md").write_text("# Notes\n")
    (tmp_path / "sig-b" / "43-copy").mkdir(parents=True)
    (tmp_path / "sig-b" / "43-copy" / "README.md").write_text("# Copy\n")
    done = run_pepctl("--dir", str(tmp_path), "check")
    assert done.returncode == 1
    missing = os.path.join(str(tmp_path), "sig-b", "43-copy", "kep.yaml")
    assert done.stdout == (f"{missing}:1:1: F001 the KEP folder has a README.md but no kep.yaml; "
                           "fill kep.yaml in as keps/NNNN-kep-template/kep.yaml does\n")
    listed = run_pepctl("--dir", str(tmp_path), "list")
    assert "1 file(s) could not be read" in listed.stderr
    built = run_pepctl("--dir", str(tmp_path), "site", "build", "-o", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert "43-copy/kep.yaml: the KEP folder has a README.md but no kep.yaml" in built.stderr


def test_show_reads_a_keps_sections_from_its_readme(tmp_path):
    from tests.conftest import run_pepctl

    kep = tmp_path / "sig-a" / "42-spin"
    kep.mkdir(parents=True)
    (kep / "kep.yaml").write_text(KEP)
    (kep / "README.md").write_text("# KEP-42: Spin\n\n## Summary\n\nSpin widgets.\n\n## Motivation\n\nWhy.\n")
    done = run_pepctl("--dir", str(tmp_path), "show", "42", "--section", "summary")
    assert (done.returncode, done.stdout) == (0, "Spin widgets.\n")
    done = run_pepctl("--dir", str(tmp_path), "show", "42", "--section", "Design")
    assert done.returncode == 1
    assert "README.md has no section 'Design'; its sections: 'Summary', 'Motivation'" in done.stderr
    shown = run_pepctl("--dir", str(tmp_path), "show", "42", "--format", "json")
    assert [s["title"] for s in json.loads(shown.stdout)["sections"]] == ["Summary", "Motivation"]


def test_check_a_kep_named_by_its_file_or_a_folder_above_it(tmp_path):
    from tests.conftest import run_pepctl

    for folder, status in (("sig-a/42-spin", "bogus"), ("sig-b/43-copy", "provisional")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "kep.yaml").write_text(KEP.replace("status: implementable", f"status: {status}")
                                                    .replace("kep-number: 42", "kep-number: " + folder[6:8]))
    (tmp_path / "NNNN-kep-template").mkdir()
    (tmp_path / "NNNN-kep-template" / "kep.yaml").write_text("title: <title>\nstatus: provisional|implementable\n")
    bad = os.path.join(str(tmp_path), "sig-a", "42-spin", "kep.yaml")
    for named in (bad, os.path.dirname(bad), os.path.join(str(tmp_path), "sig-a"), str(tmp_path)):
        done = run_pepctl("--dir", str(tmp_path), "check", "--select", "H009", named)
        assert done.returncode == 1, named
        assert done.stdout.startswith(f"{bad}:7:9: H009 status 'bogus' is not a known state"), named
    template = run_pepctl("--dir", str(tmp_path), "check", os.path.join(str(tmp_path), "NNNN-kep-template", "kep.yaml"))
    assert (template.returncode, template.stdout) == (0, "")  # the template is no KEP
