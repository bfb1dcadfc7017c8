"""The search page in a real browser: Debian's Chromium, headless, driven by Playwright.

The site is built (for real, from a folder of PEP files: the fixtures and a few written for these
tests) with small shards, so that a query has many shards it must not fetch, and served on
127.0.0.1 by the site's own server. Like tests/site/test_site_browser.py: Playwright never
downloads a browser; without /usr/bin/chromium the tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import json
import threading

import pytest
from browserhelpers import require_chromium, screenshot, watch
from browserhelpers import browser  # noqa: F401 - the module's Chromium (a fixture)
from searchhelpers import SEARCH_PEPS, add_search_peps, index_of, manifest, route, write_pep
from sitehelpers import build, copy_fixtures

SHARD_BYTES = 300  # a few hundred bytes a shard: dozens of shards out of a dozen PEPs
FORMS_PEPS = {  # number: (title, body): one form of a word each, for the tests of stems and endings
    40: ("Moving data", "## Summary\n\nThe migration of old data takes a week."),
    41: ("Moving on", "## Summary\n\nMigrating the archive comes later."),
    42: ("Short words", "## Summary\n\nThe plan keeps every str as it is."),
}

sync_api = require_chromium()


class Site:
    """A built site served on 127.0.0.1: its PEP folder, its output folder and its address."""

    def __init__(self, folder, out):
        from pepctl.site.serve import make_server

        self.folder, self.out = folder, out
        self.build()
        self.server = make_server(str(out), 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def build(self):
        from pepctl.site import searchshards

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(searchshards, "SHARD_BYTES", SHARD_BYTES)
            build(self.folder, self.out)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search-browser")
    folder = copy_fixtures(tmp)
    add_search_peps(folder)
    for number, (title, body) in FORMS_PEPS.items():
        write_pep(folder, number, title, body)
    served = Site(folder, tmp / "site")
    yield served
    served.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.fetched = []
    watch(page)
    page.on("requestfinished", lambda request: page.fetched.append(request.url))
    yield page
    context.close()


def search(page, site, query: str) -> list[str]:
    """Open the search page with a query; the titles of the results shown."""
    page.goto(site.url + "search.html?q=" + query.replace(" ", "+"))
    page.wait_for_function("/found/.test(document.getElementById('search-status').textContent)")
    return page.locator("#search-results li .result-title").all_inner_texts()


def fetched(page, site, folder: str) -> set[str]:
    """The files of a folder of the site the page fetched (less their ?v=...)."""
    return {url[len(site.url):].split("?")[0] for url in page.fetched if url.startswith(site.url + folder)}


def test_a_word_prefix_finds_the_words_it_begins_title_hits_first(page, site):
    results = search(page, site, "hist")
    assert results[0] == "PEP-0020: Historical records of the process"  # "historical" in its title
    assert "PEP-0021: Retry policy" in results  # "history" in its text
    assert page.locator("#search-status").inner_text() == f"{len(results)} PEPs found."
    assert search(page, site, "histor")[:2] == results[:2]
    assert "PEP-0020: Historical records of the process" not in search(page, site, "records history")
    assert page.problems == []


def test_a_title_matches_by_word_prefix_not_by_substring(page, site):
    assert search(page, site, "storical") == []  # inside "Historical": no match
    assert page.locator("#search-status").inner_text() == "No PEP found."


def test_words_are_found_by_their_stem(page, site):
    from pepctl.site.searchshards import stems_of

    assert stems_of(["deciding", "decided", "decision", "decisions"]) == ["decid", "decid", "decis", "decis"]
    # "deciding" is in PEP-0022 only, "decided" in PEP-0021 only: each finds both (the build's stem: decid)
    assert set(search(page, site, "deciding")) >= {"PEP-0021: Retry policy", "PEP-0022: Plain words"}
    assert set(search(page, site, "decided")) >= {"PEP-0021: Retry policy", "PEP-0022: Plain words"}
    # no PEP has "decisions": "decision" + s finds "decision"
    assert search(page, site, "decisions") == ["PEP-0022: Plain words"]
    marks = page.locator("#search-results mark").all_inner_texts()
    assert marks and all(mark.lower() == "decision" for mark in marks)
    assert page.problems == []


def forms_in_index(site) -> set[str]:
    return {word for word in index_of(site.out) if word.startswith(("migrat", "plan", "str"))}


def test_a_word_of_the_index_finds_the_other_words_of_its_stem(page, site):
    assert {"migration", "migrating"} <= forms_in_index(site)
    # PEP-0040 says only "migration", PEP-0041 only "migrating": the build's stem of both is "migrat"
    assert sorted(search(page, site, "migrating")) == ["PEP-0040: Moving data", "PEP-0041: Moving on"]
    assert sorted(search(page, site, "migration")) == ["PEP-0040: Moving data", "PEP-0041: Moving on"]
    assert page.problems == []


def test_an_unknown_word_is_an_indexed_word_and_an_ending(page, site):
    assert "migrations" not in forms_in_index(site)
    # "migrations" is "migration" + s: the stem of "migration" finds both forms
    assert sorted(search(page, site, "migrations")) == ["PEP-0040: Moving data", "PEP-0041: Moving on"]
    assert set(page.locator("#search-results mark").all_inner_texts()) == {"migration", "Migrating"}
    assert page.problems == []


def test_an_unknown_word_is_a_stem_of_the_index_and_an_ending(page, site):
    # no indexed word "migrat" or "migrate": "migrated" is the stem "migrat" + ed
    assert not {"migrated", "migrate", "migrat"} & forms_in_index(site)
    assert sorted(search(page, site, "migrated")) == ["PEP-0040: Moving data", "PEP-0041: Moving on"]
    assert page.problems == []


def test_an_unknown_word_without_an_ending_does_not_find_a_shorter_word(page, site):
    assert {"plan", "str"} <= forms_in_index(site) and not {"planet", "string"} & forms_in_index(site)
    assert search(page, site, "planet") == []  # "et" is no ending
    assert page.locator("#search-status").inner_text() == "No PEP found."
    assert search(page, site, "string") == []  # "ing" is an ending, but no shorter than "str"
    assert "PEP-0042: Short words" in search(page, site, "plans")  # "plan" + s, for contrast
    assert page.problems == []


def test_a_snippet_shows_the_matching_passage_under_its_heading(page, site):
    assert search(page, site, "retry") == ["PEP-0021: Retry policy"]
    snippet = page.locator("#search-results li .snippet")
    assert snippet.locator(".snippet-heading").inner_text() == "Introduction"
    text = snippet.locator(".snippet-text").inner_text()
    assert text == "This proposal sets max_retry_count, once per request."  # underscores kept, no " ,"
    assert snippet.locator(".snippet-text mark").all_inner_texts() == ["retry"]
    # the heading is its own element, on its own line: never glued to the text
    heading_box = snippet.locator(".snippet-heading").bounding_box()
    text_box = snippet.locator(".snippet-text").bounding_box()
    assert text_box["y"] >= heading_box["y"] + heading_box["height"] - 1
    search(page, site, "committee")
    assert page.locator("#search-results li .snippet-heading").inner_text() == "Details"  # the passage that matches
    assert "committee" in page.locator("#search-results li .snippet-text mark").all_inner_texts()


def test_a_pep_number_goes_to_that_pep(page, site):
    for query in ("21", "PEP-0021", "pep 21", "0021"):
        assert search(page, site, query)[0] == "PEP-0021: Retry policy", query


def test_hostile_text_in_titles_and_passages_stays_text(page, site):
    results = search(page, site, "hostilemarker")
    assert results == [f"PEP-0023: {SEARCH_PEPS[23][0]}"]
    assert "window.__xss='search-body'" in page.locator("#search-results .snippet-text").inner_text()
    results = search(page, site, "hostile")
    assert page.locator("#search-results img, #search-results script").count() == 0
    search(page, site, "window")  # the XSS fixture's text, and its title
    assert page.locator("#search-results img, #search-results script, #search-results b").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.problems == []


def test_a_query_fetches_the_manifest_and_only_the_shards_of_its_words(page, site):
    keys = set(manifest(site.out)["keys"])
    assert len(keys) > 15
    search(page, site, "zeppelinoid")
    # the word's shard and its stem's (the same here); "zeppelinoid" begins no key: no other shard
    expected = {f"search/s/{route('zeppelinoid', keys) or '_'}.json"}
    assert fetched(page, site, "search/s/") == expected
    assert fetched(page, site, "search/") - fetched(page, site, "search/s/") == {"search/manifest.json",
                                                                                 f"search/d/{doc_id(site, 1)}.json"}
    assert not any(url.endswith("search-index.json") for url in page.fetched)


def test_a_prefix_fetches_the_shards_under_it_and_no_others(page, site):
    from pepctl.site.searchshards import shard_name

    keys = set(manifest(site.out)["keys"])
    search(page, site, "hist")
    under = {key for key in keys if key.startswith("hist")}
    expected = {route("hist", keys)} | under  # "hist" ends in no ending: no stem's shard either
    assert fetched(page, site, "search/s/") == {f"search/s/{shard_name(key)}.json" for key in expected}
    assert len(expected) < len(keys) / 4


def test_results_arrive_without_moving_the_page(page, site):
    page.goto(site.url + "search.html")
    page.evaluate("""() => {
        window.__shift = 0;
        new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
        }).observe({ type: "layout-shift", buffered: true });
    }""")
    footer = page.locator("footer").bounding_box()
    page.fill("#search-q", "pep")  # in every label: 12 PEPs
    page.wait_for_function("/found/.test(document.getElementById('search-status').textContent)")
    page.wait_for_timeout(300)
    assert page.locator("#search-results li").count() == 10  # the first ten; more on request
    assert page.evaluate("window.__shift") < 0.01
    assert page.locator("footer").bounding_box()["y"] >= footer["y"]  # the room was there from the start
    more = page.locator("#search-more")
    assert more.is_visible()
    more.click()
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 10")
    screenshot(page, "site-search.png")
    assert page.problems == []


def test_the_search_page_is_labelled_and_announces_its_count(page, site):
    page.goto(site.url + "search.html")
    assert page.locator("label[for=search-q]").inner_text() == "Words from a PEP's title or text"
    status = page.locator("#search-status")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    page.fill("#search-q", "zeppelinoid")
    page.press("#search-q", "Enter")
    page.wait_for_function("/found/.test(document.getElementById('search-status').textContent)")
    assert status.inner_text() == "1 PEP found."
    assert page.url.endswith("search.html?q=zeppelinoid")


def test_an_edited_pep_is_found_by_its_new_words_and_a_removed_one_no_more(page, tmp_path):
    folder = copy_fixtures(tmp_path)
    add_search_peps(folder)
    served = Site(folder, tmp_path / "site")
    try:
        assert search(page, served, "quuxbarite") == ["PEP-0022: Plain words"]
        path = folder / "PEP-0022-pep-22.md"
        path.write_text(path.read_text(encoding="utf-8").replace("quuxbarite", "florbinate"), encoding="utf-8")
        write_pep(folder, 31, "Brand new", "## Summary\n\nAlso florbinate here.")
        (folder / "PEP-0021-pep-21.md").unlink()
        served.build()
        assert search(page, served, "quuxbarite") == []
        assert sorted(search(page, served, "florbinate")) == ["PEP-0022: Plain words", "PEP-0031: Brand new"]
        assert search(page, served, "retry") == []  # PEP-0021 is gone
        assert page.problems == []
    finally:
        served.close()


def doc_id(site, number: int) -> int:
    numbers, at, pep_id = manifest(site.out)["numbers"], 0, 0
    for i in range(0, len(numbers), 2):
        at, pep_id = at + numbers[i], pep_id + numbers[i + 1]
        if at == number:
            return pep_id
    raise AssertionError(number)


def test_the_index_files_are_json(site):
    for path in (site.out / "search").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
