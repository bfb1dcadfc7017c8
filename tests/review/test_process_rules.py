"""The rules that hold the gate to PEP-0000 to the letter (R006 as `pepctl status` judges,
R014 who decides, R015 the process document, R016 sequential numbers, R017 amending a decided
PEP): table-driven pull request scenarios."""

from __future__ import annotations

import pytest

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review import FileChange, decide

from reviewfacts import HEAD, LEAD, MAINTAINERS, OLD, PATH, added, approve, codes, edited, make, moved, pep, request_changes, review_comment

SECTION_NAMES = ["Motivation", "Design", "Alternatives Considered", "Compatibility", "Observability",
                 "Security Considerations", "Test Plan", "Implementation Plan", "References"]
WRITTEN = tuple((name, f"Our {name.lower()}.") for name in SECTION_NAMES)
EMPTY = tuple((name, "") for name in SECTION_NAMES)


def policy(**values) -> Policy:
    return Policy(Config({"maintainers": MAINTAINERS, "project-lead": LEAD, **values}))


def check(build, passed, errors, warnings):
    verdict = decide(build())
    assert verdict.passed is passed, verdict.reasons
    assert codes(verdict) == errors, verdict.reasons
    assert codes(verdict, "warning") == warnings, verdict.reasons
    return verdict


# -- R006: the gate asks what `pepctl status` asks --------------------------------------------

R006 = [
    ("draft-to-review-all-written", lambda: make([moved("Draft", "Under Review", sections=WRITTEN)]), True, [], []),
    # S005 (unfilled-section) holds from Under Review on: `pepctl status` refuses, so does the gate
    (
        "draft-to-review-sections-empty",
        lambda: make([edited(pep("Draft", sections=EMPTY), pep("Under Review", sections=EMPTY))]),
        False,
        ["R006"],
        [],
    ),
    ("new-draft-sections-empty", lambda: make([added(pep("Draft", sections=EMPTY))]), True, [], []),
    ("new-under-review-sections-empty", lambda: make([added(pep("Under Review", sections=EMPTY))]), False, ["R006"], []),
    # what the file had before the move is not the move's business (as in `pepctl status`)
    (
        "unrelated-error-is-not-the-moves",
        lambda: make([moved("Draft", "Under Review", sections=WRITTEN, authors="Dan")]),  # H011: no handle
        True,
        [],
        [],
    ),
    # the project's configuration: an ignored rule blocks no move, a rule left out of select neither
    (
        "ignored-rule-does-not-block",
        lambda: make([edited(pep("Draft", sections=EMPTY), pep("Under Review", sections=EMPTY))],
                     policy=policy(ignore=["S005"])),
        True,
        [],
        [],
    ),
    (
        "unselected-lifecycle-rule-does-not-block",
        lambda: make([moved("Draft", "Under Review", sponsor="", sections=WRITTEN)], policy=policy(select=["H", "S"])),
        True,
        [],
        [],
    ),
    (
        "warning-severity-does-not-block",
        lambda: make([edited(pep("Draft", sections=EMPTY), pep("Under Review", sections=EMPTY))],
                     policy=policy(severity={"S005": "warning"})),
        True,
        [],
        ["R006"],
    ),
    # R009 reports a missing rationale; R006 does not say it twice
    ("declined-without-rationale-once", lambda: make([moved("Under Review", "Declined")]), False, ["R007", "R009"], []),
]


@pytest.mark.parametrize("name, build, passed, errors, warnings", R006, ids=[s[0] for s in R006])
def test_state_requirements(name, build, passed, errors, warnings):
    check(build, passed, errors, warnings)


def test_state_requirements_name_the_section_and_the_lint_rule():
    verdict = decide(make([edited(pep("Draft", sections=EMPTY), pep("Under Review", sections=EMPTY))]))
    found = [r for r in verdict.blocking if r.code == "R006"]
    assert len(found) == len(SECTION_NAMES)
    assert all("S005" in r.message and "PEP-0042 line" in r.message for r in found)
    assert "'## Design' is not written yet" in " ".join(r.message for r in found)


# The gate and `pepctl status` agree: the same PEP, the same move, the same answer.
AGREEMENT = [
    ("Draft", "Under Review", {"sections": WRITTEN}),
    ("Draft", "Under Review", {"sections": EMPTY}),
    ("Draft", "Under Review", {"sections": WRITTEN, "sponsor": ""}),
    ("Draft", "Under Review", {"sections": WRITTEN, "authors": "Dan"}),
    ("Accepted", "Implementing", {"sections": WRITTEN}),
    ("Accepted", "Implementing", {"sections": WRITTEN, "fields": [("Tracking Issue", "#12")]}),
    ("Accepted", "Implementing", {"sections": WRITTEN, "fields": [("Tracking Issue", "soon")]}),
    ("Implementing", "Complete", {"sections": WRITTEN, "fields": [("Tracking Issue", "#12")]}),
    ("Under Review", "Accepted", {"sections": WRITTEN + (("Open Questions", "- Which TTL?"),)}),
]


