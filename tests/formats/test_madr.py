"""The madr format: front matter or MADR 2's bullets; a status that may carry its links."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from pepctl import formats
from pepctl.history import read_history
from tests.formats.dialects import doc, pep

MADR2 = "# Use X\n\n* Status: {status}\n* Deciders: Ada, Bo\n* Date: 2019-01-02\n\n## Context and Problem Statement\n\nWhy.\n"


@pytest.mark.parametrize("value, state", [
    ("accepted", "accepted"),
    ("Accepted", "accepted"),  # the vocabulary's spelling
    ("  PROPOSED  ", "proposed"),
    ("superseded by ADR-0057", "superseded"),
    ("Superseded by [ADR-0005](0005-x.md)", "superseded"),
    ("accepted; supersedes ADR-0045", "accepted"),
    ("accepted, supersedes 45", "accepted"),
    ("rejected (too costly)", "rejected"),
    ("deprecated by 0012", "deprecated"),
    ("accepted supersedes ADR-1", "accepted"),
    ("on hold", "on hold"),  # not MADR's word: kept as written
    ("", ""),
    ("bygone", "bygone"),  # `by` only as a word
])
def test_line_value_is_the_state_alone(value, state):
    madr = formats.get("madr")
    assert madr.state_of(value) == state
    assert madr.field_in_line(f"status: {value}") == ("status", state)
    assert madr.field_in_line(f"* Status: {value}") == ("Status", state)  # MADR 2's bullets
    assert madr.field_in_line(f"- status: {value}") == ("status", state)


def test_field_in_line_other_lines():
    madr = formats.get("madr")
    assert madr.field_in_line("date: 2024-01-02") == ("date", "2024-01-02")
    assert madr.field_in_line('status: "superseded by ADR-0057"') == ("status", "superseded")
    assert madr.field_in_line("status: accepted # for now") == ("status", "accepted")
    assert madr.field_in_line("* Deciders: Ada, Bo") == ("Deciders", "Ada, Bo")
    for line in ("  status: accepted", "## Status", "status accepted", "* accepted", ""):
        assert madr.field_in_line(line) is None, line


def test_field_line_pattern_matches_front_matter_and_bullets():
    pattern = re.compile(formats.get("madr").field_line_pattern("status"))
    for line in ("status: accepted", "Status: x", "* Status: accepted", "- status: x", "*\tSTATUS: x"):
        assert pattern.fullmatch(line), line
    for line in ("my status: x", "** Status: x", "*Status: x", "## Status: x", "status = x"):
        assert not pattern.fullmatch(line), line


@pytest.mark.parametrize("written, state, links", [
    ("superseded by ADR-0057", "superseded", {"Superseded-By": "ADR-0057"}),
    ("Superseded by ADR57", "superseded", {"Superseded-By": "ADR57"}),
    ("superseded by 57", "superseded", {"Superseded-By": "57"}),
    ("accepted; supersedes ADR-0045", "accepted", {"Supersedes": "ADR-0045"}),
    ("accepted; supersedes ADR-0045, supersedes ADR-0046", "accepted", {"Supersedes": "ADR-0045"}),
    ("superseded by ADR-0057; supersedes ADR-0045", "superseded", {"Superseded-By": "ADR-0057", "Supersedes": "ADR-0045"}),
    ("accepted", "accepted", {}),
])
@pytest.mark.parametrize("form", ["front matter", "bullets"])
def test_status_links_are_fields_whose_spans_lie_in_the_status(written, state, links, form):
    text = (f"---\nstatus: {written}\ndate: 2024-01-02\n---\n# T\n" if form == "front matter"
            else MADR2.format(status=written))
    d = doc(text, "madr")
    status = d.field("status")
    assert status.value == state
    assert text[status.value_start:status.value_end] == written  # the span is still the whole value
    found = {f.name: f for f in d.field_list if f.key in ("supersedes", "superseded-by")}
    assert {name: f.value for name, f in found.items()} == links
    for f in found.values():
        assert text[f.value_start:f.value_end] == f.value and f.line == status.line
    names = [f.name for f in d.field_list]
    assert names[names.index(status.name) + 1:names.index(status.name) + 1 + len(links)] == list(links)


def test_a_record_without_status_is_accepted_and_numbered_by_its_file():
    p = pep("---\nparent: Decisions\n---\n# Use X\n", "madr", "docs/decisions/0007-use-x.md")
    assert (p.status, p.number, p.field_number, p.title) == ("", 7, None, "Use X")
    assert formats.get("madr").lifecycle[p.status] == "Accepted"
    assert not pep("# Use X\n\nJust prose.\n", "madr", "0008-x.md").document.header.found


def test_madr2_bullets_only_right_under_the_title():
    assert doc("# Use X\n\n\n* Status: accepted\n", "madr").get("status") == "accepted"
    assert doc("# Use X\r\n\r\n* Status: accepted\r\n", "madr").get("status") == "accepted"
    assert not doc("# Use X\n\nSome prose.\n\n* Status: accepted\n", "madr").header.found
    assert not doc("# Use X\n\n* Outcome: good\n", "madr").header.found  # a list, not MADR's fields
    assert doc("# Use X\n\n- date: 2019-01-02\n", "madr").get("created") == "2019-01-02"
    # the bullets stop at the first heading
    d = doc("# Use X\n\n* Status: accepted\n## Context\n* Date: 2019-01-02\n", "madr")
    assert d.get("created") == "" and d.get("status") == "accepted"


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_madr2_edits_stay_bullets(ending):
    text = MADR2.format(status="proposed").replace("\n", ending)
    d = doc(text, "madr")
    d.set_field("status", "accepted")
    assert d.text == text.replace("* Status: proposed", "* Status: accepted")
    d.add_field("Technical-Story", "x", after="Date")
    assert f"* Date: 2019-01-02{ending}* Technical-Story: x{ending}{ending}## Context" in d.text
    assert d.get("created") == "2019-01-02" and d.get("Technical-Story") == "x"


def git(root, *args, day=1):
    stamp = f"2026-01-{day:02d}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
                   cwd=root, env=env, check=True, capture_output=True)


def test_history_reads_madr2_bullets_and_front_matter(tmp_path):
    folder = tmp_path / "adr"
    folder.mkdir()
    git(tmp_path, "init", "-q", "-b", "main")
    (folder / "0001-old.md").write_text(MADR2.format(status="proposed"))
    (folder / "0002-new.md").write_text("---\nstatus: proposed\n---\n# New\n\n```yaml\nstatus: example\n```\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "propose", day=1)
    (folder / "0001-old.md").write_text(MADR2.format(status="superseded by ADR-0002"))
    (folder / "0002-new.md").write_text("---\nstatus: accepted; supersedes ADR-0001\n---\n# New\n\n```yaml\nstatus: example\n```\n")
    git(tmp_path, "commit", "-qam", "decide", day=2)
    madr = formats.get("madr")
    changes = read_history(str(folder), is_pep_file=madr.is_proposal, header_format=madr).changes
    assert [(c.number, c.date[:10], c.old, c.new) for c in changes] == [
        (1, "2026-01-01", None, "proposed"), (2, "2026-01-01", None, "proposed"),
        (1, "2026-01-02", "proposed", "superseded"), (2, "2026-01-02", "proposed", "accepted")]


@pytest.mark.parametrize("written, after", [
    ("accepted; supersedes ADR-0045", "deprecated; supersedes ADR-0045"),
    ('"accepted; supersedes ADR-0045"', '"deprecated; supersedes ADR-0045"'),
    ("'accepted, supersedes 45'", "'deprecated, supersedes 45'"),
    ("accepted", "deprecated"),
])
@pytest.mark.parametrize("form", ["front matter", "bullets"])
def test_a_status_edit_keeps_the_links_written_after_the_state(written, after, form):
    if form == "bullets" and written[0] in "\"'":
        return
    text = (f"---\nstatus: {written}\ndate: 2024-01-02\n---\n# T\n" if form == "front matter"
            else MADR2.format(status=written))
    d = doc(text, "madr")
    d.set_field("status", "deprecated")
    assert d.text == text.replace(written, after, 1)
    assert d.get("status") == "deprecated"
    if "supersedes" in written:
        assert d.get("supersedes") in ("ADR-0045", "45")
