"""YAML metadata (EIP and MADR front matter, kep.yaml): spans read from the YAML's nodes, problems
with their place, and one-scalar edits that keep every other byte."""

from __future__ import annotations

import pytest

from pepctl.formats.base import Problem
from pepctl.formats.yamlmeta import fields_of, node_text, compose, scalar_text
from tests.formats.dialects import doc

KEP_TEXT = ("title: 'It''s'\nkep-number: 42 # the number\nempty:\ntilde: ~\nnull-word: null\nquoted-null: \"null\"\n"
            "list: [a, b]\nblock:\n  - x\n  - y\nmap:\n  alpha: v1\n  beta: [1, 2]\nfolded: >\n  one\n  two\n"
            "unicode: Łukasz — “quoted”\nspaced:    padded   \n")


def test_every_kind_of_value_and_its_span():
    d = doc(KEP_TEXT, "kep")
    read = {f.name: (f.raw, f.value, f.line) for f in d.field_list}
    assert read == {
        "title": ("'It''s'", "It's", 0),
        "kep-number": ("42", "42", 1),  # the comment is no part of the value
        "empty": ("", "", 2),
        "tilde": ("~", "", 3),
        "null-word": ("null", "", 4),
        "quoted-null": ('"null"', "null", 5),  # quoted: the word itself
        "list": ("[a, b]", "a, b", 6),
        "block": ("- x\n  - y", "x, y", 7),
        "map": ("alpha: v1\n  beta: [1, 2]", "alpha: v1, beta: 1, 2", 10),
        "folded": (">\n  one\n  two", "one two\n", 13),
        "unicode": ("Łukasz — “quoted”", "Łukasz — “quoted”", 16),
        "spaced": ("padded", "padded", 17),  # the spaces around it are no part of it
    }
    for f in d.field_list:
        assert KEP_TEXT[f.name_start:].startswith(f.name + ":")
        if f.value_start is None:
            assert f.value_end is None
        else:
            assert KEP_TEXT[f.value_start:f.value_end] == f.raw
    assert d.field("empty").has_value is False and d.field("tilde").has_value is True
    assert d.header.first_line == 0 and d.header.last_line == 17


def test_fields_of_places_spans_and_lines_in_the_whole_document():
    problems = []
    fields, nodes = fields_of("a: 1\nb: two\n", 100, str.upper, problems, line_base=7)
    assert [(f.name, f.key, f.line, f.name_start, f.value_start, f.value_end) for f in fields] == [
        ("a", "A", 7, 100, 103, 104), ("b", "B", 8, 105, 108, 111)]
    assert list(nodes) == ["A", "B"] and problems == []


def test_a_repeated_key_keeps_the_first_node():
    _, nodes = fields_of("a: 1\na: 2\n", 0, str, [])
    assert nodes["a"].value == "1"


def test_node_text():
    root, problem = compose("a: [x, [y, z]]\nb: {k: v, n: ~}\nc: NULL\nd: Null\ne: ''\n")
    assert problem is None
    values = {node_text(k): node_text(v) for k, v in root.value}
    assert values == {"a": "x, y, z", "b": "k: v, n: ", "c": "", "d": "", "e": ""}
    assert compose("") == (None, None)


@pytest.mark.parametrize("text, line, message", [
    ("---\neip: 1\ntitle: [unclosed\n---\n\nBody\n", 4, "the YAML metadata does not parse: did not find expected ',' or ']'"),
    ("---\neip: 1\n- a\n---\n", 3, "the YAML metadata does not parse: did not find expected key"),
    ("---\neip: 1\ntitle: a: b\n---\n", 3, "the YAML metadata does not parse: mapping values are not allowed in this context"),
    ("---\n- a\n- b\n---\n", 2, "the YAML metadata is not a mapping of `key: value` lines"),
    ("---\n\n\n- a\n---\n", 4, "the YAML metadata is not a mapping of `key: value` lines"),
])
def test_malformed_front_matter_is_a_problem_at_its_line_and_column_1(text, line, message):
    for ending in ("\n", "\r\n"):
        d = doc(text.replace("\n", ending), "eip")
        assert d.problems == [Problem(line, 1, "malformed-header", message)]
        assert not d.header.found


LAUGHS = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 8))  # 9**7 times "lol"


@pytest.mark.parametrize("yaml, line, message", [
    ("eip: 1\nloop: &a [*a]\n", 3, "an alias refers to the value it stands in"),
    ("eip: 1\nl0: &l0 lol\n" + LAUGHS, 8, "its aliases expand to over 100000 characters"),  # l5: 9**5 * 'lol'
    ("eip: 1\ndeep: " + "[" * 900 + "]" * 900 + "\n", 3, "values nested over 100 deep"),
])
def test_aliases_that_loop_or_explode_and_deep_nesting_are_a_problem(yaml, line, message):
    d = doc("---\n" + yaml + "---\n\nBody\n", "eip")
    assert d.problems == [Problem(line, 1, "malformed-header", f"the YAML metadata does not parse: {message}")]


def test_a_key_line_holding_a_looping_alias_is_read_as_written():
    from pepctl.formats.yamlmeta import line_scalar

    assert line_scalar("&a [*a]") == "&a [*a]"


def test_a_key_that_is_no_plain_name_is_skipped_with_a_problem():
    d = doc("---\n? [a, b]\n: c\neip: 2\n\"\": x\n---\n", "eip")
    assert d.problems == [Problem(2, 1, "malformed-header", "a metadata key is not a plain name"),
                          Problem(5, 1, "malformed-header", "a metadata key is not a plain name")]
    assert [f.name for f in d.field_list] == ["eip"]