@pytest.mark.parametrize("old, new, text", AGREEMENT, ids=[f"{o}-{n}-{i}" for i, (o, n, _) in enumerate(AGREEMENT)])
def test_the_gate_refuses_what_pepctl_status_refuses(tmp_path, old, new, text):
    import datetime

    from pepctl import transition
    from pepctl.corpus import Corpus

    from reviewfacts import approve

    base = pep(old, **text)
    (tmp_path / "PEP-0042-cache-things.md").write_bytes(base)
    config = Config({"maintainers": MAINTAINERS, "project-lead": LEAD})
    try:
        transition.plan(Corpus(str(tmp_path), config), Policy(config), "42", new, today=datetime.date(2026, 5, 3))
        refused = False
    except transition.TransitionError:
        refused = True
    head = base.replace(f"| **Status** | {old} |".encode(), f"| **Status** | {new} |".encode())
    verdict = decide(make([edited(base, head)], reviews=[approve("alice"), approve("bob")]))
    assert ("R006" in codes(verdict)) is refused, verdict.reasons


# -- R014 (and R007 through `deciders`): who may make which move --------------------------------

DECIDERS = [
    ("withdrawn-by-its-author", lambda: make([moved("Under Review", "Withdrawn")], author="dan"), True, [], []),
    ("withdrawn-by-its-author-any-case", lambda: make([moved("Draft", "Withdrawn")], author="DAN"), True, [], []),
    ("withdrawn-by-someone-else", lambda: make([moved("Under Review", "Withdrawn")], author="zed"), False, ["R014"], []),
    # maintainers do not decide a withdrawal either: it is the author's
    (
        "withdrawn-by-a-maintainer",
        lambda: make([moved("Under Review", "Withdrawn")], author="alice", reviews=[approve("bob"), approve("carol")]),
        False,
        ["R014"],
        [],
    ),
    ("withdrawn-approved-by-its-author", lambda: make([moved("Under Review", "Withdrawn")], author="zed",
                                                      reviews=[approve("dan")]), True, [], []),
    # of two authors, one approving is enough, whichever comes first in the list
    ("withdrawn-approved-by-its-second-author",
     lambda: make([edited(pep("Under Review", authors="Amy (@amy), Dan (@dan)"), pep("Withdrawn", authors="Amy (@amy), Dan (@dan)"))],
                  author="zed", reviews=[review_comment("amy"), approve("dan")]), True, [], []),
    (
        "author-approved-then-requested-changes",
        lambda: make([moved("Under Review", "Withdrawn")], author="zed", reviews=[approve("dan", 1), request_changes("dan", 2)]),
        False,
        ["R014"],
        [],
    ),
    # naming oneself an author in the same pull request proves nothing: the base says who the authors are
    (
        "author-added-at-head",
        lambda: make([moved("Under Review", "Withdrawn", authors="Dan (@dan), Zed (@zed)")], author="zed"),
        False,
        ["R014"],
        [],
    ),
    # nobody can be shown to be an author: the maintainers' quorum stands in
    (
        "base-unreadable-withdrawn",
        lambda: make([edited(b"\x00\x01binary", pep("Withdrawn"))], author="dan"),
        False,
        ["R014"],
        ["R011"],
    ),
    (
        "base-unreadable-withdrawn-with-quorum",
        lambda: make([edited(b"\x00\x01binary", pep("Withdrawn"))], author="dan", reviews=[approve("alice"), approve("bob")]),
        True,
        [],
        ["R011"],
    ),
    (
        "base-names-no-handle",
        lambda: make([edited(pep("Under Review", authors="Dan"), pep("Withdrawn", authors="Dan"))], author="dan"),
        False,
        ["R014"],
        [],
    ),
    # Deferred is the maintainers' (PEP-0000: "Good idea, but not the right time"), like Declined
    ("deferred-needs-the-quorum", lambda: make([moved("Under Review", "Deferred")], reviews=[approve("alice")]), False, ["R007"], []),
    ("deferred-with-the-quorum", lambda: make([moved("Under Review", "Deferred")], reviews=[approve("alice"), approve("bob")]),
     True, [], []),
    # leaving Deferred is nobody's in particular
    ("deferred-back-to-review", lambda: make([moved("Deferred", "Under Review")], author="zed"), True, [], []),
    # the table is the project's: another status for the authors, a status for anyone
    (
        "configured-draft-is-the-authors",
        lambda: make([moved("Under Review", "Draft")], author="zed", policy=policy(deciders={"Draft": "authors"})),
        False,
        ["R014"],
        [],
    ),
    (
        "configured-withdrawn-for-anyone",
        lambda: make([moved("Under Review", "Withdrawn")], author="zed", policy=policy(deciders={"Withdrawn": "anyone"})),
        True,
        [],
        [],
    ),
    (
        "configured-deferred-for-anyone",
        lambda: make([moved("Under Review", "Deferred")], policy=policy(deciders={"deferred": "anyone"})),
        True,
        [],
        [],
    ),
    # a line for one status leaves PEP-0000's others in place
    (
        "configured-table-keeps-the-defaults",
        lambda: make([moved("Under Review", "Accepted")], policy=policy(deciders={"Draft": "authors"})),
        False,
        ["R007"],
        [],
    ),
]


