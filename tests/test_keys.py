"""One normal form for each kind of name."""

import pytest

from pepctl.keys import field_key, login_key, strip_emphasis, text_key


@pytest.mark.parametrize(("text", "key"), [("Under  Review", "under review"), ("  Rationale\t", "rationale"), ("ÉTAT", "état"), ("Straße", "strasse")])
def test_text_key_collapses_spaces_and_folds_case(text, key):
    assert text_key(text) == key


@pytest.mark.parametrize(("handle", "key"), [("@Alice", "alice"), (" alice ", "alice"), ("ALICE", "alice"), (None, ""), ("", "")])
def test_login_key_drops_the_at_and_the_case(handle, key):
    assert login_key(handle) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [("**Status**", "status"), ("Author(s)", "authors"), ("__Superseded By__", "superseded-by"), ("Tracking Issues", "tracking issue"), ("*Title*", "title")],
)
def test_field_key_strips_emphasis_and_folds_aliases(name, key):
    assert field_key(name) == key


@pytest.mark.parametrize(("text", "plain"), [("**x**", "x"), ("_y_", "y"), ("**", "**"), ("*a", "*a")])
def test_strip_emphasis_only_strips_a_matched_pair(text, plain):
    assert strip_emphasis(text) == plain
