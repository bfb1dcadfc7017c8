"""The review engine: one pure function from a pull request's facts to a verdict.

``decide(facts)`` reads only its argument (no files, no network, no clock:
the moment of evaluation is ``facts.now``) and returns a ``Verdict``: whether
the pull request may merge, the reasons with stable rule codes, the labels
to set, answers to commands, the objections and approvals as the engine
counted them, the first-feedback clock, and the text of the one summary
comment. ``pepctl gate``, the GitHub Action and the bot all call it; none of
them re-implements a rule.

Rule codes (R family; ``RULES`` has names and summaries; docs/review.md
explains them):

====  ======================  ==================================================
R000  no-pep-files            note: the pull request touches no PEP file
R001  pr-title                a PR adding a PEP is titled ``PEP-NNNN: Title``
R002  new-pep-status          a new PEP arrives in an initial status
R003  number-collision-base   a new number is not used on the base branch
R004  number-collision-open-pr  ... nor by an older open pull request
R005  illegal-transition      base -> head status is a lifecycle transition
R006  state-requirements      the lint rules of the new status pass (L*, H009)
R007  approvals-needed        Accepted/Declined need N maintainer approvals
R008  unresolved-objection    Accepted needs every objection resolved
R009  decline-rationale       Declined records its rationale in the PEP
R010  final-call              the lead's final call is followed and recorded
R011  pep-unparseable         the PEP can be read at head (and at base)
R012  deleted-pep             PEPs are never deleted
R013  first-feedback-overdue  warning: no maintainer feedback in N days
====  ======================  ==================================================

Severity ``error`` blocks; ``warning`` and ``note`` do not. A draft pull
request is decided in full, but the verdict is marked ``informational``
(its ``conclusion`` is neutral instead of failure) and the first-feedback
clock does not run for it.
"""

from __future__ import annotations

import re

from pepctl.review import commands as cmds
from pepctl.corpus import is_pep_file
from pepctl.keys import login_key
from pepctl.model import LOGIN_RE, pep_label
from pepctl.timestamps import parse_instant
from pepctl.review.facts import Comment, Facts, FileChange, PullRequest, Review  # noqa: F401 (re-exported)

ERROR = "error"
WARNING = "warning"
NOTE = "note"

APPROVED = "APPROVED"
CHANGES_REQUESTED = "CHANGES_REQUESTED"
DISMISSED = "DISMISSED"
COMMENTED = "COMMENTED"
DECISIVE = (APPROVED, CHANGES_REQUESTED, DISMISSED)

LABEL_PREFIX = "pep: "
OVERDUE_LABEL = "pep: feedback overdue"

ACCEPTED = "Accepted"
DECLINED = "Declined"
UNDER_REVIEW = "Under Review"

# code: (name, what it checks, the line shown in the summary's checklist)
RULES = {
    "R000": ("no-pep-files", "The pull request touches no PEP file (a note, never blocks).", "PEP files in this pull request"),
    "R001": ("pr-title", "A pull request that adds a PEP is titled `PEP-NNNN: Short Title`, with the new file's number.", "title names the new PEP"),
    "R002": ("new-pep-status", "A new PEP arrives in an initial status (Draft or Under Review).", "new PEP starts in an initial status"),
    "R003": ("number-collision-base", "A new PEP's number is not used by another file on the base branch or in this pull request.", "number free on the base branch"),
    "R004": ("number-collision-open-pr", "A new PEP's number is not claimed by an older open pull request.", "number not claimed by an older open pull request"),
    "R005": ("illegal-transition", "Every status change from base to head is an allowed lifecycle transition.", "status change allowed by the lifecycle"),
    "R006": ("state-requirements", "A PEP entering a status meets that status's requirements (lint rules L*, H009).", "requirements of the new status met"),
    "R007": ("approvals-needed", "Accepting or declining needs the configured number of distinct maintainer approvals, PEP authors not counted.", "maintainer approvals"),
    "R008": ("unresolved-objection", "Accepting needs every objection resolved or overruled by the project lead.", "no unresolved objection"),
    "R009": ("decline-rationale", "A PEP entering a status that needs a rationale (Declined) records it in a Decision/Rationale section.", "rationale recorded"),
    "R010": ("final-call", "The project lead's final call is followed (status set accordingly) and its rationale recorded in the PEP.", "final call followed and recorded"),
    "R011": ("pep-unparseable", "The PEP file can be read at the head (and the base) of the pull request.", "PEP files readable"),
    "R012": ("deleted-pep", "PEP files are never deleted; declined and withdrawn PEPs stay as the record.", "no PEP deleted"),
    "R013": ("first-feedback-overdue", "A PEP under review gets first maintainer feedback within the configured days (a warning).", "first maintainer feedback on time"),
}

TITLE_RE = re.compile(r"\s*PEP-(\d{4,})\s*:\s*\S.*", re.IGNORECASE | re.DOTALL)


# -- results ----------------------------------------------------------------------