@pytest.mark.parametrize("name, build, passed, errors, warnings", DECIDERS, ids=[s[0] for s in DECIDERS])
def test_deciders(name, build, passed, errors, warnings):
    check(build, passed, errors, warnings)


def test_an_authors_approval_approves_what_they_saw():
    # dan approved while the pull request only fixed a typo (the PEP Under Review on that commit);
    # then zed pushed the withdrawal: dan has not decided it (reviews.commit_problem, as for maintainers)
    from reviewfacts import HEAD, OLD

    change = moved("Under Review", "Withdrawn")
    earlier = {(OLD, PATH): pep("Under Review", title="Cache things!")}
    stale = decide(make([change], author="zed", head=HEAD, reviews=[approve("dan", commit=OLD)], snapshots=earlier))
    (reason,) = stale.blocking
    assert reason.code == "R014" and "Not counted: @dan (given on bbbbbbb when PEP-0042 was Under Review)" in reason.message
    assert "approve again" in reason.message
    again = decide(make([change], author="zed", head=HEAD, reviews=[approve("dan", commit=OLD), approve("dan", 2, commit=HEAD)],
                        snapshots=earlier))
    assert again.passed, again.reasons


def test_authors_decision_says_who_opened_it_who_may_and_how():
    both = "Dan (@dan), Eve (@Eve)"
    verdict = decide(make([edited(pep("Under Review", authors=both), pep("Withdrawn", authors=both))], author="zed"))
    (reason,) = verdict.blocking
    assert reason.code == "R014" and reason.path == PATH and reason.line == 7
    assert "@zed" in reason.message and "@dan, @Eve" in reason.message
    assert "Author has decided not to pursue this proposal" in reason.message
    assert "approves this pull request" in reason.message
    assert "R014" in verdict.summary and "authors decided" in verdict.summary


# -- R015: the process document is itself governed ---------------------------------------------

INDEX_PATH = "docs/peps/PEP-0000-process.md"


def process_doc(rows=((1, "First", "Accepted"),), numbering="PEPs are numbered sequentially.", status="Active",
                index=True, extra="", title="Process", after=(), final_newline=True) -> bytes:
    lines = [f"# PEP-0000: {title}", "", "| Field | Value |", "|---|---|", "| **PEP** | 0000 |",
             f"| **Title** | {title} |", f"| **Status** | {status} |", "| **Authors** | Maintainers |",
             "| **Created** | 2026-01-01 |", "", "## What is a PEP?", "", "A design document.", "",
             "## PEP Numbering", "", numbering, ""]
    if index:
        lines += ["## Index", "", extra, "| PEP | Title | Status | Author |", "|---|---|---|---|"]
        lines += [f"| [{n:04d}](PEP-{n:04d}-x.md) | {t} | {s} | Dan (@dan) |" for n, t, s in rows]
    lines += list(after)  # lines after the table
    return ("\n".join(lines) + ("\n" if final_newline else "")).encode()


def process_edit(base: bytes, head: bytes):
    return edited(base, head, INDEX_PATH)


