"""The /pep comment command grammar."""

from __future__ import annotations

import pytest

from pepctl.review.commands import (
    FINAL_CALL,
    HELP,
    OBJECT,
    RESOLVE,
    UNKNOWN,
    collect,
    normalize_id,
    parse,
)
from pepctl.review.facts import Comment


def names(body):
    return [(c.name, c.decision, c.arg) for c in parse(body)]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("/pep object too slow", [(OBJECT, "", "too slow")]),
        ("/pep help", [(HELP, "", "")]),
        ("/pep resolve O-123", [(RESOLVE, "", "O-123")]),
        ("/pep final-call accept we need it", [(FINAL_CALL, "accept", "we need it")]),
        ("/pep final-call decline out of scope", [(FINAL_CALL, "decline", "out of scope")]),
        # case-insensitive: the prefix, the command and the decision
        ("/PEP OBJECT Loud", [(OBJECT, "", "Loud")]),
        ("/Pep Final-Call ACCEPT fine", [(FINAL_CALL, "accept", "fine")]),
        ("/pep RESOLVE o-7", [(RESOLVE, "", "O-7")]),
        # leading whitespace and trailing spaces
        ("   /pep help   ", [(HELP, "", "")]),
        ("\t/pep object tabbed", [(OBJECT, "", "tabbed")]),
        # not line-anchored, or not the /pep word
        ("please run /pep help", []),
        ("/pephelp", []),
        ("/pep:help", []),
        ("`/pep help`", []),
        ("- /pep help", []),
        # quoted lines are not commands
        ("> /pep object quoted", []),
        ("  >/pep object quoted", []),
        ("> > /pep help", []),
        # unknown words
        ("/pep approve", [(UNKNOWN, "", "approve")]),
        ("/pep", [(UNKNOWN, "", "")]),
    ],
)
def test_single_line(body, expected):
    assert names(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "```\n/pep object in code\n```",
        "~~~\n/pep object in code\n~~~",
        "````md\n```\n/pep object nested fence\n```\n````",
        "  ```\n/pep object indented fence\n  ```",
        "- item\n\n    ```\n    /pep object list fence\n    ```",
        "```\n/pep object unclosed fence runs to the end",
        "<!--\n/pep object hidden\n-->",
        "<!-- note\n/pep object hidden\n-->",
    ],
)
def test_code_and_hidden_lines_are_not_commands(body):
    assert parse(body) == []


def test_text_after_a_closed_fence_counts_again():
    body = "```\n/pep object no\n```\n/pep object yes"
    assert names(body) == [(OBJECT, "", "yes")]


def test_inline_backticks_on_one_line_are_not_a_fence():
    body = "```x``` is inline\n/pep help"
    assert names(body) == [(HELP, "", "")]


def test_several_commands_in_one_comment_keep_their_lines():
    body = "Thanks!\r\n/pep object first\r\n\r\n/pep object second\r\n/pep help\r\n"
    found = parse(body)
    assert [(c.name, c.arg, c.line) for c in found] == [
        (OBJECT, "first", 2),
        (OBJECT, "second", 4),
        (HELP, "", 5),
    ]
    assert [c.index for c in found] == [0, 1, 0]


@pytest.mark.parametrize(
    "body, problem_words",
    [
        ("/pep object", ["reason"]),
        ("/pep object   ", ["reason"]),
        ("/pep resolve", ["which objection"]),
        ("/pep resolve banana", ["not an objection id"]),
        ("/pep final-call", ["accept", "decline"]),
        ("/pep final-call maybe later", ["accept", "decline"]),
        ("/pep final-call accept", ["rationale"]),
    ],
)
def test_malformed_commands_carry_a_problem(body, problem_words):
    (command,) = parse(body)
    assert command.problem
    for word in problem_words:
        assert word in command.problem


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("O-123", "O-123"),
        ("o-123", "O-123"),
        ("O123", "O-123"),
        ("#O-123", "O-123"),
        ("`O-123`", "O-123"),
        ("O-123.", "O-123"),
        ("r-45", "R-45"),
        ("O-123-2", "O-123-2"),
        ("o-123-1", "O-123"),
        ("X-1", None),
        ("123", None),
        ("O-", None),
    ],
)
def test_objection_ids_are_read_case_insensitively(typed, canonical):
    assert normalize_id(typed) == canonical