class Reason:
    """One finding: a rule code and a message saying what is wrong and how to fix it.

    ``message`` is plain text (the summary escapes it); ``path``/``line`` point
    into a PEP file when the finding is about one; ``number`` is its PEP number.
    """

    __slots__ = ("code", "name", "severity", "message", "path", "line", "number")

    def __init__(self, code, message, severity=ERROR, path=None, line=None, number=None):
        self.code = code
        self.name = RULES[code][0]
        self.severity = severity
        self.message = message
        self.path = path
        self.line = line
        self.number = number

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR

    def sort_key(self):
        return (self.code, self.path or "", self.line or 0, self.message)

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}

    def __repr__(self) -> str:
        where = f" {self.path}:{self.line}" if self.path else ""
        return f"Reason({self.code} {self.severity}{where}: {self.message})"


class Objection:
    """An objection: from a maintainer's changes-requested review (``source``
    "review", id ``R-<review id>``) or a ``/pep object`` command ("comment",
    id ``O-<comment id>``). ``state`` is open, resolved or overruled.

    ``edited_at`` is set when the comment that raised it was edited after it
    was posted: the objection still counts (an edit never removes a block),
    but only a resolve, an approval or a final call made after the edit
    resolves or overrules it."""

    __slots__ = (
        "id", "raiser", "reason", "raised_at", "source", "state", "resolved_by", "resolved_at", "how", "edited_at",
    )

    def __init__(self, id, raiser, reason, raised_at, source):
        self.id = id
        self.raiser = raiser
        self.reason = reason
        self.raised_at = raised_at
        self.source = source
        self.state = "open"
        self.resolved_by = None  # who resolved or overruled it
        self.resolved_at = None
        self.how = None  # "resolve command", "approving review", "final call"
        self.edited_at = None


    @property
    def open(self) -> bool:
        return self.state == "open"

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}

    def __repr__(self) -> str:
        return f"Objection({self.id}, {self.raiser!r}, {self.state})"


class Answer:
    """A reply the bot owes to one command line.

    ``key`` is stable (comment id and line), so the adapter can post each
    answer once: ``body`` starts with a hidden marker holding the key.
    ``text`` is Markdown; every untrusted part (what the person typed, handles,
    problems quoting their words) goes through ``pepctl.review.markdown``, so
    it mentions only the person who wrote the command and injects nothing.
    """

    __slots__ = ("key", "comment_id", "author", "command", "text")

    def __init__(self, command, text):
        self.key = f"{command.comment_id}:{command.line}"
        self.comment_id = command.comment_id
        self.author = command.author
        self.command = command.name
        self.text = text

    @property
    def marker(self) -> str:
        return f"<!-- pepctl-answer {self.key} -->"

    @property
    def body(self) -> str:
        return f"{self.marker}\n{self.text}\n"

    def to_json(self) -> dict:
        return {"key": self.key, "comment_id": self.comment_id, "author": self.author, "command": self.command, "text": self.text}

    def __repr__(self) -> str:
        return f"Answer({self.key}, {self.command})"


class FinalCall:
    """The project lead's last valid ``/pep final-call``."""

    __slots__ = ("decision", "rationale", "author", "comment_id", "at")

    def __init__(self, decision, rationale, author, comment_id, at):
        self.decision = decision  # "accept" or "decline"
        self.rationale = rationale
        self.author = author
        self.comment_id = comment_id
        self.at = at

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


class FirstFeedback:
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

    __slots__ = ("running", "days", "entered_at", "first_at", "first_by", "due_at", "age_days", "overdue")

    def __init__(self, days):
        self.running = False
        self.days = days
        self.entered_at = None
        self.first_at = None
        self.first_by = None
        self.due_at = None
        self.age_days = None
        self.overdue = False

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


class PepChange:
    """What the pull request does to one PEP file, as the engine read it."""

    __slots__ = (
        "path", "previous_path", "base", "head", "base_error", "head_error",
        "added", "deleted", "index_doc",
    )

    def __init__(self, path, previous_path=None):
        self.path = path
        self.previous_path = previous_path
        self.base = None  # Pep at base, or None
        self.head = None  # Pep at head, or None
        self.base_error = None  # DocumentError
        self.head_error = None
        self.added = False
        self.deleted = False
        self.index_doc = False  # the process/index document (PEP-0000)

    @property
    def number(self):
        for pep in (self.head, self.base):
            if pep is not None and pep.number is not None:
                return pep.number
        from pepctl.model import number_from_filename

        return number_from_filename(self.path)

    @property
    def label(self) -> str:
        number = self.number
        return pep_label(number) if number is not None else self.path.rsplit("/", 1)[-1]

    @property
    def title(self) -> str:
        for pep in (self.head, self.base):
            if pep is not None and pep.title:
                return pep.title
        return ""

    @property
    def base_status(self) -> str | None:
        return self.base.status if self.base is not None else None

    @property
    def head_status(self) -> str | None:
        return self.head.status if self.head is not None else None

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "previous_path": self.previous_path,
            "number": self.number,
            "title": self.title,
            "base_status": self.base_status,
            "head_status": self.head_status,
            "added": self.added,
            "deleted": self.deleted,
            "base_error": _error_text(self.base_error),
            "head_error": _error_text(self.head_error),
        }


