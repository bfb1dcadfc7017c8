"""Search: the sharded index a build publishes, and how a rebuild updates it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchhelpers import (add_search_peps, files_of, index_of, manifest, route, shard_file, stems_of_index,
                           write_pep)
from sitehelpers import build, copy_fixtures

from pepctl.site import cache, search, searchshards
from pepctl.site.searchtext import ONCE, TITLE


# -- the published index --------------------------------------------------------------------------

@pytest.fixture
def small_shards(monkeypatch):
    monkeypatch.setattr(searchshards, "SHARD_BYTES", 400)  # many shards out of a few PEPs


def test_a_build_publishes_a_manifest_shards_and_passages(tmp_path, small_shards):
    folder = copy_fixtures(tmp_path)
    add_search_peps(folder)
    out = tmp_path / "out"
    build(folder, out)
    m = manifest(out)
    assert m["schema_version"] == search.SCHEMA_VERSION and m["count"] == 12 and len(m["keys"]) > 5
    assert not (out / "search-index.json").exists()
    index = index_of(out)
    assert index["zeppelinoid"] == {"PEP-0001": ONCE}
    assert index["historical"] == {"PEP-0020": TITLE} and "PEP-0021" in index["history"]
    stems = stems_of_index(out)
    assert stems["decided"] == stems["deciding"] == "decid" and stems["history"] == "histori"
    for key in m["keys"]:  # every word is in the shard of the longest key it starts with
        for word, *_ in json.loads(shard_file(out, key).read_text(encoding="utf-8"))["w"]:
            assert route(word, set(m["keys"])) == key
    numbers, number, pep_id, ids = m["numbers"], 0, 0, {}
    for i in range(0, len(numbers), 2):
        number, pep_id = number + numbers[i], pep_id + numbers[i + 1]
        ids[number] = pep_id
    doc = json.loads((out / "search" / "d" / f"{ids[21]}.json").read_text(encoding="utf-8"))
    assert doc[:4] == ["pep/PEP-0021-pep-21.html", "PEP-0021", "Retry policy", "Draft"]
    assert doc[4][0] == ["Introduction", "This proposal sets max_retry_count, once per request."]
    assert (Path(cache.cache_dir(str(out))) / "search" / "state.marshal").is_file()  # where the cache lives


def test_a_stem_group_split_over_shards_is_listed_in_the_stems_shard(tmp_path, small_shards):
    folder = copy_fixtures(tmp_path)
    add_search_peps(folder)
    out = tmp_path / "out"
    build(folder, out)
    keys = set(manifest(out)["keys"])
    stems = stems_of_index(out)
    groups: dict[str, list[str]] = {}
    for word, st in stems.items():
        groups.setdefault(st, []).append(word)
    listed = {}
    for key in keys:
        for st, words in json.loads(shard_file(out, key).read_text(encoding="utf-8")).get("x", {}).items():
            assert route(st, keys) == key
            listed[st] = words
    for st, words in groups.items():
        outside = sorted(w for w in words if route(w, keys) != route(st, keys))
        assert listed.get(st, []) == outside, st


def changed_files(before: dict, after: dict) -> set[str]:
    return {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}


def test_editing_one_pep_rewrites_only_its_passages_and_the_shards_of_its_changed_words(tmp_path, small_shards):
    folder = copy_fixtures(tmp_path)
    add_search_peps(folder)
    out = tmp_path / "out"
    build(folder, out)
    before = files_of(out)
    keys = set(manifest(out)["keys"])
    old_index = index_of(out)
    path = folder / "PEP-0022-pep-22.md"
    path.write_text(path.read_text(encoding="utf-8").replace("A quuxbarite word.", "A zorbulent word."),
                    encoding="utf-8")
    build(folder, out)
    after = files_of(out)
    new_index = index_of(out)
    assert "quuxbarite" not in new_index and new_index["zorbulent"] == {"PEP-0022": ONCE}
    moved = {w for w in set(old_index) | set(new_index) if old_index.get(w) != new_index.get(w)}
    assert moved == {"quuxbarite", "zorbulent"}
    assert set(manifest(out)["keys"]) == keys
    changed = changed_files(before, after)
    shards = {rel for rel in changed if rel.startswith("search/s/")}
    expected = {shard_file(out, route(w, keys)).relative_to(out).as_posix() for w in moved}
    stems = stems_of_index(out)
    homes = {shard_file(out, route(stems[w], keys)).relative_to(out).as_posix() for w in ["zorbulent"]}
    assert expected <= shards <= expected | homes  # and a stem's home shard when its words lie elsewhere
    assert len(shards) < len(keys) / 3
    assert {rel for rel in changed if not rel.startswith("search/s/")} == {
        f"search/d/{json_id(out, 'PEP-0022')}.json", "search/manifest.json"}  # its version, and nothing else
    assert manifest(out)["keys"] == sorted(keys) and manifest(out)["version"] != json.loads(before[
        "search/manifest.json"])["version"]


def json_id(out, label: str) -> int:
    for path in (out / "search" / "d").glob("*.json"):
        if json.loads(path.read_text(encoding="utf-8"))[1] == label:
            return int(path.stem)
    raise AssertionError(label)


def test_a_rebuilt_index_holds_what_a_full_build_holds(tmp_path, small_shards):
    folder = copy_fixtures(tmp_path)
    add_search_peps(folder)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build(folder, out)
    (folder / "PEP-0020-pep-20.md").unlink()  # a PEP gone, one changed, one new
    path = folder / "PEP-0021-pep-21.md"
    path.write_text(path.read_text(encoding="utf-8").replace("history of retries", "story of retries") +
                    "\n## More\n\n" + " ".join(f"grown{n}" for n in range(200)) + "\n", encoding="utf-8")
    write_pep(folder, 30, "Newcomer proposal", "## Summary\n\nA fresh word: novelword.")
    build(folder, out)
    build(folder, fresh)
    assert index_of(out) == index_of(fresh)
    assert stems_of_index(out) == stems_of_index(fresh)
    assert "PEP-0020" not in {label for found in index_of(out).values() for label in found}
    assert len(list((out / "search" / "d").glob("*.json"))) == manifest(out)["count"] == 12
    assert index_of(out)["novelword"] == {"PEP-0030": ONCE}
    keys = set(manifest(out)["keys"])
    assert len(keys) > len(set(manifest(fresh)["keys"])) / 2  # the shard that grew was split in place
    for key in keys:
        for word, *_ in json.loads(shard_file(out, key).read_text(encoding="utf-8"))["w"]:
            assert route(word, keys) == key


def test_a_published_folder_the_cache_does_not_describe_is_written_whole(tmp_path):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "out"
    build(folder, out)
    (out / "search" / "manifest.json").unlink()
    (out / "search" / "d" / "3.json").unlink()
    build(folder, out)
    assert (out / "search" / "manifest.json").is_file() and (out / "search" / "d" / "3.json").is_file()



def test_a_broken_cache_means_a_whole_index_again(tmp_path):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "out"
    build(folder, out)
    whole = files_of(out)
    folder_of_cache = Path(cache.cache_dir(str(out))) / "search"
    for path in (folder_of_cache / "terms").glob("*.marshal"):
        path.write_bytes(b"not marshal")
    path = folder / "PEP-0003-gamma.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA zonkified line.\n", encoding="utf-8")
    build(folder, out)
    assert index_of(out)["zonkified"] == {"PEP-0003": ONCE}
    assert set(files_of(out)) == set(whole)


def test_a_gone_peps_passages_stay_until_the_manifest_without_it_is_published(tmp_path, monkeypatch):
    from pepctl.site.writer import Held

    folder = copy_fixtures(tmp_path)
    add_search_peps(folder)
    out = tmp_path / "out"
    build(folder, out)
    gone = out / "search" / "d" / f"{json_id(out, 'PEP-0020')}.json"
    (folder / "PEP-0020-pep-20.md").unlink()
    before_publish = []
    real = Held.publish

    def publish(self):
        before_publish.append((gone.exists(), manifest(out)["count"]))
        real(self)

    monkeypatch.setattr(Held, "publish", publish)
    build(folder, out)
    assert before_publish == [(True, 12)]  # the old manifest still counts it, and its file is there
    assert not gone.exists() and manifest(out)["count"] == 11


def test_search_files_deleted_from_the_site_are_written_again(tmp_path, small_shards):
    # the rest of the site comes back when a file of it is deleted; the search index's shards and
    # passages did not (their manifest was intact), and the site's search found nothing
    folder = copy_fixtures(tmp_path)
    add_search_peps(folder)
    out = tmp_path / "out"
    build(folder, out)
    before = files_of(out)
    for path in (out / "search" / "s").iterdir():
        path.unlink()
    (out / "search" / "d" / "3.json").unlink()
    build(folder, out)
    assert files_of(out) == before