PROCESS = [
    # `pepctl index` work: rows added, a status changed, the table written from scratch
    ("index-row-added", lambda: make([process_edit(process_doc(), process_doc(rows=((1, "First", "Accepted"), (2, "Two", "Draft"))))],
                                     title="Update the index"), True, [], []),
    ("index-status-changed", lambda: make([process_edit(process_doc(), process_doc(rows=((1, "First", "Implementing"),)))],
                                          title="Update the index"), True, [], []),
    ("index-section-added", lambda: make([process_edit(process_doc(index=False), process_doc())], title="Index"), True, [], []),
    # the process itself
    (
        "process-text-changed",
        lambda: make([process_edit(process_doc(), process_doc(numbering="PEPs take any free number."))], title="Numbering"),
        False,
        ["R015"],
        [],
    ),
    (
        "process-text-changed-with-the-quorum",
        lambda: make([process_edit(process_doc(), process_doc(numbering="PEPs take any free number."))], title="Numbering",
                     reviews=[approve("alice"), approve("bob")]),
        True,
        [],
        [],
    ),
    # the quorum approved one wording; another was pushed after their reviews
    (
        "process-approved-then-changed",
        lambda: make([process_edit(process_doc(), process_doc(numbering="Maintainers pick the numbers."))], title="Numbering",
                     head=HEAD, reviews=[approve("alice", commit=OLD), approve("bob", commit=OLD)],
                     snapshots={(OLD, INDEX_PATH): process_doc(numbering="PEPs take any free number.")}),
        False,
        ["R015"],
        [],
    ),
    (
        "process-approved-on-the-same-text",
        lambda: make([process_edit(process_doc(), process_doc(numbering="PEPs take any free number."))], title="Numbering",
                     head=HEAD, reviews=[approve("alice", commit=OLD), approve("bob", commit=HEAD)],
                     snapshots={(OLD, INDEX_PATH): process_doc(numbering="PEPs take any free number.")}),
        True,
        [],
        [],
    ),
    (
        "process-header-changed",
        lambda: make([process_edit(process_doc(), process_doc(title="Our Process"))], title="x", reviews=[approve("alice")]),
        False,
        ["R015"],
        [],
    ),
    # hiding a rule among the index rows is still a change outside the table
    (
        "prose-inside-the-index-section",
        lambda: make([process_edit(process_doc(), process_doc(extra="Maintainers may merge without review."))], title="x"),
        False,
        ["R015"],
        [],
    ),
    # the table ends at its last row: what follows it, in its section or the next, is process again
    ("prose-right-after-the-index-table",
     lambda: make([process_edit(process_doc(after=["", "Rows are sorted by number."]),
                                process_doc(after=["", "Rows are in any order; maintainers may skip review."]))], title="x"),
     False, ["R015"], []),
    ("prose-on-the-line-after-the-last-row",
     lambda: make([process_edit(process_doc(after=["Rows are sorted by number."]),
                                process_doc(after=["Maintainers may skip review."]))], title="x"),
     False, ["R015"], []),
    ("a-section-after-the-index",
     lambda: make([process_edit(process_doc(after=["", "## Appeals", "", "Ask the lead."]),
                                process_doc(after=["", "## Appeals", "", "There are none."]))], title="x"),
     False, ["R015"], []),
    ("index-rows-changed-before-a-section-after-the-index",
     lambda: make([process_edit(process_doc(after=["", "## Appeals", "", "Ask the lead."]),
                                process_doc(rows=((1, "First", "Final"),), after=["", "## Appeals", "", "Ask the lead."]))],
                  title="x"),
     True, [], []),
    ("index-rows-changed-at-the-end-of-a-file-without-a-final-newline",
     lambda: make([process_edit(process_doc(final_newline=False),
                                process_doc(rows=((1, "First", "Accepted"), (2, "Two", "Draft")), final_newline=False))],
                  title="x"),
     True, [], []),
    ("only-whitespace-changed", lambda: make([process_edit(process_doc(), process_doc().replace(b"document.", b"document.   "))],
                                             title="x"), True, [], []),
    # (R002 already refuses a new PEP that is Active)
    ("process-doc-created", lambda: make([added(process_doc(), INDEX_PATH)], title="PEP-0000: Process"), False, ["R002", "R015"], []),
    # a proposal with its index row passes as before; the process document is not its business
    (
        "new-pep-with-its-index-row",
        lambda: make([added(pep("Draft")), process_edit(process_doc(), process_doc(rows=((1, "First", "Accepted"), (42, "Cache", "Draft"))))]),
        True,
        [],
        [],
    ),
    (
        "new-pep-and-a-process-change",
        lambda: make([added(pep("Draft")), process_edit(process_doc(), process_doc(numbering="Anything goes."))]),
        False,
        ["R015"],
        [],
    ),
]


@pytest.mark.parametrize("name, build, passed, errors, warnings", PROCESS, ids=[s[0] for s in PROCESS])
def test_process_document(name, build, passed, errors, warnings):
    check(build, passed, errors, warnings)


