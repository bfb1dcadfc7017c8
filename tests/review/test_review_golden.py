"""The exact words the review engine says, compared with a golden file.

The summary comment, the answers to `/pep` commands and every reason's message are what people
read on a pull request: each says what is wrong, where, and how to fix it. The scenarios of
test_review_rules.py and the ones below (one per wording: every rule's messages, every answer,
every part of the summary) are decided in process, and for each the verdict is written out in
full (pass or not, labels, reasons with their place, objections, final calls, approvals, the
first-feedback clock, the answers and the summary); the whole must equal
tests/review/golden/verdicts.txt.

After changing a message on purpose, regenerate the file and review its diff:

    PEPCTL_UPDATE_GOLDEN=1 python -m pytest tests/review/test_review_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review import REGISTRY, FileChange, Review, decide
from pepctl.review.facts import Dismissal

from reviewfacts import (
    ACCEPT_CALL,
    DECISION,
    PATH,
    added,
    approve,
    at,
    busy_facts,
    comment,
    dismissal,
    dismissed,
    edited,
    make,
    moved,
    pep,
    request_changes,
    review_comment,
    reviewed,
)
from test_process_rules import AMENDMENTS, CONFIGURATION, DECIDERS, NUMBERING, PROCESS
from test_review_rules import SCENARIOS as RULE_SCENARIOS

GOLDEN = Path(__file__).resolve().parent / "golden" / "verdicts.txt"
UPDATE = os.environ.get("PEPCTL_UPDATE_GOLDEN") == "1"

OTHER = "docs/peps/PEP-0043-other-things.md"
NO_LEAD = Policy(Config({"maintainers": ["alice", "bob", "carol", "mallory"]}))
NOBODY = Policy(Config())
ACCEPTED = moved("Under Review", "Accepted", sections=DECISION)


def two_peps(old="Under Review", new="Accepted", **head):
    return [ACCEPTED, edited(pep(status=old, number=43, title="Other things"),
                             pep(status=new, number=43, title="Other things", sections=DECISION, **head), OTHER)]


# (name, facts): one per wording the engine can choose that RULE_SCENARIOS does not show.
SCENARIOS = [
    ("busy", busy_facts),
    ("draft-pull-request-blocked", lambda: make([added(pep(status="Accepted"))], draft=True)),
    ("new-pep-status-not-known", lambda: make([added(pep(status="Pondering"))])),
    ("number-taken-here-and-on-base", lambda: make(
        [added(pep()), added(pep(title="Other"), "docs/peps/PEP-0042-other.md")],
        base_numbers={42: ["docs/peps/PEP-0042-old.md", "docs/peps/PEP-0042-older.md"]})),
    ("number-claimed-by-older-and-newer", lambda: make([added(pep())], open_pr_numbers={5: {42}, 20: {42, 7}, 3: {9}}, number=10)),
    ("renumbered-pep-claims-its-number", lambda: make([edited(pep(number=41), pep(number=42))], base_numbers={42: ["docs/peps/PEP-0042-x.md"]})),
    ("file-named-otherwise", lambda: make([added(pep(number=44))], title="PEP-0044: Cache things")),
    ("withdrawn-is-final", lambda: make([moved("Withdrawn", "Under Review")])),
    ("accept-with-uncounted-approvals", lambda: make(
        [moved("Under Review", "Accepted", authors="Dan (@dan), Alice (@alice)")],
        reviews=[approve("alice"), approve("dan"), approve("zed"), approve("bob")])),
    ("accept-nobody-configured", lambda: make([ACCEPTED], reviews=[approve("alice")], policy=NOBODY)),
    ("decline-without-approvals", lambda: make([moved("Under Review", "Declined")])),
    ("objections-of-every-kind", lambda: make(
        [ACCEPTED],
        reviews=[approve("alice", 1), approve("bob", 1), request_changes("carol", 1, id=301), dismissed("mallory", 1, id=302),
                 approve("ivy", 3)],
        comments=[comment("zed", "/pep object it leaks memory", 1, id=401),
                  comment("amy", "/pep object no TTL\n/pep object no metrics", 1, id=402, edited_day=1.5),
                  comment("ivy", "/pep object too clever", 1, id=403),
                  comment("yan", "/pep object hmm", 1, id=404), comment("yan", "/pep resolve O-404", 2, id=405)],
        dismissals=[dismissal(dismissed("mallory", 1, id=302), "alice")])),
    ("dismissed-review-unknown", lambda: make([ACCEPTED], reviews=[approve("alice"), approve("bob"), dismissed("zed", 1, id=310)])),
    ("change-request-withdrawn-by-its-author", lambda: make(
        [ACCEPTED], reviews=[approve("alice"), approve("bob"), Review(311, "zed", "DISMISSED", at(1))],
        dismissals=[Dismissal(311, "zed", at(2), "CHANGES_REQUESTED")])),
    ("final-call-overrules", lambda: make(
        [ACCEPTED], reviews=reviewed(),
        comments=[comment("zed", "/pep object not convinced", 0.7, id=501), comment("lead", ACCEPT_CALL, 1, id=502)])),
    ("final-call-not-followed", lambda: make(
        [moved("Under Review", "Accepted")], reviews=reviewed(),
        comments=[comment("lead", "/pep final-call decline PEP-0042 too costly", 1, id=503)])),
    ("final-call-accept-note", lambda: make(
        [ACCEPTED], reviews=[*reviewed(), approve("alice", 1)],
        comments=[comment("lead", ACCEPT_CALL, 1, id=504)])),
    ("final-call-not-yet", lambda: make(
        [ACCEPTED], reviews=[review_comment("carol", 0.5)], comments=[comment("lead", ACCEPT_CALL, 1, id=505)])),
    ("final-call-not-yet-nobody", lambda: make([ACCEPTED], comments=[comment("lead", ACCEPT_CALL, 1, id=506)])),
    ("final-call-by-someone-else", lambda: make([ACCEPTED], comments=[comment("alice", ACCEPT_CALL, 1, id=507)])),
    ("final-call-no-lead", lambda: make([ACCEPTED], comments=[comment("alice", ACCEPT_CALL, 1, id=508)], policy=NO_LEAD)),
    ("final-call-malformed", lambda: make([ACCEPTED], comments=[
        comment("lead", "/pep final-call maybe later", 1, id=509), comment("lead", "/pep final-call accept", 1, id=510),
        comment("lead", "/pep final-call decline PEP-0042", 1, id=511)])),
    ("final-call-several-peps", lambda: make(two_peps(), reviews=reviewed(), comments=[
        comment("lead", ACCEPT_CALL, 1, id=512), comment("lead", "/pep final-call accept PEP-0099 fine", 1, id=513),
        comment("lead", "/pep final-call decline PEP-0043 no", 1, id=514)])),
    ("final-call-nothing-to-decide", lambda: make([added(pep())], comments=[
        comment("lead", ACCEPT_CALL, 1, id=515), comment("lead", "/pep final-call accept PEP-0042 ok", 1, id=516)])),
    ("final-call-number-twice", lambda: make(
        [edited(pep(status="Under Review"), pep(status="Accepted", sections=DECISION)),
         edited(pep(status="Under Review"), pep(status="Accepted", sections=DECISION), "docs/peps/PEP-0042-again.md")],
        reviews=reviewed(), comments=[comment("lead", "/pep final-call accept PEP-0042 yes", 1, id=517)])),
    ("commands-answered", lambda: make([ACCEPTED], reviews=[approve("alice"), approve("bob")], comments=[
        comment("zed", "/pep help", 1, id=601), comment("zed", "/pep frobnicate now", 1, id=602),
        comment("zed", "/pep", 1, id=603), comment("zed", "/pep object", 1, id=604), comment("zed", "/pep resolve", 1, id=605),
        comment("zed", "/pep resolve `nonsense`", 1, id=606), comment("zed", "/pep resolve O-999", 1, id=607),
        comment("amy", "/pep object slow", 1, id=608), comment("zed", "/pep resolve O-608", 2, id=609),
        comment("amy", "/pep resolve O-608", 0.5, id=610)])),
    ("help-without-a-lead", lambda: make([], comments=[comment("zed", "/pep help", 1, id=611)], policy=NO_LEAD)),
    ("resolve-before-an-edit", lambda: make([ACCEPTED], reviews=[approve("alice"), approve("bob")], comments=[
        comment("zed", "/pep object slow", 1, id=701, edited_day=3), comment("zed", "/pep resolve O-701", 2, id=702)])),
    ("edited-comment-commands-ignored", lambda: make([ACCEPTED], reviews=[approve("alice"), approve("bob")], comments=[
        comment("zed", "/pep help\n/pep resolve O-1\n/pep object still slow", 1, id=801, edited_day=1.5),
        comment("lead", "/pep final-call accept fine", 1, id=802, edited_day=3)])),
    ("unreadable-heads", lambda: make([
        edited(pep(), b"\x00\x01binary"), edited(pep(number=43), b"   \n", OTHER),
        edited(pep(number=44), b"# PEP-0044: x\n\xff\n", "docs/peps/PEP-0044-third.md")])),
    ("unreadable-base-renamed", lambda: make([FileChange(PATH, b"", pep(), previous_path="docs/peps/PEP-0042-old-name.md")])),
    ("deleted-unnumbered", lambda: make([FileChange("docs/peps/PEP-draft.md", b"# Draft\n", None)])),
    ("feedback-waiting", lambda: make([moved("Draft", "Under Review")], now_day=3)),
    ("feedback-overdue", lambda: make([moved("Draft", "Under Review")], now_day=30)),
    ("feedback-given", lambda: make([moved("Draft", "Under Review")], comments=[comment("dan", "ping", 0.2),
                                                                               comment("carol", "looks fine", 1.25)], now_day=30)),
    ("feedback-since-earlier", lambda: make([edited(pep(), pep(title="Cache more"))], title="Typo", since=at(-20), now_day=2)),
    ("two-peps-approvals", lambda: make(two_peps(), reviews=[approve("alice"), approve("bob"), approve("dan")])),
    ("status-dropped", lambda: make([edited(pep(status="Draft"), pep(status=""))])),
    ("status-unknown-on-both-sides", lambda: make([edited(pep(status="Thinking"), pep(status="Pondering"))])),
    ("new-pep-untitled", lambda: make([added(pep(title=""))], title="Add it")),
    ("new-pep-beside-a-deleted-one", lambda: make([added(pep()), FileChange(OTHER, pep(number=43), None)])),
    ("long-objection-and-long-file-name", lambda: make(
        [FileChange("docs/peps/PEP-a-rather-long-file-name-without-a-number.md", b"# Draft\n\nText.\n", b"# Draft\n\nMore.\n"),
         ACCEPTED],
        reviews=[approve("alice"), approve("bob")],
        comments=[comment("zed", "/pep object " + "this design keeps every response forever " * 4, 1, id=902)])),
    ("objection-and-call-at-the-same-moment", lambda: make(
        [ACCEPTED], reviews=reviewed(),
        comments=[comment("zed", "/pep object no", 1, id=903), comment("lead", ACCEPT_CALL, 1, id=904)])),
    ("objection-after-the-call", lambda: make(
        [ACCEPTED], reviews=reviewed(),
        comments=[comment("lead", ACCEPT_CALL, 1, id=905), comment("zed", "/pep object too late?", 1.5, id=906)])),
    ("latest-final-call-wins-across-comments-and-review-texts", lambda: make(
        [ACCEPTED], reviews=[*reviewed(), review_comment("lead", 1, id=920, body="/pep final-call decline PEP-0042 no")],
        comments=[comment("lead", "/pep final-call accept PEP-0042 yes", 2, id=921)])),
    ("calls-on-two-peps-settle-at-the-last", lambda: make(
        two_peps(), reviews=reviewed(),
        comments=[comment("zed", "/pep object not both", 0.7, id=922),
                  comment("lead", "/pep final-call accept PEP-0042 a", 2, id=923),
                  comment("lead", "/pep final-call accept PEP-0043 z", 1, id=924)])),
    ("edited-objection-overruled-by-a-later-call", lambda: make(
        [ACCEPTED], reviews=reviewed(),
        comments=[comment("zed", "/pep object slow", 0.7, id=925, edited_day=1.5), comment("lead", ACCEPT_CALL, 2, id=926)])),
    ("edited-objection-after-the-call", lambda: make(
        [ACCEPTED], reviews=reviewed(),
        comments=[comment("zed", "/pep object slow", 0.7, id=927, edited_day=2.5), comment("lead", ACCEPT_CALL, 2, id=928)])),
    ("reviews-ordered-by-time-not-id", lambda: make(
        [ACCEPTED], reviews=[approve("alice", 3, id=100), request_changes("alice", 1, id=900), approve("bob", 1, id=50)])),
    ("status-case-changed-only", lambda: make([edited(pep(status="Draft"), pep(status="draft"))], title="Typo")),
    ("dismissed-by-an-at-handle", lambda: make(
        [ACCEPTED], reviews=[approve("alice"), approve("bob"), dismissed("zed", 1, id=929)],
        dismissals=[Dismissal(929, "@Carol", at(2), "CHANGES_REQUESTED")])),
    ("long-title-and-path", lambda: make(
        [added(pep(title="A title that goes on " * 8), "docs/peps/PEP-0042-" + "a-very-long-file-name-" * 6 + "x.md")],
        title="PEP-0042: long")),
    ("call-on-one-of-several-with-a-long-label", lambda: make(
        [FileChange("docs/peps/PEP-an-unnumbered-proposal-with-a-name-far-longer-than-sixty-letters.md",
                    b"# Draft\n\n| Field | Value |\n|---|---|\n| **Status** | Draft |\n",
                    b"# Draft\n\n| Field | Value |\n|---|---|\n| **Status** | Under Review |\n"), ACCEPTED],
        reviews=reviewed(), comments=[comment("lead", ACCEPT_CALL, 1, id=930), comment("Xavier", "/pep help", 1, id=931)])),
    ("call-settles-when-it-covers-every-decided-pep", lambda: make(
        [ACCEPTED, edited(pep(number=43, title="Other things"), pep(number=43, title="Other things, typo fixed"), OTHER)],
        reviews=reviewed(), comments=[comment("zed", "/pep object no", 0.7, id=940),
                                      comment("lead", "/pep final-call accept PEP-0042 fine", 1, id=941)])),
    ("final-call-no-lead-twice", lambda: make([ACCEPTED], policy=NO_LEAD, comments=[
        comment("alice", ACCEPT_CALL, 1, id=942), comment("bob", "/pep final-call decline PEP-0042 no", 1.5, id=943)])),
    ("unknown-long-word", lambda: make([], comments=[comment("zed", "/pep " + "frobnicate" * 6, 1, id=944)])),
    ("a-call-binds-no-pep-the-pull-request-adds", lambda: make(
        [ACCEPTED, added(pep(status="Draft", title="Same number"), "docs/peps/PEP-0042-same-number.md")],
        reviews=reviewed(), comments=[comment("lead", ACCEPT_CALL, 1, id=945)])),
    ("three-approvals-needed", lambda: make(
        [ACCEPTED], reviews=[approve("alice"), approve("bob")],
        policy=Policy(Config({"maintainers": ["alice", "bob", "carol"], "project-lead": "lead", "required-approvals": 3})))),
    ("long-status-and-reason", lambda: make(
        [moved("Draft", "Waiting for the " + "very " * 90 + "long review")],
        comments=[comment("zed", "/pep object " + "this is far too long a reason " * 9, 1, id=946)])),
    ("long-status-unchanged", lambda: make([edited(pep(status="Parked " + "for now " * 8), pep(status="Parked " + "for now " * 8, title="Cache"))],
                                           title="Retitle")),
    ("hostile-text", lambda: make([added(pep(title="A <b>bold</b> | [x](y) @all #1"))], title="PEP-0042: whatever",
                                  comments=[comment("zed", "/pep object `a|b` *no*", 1, id=901)])),
]

def fresh(build):
    """The scenario's facts with review and comment ids counted from the start (they show in verdicts)."""
    import reviewfacts

    reviewfacts.reset_ids()
    return build()


