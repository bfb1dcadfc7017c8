"""Search: the words' Snowball stems, and how words are shared out into shards by prefix."""

from __future__ import annotations

from searchhelpers import route

from pepctl.site.searchshards import layout, stems_of


def test_stems_are_snowball_english():
    assert stems_of(["decided", "deciding", "decides", "decision", "decisions", "history", "histories"]) == \
        ["decid", "decid", "decid", "decis", "decis", "histori", "histori"]



def test_the_layout_splits_big_prefixes_and_keeps_small_ones_together():
    sizes = {f"co{c}{n}": 100 for c in "nm" for n in range(10)}
    sizes.update({"zebra": 10, "zoo": 10, "apple": 10})
    keys = layout(sizes, limit=600)
    assert "" in keys and "con" in keys and "com" in keys and "z" not in keys
    assert all(sum(size for word, size in sizes.items() if route(word, keys) == key) <= 1200 for key in keys)