def test_process_change_says_what_changed_and_what_is_needed():
    verdict = decide(make([process_edit(process_doc(), process_doc(numbering="PEPs take any free number."))], title="x",
                          reviews=[approve("alice"), approve("zed")]))
    (reason,) = verdict.blocking
    assert reason.code == "R015" and reason.path == INDEX_PATH
    assert "'PEP Numbering'" in reason.message and "What is a PEP" not in reason.message
    assert "2 maintainers" in reason.message and "it has 1 (@alice)" in reason.message and "@zed (not a maintainer)" in reason.message
    assert "Change the project's processes or governance" in reason.message
    assert "R015" in verdict.summary


# -- R016: numbers are sequential --------------------------------------------------------------

def new(number, title="Thing"):
    return added(pep("Draft", number=number, title=title), f"docs/peps/PEP-{number:04d}-{title.lower()}.md")


BASE = {0: ["docs/peps/PEP-0000-process.md"], 41: ["docs/peps/PEP-0041-x.md"]}

NUMBERING = [
    ("next-number", lambda: make([new(42)], title="PEP-0042: Thing", base_numbers=BASE), True, [], []),
    ("higher-number", lambda: make([new(50)], title="PEP-0050: Thing", base_numbers=BASE), False, ["R016"], []),
    # a gap below the next number is not filled (docs/configuration.md, "Numbering")
    ("gap-below", lambda: make([new(7)], title="PEP-0007: Thing", base_numbers=BASE), False, ["R016"], []),
    # a number already used is a collision: R003's to report, not R016's too
    ("used-on-base", lambda: make([new(41)], title="PEP-0041: Thing", base_numbers=BASE), False, ["R003"], []),
    # older open pull requests count; newer ones must make way (R004)
    ("after-an-older-pr", lambda: make([new(43)], title="PEP-0043: Thing", base_numbers=BASE, open_pr_numbers={7: {42}}),
     True, [], []),
    ("skipping-an-older-pr", lambda: make([new(42)], title="PEP-0042: Thing", base_numbers=BASE, open_pr_numbers={7: {42}}),
     False, ["R004"], []),
    ("beyond-an-older-pr", lambda: make([new(44)], title="PEP-0044: Thing", base_numbers=BASE, open_pr_numbers={7: {42}}),
     False, ["R016"], []),
    # an older pull request out of sequence itself (R016 tells it) pushes nobody's number up
    ("older-pr-out-of-sequence", lambda: make([new(42)], title="PEP-0042: Thing", base_numbers=BASE, open_pr_numbers={7: {50}}),
     True, [], []),
    ("past-an-older-pr-out-of-sequence", lambda: make([new(51)], title="PEP-0051: Thing", base_numbers=BASE,
                                                      open_pr_numbers={7: {42, 50}}), False, ["R016"], []),
    ("newer-pr-does-not-count", lambda: make([new(42)], title="PEP-0042: Thing", base_numbers=BASE, open_pr_numbers={12: {43}}),
     True, [], []),
    # several new PEPs take consecutive numbers
    ("two-consecutive", lambda: make([new(42), new(43, "Other")], title="PEP-0042: Thing", base_numbers=BASE), True, [], []),
    ("two-with-a-hole", lambda: make([new(42), new(44, "Other")], title="PEP-0042: Thing", base_numbers=BASE), False, ["R016"], []),
    # the first PEP of a folder is 0001 (0000 is the process document)
    ("first-pep", lambda: make([new(1)], title="PEP-0001: Thing", base_numbers={0: ["docs/peps/PEP-0000-process.md"]}), True, [], []),
    ("first-pep-not-one", lambda: make([new(5)], title="PEP-0005: Thing", base_numbers={}), False, ["R016"], []),
    # renumbering claims a number like a new PEP does
    (
        "renumbered-too-high",
        lambda: make([FileChange("docs/peps/PEP-0060-thing.md", pep("Draft", number=42), pep("Draft", number=60),
                                 "docs/peps/PEP-0042-thing.md")], title="Renumber", base_numbers={**BASE, 42: ["docs/peps/PEP-0042-thing.md"]}),
        False,
        ["R016"],
        [],
    ),
    # edits of existing PEPs claim nothing
    ("edit-claims-nothing", lambda: make([edited(pep(), pep(title="Cache more"))], title="x", base_numbers={}), True, [], []),
    # projects that allow gaps
    ("gaps-allowed", lambda: make([new(50)], title="PEP-0050: Thing", base_numbers=BASE, policy=policy(**{"sequential-numbers": False})),
     True, [], []),
]


@pytest.mark.parametrize("name, build, passed, errors, warnings", NUMBERING, ids=[s[0] for s in NUMBERING])
def test_numbering(name, build, passed, errors, warnings):
    check(build, passed, errors, warnings)


