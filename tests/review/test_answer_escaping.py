"""Every answer the bot posts is inert, whatever the person typed.

The one deliberate mention in an answer is the person who wrote the command,
at its start. Everything else that came from people (ids, words, reasons,
handles) must not notify anyone, link issues, render links, images or HTML,
open a block or break out of a code span.
"""

from __future__ import annotations

import re

import pytest

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review import Comment, Facts, FileChange, PullRequest, Review, decide, parse_commands

from reviewfacts import at, pep

HOSTILE = [
    "@acme/maintainers",
    "@everyone",
    "![t](https://evil.example/t.png)",
    "[x](http://evil)",
    "<http://evil.example>",
    "</details><h1>PWNED</h1>",
    "<img/src=x/onerror=alert(1)>",
    "<!--",
    "`x`|y",
    "``@bob``",
    "a|b|c",
    "#1",
    "acme/plano#7",
    "**bold**",
    "x\u2028## heading",
    "x\u0085- item",
    "x\u202e@bob",
    "O-1<img>",
    "A" * 5000,
]

POLICY = Policy(Config({"maintainers": ["alice", "bob"], "project-lead": "lead"}))
PATH = "docs/peps/PEP-0042-cache-things.md"


def _facts(comments, reviews=(), policy=POLICY):
    return Facts(
        policy,
        PullRequest(10, "PEP-0042: Cache things", "dan", created_at=at(0)),
        [FileChange(PATH, pep(status="Under Review"), pep(status="Accepted"))],
        reviews=list(reviews),
        comments=comments,
        now=at(5),
    )


CODE_SPAN_RE = re.compile(r"`[^`\n]*`")


def assert_inert(answer, author="zed"):
    body = answer.body
    assert body.startswith(answer.marker + "\n")
    text = answer.text
    if author is not None:
        assert text.startswith(f"@{author},") or text.startswith("Hello,"), text
        text = text.split(",", 1)[1]
    # the answer is one paragraph of one line (help is the only list)
    if answer.command != "help":
        assert "\n" not in text and "\r" not in text, text
    assert "\u2028" not in text and "\u0085" not in text and "\u202e" not in text
    assert text.count("`") % 2 == 0, f"unbalanced code spans: {text}"
    outside = CODE_SPAN_RE.sub("", text)
    assert "`" not in outside
    assert "<" not in outside and ">" not in outside, f"raw HTML: {text}"
    assert not re.search(r"(?<![\\\w])@[A-Za-z0-9]", outside), f"a mention: {text}"
    assert not re.search(r"(?<!\\)#[0-9]", outside), f"an issue link: {text}"
    assert not re.search(r"(?<!\\)[\[\]]", outside), f"a link or image: {text}"
    assert not re.search(r"(?<!\\)[*_|]", outside), f"emphasis or table: {text}"
    assert "](" not in outside and "![" not in outside
    assert parse_commands(body) == []
    assert len(text) < 1200


def _answers(body, author="zed", reviews=(), policy=POLICY, extra=()):
    comments = [*extra, Comment(900, author, body, at(2))]
    return [a for a in decide(_facts(comments, reviews, policy)).answers if a.comment_id == 900]


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize(
    "template, kind",
    [
        ("/pep resolve {h}", "resolve-malformed"),
        ("/pep {h}", "unknown"),
        ("/pep final-call {h}", "final-call-malformed"),
        ("/pep final-call accept {h}", "final-call-not-lead"),
        ("/pep help {h}", "help"),
    ],
)
def test_answers_to_hostile_text_are_inert(template, kind, hostile):
    body = template.format(h=hostile)
    answers = _answers(body)
    if not parse_commands(body):
        pytest.skip("not a command line")
    assert answers, f"{kind}: no answer to {body!r}"
    for answer in answers:
        assert_inert(answer)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_malformed_final_call_from_the_lead_is_inert(hostile):
    (answer,) = _answers(f"/pep final-call {hostile}", author="lead")  # malformed: always answered
    assert_inert(answer, "lead")


def test_resolve_of_an_unknown_id_and_by_someone_else_are_inert():
    raised = Comment(800, "zed", "/pep object it leaks @acme/team <img src=x> [x](http://e)", at(1))
    (other,) = _answers("/pep resolve O-800", author="alice", extra=[raised])
    assert_inert(other, "alice")
    assert "`@zed`" in other.text and "`/pep resolve O-800`" in other.text
    (unknown,) = _answers("/pep resolve O-999", author="alice", extra=[raised])
    assert_inert(unknown, "alice")


def test_malformed_objection_answer_is_inert():
    (answer,) = _answers("/pep object")
    assert_inert(answer)


@pytest.mark.parametrize("login", ["ev@il", "x<img>", "acme/team", "a b"])
def test_an_odd_author_is_greeted_not_mentioned(login):
    (answer,) = _answers("/pep resolve @everyone", author=login)  # not an id: always answered
    assert_inert(answer, None)
    assert answer.text.startswith("Hello,")


def test_hostile_project_lead_in_the_config_is_inert():
    policy = Policy(Config({"maintainers": ["alice"], "project-lead": "@acme/leads <img src=x>"}))
    for body, command in (("/pep final-call accept ok", "final-call"), ("/pep help", "help")):
        (answer,) = _answers(body, policy=policy)  # zed is not the lead; help is always answered
        assert answer.command == command
        assert_inert(answer)


def test_the_resolve_answer_quotes_the_id_as_code():
    (answer,) = _answers("/pep resolve @acme/maintainers")
    assert "`@acme/maintainers` is not an objection id" in answer.text
    (answer,) = _answers("/pep resolve `x`|y")
    assert "`'x'|y`" in answer.text


def test_an_edited_objection_answer_is_inert_too():
    # a resolve made before the objection's comment was edited is answered
    raised = Comment(800, "zed", "/pep object [x](http://e) @acme/team", at(1), at(3))
    (answer,) = _answers("/pep resolve O-800", extra=[raised], reviews=[Review(1, "alice", "APPROVED", at(1))])
    assert_inert(answer)
    assert "edited" in answer.text