class Verdict:
    """What the engine decided. ``passed``: no blocking reason.

    - ``informational``: the PR is a draft; report, do not enforce.
    - ``conclusion``: "success", "failure", or "neutral" (a blocked draft).
    - ``reasons``: every Reason, sorted by code, path, line.
    - ``labels``: ``pep: <status>`` of each PEP at head, plus ``pep: feedback overdue``.
    - ``answers``: Answer for each command that needs a reply.
    - ``objections``: every Objection (open, resolved, overruled).
    - ``approvals``: maintainer handles whose approval counts, sorted;
      ``approvals_needed``: the configured number; ``not_counted``: (handle, why)
      for approvals that do not count.
    - ``final_call``: FinalCall or None. ``first_feedback``: FirstFeedback.
    - ``peps``: PepChange of each PEP file touched. ``edited``: (comment id,
      author, command names) of edited comments, naming the commands ignored
      (an edited comment's objections still count; see ``Objection.edited_at``).
    - ``checked``: codes of the rules that applied to this PR, sorted.
    - ``summary``: Markdown of the one summary comment (starts with SUMMARY_MARKER).
    """

    __slots__ = (
        "passed", "informational", "reasons", "labels", "answers", "objections", "approvals",
        "approvals_needed", "not_counted", "final_call", "first_feedback", "peps", "edited",
        "checked", "project_lead", "summary",
    )

    def __init__(self):
        self.passed = True
        self.informational = False
        self.reasons = []
        self.labels = []
        self.answers = []
        self.objections = []
        self.approvals = []
        self.approvals_needed = 0
        self.not_counted = []
        self.final_call = None
        self.first_feedback = None
        self.peps = []
        self.edited = []
        self.checked = []
        self.project_lead = ""
        self.summary = ""

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
            "approvals": list(self.approvals),
            "approvals_needed": self.approvals_needed,
            "not_counted": [list(item) for item in self.not_counted],
            "final_call": self.final_call.to_json() if self.final_call else None,
            "first_feedback": self.first_feedback.to_json() if self.first_feedback else None,
            "peps": [p.to_json() for p in self.peps],
            "edited": [list(item) for item in self.edited],
            "checked": list(self.checked),
            "summary": self.summary,
        }


def is_managed_label(name: str) -> bool:
    """True for labels the engine sets and removes (``pep: ...``)."""
    return name.casefold().startswith(LABEL_PREFIX)


# -- helpers ----------------------------------------------------------------------


def _error_text(error):
    if error is None:
        return None
    return f"line {error.line}: {error.message}"


_when = parse_instant


def _iso(moment) -> str | None:
    if moment is None:
        return None
    import datetime

    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Clock:
    """Parses and orders the timestamps of the facts (each string once)."""

    def __init__(self):
        self._cache = {}
        import datetime

        self.epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

    def __call__(self, value):
        if value not in self._cache:
            self._cache[value] = _when(value)
        return self._cache[value]

    def key(self, value):
        """Sort key: unreadable or missing timestamps sort first."""
        moment = self(value)
        return moment if moment is not None else self.epoch


_fold = login_key


def _canonical(policy, status):
    return policy.canonical(status) if status else None


# -- reading the PEP files --------------------------------------------------------


def _is_pep_file(path: str, config) -> bool:
    return is_pep_file(path.replace("\\", "/").rsplit("/", 1)[-1], config.template, config.exclude)


def _parse(data, path):
    from pepctl.document import Document, DocumentError
    from pepctl.model import Pep

    try:
        return Pep(Document.from_bytes(data, path), path), None
    except DocumentError as err:
        return None, err


def _load(change: FileChange, config) -> PepChange:
    pc = PepChange(change.path, change.previous_path)
    if change.base is None:
        pc.added = True
    else:
        pc.base, pc.base_error = _parse(change.base, change.previous_path or change.path)
    if change.head is None:
        pc.deleted = True
    else:
        pc.head, pc.head_error = _parse(change.head, change.path)
    name = change.path.replace("\\", "/").rsplit("/", 1)[-1]
    index_name = (config.index_file or "").replace("\\", "/").rsplit("/", 1)[-1]
    pc.index_doc = pc.number == 0 or (bool(index_name) and name == index_name)
    return pc


# -- the decision -----------------------------------------------------------------


class _Run:
    """State of one decide() call."""

    def __init__(self, facts: Facts):
        from pepctl.policy import Policy

        self.facts = facts
        self.policy = facts.policy if facts.policy is not None else Policy()
        self.config = self.policy.config
        self.clock = _Clock()
        self.verdict = Verdict()
        self.checked = set()

    def add(self, code, message, severity=ERROR, pc: PepChange | None = None, line=None):
        self.checked.add(code)
        path = pc.path if pc is not None else None
        number = pc.number if pc is not None else None
        self.verdict.reasons.append(Reason(code, message, severity, path, line, number))

    def check(self, code):
        self.checked.add(code)


