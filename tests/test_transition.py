"""pepctl.transition: the lifecycle, the requirements of each status, the rationale, writing both files
or neither."""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path

import pytest

from peptext import fixture_text, write_fixture

from pepctl import transition
from pepctl.config import Config
from pepctl.corpus import Corpus
from pepctl.errors import UsageError
from pepctl.policy import Policy

TODAY = datetime.date(2026, 3, 1)

# The default lifecycle, as the process describes it.
LEGAL = {
    "Draft": ["Under Review", "Withdrawn"],
    "Under Review": ["Accepted", "Declined", "Deferred", "Withdrawn", "Draft"],
    "Accepted": ["Implementing"],
    "Implementing": ["Complete"],
    "Deferred": ["Under Review", "Draft"],
    "Complete": [],
    "Declined": [],
    "Withdrawn": [],
    "Active": [],
}
STATES = list(LEGAL)
LEGAL_PAIRS = [(old, new) for old, targets in LEGAL.items() for new in targets]
ILLEGAL_PAIRS = [(old, new) for old, new in itertools.product(STATES, STATES) if old != new and new not in LEGAL[old]]


def plan(folder: Path, number, state, reason=None, config: Config | None = None):
    config = config or Config()
    return transition.plan(Corpus(str(folder), config), Policy(config), str(number), state, reason, TODAY)


def test_the_table_matches_the_default_config():
    policy = Policy(Config())
    for old in STATES:
        assert sorted(policy.next_states(old)) == sorted(LEGAL[old])


@pytest.mark.parametrize("old, new", [("Pondering", "Draft"), ("Draft", "Pondering"), ("Pondering", "Pondering"),
                                      ("", ""), ("Pondering", "Mulling")])
def test_a_status_that_is_no_known_status_never_transitions(old, new):
    """Not even to itself: an unknown status is not "unchanged" (survivors of bench/mutation.py)."""
    policy = Policy(Config())
    assert policy.can_transition(old, new) is False
    if policy.canonical(old) is None:
        assert policy.next_states(old) == []  # a list, so callers can join and sort it


@pytest.mark.parametrize("text, number", [("42", 42), ("0042", 42), ("PEP-0042", 42), ("pep-42", 42), (" 7 ", 7), ("PEP42", 42)])
def test_parse_number_accepts_the_usual_spellings(text, number):
    assert transition.parse_number(text) == number


@pytest.mark.parametrize("text", ["", "forty-two", "PEP-", "42a", "-1", "PEP-0042-x"])
def test_parse_number_refuses_anything_else(text):
    with pytest.raises(UsageError) as err:
        transition.parse_number(text)
    assert f"{text!r} is not a PEP number" in str(err.value) and "PEP-0042" in str(err.value)  # says how to write it


@pytest.mark.parametrize("old, new", LEGAL_PAIRS)
def test_every_legal_transition_is_accepted(tmp_path, old, new):
    path = write_fixture(tmp_path, "ready.md", 42, old)
    before = path.read_bytes()
    change = plan(tmp_path, 42, new)
    assert (change.old, change.new) == (old, new)
    assert change.summary == f"PEP-0042: {old} -> {new}"
    assert path.read_bytes() == before  # planning writes nothing
    transition.apply(change)
    assert path.read_bytes() == before.replace(f"| **Status** | {old} |".encode(), f"| **Status** | {new} |".encode())


@pytest.mark.parametrize("old, new", ILLEGAL_PAIRS)
def test_every_illegal_transition_is_refused(tmp_path, old, new):
    path = write_fixture(tmp_path, "ready.md", 42, old)
    before = path.read_bytes()
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 42, new)
    assert type(err.value) is transition.TransitionError  # refused, not a usage error
    message = err.value.message
    assert f"from {old} to {new}" in message
    if LEGAL[old]:
        assert f"from {old} it can move to: {', '.join(LEGAL[old])}" in message
    else:
        assert "final" in message
    assert path.read_bytes() == before


