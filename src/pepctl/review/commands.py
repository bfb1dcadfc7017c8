"""The ``/pep ...`` commands people write on a pull request: in its comments and in the text of
its reviews.

Grammar (one command per line, as many lines as you like in one comment or review)::

    /pep object <reason>                                   anyone: raise an objection
    /pep resolve <id>                                      the objection's raiser: withdraw it
    /pep final-call accept|decline [PEP-NNNN] <rationale>  the project lead: decide
    /pep help                                              list the commands

A line is a command when, after optional leading spaces or tabs, it starts with
``/pep`` followed by a space or the end of the line. The word ``/pep``, the
command name and ``accept``/``decline`` are case-insensitive. These lines are
never commands: quoted lines (``> /pep ...``), lines inside fenced code blocks
(````` or ``~~~``, at any indentation) and lines inside HTML comments (they
are invisible on GitHub). Anything else after ``/pep`` parses as an
``unknown`` command, which the engine answers.

Objection ids are derived from where the objection was raised, so they never
change when other objections come and go:

- ``O-<comment id>`` for the first ``/pep object`` line of a comment,
  ``O-<comment id>-2``, ``-3``... for further ones in the same comment;
- ``R-<review id>`` for a "changes requested" review;
- ``R-<review id>-2``, ``-3``... for the ``/pep object`` lines in a review's text (review and
  comment ids come from different counters, so a review's objections never take an ``O-`` id).

``/pep resolve`` accepts an id in any case, with or without the dash, a
leading ``#`` or surrounding backticks (``o123``, ```O-123```).

Approvals are not commands: they are GitHub reviews.

Commands of edited comments do not count, except objections: an edit must
never remove a block; see ``collect``. GitHub's REST API does not say whether
a review's text was edited, so commands in review text are taken as they stand.

A final call may name the PEP it decides (``/pep final-call accept PEP-0042
<rationale>``); ``Command.pep`` is then its number.

``Command.problem`` is plain text for a person (it may quote what they
typed); whoever shows it in Markdown passes it through
``pepctl.review.markdown.message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from pepctl.review.markdown import plain

HELP = "help"
OBJECT = "object"
RESOLVE = "resolve"
FINAL_CALL = "final-call"
UNKNOWN = "unknown"

COMMENT = "comment"
REVIEW = "review"

NAMES = (OBJECT, RESOLVE, FINAL_CALL, HELP)

COMMAND_RE = re.compile(r"[ \t]*/pep(?:[ \t]+(.*?))?[ \t]*", re.IGNORECASE)
FENCE_RE = re.compile(r"(`{3,}|~{3,})(.*)")
ID_RE = re.compile(r"([OR])-?(\d{1,20})(?:-(\d{1,4}))?", re.IGNORECASE)
PEP_RE = re.compile(r"PEP-?(\d{1,6})[:,.;]?", re.IGNORECASE)
LINE_SPLIT_RE = re.compile(r"\r\n|\r|\n")

# What `/pep help` and the summary show; every line starts with "- " so that
# none of them is itself a command when quoted back by the bot.
USAGE = [
    ("/pep object <reason>", "raise an objection (anyone); it blocks acceptance until resolved"),
    ("/pep resolve <id>", "withdraw an objection you raised; the summary lists the ids"),
    (
        "/pep final-call accept|decline [PEP-NNNN] <rationale>",
        "the project lead's decision when maintainers disagree, once the PEP has been reviewed or an objection is open; "
        "name the PEP when the pull request decides several, and record the rationale in the PEP too",
    ),
    ("/pep help", "show this list"),
]


@dataclass(eq=False)
class Command:  # not frozen: parse() and collect() fill in where it stands
    """One command line of one comment or review text.

    ``name`` is one of object, resolve, final-call, help, unknown. ``arg`` is
    the rest of the line (the reason, the id, the rationale, or for unknown
    commands the word that was not understood); ``decision`` is accept or
    decline for a final call. ``problem`` is set when the line is a known
    command written wrongly (a missing reason, id or decision); the engine
    answers those instead of acting on them. ``line`` is the 1-based line in
    the comment body, ``index`` the position among the comment's commands of
    that name (from 0), ``text`` the command line, stripped. ``collect`` fills
    in the comment's id, author and time, and ``edited_at`` (the comment's
    ``updated_at``) when it was edited after posting.
    """

    name: str
    arg: str = ""
    decision: str = ""
    problem: str = ""
    line: int = 0
    text: str = ""
    index: int = 0
    comment_id: int | None = None
    author: str = ""
    created_at: str = ""
    edited_at: str | None = None
    pep: int | None = None
    source: str = COMMENT

    @property
    def objection_id(self) -> str:
        """The id an ``object`` command creates (the n-th object line of its comment or review)."""
        if self.source == REVIEW:
            return f"{objection_id_for_review(self.comment_id)}-{self.index + 2}"
        return objection_id_for_comment(self.comment_id, self.index)

    @property
    def post(self) -> tuple[str, object]:
        """Where it was written: (source, id)."""
        return self.source, self.comment_id

    def __repr__(self) -> str:
        extra = f" {self.decision}" if self.decision else ""
        return f"Command({self.name}{extra} {self.arg!r}, comment={self.comment_id}, line={self.line})"


def objection_id_for_comment(comment_id, nth: int) -> str:
    return f"O-{comment_id}" if nth == 0 else f"O-{comment_id}-{nth + 1}"


def objection_id_for_review(review_id) -> str:
    return f"R-{review_id}"


def normalize_id(text: str) -> str | None:
    """The canonical form of an objection id as typed, or None when it is not one."""
    token = text.strip().strip("`'\"").lstrip("#").rstrip(".,;:!?)")
    match = ID_RE.fullmatch(token)
    if not match:
        return None
    kind, number, part = match.group(1).upper(), int(match.group(2)), match.group(3)
    if part is not None and int(part) >= 2:
        return f"{kind}-{number}-{int(part)}"
    return f"{kind}-{number}"


def visible_lines(body: str):
    """(1-based line number, line) of the lines a reader sees as text: not in
    a fenced code block, not in an HTML comment, not quoted."""
    fence_char, fence_run = "", 0
    in_comment = False
    for number, line in enumerate(LINE_SPLIT_RE.split(body or ""), 1):
        stripped = line.strip()
        if fence_char:
            if stripped.startswith(fence_char * fence_run) and not stripped.lstrip(fence_char).strip():
                fence_char, fence_run = "", 0
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        fence = FENCE_RE.match(stripped)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            fence_char, fence_run = fence.group(1)[0], len(fence.group(1))
            continue
        if stripped.startswith(">"):
            continue
        start = line.find("<!--")
        if start != -1 and "-->" not in line[start + 4 :]:
            in_comment = True
        yield number, line


def parse(body: str) -> list[Command]:
    """Every command in one comment body, in order."""
    commands = []
    for number, line in visible_lines(body):
        match = COMMAND_RE.fullmatch(line)
        if match is None:
            continue
        command = parse_words(match.group(1) or "")
        command.line = number
        command.text = line.strip()
        command.index = sum(1 for c in commands if c.name == command.name)
        commands.append(command)
    return commands


def parse_words(rest: str) -> Command:
    """A Command from what follows ``/pep`` on a line."""
    parts = rest.split(None, 1)
    if not parts:
        return Command(UNKNOWN, "", problem="no command after /pep")
    word = parts[0].casefold()
    tail = parts[1].strip() if len(parts) > 1 else ""
    if word == HELP:
        return Command(HELP, tail)
    if word == OBJECT:
        if not tail:
            return Command(OBJECT, "", problem="an objection needs a reason: `/pep object <reason>`")
        return Command(OBJECT, tail)
    if word == RESOLVE:
        if not tail:
            return Command(RESOLVE, "", problem="say which objection: `/pep resolve <id>` (the summary lists the ids)")
        token = tail.split()[0]
        if normalize_id(token) is None:
            # the token is quoted back as a code span: no backticks inside, kept short
            shown = plain(token, 40).replace("`", "'")
            return Command(
                RESOLVE,
                token,
                problem=f"`{shown}` is not an objection id; ids look like O-123 or R-456 (the summary lists them)",
            )
        return Command(RESOLVE, normalize_id(token))
    if word == FINAL_CALL:
        pieces = tail.split(None, 1)
        decision = pieces[0].casefold() if pieces else ""
        rationale = pieces[1].strip() if len(pieces) > 1 else ""
        if decision not in ("accept", "decline"):
            return Command(
                FINAL_CALL,
                tail,
                problem="a final call is `/pep final-call accept <rationale>` or `/pep final-call decline <rationale>`",
            )
        number = None
        words = rationale.split(None, 1)
        named = PEP_RE.fullmatch(words[0]) if words else None
        if named is not None:
            number = int(named.group(1))
            rationale = words[1].strip() if len(words) > 1 else ""
        if not rationale:
            return Command(
                FINAL_CALL,
                "",
                decision=decision,
                pep=number,
                problem=f"a final call needs its rationale on the same line: `/pep final-call {decision} <rationale>`",
            )
        return Command(FINAL_CALL, rationale, decision=decision, pep=number)
    return Command(UNKNOWN, parts[0])


class Post(NamedTuple):
    """A review's text as ``collect`` reads it, beside comments (which it reads as they are)."""

    id: int
    author: str
    body: str
    created_at: str
    source: str = REVIEW
    edited: bool = False  # GitHub's REST API does not tell whether a review's text was edited
    updated_at: str | None = None