def decide(facts: Facts) -> Verdict:
    """Decide a pull request from its facts (pure: no I/O, no clock reads)."""
    run = _Run(facts)
    verdict = run.verdict
    policy = run.policy
    verdict.informational = bool(facts.pull.draft)
    verdict.approvals_needed = run.config.required_approvals
    verdict.project_lead = policy.project_lead

    changes = [_load(c, run.config) for c in facts.changes if _is_pep_file(c.path, run.config)]
    changes.sort(key=lambda pc: pc.path)
    verdict.peps = changes
    subjects = [pc for pc in changes if not pc.index_doc] or changes

    # Commands, in the order they were written.
    collected = cmds.collect(facts.comments, lambda c: (run.clock.key(c.created_at), _id_key(c.id)))
    verdict.edited = [(c.id, c.author, [command.name for command in found]) for c, found in collected.edited]
    answers = []
    final_call = _final_call(run, collected.commands, answers)
    authors = _pep_authors(subjects)
    objections = _objections(run, collected.commands, final_call, answers)
    _help_and_unknown(run, collected.commands, answers)
    _approvals(run, authors)
    verdict.final_call = final_call
    verdict.objections = objections
    verdict.answers = sorted(answers, key=lambda a: (run.clock.key(_comment_time(facts, a.comment_id)), _id_key(a.comment_id), a.key))

    if not changes:
        run.add("R000", "this pull request touches no PEP file, so the PEP process rules do not apply", NOTE)
    for pc in changes:
        # The lead's call is about the proposal, not the index document or a
        # PEP this pull request only now adds.
        call = final_call if pc in subjects and not pc.added else None
        _file_rules(run, pc, facts, call, objections)
    _title_rule(run, [pc for pc in subjects if pc.added and pc.head is not None], facts.pull)

    verdict.first_feedback = _first_feedback(run, subjects, authors)
    labels = set()
    for pc in subjects:
        status = _canonical(policy, pc.head_status)
        if pc.head is not None and status:
            labels.add(LABEL_PREFIX + status.casefold())
    if verdict.first_feedback.overdue:
        labels.add(OVERDUE_LABEL)
    verdict.labels = sorted(labels)

    verdict.reasons.sort(key=Reason.sort_key)
    verdict.passed = not any(r.blocking for r in verdict.reasons)
    verdict.checked = sorted(run.checked)
    from pepctl.review.summary import render

    verdict.summary = render(verdict)
    return verdict


def _id_key(value):
    """Order ids numerically when they are numbers, else as text."""
    if isinstance(value, int):
        return (0, value, "")
    text = str(value)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def _comment_time(facts, comment_id):
    for comment in facts.comments:
        if comment.id == comment_id:
            return comment.created_at
    return None


def _pep_authors(subjects) -> set:
    """Handles (casefolded) named in the Author(s) field at base or head."""
    handles = set()
    for pc in subjects:
        for pep in (pc.base, pc.head):
            if pep is not None:
                handles.update(_fold(a.handle) for a in pep.authors if a.handle)
    return handles


# -- commands ---------------------------------------------------------------------


def _mention(handle) -> str:
    """The one deliberate mention in an answer: the person who wrote the command."""
    from pepctl.review.markdown import plain

    login = plain(handle, 60).lstrip("@")
    return f"@{login}" if LOGIN_RE.fullmatch(login) else "Hello"


def _final_call(run: _Run, commands, answers):
    """The lead's last valid final call; answers for everyone else's."""
    from pepctl.review.markdown import handle, message

    policy = run.policy
    call = None
    for command in commands:
        if command.name != cmds.FINAL_CALL:
            continue
        who = _mention(command.author)
        if not policy.project_lead:
            answers.append(Answer(command, f"{who}, no project lead is configured (`project-lead` in pepctl.toml), so a final call has no effect."))
            continue
        if not policy.is_lead(command.author):
            answers.append(
                Answer(
                    command,
                    f"{who}, only the project lead ({handle(policy.project_lead)}) can make the final call, so this one has no effect. "
                    "To disagree, raise an objection with `/pep object <reason>`.",
                )
            )
            continue
        if command.problem:
            answers.append(Answer(command, f"{who}, this final call has no effect: {message(command.problem)}."))
            continue
        call = FinalCall(command.decision, command.arg, command.author, command.comment_id, command.created_at)
    return call


def _review_order(run: _Run):
    return sorted(
        (r for r in run.facts.reviews if r.state != "PENDING"),
        key=lambda r: (run.clock.key(r.submitted_at), _id_key(r.id)),
    )


