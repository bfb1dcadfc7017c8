"""Search, what a record carries for it: plain passages under their headings, and words by place."""

from __future__ import annotations

import json
import zlib

import pytest

from sitehelpers import cpu_bounded

from pepctl.site import searchtext
from pepctl.site.searchtext import (SUMMARY_LENGTH, WORD_RE, passages_of, plain_summary, plain_text, record_fields,
                                    terms_of, word_counts)


def test_passages_keep_headings_apart_from_their_text():
    body = "\nOpening words.\n\n## Introduction\n\nThis starts here.\n\n### Table of Contents\n\n- one\n- two\n"
    assert passages_of(body) == [("", "Opening words."), ("Introduction", "This starts here."),
                                 ("Table of Contents", "one two")]


def test_plain_text_keeps_underscores_in_words_and_code_and_adds_no_space_before_punctuation():
    assert plain_text("Set `max_retry_count`, [the docs](x.md). Use snake_case; _emphasis_ and **bold**!") == \
        "Set max_retry_count, the docs. Use snake_case; emphasis and bold!"
    assert plain_text("A [link][ref], an ![image](i.png) and <https://example.com/a_b>.\n\n[ref]: https://x") == \
        "A link, an image and https://example.com/a_b."
    assert plain_text("| A | B |\n|---|:-:|\n| `x|y` | 2 |\n\n> quoted\n\n1. first\n- [x] done\n") == \
        "A B x|y 2 quoted first done"
    assert plain_text("<b>bold</b> &amp; <!-- hidden --> \\*not emphasis\\*") == "bold & *not emphasis*"


def test_code_blocks_stay_as_they_are_in_passages():
    body = "\n## Code\n\n```python\ndef __init__(self, a: int | None) -> None:  # <not a tag>\n    pass\n```\n"
    assert passages_of(body) == [("Code", "def __init__(self, a: int | None) -> None: # <not a tag> pass")]


def test_underlined_headings_of_markdown_and_restructuredtext_are_headings():
    body = "Intro.\n\nMotivation\n==========\n\nBecause.\n\nRationale\n---------\n\nSo.\n\nDetails\n~~~~~~~\n\nMore.\n"
    assert passages_of(body) == [("", "Intro."), ("Motivation", "Because."), ("Rationale", "So."),
                                 ("Details", "More.")]


def test_a_records_terms_say_where_each_word_is():
    terms, passages = record_fields("Alpha cache", "PEP-0001", "Ada Lovelace (@ada)",
                                    "\n## Design\n\nThe cache cache cache holds entries; entries expire.\n")
    places = terms_of(terms)
    assert places["alpha"] == places["cache"] == places["pep"] == places["0001"] == searchtext.TITLE
    assert places["design"] == places["ada"] == places["lovelace"] == searchtext.HEADING
    assert places["entries"] == searchtext.ONCE and places["the"] == searchtext.ONCE
    assert json.loads(zlib.decompress(passages)) == [["Design", "The cache cache cache holds entries; entries expire."]]
    terms, _ = record_fields("T", "PEP-0001", "", "\nword word word other\n")
    assert terms_of(terms)["word"] == searchtext.OFTEN


def test_passages_are_cut_to_the_budget_each_keeping_its_start():
    passages = [("A", "short text"), ("B", "long " * 2000), ("C", "middle " * 300)]
    cut = searchtext.trimmed(passages, 3000)
    assert sum(len(text) for _, text in cut) <= 3000 + 10
    assert cut[0] == ("A", "short text") and cut[1][1].startswith("long long") and cut[1][1].endswith("…")


@pytest.mark.parametrize("text", [
    "Plain words, and_underscores; x y zz 42 1.5",
    "Ünïcode Wörds — smart “quotes” naïve café ÉCOLE",
    "control\x1bchars\x07and\ttabs\x0cform",
    "CamelCase camelcase CAMELCASE",
    "emoji 🎉party 日本語 テキスト",
    "",
])
def test_word_counts_find_the_words_of_the_word_regex(text):
    expected: dict[str, int] = {}
    for word in WORD_RE.findall(text.lower()):
        expected[word] = expected.get(word, 0) + 1
    assert {w.decode("utf-8"): n for w, n in word_counts(text).items()} == expected


def test_a_summary_is_plain_text_cut_at_a_word():
    assert plain_summary("Use **bold** and [a link](x.md) <!-- not this -->.\n\n```rust\ncode\n```\n") == \
        "Use bold and a link . code"
    long = plain_summary("word " * 200)
    assert len(long) <= SUMMARY_LENGTH and long.endswith("word…")



def test_a_shortcut_reference_link_loses_its_brackets_only_when_its_label_is_defined():
    body = ("\nAsk the [core  Team] about [T] and `[u8]`, or read the [Guide][g].\n\n"
            "[Core team]: https://example.org/team\n[g]: https://example.org/guide\n")
    assert passages_of(body) == [("", "Ask the core Team about [T] and [u8], or read the Guide.")]
    assert plain_text("the [core team]") == "the [core team]"  # no definition given: text as written


HOSTILE_LINES = {  # each repeated to about 200 KB: what made a regex rescan the rest of its line or text
    "indent": " " * 200_000 + "x",  # a line of blanks: the table-rule pattern tried every split of them
    "brackets": "[a" * 100_000,  # unclosed link texts
    "images": "![" * 100_000,  # unclosed image texts (the summary's pattern crossed lines)
    "tags": "<a" * 100_000,  # unclosed tags
    "comments": "<!--" * 50_000,  # unclosed comments (the pattern crossed lines)
    "autolinks": "<http:" * 33_000,
    "fences": "````a\n" * 33_000,  # fences that never close: each scanned to the end of the text
    "backticks": "`" * 200_000 + "x",
}


@pytest.mark.parametrize("name", HOSTILE_LINES)
def test_a_hostile_line_costs_linear_time(name, tmp_path):
    # a 200 KB line of any of these took minutes to hours of CPU (the work grew with the square of
    # its length): one pull request could stall every build of the site. The bound below is a
    # hundred times what the work takes; the old patterns needed far more.
    body = "# Title\n\nWords.\n\n" + HOSTILE_LINES[name] + "\n\n## End\n\nLast words.\n"
    out = cpu_bounded("import sys\n"
                      "from pepctl.site.searchtext import passages_of, plain_summary, plain_text\n"
                      "body = open(sys.argv[1], encoding='utf-8').read()\n"
                      "passages_of(body); plain_text(body); plain_summary(body)\n"
                      "print('done')\n", body, tmp_path, 20)
    assert out == "done\n", name