def review_posts(reviews) -> list[Post]:
    """The texts of submitted reviews, for ``collect``."""
    return [Post(r.id, r.author, r.body, r.submitted_at) for r in reviews if r.state != "PENDING" and r.body]


class Collected(NamedTuple):
    """Commands of a pull request's comments (and review texts), and those of edited comments skipped.

    ``commands``: the commands that count, in the order the comments were
    made (then by line): every command of unedited comments, and the
    well-formed ``/pep object`` lines of edited ones (their ``edited_at`` is
    set). ``edited``: (comment, [Command]) for every edited comment with
    commands that do not count, listing only those.
    """

    commands: list[Command]
    edited: list[tuple]


def collect(comments, order_key=None) -> Collected:
    """Parse every comment (and ``Post``: a review's text). ``order_key(comment)`` sorts them
    (default: as given).

    A comment edited after it was posted could have had a command added (or an
    objection's reason changed) after others reacted to it, so its commands
    are ignored and the person is told to post a new comment instead. Not its
    objections, though: people who may edit other people's comments (any
    maintainer) could otherwise void an objection with a typo fix. An edit
    may add a block, never remove one, so a well-formed ``/pep object`` of an
    edited comment still counts (the engine treats it as raised again at the
    edit: what was resolved or overruled before it no longer covers it).
    """
    ordered = sorted(comments, key=order_key) if order_key is not None else list(comments)
    commands, edited = [], []
    for comment in ordered:
        found = parse(comment.body or "")
        if not found:
            continue
        source = getattr(comment, "source", COMMENT)
        for command in found:
            command.comment_id = comment.id
            command.author = comment.author or ""
            command.created_at = comment.created_at
            command.source = source
        if not comment.edited:
            commands.extend(found)
            continue
        ignored = []
        for command in found:
            if command.name == OBJECT and not command.problem:
                command.edited_at = comment.updated_at
                commands.append(command)
            else:
                ignored.append(command)
        if ignored:
            edited.append((comment, ignored))
    return Collected(commands, edited)