def test_same_status_is_a_no_op(tmp_path):
    write_fixture(tmp_path, "ready.md", 42, "Draft")
    with pytest.raises(transition.AlreadyThere) as err:
        plan(tmp_path, 42, "draft")
    assert "already Draft" in err.value.message


def test_state_names_are_matched_without_case(tmp_path):
    write_fixture(tmp_path, "ready.md", 42, "Draft")
    assert plan(tmp_path, 42, "under   REVIEW").new == "Under Review"


def test_unknown_state_lists_the_states(tmp_path):
    write_fixture(tmp_path, "ready.md", 42, "Draft")
    with pytest.raises(UsageError) as err:
        plan(tmp_path, 42, "Shelved")
    assert "Draft, Under Review, Accepted, Declined, Deferred, Withdrawn, Implementing, Complete, Active" in err.value.message


def test_unknown_current_status_is_refused(tmp_path):
    write_fixture(tmp_path, "ready.md", 42, "Pending")
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 42, "Under Review")
    assert "'Pending', which is not a known status" in err.value.message


def test_missing_pep_is_refused(tmp_path):
    write_fixture(tmp_path, "ready.md", 42, "Draft")
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 43, "Under Review")
    assert type(err.value) is transition.TransitionError  # refused, not a usage error
    assert "no PEP-0043" in err.value.message


def test_duplicate_number_names_both_files(tmp_path):
    a = write_fixture(tmp_path, "ready.md", 42, "Draft", "one")
    b = write_fixture(tmp_path, "ready.md", 42, "Draft", "two")
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 42, "Under Review")
    assert a.name in err.value.message and b.name in err.value.message
    assert "claimed by 2 files" in err.value.message


def test_unreadable_pep_is_refused_with_its_error(tmp_path):
    (tmp_path / "PEP-0042-broken.md").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 42, "Under Review")
    assert "PEP-0042-broken.md" in err.value.message and "binary" in err.value.message


# -- requirements of the target state (the lifecycle rules) ---------------------------


def refusal(tmp_path, fixture, old, new, config=None, reason=None):
    path = write_fixture(tmp_path, fixture, 42, old)
    before = path.read_bytes()
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 42, new, reason, config)
    assert type(err.value) is transition.TransitionError  # refused, not a usage error
    assert path.read_bytes() == before
    return err.value.message


def test_implementing_without_tracking_issue_is_refused(tmp_path):
    message = refusal(tmp_path, "bare.md", "Accepted", "Implementing")
    assert "cannot become Implementing" in message
    assert "L002" in message and "Tracking Issue" in message


def test_complete_without_target_release_is_refused(tmp_path):
    path = write_fixture(tmp_path, "ready.md", 42, "Implementing")
    path.write_text(path.read_text().replace("| 1.4 |", "| _(filled after acceptance)_ |"))
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 42, "Complete")
    assert "L002" in err.value.message and "Target Release" in err.value.message


def test_badly_written_tracking_issue_is_refused(tmp_path):
    path = write_fixture(tmp_path, "ready.md", 42, "Accepted")
    path.write_text(path.read_text().replace("| #12, https://github.com/example/plano/issues/13 |", "| soon |"))
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 42, "Implementing")
    assert "L003" in err.value.message


def test_accepting_with_open_questions_is_refused(tmp_path):
    message = refusal(tmp_path, "bare.md", "Under Review", "Accepted")
    assert "L006" in message and "open question" in message.lower()


def test_sponsor_is_required_when_maintainers_are_configured(tmp_path):
    config = Config({"maintainers": ["grace"]})
    message = refusal(tmp_path, "bare.md", "Draft", "Under Review", config)
    assert "L001" in message and "Sponsor" in message
    # a maintainer as sponsor satisfies it
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(path.read_text().replace("_(required for non-maintainers)_", "Grace Hopper (@grace)"))
    assert plan(tmp_path, 42, "Under Review", config=config).new == "Under Review"


def test_refusal_lists_every_missing_requirement(tmp_path):
    config = Config({"maintainers": ["grace"]})
    path = write_fixture(tmp_path, "bare.md", 42, "Under Review")
    with pytest.raises(transition.TransitionError) as err:
        plan(tmp_path, 42, "Accepted", config=config)
    message = err.value.message
    assert "L001" in message and "L006" in message
    assert "the file was not changed" in message
    assert path.name in message


