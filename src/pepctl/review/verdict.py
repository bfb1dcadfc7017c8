"""What the review engine says about a pull request: plain data, and its JSON.

Records that are only read are named tuples (cheap to define: the gate imports them on every
run); ``Objection`` and ``Verdict``, which ``decide`` fills in step by step, are dataclasses.

``Verdict`` holds everything ``decide`` found; ``Reason`` is one finding of
an R rule; ``Objection``, ``Answer``, ``FinalCall`` and ``FirstFeedback``
are what the engine counted from the reviews and comments. ``to_json`` of
each is the ``--format json`` shape of ``pepctl gate`` (keys in field order).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"
NOTE = "note"

# Every label starting with this belongs to the engine: the adapter adds the ones a verdict
# asks for and removes the others.
LABEL_PREFIX = "pep: "
OVERDUE_LABEL = "pep: feedback overdue"

# Each answer starts with this hidden marker holding its key, so the bot posts it once.
ANSWER_MARKER = "<!-- pepctl-answer {key} -->"


def status_label(status: str) -> str:
    """The label of a PEP in a (canonical) status: ``pep: under review``."""
    return LABEL_PREFIX + status.casefold()


def is_managed_label(name: str) -> bool:
    """True for labels the engine sets and removes (``pep: ...``)."""
    return name.casefold().startswith(LABEL_PREFIX)


def fields_json(item) -> dict:
    """Plain data (a named tuple or a dataclass) as a JSON object: its fields, in order."""
    if isinstance(item, tuple):
        return item._asdict()
    return {f.name: getattr(item, f.name) for f in fields(item)}


class Reason(NamedTuple):
    """One finding: a rule code and a message saying what is wrong and how to fix it.

    ``message`` is plain text (the summary escapes it); ``path``/``line`` point
    into a PEP file when the finding is about one; ``number`` is its PEP number.
    """

    code: str
    name: str
    severity: str
    message: str
    path: str | None = None
    line: int | None = None
    number: int | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR

    def sort_key(self):
        return (self.code, self.path or "", self.line or 0, self.message)

    to_json = fields_json

    def __repr__(self) -> str:
        where = f" {self.path}:{self.line}" if self.path else ""
        return f"Reason({self.code} {self.severity}{where}: {self.message})"


@dataclass(eq=False)
class Objection:  # not frozen: resolving or overruling it settles it in place
    """An objection: from anyone's changes-requested review (``source``
    "review", id ``R-<review id>``), a ``/pep object`` command in a comment
    ("comment", id ``O-<comment id>``) or in a review's text ("review-text",
    id ``R-<review id>-2``). ``state`` is open, resolved or overruled;
    ``resolved_by``/``resolved_at`` say who resolved or overruled it and when,
    ``how`` by what: "resolve command", "approving review", "review dismissed
    by its raiser" or "final call".

    ``edited_at`` is set when the comment that raised it was edited after it
    was posted: the objection still counts (an edit never removes a block),
    but only a resolve, an approval or a final call made after the edit
    resolves or overrules it. ``dismissed_by`` names who dismissed the
    change request when that was not its raiser: it still stands.
    ``overruled_for``: labels of the PEPs whose final call overruled it; it
    is "overruled" once that covers every PEP the pull request decides, and
    until then still blocks the others."""

    id: str
    raiser: str
    reason: str
    raised_at: str
    source: str
    state: str = "open"
    resolved_by: str | None = None
    resolved_at: str | None = None
    how: str | None = None
    edited_at: str | None = None
    dismissed_by: str | None = None
    overruled_for: list[str] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.state == "open"

    def blocks(self, label: str) -> bool:
        """Whether it still stands against PEP ``label`` (open, and not overruled for it)."""
        return self.open and label not in self.overruled_for

    def settle(self, state: str, by: str, at: str, how: str) -> None:
        self.state, self.resolved_by, self.resolved_at, self.how = state, by, at, how

    to_json = fields_json

    def __repr__(self) -> str:
        return f"Objection({self.id}, {self.raiser!r}, {self.state})"


class Answer(NamedTuple):
    """A reply the bot owes to one command line.

    ``key`` is stable (comment id and line, ``review-<review id>:<line>`` for a
    review's text), so the adapter can post each answer once: ``body`` starts
    with a hidden marker holding the key. ``comment_id`` is the id of the
    comment, or of the review when ``source`` is "review".
    ``text`` is Markdown; every untrusted part (what the person typed, handles,
    problems quoting their words) goes through ``pepctl.review.markdown``, so
    it mentions only the person who wrote the command and injects nothing.
    """

    key: str
    comment_id: int
    author: str
    command: str
    text: str
    source: str = "comment"

    @classmethod
    def to(cls, command, text: str) -> Answer:
        """The answer to a parsed ``pepctl.review.commands.Command``."""
        source = getattr(command, "source", "comment") or "comment"
        prefix = "" if source == "comment" else f"{source}-"
        return cls(f"{prefix}{command.comment_id}:{command.line}", command.comment_id, command.author, command.name,
                   text, source)

    @property
    def line(self) -> int:
        """The command's line in its comment or review text (the end of ``key``)."""
        return int(self.key.rsplit(":", 1)[1])

    @property
    def marker(self) -> str:
        return ANSWER_MARKER.format(key=self.key)

    @property
    def body(self) -> str:
        return f"{self.marker}\n{self.text}\n"

    to_json = fields_json

    def __repr__(self) -> str:
        return f"Answer({self.key}, {self.command})"


class FinalCall(NamedTuple):
    """The project lead's last valid ``/pep final-call`` on one PEP (``pep``, its label);
    ``decision`` is accept or decline. ``comment_id`` is the comment's id, or the review's when
    ``source`` is "review"."""

    decision: str
    rationale: str
    author: str
    comment_id: int
    at: str
    pep: str = ""
    source: str = "comment"

    to_json = fields_json


class Approvals(NamedTuple):
    """The approvals of one PEP (``pep``, its label; ``path``, its file): the maintainers whose
    approval counts (``counted``, sorted), and (login, why) of approvals that do not."""

    pep: str
    path: str
    counted: list[str]
    not_counted: list[tuple[str, str]]

    to_json = fields_json


class FirstFeedback(NamedTuple):
    """The first-feedback clock (PEP-0000 §5).

    ``running`` is False when no PEP of the PR is Under Review at head, or
    the PR is a draft; the other fields are then None/False.
    ``entered_at``: when review started (facts.under_review_since, else the PR's
    creation). ``first_at``/``first_by``: the first review or comment by a
    maintainer (or the lead) who is neither the PR author nor a PEP author, at
    or after ``entered_at``. ``due_at`` = entered + ``days``. ``age_days``: whole
    days from entered to the first feedback, or to now while waiting.
    ``overdue``: still waiting and more than ``days`` days have passed.
    """

    running: bool = False
    days: int = 0
    entered_at: str | None = None
    first_at: str | None = None
    first_by: str | None = None
    due_at: str | None = None
    age_days: int | None = None
    overdue: bool = False

    to_json = fields_json


@dataclass(eq=False)
class Verdict:  # not frozen: decide() fills it in step by step
    """What the engine decided. ``passed``: no blocking reason.

    - ``informational``: the PR is a draft; report, do not enforce.
    - ``conclusion``: "success", "failure", or "neutral" (a blocked draft).
    - ``reasons``: every Reason, sorted by code, path, line.
    - ``labels``: ``pep: <status>`` of each PEP at head, plus ``pep: feedback overdue``.
    - ``answers``: Answer for each command that needs a reply, to at most ten commands of one
      comment or review text (``pepctl.review.engine.bounded``).
    - ``objections``: every Objection (open, resolved, overruled).
    - ``approvals``: Approvals of each PEP the pull request is about (who counts, who does not
      and why), by path; ``approvals_needed``: the configured number.
    - ``final_calls``: the FinalCall of each PEP the lead decided, by label (``final_call``: the
      latest of them). ``first_feedback``: FirstFeedback.
    - ``peps``: PepChange of each PEP file touched. ``edited``: (comment id,
      author, command names) of edited comments, naming the commands ignored
      (an edited comment's objections still count; see ``Objection.edited_at``).
    - ``checked``: codes of the rules that applied to this PR, sorted.
    - ``related``: the existing PEPs most like each PEP the pull request adds, by path (Facts.related).
    - ``summary``: Markdown of the one summary comment (starts with SUMMARY_MARKER).
    """

    passed: bool = True
    informational: bool = False
    reasons: list[Reason] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)
    approvals: list[Approvals] = field(default_factory=list)
    approvals_needed: int = 0
    final_calls: list[FinalCall] = field(default_factory=list)
    first_feedback: FirstFeedback | None = None
    peps: list = field(default_factory=list)
    edited: list[tuple] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    related: dict = field(default_factory=dict)
    project_lead: str = ""
    summary: str = ""

    @property
    def final_call(self) -> FinalCall | None:
        """The latest final call (of whichever PEP), or None."""
        return max(self.final_calls, key=lambda c: (c.at, c.pep), default=None)

    def call_for(self, label: str) -> FinalCall | None:
        """The final call on PEP ``label``, or None."""
        return next((c for c in self.final_calls if c.pep == label), None)

    def approvals_of(self, label: str) -> Approvals | None:
        return next((a for a in self.approvals if a.pep == label), None)

    @property
    def blocking(self) -> list[Reason]:
        return [r for r in self.reasons if r.blocking]

    @property
    def conclusion(self) -> str:
        if self.passed:
            return "success"
        return "neutral" if self.informational else "failure"

    def to_json(self) -> dict:
        return {
            "passed": self.passed,
            "informational": self.informational,
            "conclusion": self.conclusion,
            "reasons": [r.to_json() for r in self.reasons],
            "labels": list(self.labels),
            "answers": [a.to_json() for a in self.answers],
            "objections": [o.to_json() for o in self.objections],
            "approvals": [a.to_json() for a in self.approvals],
            "approvals_needed": self.approvals_needed,
            "final_calls": [c.to_json() for c in self.final_calls],
            "first_feedback": self.first_feedback.to_json() if self.first_feedback else None,
            "peps": [p.to_json() for p in self.peps],
            "edited": [list(item) for item in self.edited],
            "checked": list(self.checked),
            "related": {path: [similar._asdict() for similar in found] for path, found in sorted(self.related.items())},
            "summary": self.summary,
        }
