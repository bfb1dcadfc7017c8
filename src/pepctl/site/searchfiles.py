"""The search index's files in the output folder, as an earlier build left them: whether all of it is
there (else the next build writes it whole), and which files a full build may delete.

A build forced into a folder of the user's own (``--force``) shares it: only files of the shapes
pepctl writes are ever deleted.
"""

from __future__ import annotations

import json
import os

from pepctl.site.searchshards import shard_name

FOLDER = "search"


def published(out_dir: str, old: dict) -> bool:
    """Whether the index the cache remembers (`old`: its manifest, PEP ids and shard keys) is the one
    in the folder, whole: its manifest the same, no shard or passage file missing."""
    try:
        with open(os.path.join(out_dir, FOLDER, "manifest.json"), "rb") as handle:
            if handle.read() != old["manifest"]:
                return False
        docs = set(os.listdir(os.path.join(out_dir, FOLDER, "d")))
        shards = set(os.listdir(os.path.join(out_dir, FOLDER, "s")))
        return all(f"{n}.json" in docs for n in old["ids"].values()) and \
            all(shard_name(key) + ".json" in shards for key in old["shards"])
    except (OSError, KeyError, TypeError, AttributeError):  # no index there, or a cache that does not fit
        return False


def remove_stale(writer, ids: set[int], shard_keys: set[str]) -> None:
    """After a full build: the files of PEPs and shards that are no more (from an older index), and
    the single-file index of earlier versions; removed by the writer (a build's, once the new
    manifest is in place). Only files of pepctl's making go: a forced build shares the folder."""
    if written_by_pepctl(os.path.join(writer.out_dir, "search-index.json"), ""):
        writer.remove("search-index.json")
    for sub, keep in (("d", {f"{n}.json" for n in ids}), ("s", {shard_name(k) + ".json" for k in shard_keys})):
        try:
            names = os.listdir(os.path.join(writer.out_dir, FOLDER, sub))
        except OSError:
            continue
        for name in names:
            if name.endswith(".json") and name not in keep and \
                    written_by_pepctl(os.path.join(writer.out_dir, FOLDER, sub, name), sub):
                writer.remove(f"{FOLDER}/{sub}/{name}")


def written_by_pepctl(path: str, sub: str) -> bool:
    """Whether a file has the shape of a passage file (sub "d"), a shard ("s") or the single-file
    index of earlier versions (""): a JSON file of the user's own is left alone."""
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read())
    except (OSError, ValueError):
        return False
    if sub == "d":
        return isinstance(data, list) and len(data) == 5 and all(isinstance(x, str) for x in data[:4]) \
            and isinstance(data[4], list)
    if sub == "s":
        return isinstance(data, dict) and isinstance(data.get("w"), list) and set(data) <= {"w", "x"}
    return isinstance(data, dict) and data.get("fields") == ["url", "pep", "title", "status", "summary", "words"]
