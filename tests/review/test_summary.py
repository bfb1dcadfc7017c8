"""The summary comment (pepctl.review.summary): deterministic, complete, and inert whatever people wrote."""

from __future__ import annotations

import re

from pepctl.review import SUMMARY_MARKER, decide

from reviewfacts import added, busy_facts, comment, make, moved, pep


def test_same_facts_give_byte_identical_summaries():
    first, second = decide(busy_facts()), decide(busy_facts())
    assert first.summary == second.summary
    assert first.summary.encode() == decide(busy_facts(reverse=True)).summary.encode()
    assert [a.key for a in first.answers] == [a.key for a in decide(busy_facts(reverse=True)).answers]
    assert first.summary.startswith(SUMMARY_MARKER + "\n")
    assert first.summary.count(SUMMARY_MARKER) == 1


def test_summary_content():
    summary = decide(busy_facts()).summary
    assert "❌ PEP process: blocked" in summary
    assert "**Approvals:** 1/2 maintainers (`@alice`)" in summary
    assert "| `O-201` | `@zed` | too slow | open |" in summary
    assert "| `R-62` | `@bob` |" in summary
    assert "- ❌ **R008** no unresolved objection" in summary
    assert "- ✅ **R006** requirements of the new status met" in summary
    assert "post `/pep resolve O-201`" in summary
    assert "[ ]" not in summary and "[x]" not in summary  # no tickable task lists


HOSTILE_TITLE = "Cache <script>alert(1)</script> | @everyone ![x](http://e/x.png) [click](javascript:alert(1))"
HOSTILE_REASON = "bad | idea <img src=x onerror=alert(1)> @bob <!-- pepctl:review-summary --> **bold** #12 \u202eevil"


def hostile_verdict():
    facts = make(
        [added(pep(title=HOSTILE_TITLE))],
        title="PEP-0042: whatever",
        comments=[comment("zed", f"/pep object {HOSTILE_REASON}", 1, id=301), comment("amy", "/pep object `rm -rf` ``x``", 1, id=302)],
    )
    return decide(facts)


def test_hostile_text_is_inert_in_the_summary():
    summary = hostile_verdict().summary
    assert "<script" not in summary and "<img" not in summary
    assert summary.count("<!--") == 1  # only the engine's own marker
    assert "](javascript" not in summary and "![x](" not in summary
    assert "\u202e" not in summary  # no bidirectional overrides
    # every @ is either inside a code span or broken by a zero-width joiner
    outside_code = re.sub(r"`[^`\n]*`", "", summary)
    assert re.search(r"@(?!\u200d)", outside_code) is None
    assert re.search(r"#(?!\u200d)\d", outside_code) is None
    # the objections table keeps four cells per row
    rows = [line for line in summary.splitlines() if line.startswith("| ")]
    assert len(rows) == 3  # header and two objections
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 5, row


def test_hostile_text_survives_as_readable_text():
    summary = hostile_verdict().summary
    assert "&lt;script&gt;" in summary
    assert "bad \\| idea" in summary


def pep_line(summary: str) -> str:
    (line,) = [line for line in summary.splitlines() if line.startswith("- **PEP-0042**")]
    return line


def test_long_statuses_are_cut_to_40_characters_in_the_pep_list():
    long_base, long_head = "Waiting for " + "a" * 60, "Parked until " + "b" * 60
    line = pep_line(decide(make([moved(long_base, long_head)])).summary)
    assert f": {long_base[:39]}… → {long_head[:39]}… (" in line
    line = pep_line(decide(make([moved("Draft", long_head)])).summary)
    assert f": Draft → {long_head[:39]}… (" in line
    line = pep_line(decide(make([moved(long_base, "Draft")])).summary)
    assert f": {long_base[:39]}… → Draft (" in line
    line = pep_line(decide(make([added(pep(status=long_head))])).summary)
    assert f": new, {long_head[:39]}… (" in line
    line = pep_line(decide(make([moved(long_head, long_head)])).summary)
    assert f": {long_head[:39]}… (" in line


def test_long_titles_and_reasons_are_cut_at_their_limits():
    title, reason = "Title " + "t" * 200, "reason " + "r" * 300
    summary = decide(make([added(pep(title=title))], comments=[comment("zed", "/pep object " + reason, 1, id=7)])).summary
    assert f"- **PEP-0042** {title[:119]}…: new, Under Review (" in summary  # the title: 120
    assert f"| `O-7` | `@zed` | {reason[:199]}… | open |" in summary  # an objection's reason: 200


def test_a_long_final_call_rationale_is_cut_at_300():
    from reviewfacts import DECISION, reviewed

    rationale = "because " + "w" * 400
    facts = make([moved("Under Review", "Accepted", sections=DECISION)], reviewed(1),
                 [comment("lead", "/pep final-call accept " + rationale, 2, id=9100)])
    summary = decide(facts).summary
    assert f": {rationale[:299]}…" in summary and rationale[:300] not in summary


def test_why_an_approval_did_not_count_is_cut_at_90():
    from reviewfacts import DECISION, HEAD, OLD, PATH, approve

    long = "Under Review " + "x" * 120
    facts = make([moved("Under Review", "Accepted", sections=DECISION)], head=HEAD,
                 reviews=[approve("alice", commit=OLD), approve("bob", commit=OLD)], snapshots={(OLD, PATH): pep(long)})
    summary = decide(facts).summary
    why = f"given on {OLD[:7]} when PEP-0042 was {long}"
    assert f"not counted: `@alice` ({why[:89]}…), `@bob` ({why[:89]}…)" in summary