ALL = [(name, build) for name, build, *_ in RULE_SCENARIOS] + SCENARIOS
# the process rules (R014-R018): their scenario tables, under their family's name
ALL += [(f"{family}/{name}", build) for family, table in (("deciders", DECIDERS), ("process", PROCESS), ("numbering", NUMBERING),
                                                          ("amendments", AMENDMENTS), ("configuration", CONFIGURATION))
        for name, build, *_ in table]


def render(verdict) -> list[str]:
    out = [f"passed: {verdict.passed}, conclusion: {verdict.conclusion}, informational: {verdict.informational}",
           f"labels: {verdict.labels}", f"checked: {' '.join(verdict.checked)}"]
    for r in verdict.reasons:
        out.append(f"reason {r.code} {r.name} {r.severity} {r.path}:{r.line} number={r.number}: {r.message}")
    for o in verdict.objections:
        out.append(f"objection {o.id} by {o.raiser} ({o.source}, raised {o.raised_at}): {o.reason!r}; {o.state}, "
                   f"by={o.resolved_by} at={o.resolved_at} how={o.how} edited={o.edited_at} dismissed_by={o.dismissed_by} "
                   f"overruled_for={o.overruled_for}")
    for c in verdict.final_calls:
        out.append(f"final call {c.pep}: {c.decision} by {c.author} ({c.source} {c.comment_id}, {c.at}): {c.rationale!r}")
    for a in verdict.approvals:
        out.append(f"approvals {a.pep} {a.path}: counted {a.counted}, not counted {a.not_counted}")
    out.append(f"first feedback: {verdict.first_feedback.to_json() if verdict.first_feedback else None}")
    out.append(f"edited: {verdict.edited}")
    for a in verdict.answers:
        out.append(f"answer {a.key} to {a.command} by {a.author} ({a.source} {a.comment_id}):")
        out += ["    " + line for line in a.text.split("\n")]
    out.append("summary:")
    out += ["    " + line if line else "" for line in verdict.summary.rstrip("\n").split("\n")]
    return out


