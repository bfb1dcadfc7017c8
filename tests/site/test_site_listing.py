"""index.html, search.html and 404.html, made from the build state."""

from __future__ import annotations

from sitehelpers import copy_fixtures, state_of

from pepctl.site.listing import index_html, not_found_html, search_html


def test_the_index_groups_by_status_then_lists_every_pep(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    index = index_html(state)
    assert index.index('id="status-under-review" open') < index.index('id="status-draft" open')
    assert index.index('id="status-draft"') < index.index('id="status-unreadable"')
    assert index.count('<tr data-status="') == 8 and '<tr data-status="Unreadable">' in index
    assert "8 proposals" in index


def test_search_and_404_pages_link_from_where_they_are_served(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    assert 'src="static/search.js"' in search_html(state)
    assert 'href="/index.html"' in not_found_html(state)
    state, _ = state_of(copy_fixtures(tmp_path / "b"), base_url="https://o.github.io/repo/")
    assert 'href="/repo/index.html"' in not_found_html(state)