def test_a_tab_in_kep_yaml_is_a_problem_on_its_line():
    d = doc("title: x\nstatus: ok\n\tb: 2\n", "kep")
    assert [(p.line, p.column, p.kind) for p in d.problems] == [(3, 1, "malformed-header")]
    assert "tab character" in d.problems[0].message


@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\r\nb", "\r"])
@pytest.mark.parametrize("fmt, text", [("kep", "title: Spin\nstatus: provisional\n"),
                                       ("eip", "---\neip: 1\nstatus: Draft\n---\n"),
                                       ("madr", "---\nstatus: proposed\n---\n# T\n")])
def test_a_value_with_a_line_break_is_refused_and_nothing_changes(fmt, text, value):
    d = doc(text, fmt)
    with pytest.raises(ValueError, match="^a metadata value cannot hold a line break$"):
        d.set_field("status", value)
    assert d.text == text


@pytest.mark.parametrize("value, old, written", [
    ("Draft", "Review", "Draft"),
    ("Łukasz — “q”", "x", "Łukasz — “q”"),
    ("a: b", "x", "'a: b'"),  # plain, it would be a mapping
    ("# x", "x", "'# x'"),  # plain, a comment
    ("- a", "x", "'- a'"),  # plain, a list
    ("[a]", "x", "'[a]'"),
    ("@ada", "x", "'@ada'"),  # @ cannot start a plain scalar
    ("", "x", "''"),
    ("1", "x", "'1'"),  # a number where text was: quoted
    ("1.5", "x", "'1.5'"),
    ("null", "x", "'null'"),
    ("2024-01-02", "x", "'2024-01-02'"),
    ("yes", "x", '"yes"'),  # a YAML 1.1 bool (Jekyll, PyYAML) where text was
    ("on", "x", '"on"'),
    ("yes", "", '"yes"'),  # no old value (a new field, an empty one): text is text
    ("no", "", '"no"'),
    ("43", "42", "43"),  # a number where a plain number was: plain
    ("2022-01-01", "2021-04-14", "2022-01-01"),  # a date where a plain date was: plain
    ("1.5", "1.2", "1.5"),
    ("43", '"42"', '"43"'),  # ... unless the old one was quoted
    ("43 ", "42", "'43 '"),  # spaces around it are kept, so quoted
    ("1e3", "42", "'1e3'"),  # a YAML 1.1 string where a number was
    ("2022-01-01", "", "'2022-01-01'"),
    ("it's", "'x'", "'it''s'"),  # the old value's quote style is kept
    ('say "hi"', '"x"', '"say \\"hi\\""'),
    ("plain", '"x"', '"plain"'),
    ("plain", "'x'", "'plain'"),
])
def test_scalar_text(value, old, written):
    assert scalar_text(value, old) == written


@pytest.mark.parametrize("fmt, text", [("kep", "title: Spin\nrelease:\nstatus: provisional\n"),
                                       ("eip", "---\neip: 1\nrelease:\nstatus: Draft\n---\n")])
def test_an_empty_key_gets_its_value_after_the_colon(fmt, text):
    for value, written in (("v1.2", "v1.2"), ("yes", '"yes"')):
        d = doc(text, fmt)
        d.set_field("release", value)
        assert d.text == text.replace("release:", f"release: {written}")
        assert d.get("release") == value


@pytest.mark.parametrize("key, shape", [("authors", "[a, b]"), ("authors", "\n  - a\n  - b"),
                                        ("milestone", "\n  alpha: v1"), ("owners", "{a: 1}")])
def test_a_list_or_mapping_is_refused_with_where_it_is(key, shape):
    text = f"title: Spin\n{key}: {shape}\nstatus: provisional\n".replace(": \n", ":\n")
    d = doc(text, "kep")
    with pytest.raises(ValueError, match=f"^field '{key}' on line 2 holds a list or mapping; edit it by hand$"):
        d.set_field(key, "x")
    assert d.text == text


def test_set_keeps_comments_quotes_and_crlf():
    text = "title: \"Spin: widgets\"   # shown on the site\r\nstatus: provisional # still\r\n"
    d = doc(text, "kep")
    d.set_field("title", "Spin: more")
    d.set_field("status", "implementable")
    assert d.text == "title: \"Spin: more\"   # shown on the site\r\nstatus: implementable # still\r\n"


BOMB = ("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi"))
        + "status: provisional\n")


def test_an_alias_bomb_is_a_problem_at_its_line_not_expanded():
    # nine levels of nine aliases: 9**9 items if expanded; it is found out within the budget
    d = doc("title: Bomb\n" + BOMB, "kep")
    assert d.problems == [Problem(6, 1, "malformed-header",  # e: 9**5 times "lol"
                                  "the YAML metadata does not parse: its aliases expand to over 100000 characters")]


@pytest.mark.parametrize("text", ["x: &a [1, *a]\nstatus: provisional\n", "x: &a {k: *a}\nstatus: provisional\n"])
def test_a_recursive_alias_is_a_problem_not_endless_recursion(text):
    d = doc(text, "kep")
    assert d.problems == [Problem(1, 1, "malformed-header",
                                  "the YAML metadata does not parse: an alias refers to the value it stands in")]


@pytest.mark.parametrize("length", [20_000, 150_000])
def test_a_long_scalar_is_read_whole(length):
    d = doc("title: " + "x" * length + "\nstatus: provisional\n", "kep")
    assert d.get("title") == "x" * length and d.problems == []