def _objections(run: _Run, commands, final_call, answers):
    from pepctl.review.markdown import code, handle, message

    policy = run.policy
    clock = run.clock
    reviews = _review_order(run)
    by_id = {}
    found = []

    # A maintainer whose latest decisive review requests changes objects; the id
    # comes from the first review of that run of change requests, so it stays
    # the same when they request changes again.
    per_author = {}
    for review in reviews:
        if review.state in DECISIVE:
            per_author.setdefault(_fold(review.author), []).append(review)
    for key, items in per_author.items():
        if items[-1].state != CHANGES_REQUESTED or not policy.is_maintainer(key):
            continue
        first = len(items) - 1
        while first > 0 and items[first - 1].state == CHANGES_REQUESTED:
            first -= 1
        objection = Objection(
            cmds.objection_id_for_review(items[first].id),
            items[-1].author,
            "requested changes in a review",
            items[-1].submitted_at,
            "review",
        )
        found.append(objection)
    for command in commands:
        if command.name != cmds.OBJECT:
            continue
        if command.problem:
            answers.append(Answer(command, f"{_mention(command.author)}, this objection was not recorded: {message(command.problem)}."))
            continue
        objection = Objection(command.objection_id, command.author, command.arg, command.created_at, "comment")
        objection.edited_at = command.edited_at
        found.append(objection)
    found.sort(key=lambda o: (clock.key(o.raised_at), o.id))
    for objection in found:
        by_id[objection.id] = objection
    comment_of = {}
    for objection in found:
        if objection.source == "comment":
            comment_of[objection.id] = objection.id.split("-")[1]

    # /pep resolve: only the raiser, only after the objection was raised.
    stale = []
    for command in commands:
        if command.name != cmds.RESOLVE:
            continue
        who = _mention(command.author)
        if command.problem:
            answers.append(Answer(command, f"{who}, nothing was resolved: {message(command.problem)}."))
            continue
        objection = by_id.get(command.arg)
        when = clock.key(command.created_at)
        if objection is None or when < clock.key(objection.raised_at) or comment_of.get(objection.id) == str(command.comment_id):
            answers.append(
                Answer(command, f"{who}, there is no objection {code(command.arg)} on this pull request; the summary comment lists the ids.")
            )
            continue
        if _fold(command.author) != _fold(objection.raiser):
            answers.append(
                Answer(
                    command,
                    f"{who}, only {handle(objection.raiser)}, who raised objection {code(objection.id)}, can resolve it; it stays open. "
                    f"Ask them to post {code('/pep resolve ' + objection.id)}, or, if maintainers cannot agree, "
                    "the project lead can overrule it with a final call.",
                )
            )
            continue
        if objection.open and not _after_edit(clock, objection, command.created_at):
            stale.append((command, objection))  # answered below if nothing else settles it
            continue
        if objection.open:
            objection.state = "resolved"
            objection.resolved_by = command.author
            objection.resolved_at = command.created_at
            objection.how = "resolve command"

    # A later approving review from the raiser resolves it too.
    for objection in found:
        if not objection.open:
            continue
        raised = clock.key(objection.raised_at)
        for review in reviews:
            if (
                review.state == APPROVED
                and _fold(review.author) == _fold(objection.raiser)
                and clock.key(review.submitted_at) > raised
                and _after_edit(clock, objection, review.submitted_at)
            ):
                objection.state = "resolved"
                objection.resolved_by = review.author
                objection.resolved_at = review.submitted_at
                objection.how = "approving review"
                break

    # The lead's final call overrules every objection raised before it.
    if final_call is not None:
        called = clock.key(final_call.at)
        for objection in found:
            if objection.open and clock.key(objection.raised_at) <= called and _after_edit(clock, objection, final_call.at):
                objection.state = "overruled"
                objection.resolved_by = final_call.author
                objection.resolved_at = final_call.at
                objection.how = "final call"
    for command, objection in stale:
        if objection.open:
            answers.append(
                Answer(
                    command,
                    f"{_mention(command.author)}, the comment that raised objection {code(objection.id)} was edited after this, "
                    f"so the objection is open again; if it still does not stand, post {code('/pep resolve ' + objection.id)} "
                    "in a new comment.",
                )
            )
    return found


def _after_edit(clock, objection, moment) -> bool:
    """Whether something done at `moment` can still resolve or overrule the
    objection: always for an unedited one; for one whose comment was edited,
    only when done after the edit (when the text it answers was last changed)."""
    return objection.edited_at is None or clock.key(moment) > clock.key(objection.edited_at)


def _help_and_unknown(run: _Run, commands, answers):
    from pepctl.review.markdown import code

    for command in commands:
        if command.name == cmds.HELP:
            answers.append(Answer(command, help_text(run.policy, _mention(command.author))))
        elif command.name == cmds.UNKNOWN:
            what = code(command.arg, 40) if command.arg else "nothing"
            answers.append(
                Answer(command, f"{_mention(command.author)}, `/pep` was followed by {what}, which is not a command; `/pep help` lists them.")
            )


