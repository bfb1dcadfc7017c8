"""Helpers of the search tests: PEP files written for them, and the published index read back."""

from __future__ import annotations

import json
from pathlib import Path


def write_pep(folder: Path, number: int, title: str, body: str, status: str = "Draft", slug: str = "") -> Path:
    path = folder / f"PEP-{number:04d}-{slug or 'pep-' + str(number)}.md"
    path.write_text(f"# PEP-{number:04d}: {title}\n\n| Field | Value |\n|---|---|\n| **PEP** | {number:04d} |\n"
                    f"| **Title** | {title} |\n| **Status** | {status} |\n| **Author(s)** | Ann Author (@ann) |\n"
                    f"| **Created** | 2024-01-10 |\n\n{body}\n", encoding="utf-8")
    return path


SEARCH_PEPS = {  # number: (title, body): what the search tests look for
    20: ("Historical records of the process",
         "## Summary\n\nHow the records are kept.\n\n## Motivation\n\nNothing else."),
    21: ("Retry policy",
         "## Introduction\n\nThis proposal sets `max_retry_count`, once per request.\n\n"
         "## Details\n\nThe history of retries is kept for a day, and the committee decided against more."),
    22: ("Plain words",
         "## Summary\n\nThe decision was taken; deciding again costs time. A quuxbarite word."),
    23: ("<img src=x onerror=\"window.__xss='search-title'\"> Hostile title",
         "## Summary\n\nThe text `<img src=x onerror=\"window.__xss='search-body'\">` and "
         "&lt;script&gt;window.__xss='entity'&lt;/script&gt; stay text: hostilemarker."),
}


def add_search_peps(folder: Path) -> None:
    for number, (title, body) in SEARCH_PEPS.items():
        write_pep(folder, number, title, body)


def manifest(out: Path) -> dict:
    return json.loads((out / "search" / "manifest.json").read_text(encoding="utf-8"))


def route(word: str, keys) -> str:
    for end in range(min(len(word), 12), 0, -1):
        if word[:end] in keys:
            return word[:end]
    return ""


def shard_file(out: Path, key: str) -> Path:
    from pepctl.site.searchshards import shard_name

    return out / "search" / "s" / f"{shard_name(key)}.json"


def index_of(out: Path) -> dict[str, dict[str, int]]:
    """The published index read back: word -> {PEP label: place}, through the ids of the PEP files."""
    labels = {}
    for path in (out / "search" / "d").glob("*.json"):
        labels[int(path.stem)] = json.loads(path.read_text(encoding="utf-8"))[1]
    words: dict[str, dict[str, int]] = {}
    for path in (out / "search" / "s").glob("*.json"):
        for word, _, postings in json.loads(path.read_text(encoding="utf-8"))["w"]:
            found = {}
            for token in postings.split(","):
                place = {"t": 3, "h": 2, "o": 1}.get(token[-1], 0)
                found[labels[int(token.rstrip("tho"))]] = place
            assert word not in words, f"{word} in two shards"
            words[word] = found
    return words


def stems_of_index(out: Path) -> dict[str, str]:
    stems = {}
    for path in (out / "search" / "s").glob("*.json"):
        for word, short, _ in json.loads(path.read_text(encoding="utf-8"))["w"]:
            stems[word] = word if short == 0 else word[:short] if isinstance(short, int) else short
    return stems


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "search").rglob("*")) if p.is_file()}