def test_next_number_names_the_number_to_use_and_why():
    verdict = decide(make([new(50)], title="PEP-0050: Thing", base_numbers=BASE, open_pr_numbers={7: {42}}))
    (reason,) = verdict.blocking
    assert reason.code == "R016" and reason.path == "docs/peps/PEP-0050-thing.md" and reason.line == 5  # the PEP field
    assert "Use PEP-0043" in reason.message and "PEP-0043-thing.md" in reason.message
    assert "claimed by the older open pull request #7" in reason.message
    assert "The author picks the next available number" in reason.message


def test_several_new_peps_are_told_which_numbers_they_take():
    verdict = decide(make([new(42), new(45, "Other"), new(47, "Third")], title="PEP-0042: Thing", base_numbers=BASE))
    found = sorted((r.path, r.message) for r in verdict.blocking)
    assert [p for p, _ in found] == ["docs/peps/PEP-0045-other.md", "docs/peps/PEP-0047-third.md"]
    assert "Use PEP-0043" in found[0][1] and "Use PEP-0044" in found[1][1]
    assert "take PEP-0042, PEP-0043, PEP-0044" in found[0][1]


# -- R017: amending a decided PEP ---------------------------------------------------------------

TRACKED = [("Tracking Issue", "#12")]


def decided(status="Accepted", design="An LRU cache of 1000 entries.", fields=(), authors="Dan (@dan)", **sections):
    body = tuple((name, sections.get(name.lower().replace(" ", "_"), f"Our {name.lower()}.")) for name in SECTION_NAMES
                 if name != "Design")
    return pep(status, fields=fields, authors=authors, sections=(("Design", design),) + body)


def amend(before, after, **kwargs):
    return make([edited(before, after)], title="Amend PEP-0042", **kwargs)


def amend_at(before, after, **kwargs):
    """amend() on a pull request whose head commit is HEAD."""
    return amend(before, after, head=HEAD, **kwargs)


REWRITE = dict(design="A write-through cache.", motivation="Speed.", compatibility="None.", observability="Metrics.",
               test_plan="Unit tests.", references="None.", alternatives_considered="Nothing.")