def help_text(policy, greeting: str = "") -> str:
    """The reply to ``/pep help``: the commands and who may use them."""
    from pepctl.review.markdown import handle

    lines = []
    if greeting:
        lines.append(f"{greeting}, these are the PEP process commands (one per line, at the start of a new comment):")
    else:
        lines.append("PEP process commands (one per line, at the start of a new comment):")
    lines.append("")
    for usage, meaning in cmds.USAGE:
        lines.append(f"- `{usage}`: {meaning}")
    lines.append("")
    lead = handle(policy.project_lead) if policy.project_lead else "the project lead (none configured)"
    lines.append(
        f"Approvals are GitHub reviews: accepting or declining a PEP needs {policy.config.required_approvals} "
        f"maintainers whose latest review approves, PEP authors not counted. Final calls come from {lead}. "
        "Commands in edited comments do not count (objections still do): post a new comment."
    )
    return "\n".join(lines)


# -- approvals --------------------------------------------------------------------


def _approvals(run: _Run, authors: set):
    """Maintainers whose latest decisive review approves, PEP authors excluded."""
    policy = run.policy
    latest = {}
    for review in _review_order(run):
        if review.state in DECISIVE:
            latest[_fold(review.author)] = review
    counted, skipped = [], []
    for key in sorted(latest):
        review = latest[key]
        name = (review.author or "").lstrip("@")
        if review.state == APPROVED:
            if key in authors:
                skipped.append((name, "a PEP author"))
            elif not policy.is_maintainer(key):
                skipped.append((name, "not a maintainer"))
            else:
                counted.append(name)
        elif review.state == DISMISSED and policy.is_maintainer(key):
            skipped.append((name, "review dismissed"))
    run.verdict.approvals = counted
    run.verdict.not_counted = skipped


# -- per-file rules ---------------------------------------------------------------


def _file_rules(run: _Run, pc: PepChange, facts: Facts, final_call, objections):
    policy = run.policy
    label = pc.label
    run.check("R011")
    run.check("R012")
    if pc.deleted:
        run.add(
            "R012",
            f"{label} is deleted; PEPs are never deleted, declined and withdrawn ones stay as the record. "
            "Restore the file and set its status instead (e.g. Withdrawn).",
            pc=pc,
        )
        return
    if pc.head_error is not None:
        run.add(
            "R011",
            f"{pc.path} cannot be read at the head of this pull request (line {pc.head_error.line}): {pc.head_error.message}"
            f"{_unreadable_advice(pc.head_error)}.",
            pc=pc,
            line=pc.head_error.line,
        )
        return
    if pc.base_error is not None:
        run.add(
            "R011",
            f"{pc.previous_path or pc.path} cannot be read on the base branch (line {pc.base_error.line}): "
            f"{pc.base_error.message}; its status change cannot be checked, so maintainer approval rules apply as for a decision.",
            WARNING,
            pc=pc,
            line=pc.base_error.line,
        )
    head = pc.head
    head_status = _canonical(policy, head.status)
    base_status = _canonical(policy, pc.base_status) if pc.base is not None else None
    status_line = _status_line(head)

    if pc.added:
        _new_pep_rules(run, pc, facts, head_status, status_line)
    elif pc.base is not None and pc.base.number is not None and head.number is not None and pc.base.number != head.number:
        _collision_rules(run, pc, facts)

    if pc.added or pc.base is None:
        changed = True
    else:
        changed = base_status != head_status or (head_status is None and pc.base.status.strip() != head.status.strip())

    if pc.base is not None and changed and base_status and head_status:
        run.check("R005")
        if not policy.can_transition(base_status, head_status):
            allowed = policy.next_states(base_status)
            hint = f"from {base_status} it can move to: {', '.join(allowed)}" if allowed else f"{base_status} is final and does not change any more"
            run.add("R005", f"{label} cannot move from {base_status} to {head_status}; {hint}.", pc=pc, line=status_line)

    if changed:
        _state_requirements(run, pc)

    # A new PEP must start in an initial status (R002), so quorum and
    # objections are only counted for PEPs that already exist on the base.
    deciding = not pc.added and (changed or pc.base_error is not None)
    if deciding and head_status in _decision_states(policy):
        _approval_rules(run, pc, head_status, final_call, objections, status_line)
    if deciding and head_status and policy.needs_rationale(head_status):
        _rationale_rule(run, pc, head_status)
    if final_call is not None:
        _final_call_rule(run, pc, head_status, final_call, status_line)


def _unreadable_advice(error) -> str:
    """What to do about an unreadable PEP file, unless the error already says it."""
    kind = getattr(error, "kind", "")
    if kind == "encoding":  # "... re-save it as UTF-8"
        return ""
    if kind == "empty":
        return "; put the PEP's text back (PEPs are never emptied or deleted: set the status instead)"
    return "; save it as UTF-8 Markdown text"


def _status_line(pep):
    field = pep.document.field("Status")
    return field.line + 1 if field is not None else None


def _decision_states(policy) -> set:
    return {s for s in (policy.canonical(ACCEPTED), policy.canonical(DECLINED)) if s}