def read_golden() -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    current = None
    for line in GOLDEN.read_text(encoding="utf-8").split("\n"):
        if line.startswith("== "):
            current = blocks.setdefault(line[3:], [])
        elif current is not None:
            current.append(line)
    return {name: lines[:-1] if lines and lines[-1] == "" else lines for name, lines in blocks.items()}


def test_scenario_names_are_unique():
    names = [name for name, _ in ALL]
    assert len(names) == len(set(names))


@pytest.mark.skipif(not UPDATE, reason="set PEPCTL_UPDATE_GOLDEN=1 to rewrite the golden file")
def test_update_golden_file():
    blocks = ["\n".join([f"== {name}", *render(decide(fresh(build)))]) for name, build in ALL]
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


@pytest.mark.skipif(UPDATE, reason="rewriting the golden file")
@pytest.mark.parametrize("name, build", ALL, ids=[name for name, _ in ALL])
def test_verdict_words(name, build):
    assert render(decide(fresh(build))) == read_golden()[name]


@pytest.mark.skipif(UPDATE, reason="rewriting the golden file")
def test_golden_file_has_every_scenario_and_rule():
    """A new rule must show its messages here: give it scenarios, then regenerate the golden file."""
    golden = read_golden()
    assert list(golden) == [name for name, _ in ALL]
    shown = {line.split()[1] for lines in golden.values() for line in lines if line.startswith("reason ")}
    assert sorted(set(REGISTRY) - shown) == []