AMENDMENTS = [
    # a decided PEP: one maintainer other than its authors approves a change to its text
    ("accepted-clarified-unapproved", lambda: amend(decided(), decided(design="An LRU cache of 1000 entries, per process.")),
     False, ["R017"], []),
    ("accepted-clarified-approved", lambda: amend(decided(), decided(design="An LRU cache of 1000 entries, per process."),
                                                  reviews=[approve("alice")]), True, [], []),
    ("approved-only-by-its-author", lambda: amend(decided(authors="Alice (@alice)"), decided(authors="Alice (@alice)", design="Bigger."),
                                                  author="bob", reviews=[approve("alice")]), False, ["R017"], []),
    ("approved-by-a-non-maintainer", lambda: amend(decided(), decided(design="Bigger."), reviews=[approve("zed")]), False, ["R017"], []),
    ("implementing-amended", lambda: amend(decided("Implementing", fields=TRACKED), decided("Implementing", fields=TRACKED, design="x")),
     False, ["R017"], []),
    ("complete-amended", lambda: amend(decided("Complete", fields=TRACKED + [("Target Release", "1.2")]),
                                       decided("Complete", fields=TRACKED + [("Target Release", "1.2")], design="x")),
     False, ["R017"], []),
    # chores other rules govern: a status move with its fields, Superseded-By
    ("accepted-to-implementing-is-a-chore", lambda: amend(decided(), decided("Implementing", fields=TRACKED)), True, [], []),
    ("implementing-to-complete-is-a-chore", lambda: amend(decided("Implementing", fields=TRACKED),
                                                          decided("Complete", fields=TRACKED + [("Target Release", "1.2")])),
     True, [], []),
    ("superseded-by-is-a-chore", lambda: amend(decided(), decided(fields=[("Superseded-By", "PEP-0050")])), True, [], []),
    ("whitespace-is-no-amendment", lambda: amend(decided(), decided().replace(b"entries.", b"entries.   \n")), True, [], []),
    # a move with a change of text is an amendment as well
    ("move-and-amend", lambda: amend(decided(), decided("Implementing", fields=TRACKED, design="Bigger.")), False, ["R017"], []),
    # a large change: a warning that suggests a superseding PEP
    ("large-change-approved", lambda: amend(decided(), decided(**REWRITE), reviews=[approve("alice")]), True, [], ["R017"]),
    ("large-change-threshold-configured", lambda: amend(decided(), decided(**REWRITE), reviews=[approve("alice")],
                                                        policy=policy(**{"amendment-warn-percent": 100})), True, [], []),
    # an approval approves the bytes its reviewer saw: a typo fix approved, then a rewrite pushed
    ("approved-then-rewritten", lambda: amend_at(decided(), decided(design="A write-through cache, unbounded."),
                                              reviews=[approve("alice", commit=OLD)],
                                              snapshots={(OLD, PATH): decided(design="An LRU cache of 1000 entries, per process.")}),
     False, ["R017"], []),
    ("approved-on-an-older-commit-of-the-same-text", lambda: amend_at(decided(), decided(design="Bigger."),
                                                                   reviews=[approve("alice", commit=OLD)],
                                                                   snapshots={(OLD, PATH): decided(design="Bigger.")}),
     True, [], []),
    ("record-typo-approved-then-reworded", lambda: amend_at(decided("Declined"), decided("Declined", design="An LRU cashe of 1000 entries."),
                                                          reviews=[approve("alice", commit=OLD)],
                                                         snapshots={(OLD, PATH): decided("Declined", design="An LRU cache of 1000 entriez.")}),
     False, ["R017"], []),
    # earlier statuses are still being written
    ("under-review-edited", lambda: amend(pep("Under Review"), pep("Under Review", title="Cache more")), True, [], []),
    # the record: typo fixes only, with a maintainer's approval
    ("declined-typo-approved", lambda: amend(decided("Declined"), decided("Declined", design="An LRU cashe of 1000 entries."),
                                             reviews=[approve("alice")]), True, [], []),
    ("declined-typo-unapproved", lambda: amend(decided("Declined"), decided("Declined", design="An LRU cashe of 1000 entries.")),
     False, ["R017"], []),
    ("declined-reworded", lambda: amend(decided("Declined"), decided("Declined", design="A cache with no limit at all."),
                                        reviews=[approve("alice"), approve("bob")]), False, ["R017"], []),
    ("declined-line-added", lambda: amend(decided("Declined"), decided("Declined", design="An LRU cache of 1000 entries.\n\nAlso TTLs."),
                                          reviews=[approve("alice")]), False, ["R017"], []),
    ("withdrawn-typo-approved", lambda: amend(decided("Withdrawn"), decided("Withdrawn", design="An LRU cache of 1,000 entries."),
                                              reviews=[approve("bob")]), True, [], []),
    ("record-typo-size-configured", lambda: amend(decided("Withdrawn"), decided("Withdrawn", design="An LRU cache of 1,000 entries."),
                                                  reviews=[approve("bob")], policy=policy(**{"record-typo-chars": 0})),
     False, ["R017"], []),
    ("record-whitespace-free", lambda: amend(decided("Declined"), decided("Declined").replace(b"\n## Design", b"\n\n\n## Design")),
     True, [], []),
    # a project that makes Deferred a record
    ("configured-record-state", lambda: amend(pep("Deferred"), pep("Deferred", title="Cache more"),
                                              policy=policy(**{"record-states": ["Declined", "Withdrawn", "Deferred"]})),
     False, ["R017"], []),
]


@pytest.mark.parametrize("name, build, passed, errors, warnings", AMENDMENTS, ids=[s[0] for s in AMENDMENTS])
def test_amendments(name, build, passed, errors, warnings):
    check(build, passed, errors, warnings)


def test_an_unapproved_amendment_says_where_and_what_is_needed():
    verdict = amend(decided(), decided(design="Per process.", test_plan="Soak test."), reviews=[approve("zed")])
    (reason,) = decide(verdict).blocking
    assert reason.code == "R017" and reason.path == PATH
    assert "PEP-0042 is Accepted" in reason.message and "'Design', 'Test Plan'" in reason.message
    assert "Amending Accepted PEPs" in reason.message and "@zed, not a maintainer" in reason.message


def test_a_large_amendment_suggests_a_superseding_pep():
    verdict = decide(amend(decided(), decided(**REWRITE), reviews=[approve("alice")]))
    (reason,) = [r for r in verdict.reasons if r.code == "R017"]
    assert reason.severity == "warning"
    assert "significant design changes" in reason.message and "`pepctl new" in reason.message
    assert "| **Supersedes** | PEP-0042 |" in reason.message and "%" in reason.message
    assert "R017" in verdict.summary


def test_a_record_names_what_is_more_than_a_typo():
    verdict = decide(amend(decided("Declined"), decided("Declined", design="A cache with no limit at all."), reviews=[approve("alice")]))
    (reason,) = verdict.blocking
    assert "Declined" in reason.message and "typo fixes only" in reason.message and "'Design'" in reason.message
    assert "remain in the repo as a record" in reason.message


def test_next_numbers_is_the_one_count():
    from pepctl.model import next_numbers

    assert next_numbers([]) == [1] and next_numbers([0]) == [1]
    assert next_numbers([0, 1, 41]) == [42]
    assert next_numbers([0, 1, 41], {42, 44, 50}, 3) == [43, 45, 46]
    assert next_numbers([5, 9], {3}) == [10]  # the gap at 6-8 stays a gap