def _new_pep_rules(run: _Run, pc: PepChange, facts: Facts, head_status, status_line):
    policy = run.policy
    run.check("R002")
    if head_status not in policy.initial_states:
        shown = pc.head.status or "(empty)"
        run.add(
            "R002",
            f"a new PEP arrives as {' or '.join(policy.initial_states)}, but {pc.label} has status {shown!r}; "
            "set the Status field accordingly (later statuses are reached in later pull requests).",
            pc=pc,
            line=status_line,
        )
    _collision_rules(run, pc, facts)


def _numbers(pc: PepChange) -> list[int]:
    head = pc.head
    return sorted({n for n in (head.number, head.file_number) if n is not None})


def _collision_rules(run: _Run, pc: PepChange, facts: Facts):

    run.check("R003")
    run.check("R004")
    own = {pc.path, pc.previous_path}
    others_here = {}
    for other in run.verdict.peps:
        if other is not pc and other.head is not None:
            for number in _numbers(other):
                others_here.setdefault(number, []).append(other.path)
    ours = facts.pull.number
    for number in _numbers(pc):
        label = pep_label(number)
        taken = sorted(p for p in facts.base_numbers.get(number, []) if p not in own)
        if taken:
            run.add(
                "R003",
                f"{label} is already used on the base branch by {', '.join(taken)}; renumber this PEP "
                "(`pepctl next --open-prs` prints a free number) and rename the file to match.",
                pc=pc,
            )
        here = sorted(p for p in others_here.get(number, []) if p not in own and p not in taken)
        if here:
            run.add("R003", f"{label} is also used by {', '.join(here)} in this pull request; give each PEP its own number.", pc=pc)
        for other_pr in sorted(facts.open_pr_numbers, key=_id_key):
            if number not in (facts.open_pr_numbers.get(other_pr) or ()):
                continue
            if other_pr == ours:
                continue
            if ours is None or _id_key(other_pr) < _id_key(ours):
                run.add(
                    "R004",
                    f"{label} is already claimed by the older open pull request #{other_pr}; renumber this PEP "
                    "(`pepctl next --open-prs` prints a number no file and no open pull request uses).",
                    pc=pc,
                )
            else:
                run.add(
                    "R004",
                    f"{label} is also used by the newer pull request #{other_pr}; this pull request keeps the number, the newer one must change.",
                    WARNING,
                    pc=pc,
                )


def _state_requirements(run: _Run, pc: PepChange):
    """R006: the linter's lifecycle rules (and H009) on the head document."""
    run.check("R006")
    for diagnostic in lint_head(run.policy, pc.path, pc.head, _today(run.facts.now), ignore=("L004",)):
        severity = ERROR if diagnostic.severity == "error" else WARNING
        run.add(
            "R006",
            f"{pc.label} line {diagnostic.line}: {diagnostic.code} {diagnostic.message}",
            severity,
            pc=pc,
            line=diagnostic.line,
        )


def _today(now):
    moment = _when(now)
    return moment.date() if moment is not None else None


def lint_head(policy, path, pep, today=None, select=("L", "H009"), ignore=()):
    """The linter's lifecycle rules on the PEP as the pull request leaves it (no folder is
    read: these rules only look at the file itself and the policy)."""
    from pepctl.lint import lint_pep

    return lint_pep(policy, pep, today=today, select=select, ignore=ignore)


def _approval_rules(run: _Run, pc: PepChange, head_status, final_call, objections, status_line):
    from pepctl.review.markdown import plain

    verdict = run.verdict
    policy = run.policy
    needed = run.config.required_approvals
    have = verdict.approvals
    overruled = final_call is not None and (
        (final_call.decision == "accept" and head_status == policy.canonical(ACCEPTED))
        or (final_call.decision == "decline" and head_status == policy.canonical(DECLINED))
    )
    run.check("R007")
    if len(have) < needed:
        names = ", ".join("@" + h for h in have) or "none yet"
        skipped = "; not counted: " + ", ".join(f"@{h} ({why})" for h, why in verdict.not_counted) if verdict.not_counted else ""
        if overruled:
            run.add("R007", f"{pc.label}: {len(have)} of {needed} maintainer approvals, but the project lead's final call decides.", NOTE, pc=pc)
        elif not policy.maintainers:
            run.add(
                "R007",
                f"{pc.label} moves to {head_status}, which needs {needed} maintainer approvals, but no maintainers are configured; "
                "list them under `maintainers` in pepctl.toml.",
                pc=pc,
                line=status_line,
            )
        else:
            run.add(
                "R007",
                f"{pc.label} moves to {head_status}, which needs approving reviews from {needed} maintainers other than "
                f"its authors; it has {len(have)} ({names}){skipped}.",
                pc=pc,
                line=status_line,
            )
    if head_status != policy.canonical(ACCEPTED):
        return
    run.check("R008")
    for objection in objections:
        if not objection.open:
            continue
        if objection.source == "review":
            how = f"@{objection.raiser} can approve the pull request or post `/pep resolve {objection.id}`"
        else:
            how = f"@{objection.raiser} can post `/pep resolve {objection.id}`"
        edited = "; its comment was edited after it was posted" if objection.edited_at else ""
        run.add(
            "R008",
            f"{pc.label} cannot be accepted while objection {objection.id} by @{objection.raiser} is open "
            f"({plain(objection.reason, 120)}{edited}); {how}, or the project lead can overrule it with a final call.",
            pc=pc,
        )