def test_disabled_rule_does_not_block(tmp_path):
    config = Config({"ignore": ["L002", "open-questions"]})
    write_fixture(tmp_path, "bare.md", 42, "Accepted")
    assert plan(tmp_path, 42, "Implementing", config=config).new == "Implementing"


# -- rationale -----------------------------------------------------------------------


def test_declined_without_rationale_asks_for_reason(tmp_path):
    message = refusal(tmp_path, "bare.md", "Under Review", "Declined")
    assert "--reason" in message


def test_declined_with_reason_appends_a_decision_section(tmp_path):
    path = write_fixture(tmp_path, "bare.md", 42, "Under Review")
    before = path.read_bytes()
    transition.apply(plan(tmp_path, 42, "Declined", "Out of scope for now.\nRevisit after 2.0."))
    expected = before.replace(b"| Under Review |", b"| Declined |") + (
        b"\n## Decision\n\nDeclined on 2026-03-01: Out of scope for now.\nRevisit after 2.0.\n"
    )
    assert path.read_bytes() == expected


def test_reason_goes_into_an_existing_rationale_section(tmp_path):
    path = write_fixture(tmp_path, "bare.md", 42, "Under Review")
    text = path.read_text().replace("## References", "## Rationale\n\nEarlier notes.\n\n## References")
    path.write_text(text)
    transition.apply(plan(tmp_path, 42, "Declined", "Too costly."))
    after = path.read_text()
    assert "## Rationale\n\nEarlier notes.\n\nDeclined on 2026-03-01: Too costly.\n\n## References" in after
    assert "## Decision" not in after


def test_reason_fills_an_empty_decision_section(tmp_path):
    path = write_fixture(tmp_path, "bare.md", 42, "Under Review")
    path.write_text(path.read_text() + "\n## Decision\n\n<!-- to be written -->\n")
    transition.apply(plan(tmp_path, 42, "Declined", "Too costly."))
    assert path.read_text().endswith("## Decision\n\n<!-- to be written -->\n\nDeclined on 2026-03-01: Too costly.\n")


def test_existing_rationale_needs_no_reason(tmp_path):
    path = write_fixture(tmp_path, "ready.md", 42, "Under Review")
    before = path.read_bytes()
    transition.apply(plan(tmp_path, 42, "Declined"))
    assert path.read_bytes() == before.replace(b"| Under Review |", b"| Declined |")


def test_reason_keeps_crlf_line_endings_and_the_bom(tmp_path):
    path = tmp_path / "PEP-0042-proposal.md"
    text = fixture_text("bare.md", 42, "Under Review").rstrip("\n")  # no final newline either
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    transition.apply(plan(tmp_path, 42, "Declined", "No."))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.endswith(b"(PEP-0000-process.md)\r\n\r\n## Decision\r\n\r\nDeclined on 2026-03-01: No.\r\n")


def test_reason_is_not_recorded_for_states_without_rationale(tmp_path):
    path = write_fixture(tmp_path, "ready.md", 42, "Draft")
    before = path.read_bytes()
    transition.apply(plan(tmp_path, 42, "Under Review", "Ready now."))
    assert path.read_bytes() == before.replace(b"| Draft |", b"| Under Review |")


# -- the move never makes `pepctl check` fail on the PEP -------------------------------


def unfinished(folder: Path, status: str, number: int = 42) -> Path:
    """bare.md with its Design and Test Plan sections left as template hints (lines 22 and 42)."""
    path = write_fixture(folder, "bare.md", number, status)
    text = path.read_text().replace("Nothing to build.", "<!-- the heart of the proposal -->")
    path.write_text(text.replace("Covered by the suite.", ""))
    return path


