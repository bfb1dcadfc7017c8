"""pepctl related: the PEPs most like one (BM25 over titles and opening sections), the declined and
withdrawn among them listed first and marked, so an author reads why before proposing again."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from peptext import small_pep

from pepctl.cli.group import cli

pytest.importorskip("bm25s")

PEPS = {
    1: ("Response cache for model calls", "Declined", "Cache model responses keyed by prompt hash with a TTL."),
    2: ("Streaming retries", "Accepted", "Retry streaming calls that fail half way with backoff."),
    3: ("Semantic response cache", "Under Review", "Cache responses of similar prompts, keyed by embeddings, with a TTL."),
    4: ("Audit log export", "Draft", "Export the audit log to object storage every night."),
    5: ("Prompt cache warmup", "Withdrawn", "Fill the response cache at start from the last day's prompts."),
}


@pytest.fixture
def folder(tmp_path):
    for n, (title, status, summary) in PEPS.items():
        (tmp_path / f"PEP-{n:04d}-p.md").write_text(small_pep(n, title, status, body=summary), encoding="utf-8")
    return tmp_path


def run(folder, *args):
    return CliRunner().invoke(cli, ["--dir", str(folder), "related", *args])


def test_the_closest_peps_come_with_the_declined_and_withdrawn_first(folder):
    result = run(folder, "3", "--format", "json")
    found = json.loads(result.output)
    numbers = [item["number"] for item in found]
    assert 3 not in numbers  # not itself
    assert set(numbers[:2]) == {1, 5} and all(item["settled"] for item in found[:2])
    assert 4 not in numbers[:3]  # the audit log is not about caching
    settled_scores = [item["score"] for item in found if item["settled"]]
    assert settled_scores == sorted(settled_scores, reverse=True)


def test_text_output_marks_what_was_declined(folder):
    lines = run(folder, "--text", "cache responses with a TTL").output.splitlines()
    assert lines[0].startswith("0001  Declined") and "declined: read why before proposing it again" in lines[0]
    assert not any("Audit log" in line for line in lines[:2])


def test_number_or_text_but_one_of_them(folder):
    for args in ((), ("1", "--text", "x")):
        result = run(folder, *args)
        assert result.exit_code == 2 and "give a PEP number or --text" in result.stderr


def test_an_unknown_number_is_an_error(folder):
    result = run(folder, "42")
    assert result.exit_code == 1 and "no readable PEP numbered 0042" in result.stderr


def test_new_lists_the_existing_peps_like_its_title_the_declined_first(folder):
    template = folder / "PEP-TEMPLATE.md"
    template.write_text(small_pep(0, "Title", "Draft"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--dir", str(folder), "new", "Response cache with a TTL", "--author", "Ada (@ada)"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("PEP-0006-response-cache-with-a-ttl.md")
    lines = result.stderr.splitlines()
    start = lines.index("existing PEPs like it (read them first; `pepctl related` lists more):")
    listed = lines[start + 1:start + 4]
    assert listed[0].lstrip().startswith("0001  Declined") and "read why before proposing it again" in listed[0]
    assert not any("PEP-0006" in line or line.lstrip().startswith("0006") for line in listed)  # not itself
    assert not any("Audit log" in line for line in listed)