def _rationale_rule(run: _Run, pc: PepChange, head_status):
    """R009, through the linter's L004 when it is registered."""
    run.check("R009")
    from pepctl import rules

    if "L004" in rules.REGISTRY:
        found = [(d.line, d.message) for d in lint_head(run.policy, pc.path, pc.head, select=("L004",)) if d.code == "L004"]
    elif run.policy.rationale(pc.head.document)[1]:
        found = []
    else:
        found = [(_status_line(pc.head), f"a {head_status} PEP must record why in a non-empty Decision or Rationale section")]
    for line, message in found:
        run.add("R009", f"{pc.label} line {line}: {message}", pc=pc, line=line)


def _final_call_rule(run: _Run, pc: PepChange, head_status, final_call, status_line):
    run.check("R010")
    policy = run.policy
    target = policy.canonical(ACCEPTED if final_call.decision == "accept" else DECLINED)
    if head_status != target:
        run.add(
            "R010",
            f"the project lead's final call is to {final_call.decision} {pc.label}; set its Status to {target} "
            f"(it is {pc.head.status or '(empty)'}).",
            pc=pc,
            line=status_line,
        )
    if not run.policy.rationale(pc.head.document)[1]:
        sections = " or ".join(f"'## {t}'" for t in run.config.rationale_sections)
        run.add(
            "R010",
            f"the project lead made the final call on {pc.label}; record its rationale in the PEP under a non-empty {sections} section "
            "(PEP-0000: the lead records the rationale in the PEP).",
            pc=pc,
        )


def _title_rule(run: _Run, added, pull: PullRequest):
    if not added:
        return

    run.check("R001")
    expected = []
    for pc in added:
        number = pc.head.file_number if pc.head.file_number is not None else pc.head.number
        if number is not None:
            expected.append((number, pc))
    if not expected:
        return
    title = pull.title or ""
    match = TITLE_RE.fullmatch(title)
    number, pc = expected[0]
    wanted = f"{pep_label(number)}: {pc.title or 'Short Title'}"
    if match is None:
        run.add("R001", f"a pull request adding a PEP is titled `PEP-NNNN: Short Title`; rename it, e.g. to {wanted!r}.", pc=pc)
        return
    said = int(match.group(1))
    if said not in {n for n, _ in expected}:
        numbers = ", ".join(pep_label(n) for n, _ in expected)
        run.add(
            "R001",
            f"the title names {pep_label(said)}, but this pull request adds {numbers}; rename it, e.g. to {wanted!r}.",
            pc=pc,
        )


# -- first feedback ---------------------------------------------------------------


def _first_feedback(run: _Run, subjects, authors: set) -> FirstFeedback:
    facts = run.facts
    policy = run.policy
    clock = run.clock
    info = FirstFeedback(run.config.first_feedback_days)
    under_review = policy.canonical(UNDER_REVIEW)
    if facts.pull.draft or not under_review:
        return info
    if not any(pc.head is not None and _canonical(policy, pc.head_status) == under_review for pc in subjects):
        return info
    entered = clock(facts.under_review_since) or clock(facts.pull.created_at)
    if entered is None:
        return info
    import datetime

    info.running = True
    info.entered_at = _iso(entered)
    due = entered + datetime.timedelta(days=info.days)
    info.due_at = _iso(due)
    excluded = set(authors) | {_fold(facts.pull.author)}

    def counts(author) -> bool:
        key = _fold(author)
        return bool(key) and key not in excluded and (policy.is_maintainer(key) or policy.is_lead(key))

    events = [(clock(r.submitted_at), r.author) for r in facts.reviews if r.state != "PENDING" and counts(r.author)]
    events += [(clock(c.created_at), c.author) for c in facts.comments if counts(c.author)]
    events = sorted((when, _fold(who), who) for when, who in events if when is not None and when >= entered)
    now = clock(facts.now)
    if events:
        when, _, who = events[0]
        info.first_at = _iso(when)
        info.first_by = who.lstrip("@")
        info.age_days = (when - entered).days
    elif now is not None:
        info.age_days = max(0, (now - entered).days)
        info.overdue = now > due
    if info.overdue:
        run.add(
            "R013",
            f"no maintainer has reviewed or commented since this PEP entered review on {info.entered_at[:10]}; "
            f"first feedback was due within {info.days} days, by {info.due_at[:10]}.",
            WARNING,
        )
    else:
        run.check("R013")
    return info
