"""Escaping untrusted text for the Markdown the review bot posts."""

from __future__ import annotations

import pytest

from pepctl.review.markdown import ZWJ, code, handle, message, plain, text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("plain words", "plain words"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("a | b", "a \\| b"),
        ("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"),
        ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"),
        ("![img](http://e/x.png)", "\\!\\[img\\]\\(http://e/x.png\\)"),
        ("line one\n## heading\r\n| a | b |", "line one \\#\\# heading \\| a \\| b \\|"),
        ("hi @bob and @org/team", f"hi @{ZWJ}bob and @{ZWJ}org/team"),
        ("see #12", f"see \\#{ZWJ}12"),
        ("mail a@b.c", f"mail a@{ZWJ}b.c"),
        ("a & b", "a &amp; b"),
        ("x\u202ey\u200bz\x00", "xyz"),
        ("  spaced \t out  ", "spaced out"),
    ],
)
def test_text_is_inert(raw, expected):
    assert text(raw) == expected


def test_long_text_is_cut():
    assert plain("x" * 500, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(
    "login, shown",
    [
        ("alice", "`@alice`"),
        ("@Alice-B", "`@Alice-B`"),
        ("dependabot[bot]", "`@dependabot[bot]`"),
        ("<b>evil</b>", "@&lt;b&gt;evil&lt;/b&gt;"),
    ],
)
def test_handles_never_mention(login, shown):
    assert handle(login) == shown


def test_code_spans_cannot_be_closed_early():
    assert code("a`b") == "`a'b`"
    assert code("a|b", table=True) == "`a\\|b`"


def test_message_keeps_code_spans_and_escapes_the_rest():
    assert message("post `/pep resolve O-1` now, @bob | <i>") == f"post `/pep resolve O-1` now, @{ZWJ}bob \\| &lt;i&gt;"
    assert message("one ` tick") == "one \\` tick"


def test_text_is_cut_at_300_characters_by_default():
    assert text("x" * 300) == "x" * 300
    assert text("x" * 301) == "x" * 299 + "…"
    assert plain("y" * 301) == "y" * 299 + "…" and plain("y" * 300) == "y" * 300


def test_a_cut_drops_trailing_space_before_the_ellipsis():
    assert plain("abc def", 5) == "abc…"
    assert plain("abcdef", 0) == "abcdef"  # 0: no limit


def test_plain_keeps_or_strips_the_ends():
    assert plain("  a\n\tb  ") == "a b"
    assert plain("  a  ", strip=False) == " a "
    assert text(" a ", strip=False) == " a "


def test_handles():
    assert handle("  @@bob ") == "`@bob`"
    assert handle("not a login " * 10) == "@" + ZWJ + ("not a login " * 5).strip()[: 58] + "…"
    assert handle("") == "(unknown)" and handle("@") == "(unknown)"
    assert handle("a b") == f"@{ZWJ}a b"


def test_code_spans():
    assert code("") == "` `" and code("  ") == "` `"
    assert code("x" * 100) == "`" + "x" * 79 + "…`"
    assert code("a|b") == "`a|b`"


@pytest.mark.parametrize("raw, shown", [
    ("use `x|y` here", "use `x|y` here"),
    ("empty `` span", "empty \\`\\` span"),
    ("a `` b `c`", "a \\`\\` b `c`"),
    ("`*` and *", "`*` and \\*"),
    ("lead  `x`  trail", "lead `x` trail"),  # runs of space collapse; the spaces around the span stay
])
def test_message_code_spans(raw, shown):
    assert message(raw) == shown


def test_message_is_cut_at_500_by_default():
    assert message("z" * 501) == "z" * 499 + "…"
    assert message("z" * 20, 10) == "z" * 9 + "…"


def test_message_code_spans_are_cut_only_by_the_message_limit():
    # a long quoted value (a path, a URL) keeps its whole text inside the message's own limit,
    # not code()'s 80-character default for a lone token
    long = "a/" * 60
    assert message(f"see `{long}` there") == f"see `{long}` there"
    assert message(f"`{'y' * 200}`", 100) == "\\`" + "y" * 98 + "…"
