"""Search: the words and summary of a PEP, and search-index.json."""

from __future__ import annotations

import json

import pytest

from sitehelpers import copy_fixtures, state_of

from pepctl.site.search import SUMMARY_LENGTH, WORD_RE, plain_summary, search_index, words_of


@pytest.mark.parametrize("text", [
    "Plain words, and_underscores; x y zz 42 1.5",
    "Ünïcode Wörds — smart “quotes” naïve café",
    "control\x1bchars\x07and\ttabs\x0cform",
    "CamelCase camelcase CAMELCASE",
    "emoji 🎉party 日本語 テキスト",
    "title TITLE words Wörds wörds pep 0042",
    "",
])
def test_search_words_match_the_word_regex(text):
    expected = set(WORD_RE.findall((text + " Title PEP-0042").lower()))
    words = words_of(text.encode("utf-8"), "Title", "PEP-0042").decode("utf-8").split()
    assert set(words) == expected and len(words) == len(expected)  # each word once
    assert json.dumps(" ".join(words), ensure_ascii=False) == f'"{" ".join(words)}"'  # nothing JSON escapes


def test_words_come_in_the_order_they_first_appear():
    assert words_of(b"beta Alpha beta gamma", "delta alpha").split() == [b"beta", b"alpha", b"gamma", b"delta"]


def test_a_summary_is_plain_text_cut_at_a_word():
    assert plain_summary("Use **bold** and [a link](x.md) <!-- not this -->.\n\n```rust\ncode\n```\n") == \
        "Use bold and a link . code"
    long = plain_summary("word " * 200)
    assert len(long) <= SUMMARY_LENGTH and long.endswith("word…")


def test_the_search_index_has_one_entry_per_pep_with_its_words(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    data = json.loads(search_index(state))
    assert data["fields"] == ["url", "pep", "title", "status", "summary", "words"]
    entries = {entry[1]: entry for entry in data["docs"]}
    assert [entry[1] for entry in data["docs"]] == [f"PEP-{n:04d}" for n in range(8)]
    alpha = entries["PEP-0001"]
    assert alpha[:4] == ["pep/PEP-0001-alpha.html", "PEP-0001", "Alpha streaming cache", "Under Review"]
    assert alpha[4].startswith("Add an exact-match response cache") and "lovelace" in alpha[5].split()
    assert entries["PEP-0007"][3] == "Unreadable"