def test_docs_trace_every_review_rule_to_pep_0000():
    import re
    from pathlib import Path

    from pepctl.review import REGISTRY

    text = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text(encoding="utf-8")
    table = text.split("## From PEP-0000 to the rules", 1)[1].split("\n## ", 1)[0]
    traced = re.findall(r"\| (R\d{3}) ([a-z-]+) \|$", table, re.M)
    assert traced == [(code, REGISTRY[code].name) for code in sorted(REGISTRY)]
    listed = re.findall(r"^\| (R\d{3}) \| ([a-z-]+) \|", text, re.M)
    assert listed == traced


# -- R018: pepctl's configuration is the process in machine-readable form ---------------------------

CONFIG = b'maintainers = ["alice", "bob"]\nproject-lead = "lead"\n'
PYPROJECT = b'[project]\nname = "plano"\nversion = "1.0"\n\n[tool.pepctl]\nmaintainers = ["alice", "bob"]\n'


def configured(base, head, path="pepctl.toml", reviews=()):
    from pepctl.review import FileChange

    return make([], title="Settings", reviews=list(reviews), config_change=FileChange(path, base, head))


CONFIGURATION = [
    ("fewer-approvals", lambda: configured(CONFIG, CONFIG + b"required-approvals = 1\n"), False, ["R018"]),
    ("new-maintainer", lambda: configured(CONFIG, CONFIG.replace(b'"bob"', b'"bob", "zed"')), False, ["R018"]),
    ("with-the-quorum", lambda: configured(CONFIG, CONFIG + b"required-approvals = 1\n",
                                           reviews=[approve("alice"), approve("bob")]), True, []),
    ("the-lead-counts", lambda: configured(CONFIG, CONFIG + b"required-approvals = 1\n",
                                           reviews=[approve("alice"), approve("lead")]), True, []),
    ("non-maintainers-do-not", lambda: configured(CONFIG, CONFIG + b"required-approvals = 1\n",
                                                  reviews=[approve("alice"), approve("zed")]), False, ["R018"]),
    ("deleted", lambda: configured(CONFIG, None), False, ["R018"]),
    ("created", lambda: configured(None, CONFIG), False, ["R018"]),
    ("unreadable-head", lambda: configured(CONFIG, b"maintainers = [\n"), False, ["R018"]),
    ("nested-too-deep", lambda: configured(CONFIG, CONFIG + b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
     False, ["R018"]),
    ("pyproject-tool-not-a-table", lambda: configured(PYPROJECT, b"tool = 3\n", "pyproject.toml"), False, ["R018"]),
    ("comments-and-layout", lambda: configured(CONFIG, b"# the process\n" + CONFIG.replace(b", ", b",")), True, []),
    ("pyproject-outside-tool-pepctl", lambda: configured(PYPROJECT, PYPROJECT.replace(b"1.0", b"1.1"), "pyproject.toml"),
     True, []),
    ("pyproject-tool-pepctl", lambda: configured(PYPROJECT, PYPROJECT.replace(b'"bob"', b'"zed"'), "pyproject.toml"),
     False, ["R018"]),
]


@pytest.mark.parametrize("name, build, passed, errors", CONFIGURATION, ids=[s[0] for s in CONFIGURATION])
def test_configuration_changes(name, build, passed, errors):
    check(build, passed, errors, [])


def test_a_pull_request_with_no_author_is_said_to_be_opened_by_unknown():
    verdict = decide(make([moved("Under Review", "Withdrawn")], author=""))
    (reason,) = [r for r in verdict.reasons if r.code == "R014"]
    assert "but this pull request was opened by @(unknown), who is not one of its authors (@dan)." in reason.message


def test_without_a_known_author_the_maintainers_counted_so_far_are_named():
    three = policy(**{"required-approvals": 3})
    facts = make([edited(b"\x00\x01binary", pep("Withdrawn"))], author="dan", policy=three,
                 reviews=[approve("alice"), approve("bob")])
    (reason,) = [r for r in decide(facts).reasons if r.code == "R014"]
    assert "it needs approving reviews from 3 maintainers instead (it has 2: @alice, @bob)." in reason.message


def test_an_author_named_twice_is_named_once():
    twice = "Dan (@dan), Dan Again (@DAN)"
    facts = make([edited(pep("Under Review", authors=twice), pep("Withdrawn", authors=twice))], author="zed")
    (reason,) = [r for r in decide(facts).reasons if r.code == "R014"]
    assert "who is not one of its authors (@dan)." in reason.message
