"""One PEP's page, made from the build state: card, banner, timeline, links to other PEPs."""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from sitehelpers import copy_fixtures, history_repo, state_of

from pepctl.document import Document
from pepctl.history import read_history
from pepctl.record import Person
from pepctl.site.gitinfo import Repository
from pepctl.site.highlight import Highlighter
from pepctl.site.markdown import Renderer
from pepctl.site.pep_page import (banner, card_fields, issue_links, pep_html, person_html, timeline_rows,
                                  title_anchors)

RENDERER = Renderer(Highlighter())


def page(state, reader, name: str) -> str:
    doc, body = reader.document(name)
    return pep_html(state, RENDERER, state.records[name], doc, body)


def test_the_card_shows_the_filled_fields_in_a_fixed_order(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    rows = card_fields(state, RENDERER, state.records["PEP-0001-alpha.md"], None)
    # Status is not a row: the page shows it once, as the badge by the number
    assert [label for label, _ in rows] == ["Author(s)", "Sponsor", "Created", "Tracking Issue"]
    assert 'href="https://github.com/bob-b"' in rows[0][1]
    gamma = dict(card_fields(state, RENDERER, state.records["PEP-0003-gamma.md"], None))
    assert gamma["Supersedes"] == Markup('<a href="../pep/PEP-0002-beta.html">PEP-0002: Beta routing</a>')


def test_people_and_issue_numbers_are_escaped_and_linked():
    assert person_html(Person("A <b>", "ada")) == ('A &lt;b&gt; (<a href="https://github.com/ada" '
                                                   'rel="nofollow noopener">@ada</a>)')
    assert person_html(Person("", "ada")).startswith("<a ") and person_html(Person("Bo", None)) == "Bo"
    assert issue_links("#12 and <#13>", "https://x/issues/") == \
        '<a href="https://x/issues/12">#12</a> and &lt;<a href="https://x/issues/13">#13</a>&gt;'


def test_title_anchors_are_githubs_for_the_heading_and_the_title_alone():
    assert title_anchors(Document("# PEP-0001: Alpha cache\n")) == ["pep-0001-alpha-cache", "alpha-cache"]
    assert title_anchors(Document("## No title\n")) == []


def test_banners_for_superseded_declined_and_withdrawn_peps(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    beta = banner(state, state.records["PEP-0002-beta.md"], [(2, "rationale", "Rationale")])
    assert beta.kind == "superseded" and "PEP-0003: Gamma latency routing" in beta.links
    declined = dataclasses.replace(state.records["PEP-0002-beta.md"],
                                   pep=state.records["PEP-0002-beta.md"].pep._replace(superseded_by=()))
    info = banner(state, declined, [(2, "why", "Rationale")])
    assert info.kind == "declined" and info.rationale == "why"
    assert banner(state, state.records["PEP-0005-withdrawn.md"], []).kind == "withdrawn"
    assert banner(state, state.records["PEP-0001-alpha.md"], []) is None


def test_timeline_rows_link_commits_when_the_repository_is_known(tmp_path):
    folder = history_repo(tmp_path)
    state, _ = state_of(folder, history=read_history(str(folder)))
    rows = timeline_rows(state, "PEP-0002-beta.md")
    assert [(r.date, r.old, r.new, r.url) for r in rows] == [
        ("2024-01-10", None, "Under Review", ""), ("2024-03-02", "Under Review", "Declined", "")]
    linked = dataclasses.replace(state, repo=Repository(url="u", commit="https://x/commit/"))
    assert timeline_rows(linked, "PEP-0002-beta.md")[0].url.startswith("https://x/commit/")


def test_a_page_renders_the_text_and_an_unreadable_file_says_why(tmp_path):
    state, reader = state_of(copy_fixtures(tmp_path))
    alpha = page(state, reader, "PEP-0001-alpha.md")
    assert "exact-match response cache" in alpha and 'class="badge status-under-review"' in alpha
    assert "Status history" not in alpha  # no git
    broken = pep_html(state, RENDERER, state.records["PEP-0007-broken.md"], None, None)
    assert "This file could not be read as a PEP" in broken and "PEP-0007-broken.md" in broken
    failed = pep_html(state, RENDERER, state.records["PEP-0001-alpha.md"].failed("it broke"), None, None)
    assert "line 1: it broke" in failed and "exact-match" not in failed
    assert '<meta name="description" content="PEP-0001: Alpha streaming cache.">' in failed
    assert '<meta name="description" content="Add an exact-match response cache' in alpha  # its summary


def test_titles_show_their_inline_markdown_and_the_title_element_plain_text(tmp_path):
    folder = copy_fixtures(tmp_path)
    alpha = folder / "PEP-0001-alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("Alpha streaming cache", "Alpha `Cache-Control` *now*"),
                     encoding="utf-8")
    state, reader = state_of(folder)
    html = page(state, reader, "PEP-0001-alpha.md")
    assert "<title>PEP-0001: Alpha Cache-Control now · " in html
    assert '<h1 class="pep-title"' in html and "Alpha <code>Cache-Control</code> <em>now</em></h1>" in html
    assert "`" not in html[html.index("<h1"):html.index("</h1>")]
