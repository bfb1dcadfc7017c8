"""index.html, search.html and 404.html, made from the build state."""

from __future__ import annotations

import re

from sitehelpers import copy_fixtures, state_of

from pepctl.site.listing import index_html, lifecycle_ranks, not_found_html, search_html


def test_the_index_links_each_status_then_lists_every_pep_once(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    index = index_html(state)
    assert index.index('data-status="Under Review"') < index.index('data-status="Draft"')
    assert index.index('data-status="Draft"') < index.index('data-status="Unreadable"')
    assert index.count("<tr data-n=") == 8 and '<td class="status-unreadable">Unreadable</td>' in index
    assert "8 proposals" in index
    assert '<meta name="description" content="All 8 enhancement proposals' in index


def test_statuses_rank_in_the_order_of_the_process(tmp_path):
    """data-o, the key the Status column sorts by: the configuration's states in order, then the
    statuses it does not know, then unreadable files; not the alphabet, nor the index's Under Review first."""
    state, _ = state_of(copy_fixtures(tmp_path))
    ranks = lifecycle_ranks(state)
    known = [s for s in state.policy.states if s in ranks]
    assert known == sorted(known, key=state.policy.states.index)
    assert [ranks[s] for s in known] == list(range(len(known)))
    assert ranks["Draft"] < ranks["Under Review"] < ranks["Accepted"] < ranks["Declined"]
    assert max(ranks.values()) == ranks["Unreadable"]
    index = index_html(state)
    for rank, cells in re.findall(r'<tr data-n="-?\d+" data-o="(\d+)">(.*?)</tr>', index):
        status = re.search(r'<td class="status-[a-z-]+">([^<]+)</td>', cells).group(1)
        assert ranks[status] == int(rank), status


def test_search_and_404_pages_link_from_where_they_are_served(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    assert 'src="static/search.js"' in search_html(state)
    assert 'href="/index.html"' in not_found_html(state)
    state, _ = state_of(copy_fixtures(tmp_path / "b"), base_url="https://o.github.io/repo/")
    assert 'href="/repo/index.html"' in not_found_html(state)
