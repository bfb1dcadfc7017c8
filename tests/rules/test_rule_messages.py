"""The exact text of every lint diagnostic, compared with a golden file.

A rule's message is product: it says what is wrong, where, and how to fix it. The scenarios
of test_rules.py (which pin file, line and code) and the ones below (one per message branch:
each wording a rule can choose) are run in process, and every diagnostic is written as

    FILE:LINE:COLUMN CODE SEVERITY MESSAGE

under its scenario's name; the whole text must equal tests/rules/golden/messages.txt. A
changed word, column or severity fails here and shows the difference.

After changing a message on purpose, regenerate the file and review its diff:

    PEPCTL_UPDATE_GOLDEN=1 python -m pytest tests/rules/test_rule_messages.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pepctl.rules import REGISTRY

from test_rules import (
    BASE,
    INDEX_ROW_1,
    INDEX_TOP,
    LAST_ROW,
    P1,
    QUESTION,
    RESOLVED,
    INSTRUCTIONS,
    SCENARIOS,
    TEMPLATE,
    Scenario,
    add_row,
    add_section,
    base_edit,
    edit,
    findings,
    other_pep,
    status,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "messages.txt"
UPDATE = os.environ.get("PEPCTL_UPDATE_GOLDEN") == "1"

AUTHORS = "Ada Lovelace (@ada), Grace Hopper (@grace)"
MOTIVATION = "Repeated requests cost time and money."
INDEX_ROW_2 = "| [0002](PEP-0002-better-idea.md) | Better Idea | Draft | Ada Lovelace (@ada), Grace Hopper (@grace) |\n"


def index_with(*rows: str, top: str = INDEX_TOP) -> str:
    return top + "".join(rows)


def stray_row(number: int) -> str:
    return f"| [{number:04d}](PEP-{number:04d}-gone.md) | Gone {number} | Draft | Nobody (@nobody) |\n"


# One scenario per wording a rule can choose that SCENARIOS does not already show.
MESSAGE_SCENARIOS = [
    # -- F ---------------------------------------------------------------------------------
    # sizes in MiB of 1048576 bytes, to one decimal: 2673870 bytes is 2.5500011 MiB, the limit 2673869 is 2.5500002
    Scenario("msg-F005-mebibytes", files={P1: BASE + "\n" + ("Words of a long appendix. " * 40 + "\n") * 2560
                                               + "x" * (2673870 - len(BASE.encode()) - 1 - 1041 * 2560 - 1) + "\n"},
             config="max-file-size = 2673869\n"),
    # -- H ---------------------------------------------------------------------------------
    Scenario("msg-H001-no-number-anywhere", files={"PEP-draft.md": edit(("# PEP-0001: Good Idea", "# Good Idea"), ("| **PEP** | 0001 |\n", ""))}),
    base_edit("msg-H001-no-title-field", [], ("# PEP-0001: Good Idea", "# Good Idea"), ("| **Title** | Good Idea |\n", "")),
    base_edit("msg-H003-three-columns", [], ("| Field | Value |\n|---|---|", "| Field | Value | Note |\n|---|---|---|")),
    base_edit("msg-H003-no-second-row", [], (BASE[BASE.index("| Field") : BASE.index("## Summary")], "| Field | Value |\n\n")),
    base_edit("msg-H004-no-pep-field", [], ("| **PEP** | 0001 |\n", ""), ("# PEP-0001: Good Idea", "# PEP-0003: Good Idea")),
    Scenario("msg-H004-no-pep-field-title-below", files={P1: "\n\n" + edit(("| **PEP** | 0001 |\n", ""), ("# PEP-0001: Good Idea", "# PEP-0003: Good Idea"))}),
    base_edit("msg-H004-three-numbers", [], ("| **PEP** | 0001 |", "| **PEP** | 0002 |"), ("# PEP-0001: Good Idea", "# PEP-0003: Good Idea")),
    base_edit("msg-H004-pep-prefix", [], ("| **PEP** | 0001 |", "| **PEP** | pep-0001 |")),
    base_edit("msg-H007-row-without-a-value-cell", [], ("| **Title** | Good Idea |", "| **Title** |")),
    base_edit("msg-H008-only-a-lowercase-placeholder", [], ("| **PEP** | 0001 |", "| **PEP** | xxxx |"),
              ("| **Sponsor** | _(required for non-maintainers)_ |\n", ""), ("| **Tracking Issue** | _(filled after acceptance)_ |\n", ""),
              ("| **Target Release** | _(filled after acceptance)_ |\n", "")),
    base_edit("msg-H008-only-a-date-placeholder", [], ("2024-05-17", "YYYY-MM-DD"),
              ("| **Sponsor** | _(required for non-maintainers)_ |\n", ""), ("| **Tracking Issue** | _(filled after acceptance)_ |\n", ""),
              ("| **Target Release** | _(filled after acceptance)_ |\n", "")),
    base_edit("msg-H008-lowercase-placeholder", [], ("| **PEP** | 0001 |", "| **PEP** | xxxx |")),
    base_edit("msg-H008-starred-hint", [], ("| **Title** | Good Idea |", "| **Title** | *(a short title)* |")),
    base_edit("msg-H011-nobody", [], (AUTHORS, "Ada Lovelace (@ada), Anonymous, ?, Someone")),
    base_edit("msg-H011-same-name-twice", [], (AUTHORS, "Bo, Bo (@bo)")),
    base_edit("msg-H011-parenthesised-name", [], (AUTHORS, "Jane Doe (ACME, Inc.)")),
    base_edit("msg-H011-semicolons", [], (AUTHORS, "Ada Lovelace (@ada); Grace Hopper & Alan Turing (@alan)")),
    # -- L ---------------------------------------------------------------------------------
    base_edit("msg-L001-two-maintainers", [], status("Under Review"), config='maintainers = ["boss", "@chief"]\n'),
    base_edit("msg-L002-custom-field", [], status("Accepted"), RESOLVED, config='state-fields = { Accepted = ["Discussion"] }\n'),
    base_edit("msg-L002-empty-custom-field", [], status("Accepted"), RESOLVED, add_row("| **Discussion** | TBD |"),
              config='state-fields = { Accepted = ["Discussion"] }\n'),
    base_edit("msg-L002-blank-field", [], status("Implementing"), RESOLVED,
              ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** |  |")),
    base_edit("msg-L003-nothing-between-commas", [], ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** | #12, , #13 |")),
    base_edit("msg-L003-padded", [], ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** | #12,   bug 13 |")),
    base_edit("msg-L004-custom-sections", [], status("Declined"), config='rationale-sections = ["Verdict"]\n'),
    base_edit("msg-L005-no-section", [], status("Accepted"), RESOLVED, add_row("| **Decided-By** | Lin Lead (@lin) |")),
    base_edit("msg-L005-empty-section", [], status("Accepted"), RESOLVED, add_row("| **Decided-By** | Lin Lead (@lin) |"),
              add_section("## Decision\n\n<!-- later -->\n\n")),
    base_edit("msg-L006-long-and-checkbox", [], status("Accepted"),
              (QUESTION, "- [ ] " + "Should the cache be shared between the many workers of one machine, or kept per worker?")),
    base_edit("msg-L006-items-after-comments", [], status("Accepted"),
              (QUESTION, "<!--\n- hidden in a comment\n- hidden too\n-->\n<!-- one line -->\n- first open\n```\n- in a fence\n```\n"
                         "~~~\n- tilde fence\n~~~\n- second open\n  - nested detail\n- [x] done\n- ~~struck~~\n"
                         "```python\n- in a fence with a language\n```\n- ~~struck, then a full stop~~.\n- ~~half struck\n"
                         "- struck at the end only~~\n- third open\n")),
    base_edit("msg-L006-crlf-items", [], status("Accepted"), (QUESTION, "- first\r\n- second\r\n- runs on OS X")),
    base_edit("msg-L006-numbered-and-starred", [], status("Complete"), ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** | #1 |"),
              ("| **Target Release** | _(filled after acceptance)_ |", "| **Target Release** | 2.0 |"), (QUESTION, "* one\n+ two\n3) three\n")),
    base_edit("msg-L006-prose-resolved", [], status("Accepted"), (QUESTION, "All of them were resolved in review.")),
    # -- S ---------------------------------------------------------------------------------
    base_edit("msg-S001-last-missing", [], ("## References\n\n- The design discussion in the tracker.\n", "")),
    base_edit("msg-S001-below-header", [], config='required-sections = ["Abstract", "Specification"]\n'),
    base_edit("msg-S002-moved-last", [], ("## Summary\n\nCache identical requests so repeated calls return at once.\n\n", ""),
              ("- The design discussion in the tracker.\n", "- The design discussion in the tracker.\n\n## Summary\n\nCache it.\n")),
    base_edit("msg-S005-template-text", [], status("Under Review"),
              ("## Summary\n\nCache identical requests so repeated calls return at once.\n",
               "## Summary\n\n<!-- One paragraph: what and why. -->\n")),
    base_edit("msg-S005-subsection-only", [], status("Accepted"), RESOLVED,
              ("## Compatibility\n\nPurely additive.\n", "## Compatibility\n\n### Later\n")),
    Scenario("msg-S001-no-header-title-below", files={"PEP-0002-bare.md": "\n\n# PEP-0002: Bare\n\nJust text.\n"},
             config='required-sections = ["Summary"]\n'),
    Scenario("msg-S003-template-note-without-marker-words", files={
        "PEP-TEMPLATE.md": TEMPLATE.replace(INSTRUCTIONS, "<!-- Fill every section, then delete this note. -->"),
        P1: edit(("# PEP-0001: Good Idea\n", "# PEP-0001: Good Idea\n\n<!--  fill EVERY section,\nthen delete this note.  -->\n"),
                 (MOTIVATION, MOTIVATION + "\n\n<!-- Fill every section, then delete this note. -->"))}),
    Scenario("msg-S003-template-comment-below-its-header-is-no-instruction", files={
        "PEP-TEMPLATE.md": TEMPLATE.replace(INSTRUCTIONS, "").replace("## Summary\n", "<!-- Fill it in. -->\n\n## Summary\n"),
        P1: edit(("# PEP-0001: Good Idea\n", "# PEP-0001: Good Idea\n\n<!-- Fill it in. -->\n"))}),
    Scenario("msg-S003-template-without-header", files={
        "PEP-TEMPLATE.md": "# PEP-XXXX: Title\n\n<!-- Write it all. -->\n\n## Summary\n\n<!-- Later note. -->\n",
        P1: edit(("# PEP-0001: Good Idea\n", "# PEP-0001: Good Idea\n\n<!-- Write it all. -->\n<!-- Later note. -->\n"))}),
    Scenario("msg-S003-template-without-header-comment-after-its-first-section", files={
        "PEP-TEMPLATE.md": "# PEP-XXXX: Title\n\n## Summary\n\n<!-- Later note. -->\n",
        P1: edit(("# PEP-0001: Good Idea\n", "# PEP-0001: Good Idea\n\n<!-- Later note. -->\n"))}),
    Scenario("msg-S003-template-comment-on-its-first-heading-line", files={
        "PEP-TEMPLATE.md": "\n## Summary <!-- Fill it. -->\n\n<!-- Other. -->\n",
        P1: edit(("# PEP-0001: Good Idea\n", "# PEP-0001: Good Idea\n\n<!-- Fill it. -->\n"))}),
    Scenario("msg-S003-after-a-blank-first-line", files={P1: "\n" + INSTRUCTIONS + "\n" + BASE}),
    Scenario("msg-S005-template-sample-kept", files={
        "PEP-TEMPLATE.md": TEMPLATE.replace("## Design\n", "## Design\n\nDescribe the design here.\n\n### Details\n"),
        P1: edit(status("Under Review"), (BASE[BASE.index("Keep a map") : BASE.index("## Alternatives")],
                                          "Describe the  design\nhere.\n\n### Details\n\n"))}),
    Scenario("msg-S003-template-without-header-or-sections", files={
        "PEP-TEMPLATE.md": "# PEP-XXXX: Title\n\nText first.\n\n<!-- Write it all. -->\n",
        P1: edit((MOTIVATION, MOTIVATION + "\n\n<!-- Write it all. -->"))}),
    Scenario("msg-S003-template-without-comments", files={
        "PEP-TEMPLATE.md": "# PEP-XXXX: Title\n\n## Summary\n",
        P1: edit((MOTIVATION, MOTIVATION + "\n\n<!-- Write it all. -->"))}),
    # -- X ---------------------------------------------------------------------------------
    Scenario("msg-X001-three-files", files={"PEP-0001-other-idea.md": other_pep("0001", "Other Idea"),
                                            "PEP-0001-third-idea.md": other_pep("0001", "Third Idea")}),
    base_edit("msg-X002-two-numbers", [], add_row("| **Supersedes** | PEP-0042, PEP-0001 |")),
    Scenario("msg-X003-second-of-two", files={
        P1: edit(add_row("| **Superseded-By** | PEP-0002, PEP-0003 |")),
        "PEP-0002-better-idea.md": other_pep("0002", "Better Idea", add_row("| **Supersedes** | PEP-0001 |")),
        "PEP-0003-best-idea.md": other_pep("0003", "Best Idea"),
    }),
    Scenario("msg-X003-self-then-other", files={
        P1: edit(add_row("| **Supersedes** | PEP-0001, PEP-0002 |")),
        "PEP-0002-better-idea.md": other_pep("0002", "Better Idea"),
    }),
    base_edit("msg-X004-percent-escape", [], (MOTIVATION, "See [a](PEP-0001-good%2Didea.md) and [b](PEP-0042-x%20y.md).")),
    base_edit("msg-X004-columns", [], (MOTIVATION, "Text [a](PEP-0042-a.md) and\n  [b]: <PEP-0043-b.md>\n\n[c](x)  [d]:  PEP-0044-c.md")),
    base_edit("msg-X004-reference-indent", [], (MOTIVATION, "[ok]: PEP-0050-a.md\n   [ok2]: PEP-0051-b.md\n    [code]: PEP-0052-c.md\nx [mid]: PEP-0053-d.md")),
    Scenario("msg-X004-leading-blank-line", files={P1: "\n" + edit((MOTIVATION, "See [a](PEP-0042-a.md)."))}),
    Scenario("msg-X004-on-line-two-after-a-blank-line", files={P1: "\nSee [a](PEP-0042-a.md).\n" + BASE}),
    Scenario("msg-X004-reference-on-line-one", files={"PEP-0002-refs.md": "[a]: PEP-0042-a.md\n"}),
    Scenario("msg-X004-angle-brackets", files={P1: edit((MOTIVATION, "See [a](<PEP-0042-a.md>) and [b]( PEP-0043-b.md ) and [c](https://x.org/PEP-0044-c.md)."))}),
    Scenario("msg-X004-hint", files={P1: edit((MOTIVATION, "See [it](PEP-0002-old-name.md) and [it](./PEP-0003-also-old.md).")),
                                     "PEP-0002-new-name.md": other_pep("0002", "New Name")}),
    Scenario("msg-X005-rows-missing", files={"PEP-0000-index.md": index_with(top=INDEX_TOP.replace("| [0000](PEP-0000-index.md) | Project Process | Active | The Maintainers |\n", "")),
                                             "PEP-0002-better-idea.md": other_pep("0002", "Better Idea")}),
    Scenario("msg-X005-stray-rows", files={"PEP-0000-index.md": index_with(INDEX_ROW_1, stray_row(7), stray_row(8), stray_row(9), stray_row(10))}),
    Scenario("msg-X005-one-stray-row", files={"PEP-0000-index.md": index_with(INDEX_ROW_1, stray_row(7))}),
    Scenario("msg-X005-out-of-order", files={"PEP-0000-index.md": index_with(INDEX_ROW_2, INDEX_ROW_1),
                                             "PEP-0002-better-idea.md": other_pep("0002", "Better Idea")}),
    Scenario("msg-X005-two-out-of-date", files={"PEP-0000-index.md": index_with(INDEX_ROW_1.replace("Draft", "Accepted"), INDEX_ROW_2.replace("Draft", "Declined")),
                                                "PEP-0002-better-idea.md": other_pep("0002", "Better Idea")}),
    Scenario("msg-X005-no-table", files={"PEP-0000-index.md": INDEX_TOP[: INDEX_TOP.index("| PEP | Title")] + "Nothing yet.\n"}),
    Scenario("msg-X005-separate-file", files={"INDEX.md": "# Index\n\n## Index\n\n| PEP | Title | Status | Author |\n|---|---|---|---|\n"},
             config='index-file = "INDEX.md"\n'),
    Scenario("msg-X005-separate-file-unreadable", files={"INDEX.md": b"\x00binary"}, config='index-file = "INDEX.md"\n'),
]


ALL = [*SCENARIOS, *MESSAGE_SCENARIOS]


def render(scenario: Scenario, root: Path) -> list[str]:
    folder = root / "peps"
    lines = []
    for d in findings(scenario, root):
        where = os.path.relpath(d.path, folder).replace(os.sep, "/")
        lines.append(f"{where}:{d.line}:{d.column} {d.code} {d.severity} {d.message}")
    return lines


def read_golden() -> dict[str, list[str]]:
    blocks = {}
    for block in GOLDEN.read_text(encoding="utf-8").split("\n\n"):
        head, *lines = block.strip("\n").split("\n")
        assert head.startswith("== "), head
        blocks[head[3:]] = lines
    return blocks


def test_scenario_names_are_unique():
    names = [s.id for s in ALL]
    assert len(names) == len(set(names))


@pytest.mark.skipif(not UPDATE, reason="set PEPCTL_UPDATE_GOLDEN=1 to rewrite the golden file")
def test_update_golden_file(tmp_path_factory):
    blocks = ["\n".join([f"== {s.id}", *render(s, tmp_path_factory.mktemp("m"))]) for s in ALL]
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


@pytest.mark.skipif(UPDATE, reason="rewriting the golden file")
@pytest.mark.parametrize("scenario", ALL, ids=repr)
def test_messages(scenario, tmp_path):
    assert render(scenario, tmp_path) == read_golden()[scenario.id]


@pytest.mark.skipif(UPDATE, reason="rewriting the golden file")
def test_golden_file_has_every_scenario_and_rule():
    """A new rule must show its messages here: give it scenarios, then regenerate the golden file."""
    golden = read_golden()
    assert list(golden) == [s.id for s in ALL]
    shown = {line.split(" ", 2)[1] for lines in golden.values() for line in lines}
    plano = {code for code, r in REGISTRY.items() if r.formats is None or "plano" in r.formats}  # dialects': tests/formats
    assert sorted(plano - shown) == []
    assert sorted(shown - set(REGISTRY)) == []
