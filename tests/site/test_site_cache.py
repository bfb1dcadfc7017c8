"""The build cache: what a build leaves for the next, and the keys that say which pages to render again."""

from __future__ import annotations

import dataclasses

from sitehelpers import copy_fixtures, state_of

from pepctl.config import Config
from pepctl.site import cache
from pepctl.site.gitinfo import Repository


def test_what_is_saved_is_loaded_back(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    out = tmp_path / "out"
    pages = {name: f"key-{name}" for name in state.records}
    cache.save(str(out), "site-key", cache.records_blob(state.records), pages, {"key": [1]})
    loaded = cache.load(str(out))
    assert loaded == cache.Cache("site-key", state.records, pages, {"key": [1]})


def test_no_cache_a_broken_one_or_another_version_is_an_empty_one(tmp_path, monkeypatch):
    assert cache.load(str(tmp_path / "none")) is cache.EMPTY
    broken = tmp_path / "out" / cache.CACHE_DIR / cache.CACHE_FILE
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not marshal")
    assert cache.load(str(tmp_path / "out")) is cache.EMPTY
    cache.save(str(tmp_path / "out"), "k", cache.records_blob({}), {}, None)
    monkeypatch.setattr(cache, "SITE_VERSION", "another")
    assert cache.load(str(tmp_path / "out")) is cache.EMPTY


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