def test_object_ids_come_from_the_comment():
    comments = [Comment(901, "eve", "/pep object a\n/pep object b", "2026-05-01T00:00:00Z")]
    found = collect(comments).commands
    assert [c.objection_id for c in found] == ["O-901", "O-901-2"]


def test_edited_comments_do_not_count():
    comments = [
        Comment(1, "eve", "/pep object fresh", "2026-05-01T00:00:00Z"),
        Comment(2, "eve", "/pep resolve O-1", "2026-05-02T00:00:00Z", "2026-05-03T00:00:00Z"),
        Comment(3, "eve", "just text, edited", "2026-05-02T00:00:00Z", "2026-05-04T00:00:00Z"),
    ]
    result = collect(comments)
    assert [(c.comment_id, c.name) for c in result.commands] == [(1, OBJECT)]
    assert [(comment.id, [c.name for c in found]) for comment, found in result.edited] == [(2, [RESOLVE])]


def test_edited_comments_keep_their_objections():
    comments = [
        Comment(1, "eve", "/pep object leaks\n/pep resolve O-9\n/pep object", "2026-05-01T00:00:00Z", "2026-05-03T00:00:00Z"),
    ]
    result = collect(comments)
    assert [(c.name, c.arg, c.edited_at) for c in result.commands] == [(OBJECT, "leaks", "2026-05-03T00:00:00Z")]
    assert [(comment.id, [(c.name, c.line) for c in found]) for comment, found in result.edited] == [
        (1, [(RESOLVE, 2), (OBJECT, 3)])
    ]


def test_resolve_problem_quotes_the_token_as_short_code():
    (command,) = parse("/pep resolve `@x`" + "y" * 100)
    assert command.problem.startswith("`'@x'yyy")
    assert command.problem.count("`") == 2 and len(command.problem.split("`")[1]) <= 40


def test_collect_orders_comments_and_tags_authors():
    comments = [
        Comment(5, "bob", "/pep help", "2026-05-02T00:00:00Z"),
        Comment(4, "amy", "/pep object x", "2026-05-01T00:00:00Z"),
    ]
    result = collect(comments, order_key=lambda c: c.created_at)
    assert [(c.comment_id, c.author, c.created_at) for c in result.commands] == [
        (4, "amy", "2026-05-01T00:00:00Z"),
        (5, "bob", "2026-05-02T00:00:00Z"),
    ]


def test_commands_in_review_texts_are_collected_beside_comments():
    from pepctl.review import Review
    from pepctl.review.commands import REVIEW, review_posts

    reviews = [Review(7, "amy", "COMMENTED", "2026-05-01T12:00:00Z", "", "/pep object a\n/pep object b"),
               Review(8, "bob", "PENDING", "2026-05-01T13:00:00Z", "", "/pep help"),  # not submitted
               Review(9, "bob", "APPROVED", "2026-05-01T14:00:00Z", "", "")]
    comments = [Comment(7, "eve", "/pep object c", "2026-05-01T00:00:00Z")]
    result = collect(comments + review_posts(reviews), order_key=lambda c: c.created_at)
    assert [(c.source, c.comment_id, c.objection_id) for c in result.commands] == [
        ("comment", 7, "O-7"), (REVIEW, 7, "R-7-2"), (REVIEW, 7, "R-7-3")]
    assert normalize_id("r-7-2") == "R-7-2"


# -- details of parsing ----------------------------------------------------------------------


def test_lines_after_a_comment_or_fence_count_again():
    assert names("<!--\nhidden\n/pep object hidden\n-->\n/pep help") == [(HELP, "", "")]
    assert names("see <!-- a note -->\n/pep help") == [(HELP, "", "")]
    assert names("see <!-- an open note\n/pep object hidden\nstill -->\n/pep help") == [(HELP, "", "")]
    assert names("~~~\n/pep object hidden\n~~~~\n/pep help\n``` x\n/pep object hidden\n```") == [(HELP, "", "")]


@pytest.mark.parametrize("typed", ["O-12X", "O-12-", "xO-12", "O-12,3", "P-12"])
def test_what_is_not_an_id(typed):
    assert normalize_id(typed) is None


@pytest.mark.parametrize("typed", ['"O-12"', "'O-12'", "`#O-12`", "O-12)", "O-12!?", " O-12 "])
def test_an_id_in_quotes_or_followed_by_punctuation(typed):
    assert normalize_id(typed) == "O-12"