def lint_errors(folder: Path, path: Path, config: Config | None = None) -> list[str]:
    from pepctl import rules
    from pepctl.corpus import load_entry

    config = config or Config()
    ctx = rules.Context(Corpus(str(folder), config), Policy(config), TODAY)
    found = rules.run(ctx, [load_entry(str(path))], rules.Selection(config))
    return sorted(d.code for d in found if d.severity == "error")


def test_unfinished_draft_cannot_go_under_review(tmp_path):
    path = unfinished(tmp_path, "Draft")
    assert lint_errors(tmp_path, path) == ["X004"]  # bare.md links to PEP-0000-process.md
    message = refusal_of(tmp_path, path, "Under Review")
    assert message.startswith("PEP-0042 cannot become Under Review yet")
    assert f"{path}:22: S005 section '## Design' is not written yet" in message
    assert f"{path}:42: S005 section '## Test Plan' is not written yet" in message
    assert "write it, or say 'None' or 'Not applicable'" in message  # how to fix it
    assert message.endswith("the file was not changed.")


def refusal_of(folder, path, new, reason=None, config=None):
    before = path.read_bytes()
    with pytest.raises(transition.TransitionError) as err:
        plan(folder, 42, new, reason, config)
    assert type(err.value) is transition.TransitionError  # refused, not a usage error
    assert path.read_bytes() == before
    return err.value.message


def test_errors_that_were_there_before_do_not_block(tmp_path):
    path = unfinished(tmp_path, "Under Review")  # two S005 already
    text = path.read_text().replace("Tests need one.", "Tests need one. See [it](PEP-0099-gone.md).")  # X004
    path.write_text(text.replace("Ada Lovelace (@ada)", "Ada Lovelace"))  # H011
    before = lint_errors(tmp_path, path)
    assert before == ["H011", "S005", "S005", "X004", "X004"]
    transition.apply(plan(tmp_path, 42, "Deferred"))
    assert lint_errors(tmp_path, path) == before
    transition.apply(plan(tmp_path, 42, "Draft"))  # no S005 in Draft: fewer errors, fine
    assert "S005" in refusal_of(tmp_path, path, "Under Review")  # back to review: they would be new again


def test_an_unfinished_draft_can_be_withdrawn(tmp_path):
    path = unfinished(tmp_path, "Draft")
    transition.apply(plan(tmp_path, 42, "Withdrawn"))
    assert b"| **Status** | Withdrawn |" in path.read_bytes()
    assert lint_errors(tmp_path, path) == ["X004"]


def test_reason_text_that_breaks_the_file_is_refused(tmp_path):
    path = write_fixture(tmp_path, "bare.md", 42, "Under Review")
    message = refusal_of(tmp_path, path, "Declined", "Too costly.\n<!-- ask Bob")
    assert f"{path} (in the --reason text): S004" in message


def test_lines_are_those_of_the_file_on_disk_when_the_reason_shifts_them(tmp_path):
    config = Config({"rationale-states": ["Under Review", "Declined"]})
    path = unfinished(tmp_path, "Draft")
    text = path.read_text().replace("## Motivation", "## Rationale\n\nEarlier notes.\n\n## Motivation")
    path.write_text(text)
    lines = text.split("\n")
    design, test_plan = lines.index("## Design") + 1, lines.index("## Test Plan") + 1
    message = refusal_of(tmp_path, path, "Under Review", "Ready for review.\nSee the thread.", config)
    assert f"{path}:{design}: S005 section '## Design'" in message
    assert f"{path}:{test_plan}: S005 section '## Test Plan'" in message


def test_an_old_error_below_the_reason_is_not_listed_as_new(tmp_path):
    path = write_fixture(tmp_path, "bare.md", 42, "Under Review")
    text = path.read_text().replace("## Motivation", "## Rationale\n\nEarlier notes.\n\n## Motivation")
    path.write_text(text)
    assert lint_errors(tmp_path, path) == ["X004"]  # the link to PEP-0000-process.md, near the end
    message = refusal_of(tmp_path, path, "Declined", "Replaced by [the new one](PEP-0099-gone.md).")
    assert f"{path} (in the --reason text): X004 link target 'PEP-0099-gone.md'" in message
    assert message.count("X004") == 1
