"""SiteRecord: a PEP's record with what the site adds, its page's address, and its form in the cache."""

from __future__ import annotations

import dataclasses
import marshal
import pickle

from sitehelpers import copy_fixtures, state_of

from pepctl.site.records import SiteRecord, page_path, page_url, pep_label, slug


def test_page_paths_follow_the_file_names_and_links_are_percent_encoded():
    assert page_path("PEP-0042-cache.md") == "pep/PEP-0042-cache.html"
    assert page_url(page_path("PEP-0042-a b#c?%.md")) == "pep/PEP-0042-a%20b%23c%3F%25.html"


def test_labels_and_slugs():
    assert pep_label(42) == "PEP-0042" and pep_label(None) == "PEP-????"
    assert slug("Under Review") == "under-review" and slug("?!") == "unknown"


def test_what_pages_show_comes_from_the_pep_record(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    alpha, broken = state.records["PEP-0001-alpha.md"], state.records["PEP-0007-broken.md"]
    assert alpha.file == "PEP-0001-alpha.md" and alpha.title == "Alpha streaming cache"
    assert alpha.status == "Under Review" and alpha.pep.sponsor.handle == "carol"
    assert broken.title == "PEP-0007-broken.md" and broken.pep.error and broken.status == ""


def test_a_record_goes_into_the_cache_and_comes_back_equal(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    for record in state.records.values():
        stored = marshal.loads(marshal.dumps(record.to_cache()))  # plain tuples only
        again = SiteRecord.from_cache(stored)  # without its words: the cache keeps them apart, read when asked
        assert again.stored_search is None and dataclasses.replace(again, stored_search=record.search_fields) == record
        assert pickle.loads(pickle.dumps(record)) == record


def test_a_failed_page_keeps_the_record_but_its_error(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    alpha = state.records["PEP-0001-alpha.md"]
    failed = alpha.failed("the page could not be rendered")
    assert failed.pep.error == "the page could not be rendered" and failed.pep.error_line == 1
    assert failed.title == alpha.title and failed.url == alpha.url and alpha.pep.error is None


def test_the_page_of_a_file_with_a_name_of_the_longest_length_can_be_written(tmp_path):
    # a file name of 254 or 255 bytes (as long as file systems allow) gave a page name 256 or 257
    # bytes long: "File name too long", and no site at all for anyone
    from sitehelpers import build

    folder = copy_fixtures(tmp_path)
    long_names = ["PEP-0043-" + "a" * 243 + ".md", "PEP-0044-" + "é" * 121 + ".md", "PEP-0045-" + "a" * 242 + ".md"]
    for number, name in zip((43, 44, 45), long_names):
        assert len(name.encode("utf-8")) >= 254
        source = (folder / "PEP-0001-alpha.md").read_text(encoding="utf-8").replace("0001", f"{number:04d}")
        (folder / name).write_text(source, encoding="utf-8")
    out = tmp_path / "site"
    result = build(folder, out)
    assert result.pages == len(list(folder.glob("PEP-*.md")))
    pages = {page_path(name) for name in long_names}
    assert len(pages) == 3 and all((out / page).is_file() for page in pages)
    assert all(len(page.split("/")[1].encode("utf-8")) <= 255 for page in pages)
    assert page_path("PEP-0001-alpha.md") == "pep/PEP-0001-alpha.html"  # a usual name as it was
