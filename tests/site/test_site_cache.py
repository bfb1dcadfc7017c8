"""The build cache: what a build leaves for the next, and the keys that say which pages to render again."""

from __future__ import annotations

import dataclasses

from sitehelpers import copy_fixtures, state_of

from pepctl.config import Config
from pepctl.site import cache
from pepctl.site.gitinfo import Repository


def test_what_is_saved_is_loaded_back_and_words_are_read_when_asked(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    store = cache.Store(cache.cache_dir(str(tmp_path / "out")))
    pages = {name: f"key-{name}" for name in state.records}
    stats = {name: b"stat-" + name.encode() for name in state.records}
    store.save(cache.EMPTY, "site-key", "world", state.records, stats, pages, {"key": [1]})
    loaded = cache.load(str(tmp_path / "out"))
    assert (loaded.site, loaded.world, loaded.git, loaded.pages) == ("site-key", "world", {"key": [1]}, pages)
    assert {name: e.stat for name, e in loaded.entries.items()} == stats
    for name, record in state.records.items():
        again = loaded.records[name]
        assert again.stored_search is None and again.search_fields == record.search_fields  # read when asked
        assert dataclasses.replace(again, stored_search=record.search_fields) == record


def test_a_save_writes_only_the_rows_that_changed(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    out = str(tmp_path / "out")
    store = cache.Store(cache.cache_dir(out))
    pages = {name: "k" for name in state.records}
    store.save(cache.EMPTY, "s", "w", state.records, {}, pages, None)
    last = cache.load(out)
    changes = store.db.total_changes
    one = next(iter(state.records))
    store.save(last, "s", "w", state.records, {}, {**pages, one: "new"}, None)
    assert store.db.total_changes - changes == 1 + 5  # its row, and the five meta values
    assert cache.load(out).pages[one] == "new"
    rest = {name: record for name, record in state.records.items() if name != one}
    store.save(cache.load(out), "s", "w", rest, {}, pages, None)
    assert one not in cache.load(out).entries
    assert store.db.execute("SELECT count(*) FROM words").fetchone()[0] == len({r.hash for r in rest.values()})


def test_no_cache_a_broken_one_or_another_version_is_an_empty_one(tmp_path, monkeypatch):
    assert cache.load(str(tmp_path / "none")) is cache.EMPTY
    out = str(tmp_path / "out")
    broken = tmp_path / f".out{cache.CACHE_SUFFIX}" / cache.DB_FILE
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not sqlite" * 1000)
    assert cache.load(out) is cache.EMPTY
    cache.Store(cache.cache_dir(out)).save(cache.EMPTY, "k", "w", {}, {}, {}, None)
    assert cache.load(out).site == "k"
    monkeypatch.setattr(cache, "SITE_VERSION", "another")
    assert cache.load(out) is cache.EMPTY


def test_the_cache_lives_beside_the_output_or_in_the_user_cache_when_that_is_read_only(tmp_path, monkeypatch):
    assert cache.cache_dir(str(tmp_path / "_site")) == str(tmp_path / "._site.pepctl-cache")
    assert cache.cache_dir(str(tmp_path / "_site") + "/") == str(tmp_path / "._site.pepctl-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(cache.os, "access", lambda path, mode: False)
    elsewhere = cache.cache_dir(str(tmp_path / "www"))
    assert elsewhere.startswith(str(tmp_path / "xdg" / "pepctl" / "site" / "www-"))
    assert cache.cache_dir(str(tmp_path / "_site")) != elsewhere


def test_digest_tells_parts_apart():
    assert cache.digest("ab", "c") != cache.digest("a", "bc")
    assert cache.digest(b"x", {"b": 1, "a": 2}) == cache.digest(b"x", {"a": 2, "b": 1})


def test_the_site_key_changes_with_the_configuration_base_url_and_repository():
    keys = {cache.site_key(Config(), "", Repository()),
            cache.site_key(Config({"first-feedback-days": 3}), "", Repository()),
            cache.site_key(Config(), "https://peps.example.org/", Repository()),
            cache.site_key(Config(), "", Repository(url="https://github.com/o/r"))}
    assert len(keys) == 4


def test_a_page_key_changes_when_a_pep_it_names_gets_a_new_title(tmp_path):
    folder = copy_fixtures(tmp_path)
    state, _ = state_of(folder)
    gamma, alpha = state.records["PEP-0003-gamma.md"], state.records["PEP-0001-alpha.md"]
    before = {name: cache.page_key(state, "s", state.records[name]) for name in (gamma.file, alpha.file)}
    beta = folder / "PEP-0002-beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("Beta routing", "Beta weighted routing"), encoding="utf-8")
    state, _ = state_of(folder)
    assert cache.page_key(state, "s", gamma) != before[gamma.file]  # it supersedes beta: its banner shows the title
    assert cache.page_key(state, "s", alpha) == before[alpha.file]
    assert cache.page_key(dataclasses.replace(state, last_changes={alpha.file: {"date": "d", "commit": "c"}}), "s",
                          alpha) != before[alpha.file]