def test_parsed_fields_of_each_command():
    def one(body):
        (command,) = parse(body)
        return (command.name, command.arg, command.decision, command.pep, command.problem)

    assert one("/pep") == (UNKNOWN, "", "", None, "no command after /pep")
    assert one("/pep object") == (OBJECT, "", "", None, "an objection needs a reason: `/pep object <reason>`")
    assert one("/pep resolve") == (RESOLVE, "", "", None, "say which objection: `/pep resolve <id>` (the summary lists the ids)")
    assert one("/pep final-call maybe later") == (
        FINAL_CALL, "maybe later", "", None,
        "a final call is `/pep final-call accept <rationale>` or `/pep final-call decline <rationale>`")
    assert one("/pep final-call accept PEP-0042") == (
        FINAL_CALL, "", "accept", 42, "a final call needs its rationale on the same line: `/pep final-call accept <rationale>`")
    assert one("/pep final-call decline pep42: too slow") == (FINAL_CALL, "too slow", "decline", 42, "")
    assert one("/pep final-call accept PEP-0042x ok") == (FINAL_CALL, "PEP-0042x ok", "accept", None, "")
    assert one("/pep help me") == (HELP, "me", "", None, "")
    assert one("/pep resolve O-1 thanks") == (RESOLVE, "O-1", "", None, "")
    assert one("/pep resolve nope") == (RESOLVE, "nope", "", None,
                                        "`nope` is not an objection id; ids look like O-123 or R-456 (the summary lists them)")
    assert one("/pep frobnicate the thing") == (UNKNOWN, "frobnicate", "", None, "")


def test_command_text_line_and_repr():
    (command,) = parse("first\n  /pep final-call accept PEP-0042 fine  ")
    assert (command.line, command.text, command.index) == (2, "/pep final-call accept PEP-0042 fine", 0)
    assert repr(command) == "Command(final-call accept 'fine', comment=None, line=2)"
    (help_,) = parse("/pep help")
    assert repr(help_) == "Command(help '', comment=None, line=1)"


def test_objection_ids_and_posts():
    from pepctl.review.commands import REVIEW, Command, objection_id_for_comment, objection_id_for_review

    assert objection_id_for_comment(5, 0) == "O-5" and objection_id_for_comment(5, 2) == "O-5-3"
    assert objection_id_for_review(9) == "R-9"
    command = Command(OBJECT, "x", comment_id=9, index=1, source=REVIEW)
    assert command.objection_id == "R-9-3" and command.post == (REVIEW, 9)
    assert Command(OBJECT, "x", comment_id=9, index=1).objection_id == "O-9-2"


def test_review_posts_keep_submitted_texts_only():
    from pepctl.review import Review
    from pepctl.review.commands import Post, review_posts

    reviews = [Review(1, "amy", "APPROVED", "t1", "", "/pep help"), Review(2, "bob", "PENDING", "t2", "", "/pep help"),
               Review(3, "cy", "COMMENTED", "t3", "", ""), Review(4, "di", "APPROVED", "t4"),
               Review(5, "ed", "COMMENTED", "t5", "abc", None)]  # given no text, or null as GitHub sends it
    assert review_posts(reviews) == [Post(1, "amy", "/pep help", "t1")]
    assert (Post(1, "a", "b", "c").source, Post(1, "a", "b", "c").edited, Post(1, "a", "b", "c").updated_at) == ("review", False, None)


def test_collect_skips_posts_without_commands_and_keeps_an_author_missing():
    comments = [Comment(1, None, "/pep help", "2026-05-01T00:00:00Z"), Comment(2, "eve", "no command", "2026-05-01T00:00:00Z")]
    result = collect(comments)
    assert [(c.comment_id, c.author) for c in result.commands] == [(1, "")] and result.edited == []


def test_lines_after_a_quote_count_again():
    # replying quotes the comment it answers; the reply's own commands come below the quote
    assert names("> /pep object theirs\n> more of it\n/pep help") == [(HELP, "", "")]
    assert names("> quoted\n\n/pep object mine") == [(OBJECT, "", "mine")]


def test_lines_inside_and_after_a_fence_opened_with_an_info_string():
    assert names("```python\n/pep object code\n```\n/pep help") == [(HELP, "", "")]


def test_a_long_unknown_resolve_token_is_quoted_cut_to_40():
    token = "not-an-id-" + "z" * 60
    (command,) = parse(f"/pep resolve {token}")
    assert command.problem.startswith(f"`{token[:39]}…` is not an objection id")
