"""Every lint rule, table-driven over small, deliberately broken PEP folders.

Each scenario starts from tests/fixtures/rules/base (one clean PEP and a
template), changes a few lines or adds files, and states exactly which
findings (file, line, code) the whole folder must produce: a rule that stops
firing, or starts firing where it should not, fails its scenario.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pepctl.config import Config, load_config
from pepctl.corpus import Corpus
from pepctl.lint import lint
from pepctl.policy import Policy
from pepctl.rules import REGISTRY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
BASE_DIR = FIXTURES / "base"
P1 = "PEP-0001-good-idea.md"
BASE = (BASE_DIR / P1).read_text(encoding="utf-8")
P1_SIZE = (BASE_DIR / P1).stat().st_size  # bytes on disk, as max-file-size counts them
TEMPLATE = (BASE_DIR / "PEP-TEMPLATE.md").read_text(encoding="utf-8")
TODAY = datetime.date(2026, 6, 1)  # after PEP-0000's Created date
DIRECTORY = object()  # a folder named like a PEP file

QUESTION = "1. Should the time limit be configurable per route?"
RESOLVED = ("1. Should the time limit be configurable per route?", "1. ~~Should the time limit be configurable per route?~~")
LAST_ROW = "| **Target Release** | _(filled after acceptance)_ |\n"
REFERENCES = "## References\n"


def edit(*pairs: tuple[str, str], text: str = BASE) -> str:
    """The base PEP with each (old, new) replaced once; old must be there."""
    for old, new in pairs:
        assert old in text, f"fixture edit: {old!r} not found"
        text = text.replace(old, new, 1)
    return text


def status(value: str) -> tuple[str, str]:
    return ("| **Status** | Draft |", f"| **Status** | {value} |")


def add_row(row: str) -> tuple[str, str]:
    return (LAST_ROW, LAST_ROW + row + "\n")


def add_section(text: str) -> tuple[str, str]:
    """Insert text (a section) just before ## References."""
    return (REFERENCES, text + REFERENCES)


def other_pep(number: str, title: str, *pairs: tuple[str, str]) -> str:
    return edit(
        ("# PEP-0001: Good Idea", f"# PEP-{number}: {title}"),
        ("| **PEP** | 0001 |", f"| **PEP** | {number} |"),
        ("| **Title** | Good Idea |", f"| **Title** | {title} |"),
        *pairs,
    )


INDEX_TOP = """# PEP-0000: Project Process

| Field | Value |
|---|---|
| **PEP** | 0000 |
| **Title** | Project Process |
| **Status** | Active |
| **Authors** | The Maintainers |
| **Created** | 2024-01-02 |

## How proposals work

Write one, open a pull request, get two approvals.

## Index

| PEP | Title | Status | Author |
|---|---|---|---|
| [0000](PEP-0000-index.md) | Project Process | Active | The Maintainers |
"""
INDEX_ROW_1 = "| [0001](PEP-0001-good-idea.md) | Good Idea | Draft | Ada Lovelace (@ada), Grace Hopper (@grace) |\n"
INSTRUCTIONS = TEMPLATE[TEMPLATE.index("<!--") : TEMPLATE.index("-->") + 3]


class Scenario:
    def __init__(self, id, expect=(), files=None, remove=(), config="", paths=None):
        self.id = id
        self.rule = id.split("-")[0] if id[:1] in "FHLSX" and id[1:4].isdigit() else None
        self.expect = sorted(expect)
        self.files = files or {}
        self.remove = remove
        self.config = config
        self.paths = paths

    def __repr__(self):
        return self.id


def base_edit(id, expect_codes_lines, *pairs, **kw):
    """A scenario that only edits the base PEP; expect lists (line, code)."""
    return Scenario(id, [(P1, line, code) for line, code in expect_codes_lines], files={P1: edit(*pairs)}, **kw)


SCENARIOS = [
    Scenario("clean-base"),
    # -- F: the file itself ---------------------------------------------------
    Scenario("F001-unreadable", [("PEP-0002-a-folder.md", 1, "F001")], files={"PEP-0002-a-folder.md": DIRECTORY}),
    Scenario("F002-latin1", [("PEP-0002-latin.md", 3, "F002")], files={"PEP-0002-latin.md": b"# PEP-0002: Caf\n\nCaf\xe9\n"}),
    Scenario("F003-binary", [("PEP-0002-binary.md", 1, "F003")], files={"PEP-0002-binary.md": b"\x00\x01\x02PNG"}),
    Scenario("F004-empty", [("PEP-0002-empty.md", 1, "F004")], files={"PEP-0002-empty.md": b""}),
    Scenario("F005-too-large", [(P1, 1, "F005")], config="max-file-size = 100\n"),
    # the limit is inclusive: a file of exactly max-file-size bytes passes, one byte more does not
    Scenario("clean-F005-at-the-limit", [], config=f"max-file-size = {P1_SIZE}\n"),
    Scenario("F005-one-byte-over", [(P1, 1, "F005")], config=f"max-file-size = {P1_SIZE - 1}\n"),
    Scenario("F006-file-name", [("PEP-0001-Good_Idea.md", 1, "F006")], files={"PEP-0001-Good_Idea.md": BASE}, remove=(P1,)),
    # -- H: heading and header table -------------------------------------------
    base_edit("H001-no-number", [(1, "H001")], ("# PEP-0001: Good Idea", "# Good Idea")),
    base_edit("H001-short-number", [(1, "H001")], ("# PEP-0001: Good Idea", "# PEP-1: Good Idea")),
    base_edit("H001-missing", [(1, "H001")], ("# PEP-0001: Good Idea\n\n", "")),
    base_edit("H002-no-table", [(2, "H002")], (BASE[BASE.index("| Field") : BASE.index("## Summary")], "")),
    base_edit("H003-three-cells", [(7, "H003")], ("| **Status** | Draft |", "| **Status** | Draft | soon |")),
    base_edit("H003-no-delimiter", [(4, "H003")], ("|---|---|\n", "")),
    base_edit("H004-field-differs", [(5, "H004")], ("| **PEP** | 0001 |", "| **PEP** | 0002 |")),
    base_edit("H004-heading-differs", [(5, "H004")], ("# PEP-0001: Good Idea", "# PEP-0003: Good Idea")),
    base_edit("H004-not-a-number", [(5, "H004")], ("| **PEP** | 0001 |", "| **PEP** | one |")),
    Scenario("H004-more-digits-than-pep-numbers-have", [("PEP-12345-good-idea.md", 5, "H004")],
             files={"PEP-12345-good-idea.md": edit(("| **PEP** | 0001 |", "| **PEP** | 12345 |"),
                                                   ("# PEP-0001: Good Idea", "# PEP-12345: Good Idea"))}, remove=(P1,)),
    Scenario("clean-H004-four-digits", [], files={"PEP-9999-good-idea.md": edit(("| **PEP** | 0001 |", "| **PEP** | 9999 |"),
                                                                               ("# PEP-0001: Good Idea", "# PEP-9999: Good Idea"))},
             remove=(P1,)),
    base_edit("H005-title-differs", [(1, "H005")], ("| **Title** | Good Idea |", "| **Title** | Great Idea |")),
    base_edit("H006-no-created", [(3, "H006")], ("| **Created** | 2024-05-17 |\n", "")),
    base_edit("H006-no-authors", [(3, "H006")], ("| **Author(s)** | Ada Lovelace (@ada), Grace Hopper (@grace) |\n", "")),
    base_edit("H007-blank-title", [(6, "H007")], ("| **Title** | Good Idea |", "| **Title** |  |")),
    base_edit("H007-tbd-authors", [(8, "H007")], ("Ada Lovelace (@ada), Grace Hopper (@grace)", "TBD")),
    base_edit("H008-date", [(10, "H008")], ("2024-05-17", "YYYY-MM-DD")),
    base_edit("H008-author", [(8, "H008")], ("Ada Lovelace (@ada), Grace Hopper (@grace)", "Name (@github-handle)")),
    base_edit("H008-number", [(1, "H008"), (5, "H008")], ("# PEP-0001:", "# PEP-XXXX:"), ("| **PEP** | 0001 |", "| **PEP** | XXXX |")),
    base_edit("H008-hint-in-required-field", [(10, "H008")], ("2024-05-17", "_(the day you start)_")),
    base_edit("H009-unknown-status", [(7, "H009")], status("Pending")),
    base_edit("H010-impossible-date", [(10, "H010")], ("2024-05-17", "2024-02-30")),
    base_edit("H010-not-iso", [(10, "H010")], ("2024-05-17", "May 17, 2024")),
    base_edit("H010-future", [(10, "H010")], ("2024-05-17", "2030-01-01")),
    base_edit("H011-no-handle", [(8, "H011")], ("Ada Lovelace (@ada), Grace Hopper (@grace)", "Ada Lovelace")),
    base_edit("H011-unknown", [(8, "H011")], ("Ada Lovelace (@ada), Grace Hopper (@grace)", "Unknown")),
    base_edit("H011-one-of-two", [(8, "H011")], ("Grace Hopper (@grace)", "Grace Hopper")),
    base_edit("H011-handle-only", [(8, "H011")], ("Grace Hopper (@grace)", "(@grace)")),
    base_edit("clean-H011-and-list", [], ("Ada Lovelace (@ada), Grace Hopper (@grace)", "Ada Lovelace (@ada) and Grace Hopper (@grace)")),
    base_edit("H012-duplicate-field", [(8, "H012")], ("| **Status** | Draft |\n", "| **Status** | Draft |\n| **Status** | Draft |\n")),
    # -- L: what the status requires -------------------------------------------
    base_edit("L001-no-sponsor", [(9, "L001")], status("Under Review"), config='maintainers = ["boss"]\n'),
    base_edit("L001-sponsor-not-maintainer", [(9, "L001")], status("Under Review"),
              ("_(required for non-maintainers)_", "Pat Peer (@pat)"), config='maintainers = ["boss"]\n'),
    base_edit("L001-no-sponsor-row", [(3, "L001")], status("Accepted"), RESOLVED,
              ("| **Sponsor** | _(required for non-maintainers)_ |\n", ""), config='maintainers = ["boss"]\n'),
    base_edit("clean-L001-sponsor-is-maintainer", [], status("Under Review"),
              ("_(required for non-maintainers)_", "The Boss (@Boss)"), config='maintainers = ["boss"]\n'),
    base_edit("clean-L001-author-is-maintainer", [], status("Under Review"), config='maintainers = ["grace"]\n'),
    base_edit("clean-L001-draft", [], config='maintainers = ["boss"]\n'),
    base_edit("clean-L001-no-maintainers-configured", [], status("Under Review")),
    base_edit("L002-implementing", [(11, "L002")], status("Implementing"), RESOLVED),
    base_edit("L002-complete", [(11, "L002"), (12, "L002")], status("Complete"), RESOLVED),
    base_edit("L002-row-missing", [(7, "L002")], status("Implementing"), RESOLVED,
              ("| **Tracking Issue** | _(filled after acceptance)_ |\n", "")),
    base_edit("clean-L002-complete", [], status("Complete"), RESOLVED,
              ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** | #12 |"),
              ("| **Target Release** | _(filled after acceptance)_ |", "| **Target Release** | 2.0 |")),
    base_edit("L003-words", [(11, "L003")], status("Implementing"), RESOLVED, ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** | issue twelve |")),
    base_edit("L003-one-bad-of-two", [(11, "L003")], ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** | #12, bug 13 |")),
    base_edit("L003-issue-zero", [(11, "L003")], status("Implementing"), RESOLVED,
              ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** | #0 |")),
    base_edit("L003-issue-zero-in-a-link", [(11, "L003")], status("Implementing"), RESOLVED,
              ("| **Tracking Issue** | _(filled after acceptance)_ |", "| **Tracking Issue** | #12, [later](#00) |")),
    base_edit("clean-L003-list", [], status("Implementing"), RESOLVED,
              ("| **Tracking Issue** | _(filled after acceptance)_ |",
               "| **Tracking Issue** | #12, https://github.com/o/r/issues/13, [#14](https://github.com/o/r/issues/14) |")),
    base_edit("L004-declined-without-rationale", [(7, "L004")], status("Declined")),
    base_edit("L004-empty-rationale", [(68, "L004")], status("Declined"), add_section("## Rationale\n\n<!-- why -->\n\n")),
    base_edit("clean-L004-decision", [], status("Declined"), add_section("## Decision\n\nToo costly for now.\n\n")),
    base_edit("L005-lead-decided", [(13, "L005")], status("Accepted"), RESOLVED, add_row("| **Decided-By** | Lin Lead (@lin) |")),
    base_edit("clean-L005-recorded", [], status("Accepted"), RESOLVED, add_row("| **Decided-By** | Lin Lead (@lin) |"),
              add_section("## Rationale\n\nThe lead weighed both views and chose the simpler design.\n\n")),
    base_edit("L006-accepted-open", [(66, "L006")], status("Accepted")),
    base_edit("L006-one-of-two-open", [(67, "L006")], status("Accepted"),
              (QUESTION, "- [x] Should the time limit be configurable per route?\n- [ ] Who owns the cache?")),
    base_edit("L006-prose", [(64, "L006")], status("Accepted"), (QUESTION, "We still need to settle the time limit.")),
    base_edit("L006-item-not-resolved-yet", [(66, "L006")], status("Accepted"), (QUESTION, QUESTION + " Not resolved yet.")),
    base_edit("L006-item-yet-to-be-resolved", [(66, "L006")], status("Accepted"), (QUESTION, QUESTION + " (yet to be resolved)")),
    base_edit("L006-prose-not-resolved", [(64, "L006")], status("Accepted"), (QUESTION, "The time limit is not resolved.")),
    base_edit("L006-none-yet-but", [(64, "L006")], status("Accepted"), (QUESTION, "None yet, but the time limit may need a knob.")),
    base_edit("L006-nothing-open-except", [(64, "L006")], status("Accepted"), (QUESTION, "Nothing open except the time limit?")),
    base_edit("clean-L006-no-open-questions", [], status("Accepted"), (QUESTION, "No open questions remain.")),
    base_edit("clean-L006-checked", [], status("Accepted"), (QUESTION, "- [x] Should the time limit be configurable per route?\n  - yes, per route")),
    base_edit("clean-L006-struck", [], status("Accepted"), RESOLVED),
    base_edit("clean-L006-marked", [], status("Accepted"), (QUESTION, QUESTION + " **Resolved:** yes.")),
    base_edit("clean-L006-none", [], status("Accepted"), (QUESTION, "None.")),
    base_edit("clean-L006-removed", [], status("Accepted"), ("## Open Questions\n\n" + QUESTION + "\n\n", "")),
    base_edit("clean-L006-draft", []),
    # -- S: sections -------------------------------------------------------------
    base_edit("S001-missing", [(48, "S001")], ("## Observability\n\nA hit counter and a miss counter.\n\n", "")),
    base_edit("S001-renamed", [(18, "S001")], ("## Summary", "## Abstract")),
    base_edit("S001-level-three", [(18, "S001")], ("## Summary", "### Summary")),
    base_edit("clean-S001-case", [], ("## Summary", "## SUMMARY"), ("## Test Plan", "## test plan")),
    base_edit("S002-swapped", [(48, "S002")], ("## Compatibility\n", "## Swap\n"), ("## Observability\n", "## Compatibility\n"),
              ("## Swap\n", "## Observability\n")),
    base_edit("S002-first-and-last-swapped", [(14, "S002"), (68, "S002")], (REFERENCES, "## Swap\n"), ("## Summary\n", REFERENCES), ("## Swap\n", "## Summary\n")),
    Scenario("S003-template-comment", [(P1, 3, "S003")], files={P1: edit(("# PEP-0001: Good Idea\n", "# PEP-0001: Good Idea\n\n" + INSTRUCTIONS + "\n"))}),
    Scenario("S003-no-template-in-folder", [(P1, 3, "S003")], remove=("PEP-TEMPLATE.md",),
             files={P1: edit(("# PEP-0001: Good Idea\n", "# PEP-0001: Good Idea\n\n<!-- Instructions: copy this file and fill it in -->\n"))}),
    base_edit("clean-S003-other-comment", [], ("# PEP-0001: Good Idea\n", "# PEP-0001: Good Idea\n\n<!-- reviewers: see the thread -->\n")),
    base_edit("clean-S003-in-code", [], ("cache:\n", "<!-- Instructions: copy this file -->\ncache:\n")),
    base_edit("S005-empty-under-review", [(48, "S005")], status("Under Review"),
              ("## Observability\n\nA hit counter and a miss counter.\n", "## Observability\n\n<!-- metrics go here -->\n")),
    base_edit("S005-heading-only", [(48, "S005")], status("Deferred"),
              ("## Observability\n\nA hit counter and a miss counter.\n", "## Observability\n\n### Metrics\n\n<!-- later -->\n")),
    Scenario("S005-subsection-left-with-its-hint", [(P1, 22, "S005")],
             files={P1: edit(status("Under Review"), ("### Goals\n\n- Faster answers for repeated requests.\n", "### Goals\n\n<!-- outcomes -->\n")),
                    "PEP-TEMPLATE.md": TEMPLATE.replace("## Motivation\n", "## Motivation\n\n### Goals\n\n<!-- outcomes -->\n", 1)}),
    Scenario("clean-S005-subsection-written", [],
             files={P1: edit(status("Under Review")),
                    "PEP-TEMPLATE.md": TEMPLATE.replace("## Motivation\n", "## Motivation\n\n### Goals\n\n<!-- outcomes -->\n", 1)}),
    Scenario("S005-sample-code-left-as-the-template-has-it", [(P1, 34, "S005")],
             files={P1: edit(status("Under Review")),
                    "PEP-TEMPLATE.md": TEMPLATE.replace("## Design\n", "## Design\n\n```yaml\n# a comment that looks like a heading is not one\n"
                                                        "cache:\n  ttl: 60s\n```\n", 1)}),
    base_edit("clean-S005-draft", [], ("## Observability\n\nA hit counter and a miss counter.\n", "## Observability\n\n<!-- metrics -->\n")),
    base_edit("clean-S005-not-applicable", [], status("Under Review"),
              ("## Observability\n\nA hit counter and a miss counter.\n", "## Observability\n\nNot applicable: nothing runs.\n")),
    base_edit("S004-unclosed", [(72, "S004")], ("- The design discussion in the tracker.\n", "- The design discussion in the tracker.\n\n<!-- a note that never ends\n")),
    # -- X: across files ----------------------------------------------------------
    Scenario("X001-two-files", [(P1, 5, "X001"), ("PEP-0001-other-idea.md", 5, "X001")], files={"PEP-0001-other-idea.md": other_pep("0001", "Other Idea")}),
    Scenario("X001-checked-alone", [(P1, 5, "X001")], files={"PEP-0001-other-idea.md": other_pep("0001", "Other Idea")}, paths=[P1]),
    Scenario("X001-by-field", [(P1, 5, "X001"), ("PEP-0002-other-idea.md", 5, "X001"), ("PEP-0002-other-idea.md", 5, "H004")],
             files={"PEP-0002-other-idea.md": other_pep("0001", "Other Idea", ("# PEP-0001: Other Idea", "# PEP-0002: Other Idea"))}),
    base_edit("X002-no-such-pep", [(13, "X002")], add_row("| **Supersedes** | PEP-0042 |")),
    base_edit("X002-itself", [(13, "X002")], add_row("| **Superseded-By** | PEP-0001 |")),
    Scenario("X003-one-sided-supersedes", [("PEP-0002-better-idea.md", 13, "X003")],
             files={"PEP-0002-better-idea.md": other_pep("0002", "Better Idea", add_row("| **Supersedes** | PEP-0001 |"))}),
    Scenario("X003-one-sided-superseded-by", [(P1, 13, "X003")],
             files={P1: edit(add_row("| **Superseded-By** | [PEP-0002](PEP-0002-better-idea.md) |")),
                    "PEP-0002-better-idea.md": other_pep("0002", "Better Idea")}),
    Scenario("clean-X003-both-ways", [],
             files={P1: edit(add_row("| **Superseded-By** | PEP-0002 |")),
                    "PEP-0002-better-idea.md": other_pep("0002", "Better Idea", add_row("| **Supersedes** | PEP-0001 |"))}),
    base_edit("X004-inline", [(21, "X004")], ("Repeated requests cost time and money.", "Repeated requests cost time and money.\nSee [the old idea](PEP-0042-old-idea.md).")),
    base_edit("X004-reference", [(22, "X004")], ("Repeated requests cost time and money.", "Repeated requests cost [money][old].\n\n[old]: ./PEP-0043-gone.md#top")),
    base_edit("X004-anchor", [(21, "X004")], ("Repeated requests cost time and money.", "Repeated requests cost time.\nSee [x](./PEP-0001-good-ideas.md#summary).")),
    base_edit("clean-X004-ignored", [],
              ("Repeated requests cost time and money.",
               "Links: [self](./PEP-0001-good-idea.md#summary), [web](https://example.org/PEP-0042-x.md), "
               "`[code](PEP-0042-x.md)`.\n<!-- [hidden](PEP-0042-x.md) -->\n\n```\n[fenced](PEP-0042-x.md)\n```"),
              ),
    Scenario("X005-stale-index", [("PEP-0000-index.md", 17, "X005")], files={"PEP-0000-index.md": INDEX_TOP}),
    Scenario("X005-stale-row", [("PEP-0000-index.md", 17, "X005")], files={"PEP-0000-index.md": INDEX_TOP + INDEX_ROW_1.replace("Draft", "Accepted")}),
    Scenario("X005-no-index-section", [("PEP-0000-index.md", 3, "X005")], files={"PEP-0000-index.md": INDEX_TOP[: INDEX_TOP.index("## Index")]}),
    Scenario("clean-X005-in-sync", [], files={"PEP-0000-index.md": INDEX_TOP + INDEX_ROW_1}),
]


def build(scenario: Scenario, root: Path) -> tuple[Corpus, Policy, list[str] | None]:
    folder = root / "peps"
    shutil.copytree(BASE_DIR, folder)
    for name in scenario.remove:
        (folder / name).unlink()
    for name, content in scenario.files.items():
        path = folder / name
        if content is DIRECTORY:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    if scenario.config:
        (root / "pepctl.toml").write_text(scenario.config, encoding="utf-8")
        config = load_config(str(root / "pepctl.toml"))
    else:
        config = Config()
    paths = [str(folder / p) for p in scenario.paths] if scenario.paths else None
    return Corpus(str(folder), config), Policy(config), paths


def findings(scenario: Scenario, root: Path):
    corpus, policy, paths = build(scenario, root)
    return lint(corpus, policy, paths, today=TODAY)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=repr)
def test_scenario(scenario, tmp_path):
    found = sorted((Path(d.path).name, d.line, d.code) for d in findings(scenario, tmp_path))
    assert found == scenario.expect


def test_every_rule_has_a_failing_scenario(tmp_path_factory):
    """A new rule without a scenario that makes it fire fails here."""
    produced = set()
    for scenario in SCENARIOS:
        if scenario.expect:
            produced |= {d.code for d in findings(scenario, tmp_path_factory.mktemp("s"))}
    plano = {code for code, r in REGISTRY.items() if r.formats is None or "plano" in r.formats}  # dialects': test_dialect_rules
    assert sorted(plano - produced) == []
    named = {s.rule for s in SCENARIOS if s.rule}
    assert sorted(plano - named) == []


def test_clean_scenarios_cover_the_conditional_rules():
    """Rules that only apply in some states have a clean case in such a state."""
    clean = {s.id.split("-")[1] for s in SCENARIOS if s.id.startswith("clean-") and s.id.count("-") > 1}
    for code in ("F005", "H011", "L001", "L002", "L003", "L004", "L005", "L006", "S001", "S003", "X003", "X004", "X005"):
        assert code in clean


# -- details the table does not show -----------------------------------------------


def run_one(tmp_path, text: str, name: str = P1, config: str = ""):
    scenario = Scenario("detail", files={name: text}, config=config)
    return findings(scenario, tmp_path)


def test_messages_say_how_to_fix(tmp_path):
    broken = edit(
        ("| **Title** | Good Idea |", "| **Title** | Great Idea |"),
        ("2024-05-17", "2030-01-01"),
        ("Grace Hopper (@grace)", "Grace Hopper"),
        ("## Observability", "## Observations"),
    )
    diagnostics = run_one(tmp_path, broken)
    assert {d.code for d in diagnostics} == {"H005", "H010", "H011", "S001"}
    for d in diagnostics:
        assert ";" in d.message, d.message  # what is wrong; how to fix it
    by_code = {d.code: d for d in diagnostics}
    assert "Observability" in by_code["S001"].message
    assert "2030-01-01" in by_code["H010"].message and "2026-06-01" in by_code["H010"].message
    assert "Grace Hopper (@handle)" in by_code["H011"].message


def test_author_column_points_at_the_author(tmp_path):
    text = edit(("Grace Hopper (@grace)", "Grace Hopper"))
    (diagnostic,) = run_one(tmp_path, text)
    line = text.splitlines()[diagnostic.line - 1]
    assert line[diagnostic.column - 1 :].startswith("Grace Hopper")


def test_value_columns_point_at_the_cell(tmp_path):
    text = edit(("2024-05-17", "2024-13-01"))
    (diagnostic,) = run_one(tmp_path, text)
    line = text.splitlines()[diagnostic.line - 1]
    assert diagnostic.code == "H010"
    assert line[diagnostic.column - 1 :].startswith("2024-13-01")


def test_duplicate_number_names_the_other_file(tmp_path):
    scenario = Scenario("x", files={"PEP-0001-other-idea.md": other_pep("0001", "Other Idea")})
    messages = {Path(d.path).name: d.message for d in findings(scenario, tmp_path)}
    assert "PEP-0001-other-idea.md" in messages[P1]
    assert P1 in messages["PEP-0001-other-idea.md"]


def test_broken_link_suggests_the_real_file(tmp_path):
    text = edit(("Repeated requests cost time and money.", "See [it](PEP-0002-old-name.md)."))
    scenario = Scenario("x", files={P1: text, "PEP-0002-new-name.md": other_pep("0002", "New Name")})
    (diagnostic,) = findings(scenario, tmp_path)
    assert diagnostic.code == "X004"
    assert "PEP-0002-new-name.md" in diagnostic.message


def test_index_message_says_run_pepctl_index(tmp_path):
    scenario = Scenario("x", files={"PEP-0000-index.md": INDEX_TOP})
    (diagnostic,) = findings(scenario, tmp_path)
    assert "pepctl index" in diagnostic.message and "0001" in diagnostic.message


def test_severity_comes_from_the_registry_and_the_config(tmp_path):
    swapped = edit(("## Compatibility\n", "## Swap\n"), ("## Observability\n", "## Compatibility\n"), ("## Swap\n", "## Observability\n"))
    (diagnostic,) = run_one(tmp_path / "a", swapped)
    assert (diagnostic.code, diagnostic.severity) == ("S002", "warning")
    (diagnostic,) = run_one(tmp_path / "b", swapped, config='severity = { section-order = "error" }\n')
    assert diagnostic.severity == "error"
    assert run_one(tmp_path / "c", swapped, config='severity = { S002 = "off" }\n') == []


def test_required_sections_and_fields_follow_the_config(tmp_path):
    config = 'required-sections = ["Summary", "Rationale"]\nrequired-fields = ["PEP", "Title", "Status", "Discussion"]\n'
    diagnostics = run_one(tmp_path, BASE, config=config)
    assert sorted((d.code, d.line) for d in diagnostics) == [("H006", 3), ("S001", 14)]
    assert "Rationale" in [d for d in diagnostics if d.code == "S001"][0].message
    assert "Discussion" in [d for d in diagnostics if d.code == "H006"][0].message


def test_state_fields_follow_the_config(tmp_path):
    text = edit(status("Accepted"), RESOLVED)
    config = 'state-fields = { Accepted = ["Discussion"] }\n'
    (diagnostic,) = run_one(tmp_path, text, config=config)
    assert diagnostic.code == "L002" and "Discussion" in diagnostic.message


def test_living_document_is_exempt_from_proposal_rules(tmp_path):
    """A status-Active process document needs no template sections and may be signed by a group."""
    scenario = Scenario("x", files={"PEP-0000-index.md": INDEX_TOP + INDEX_ROW_1})
    assert findings(scenario, tmp_path) == []
    # the same document as a Draft is a proposal, and is held to the template
    draft = INDEX_TOP.replace("| **Status** | Active |", "| **Status** | Draft |").replace("| Active |", "| Draft |")
    scenario = Scenario("y", files={"PEP-0000-index.md": draft + INDEX_ROW_1})
    codes = {d.code for d in findings(scenario, tmp_path / "y")}
    assert {"S001", "H011"} <= codes


# -- the real process documents -----------------------------------------------------


def seeds_folder(seeds_dir: Path, root: Path) -> Path:
    folder = root / "peps"
    folder.mkdir()
    for name in ("PEP-0000-process.md", "PEP-TEMPLATE.md"):
        shutil.copy(seeds_dir / name, folder / name)
    return folder


def test_pep_0000_checks_clean(seeds_dir, tmp_path):
    folder = seeds_folder(seeds_dir, tmp_path)
    assert lint(Corpus(str(folder)), Policy(), today=TODAY) == []


def test_template_copied_with_placeholders_is_reported(seeds_dir, tmp_path):
    folder = seeds_folder(seeds_dir, tmp_path)
    shutil.copy(folder / "PEP-TEMPLATE.md", folder / "PEP-0001-my-idea.md")
    diagnostics = lint(Corpus(str(folder)), Policy(), [str(folder / "PEP-0001-my-idea.md")], today=TODAY)
    codes = [d.code for d in diagnostics]
    assert codes.count("H008") == 4  # PEP-XXXX heading, XXXX, Name (@github-handle), YYYY-MM-DD
    assert codes.count("S003") == 1
    (s003,) = [d for d in diagnostics if d.code == "S003"]
    assert s003.line == 3  # where the instructions comment starts
    assert set(codes) <= {"H007", "H008", "S003"}


def test_template_itself_is_not_checked(seeds_dir, tmp_path):
    folder = seeds_folder(seeds_dir, tmp_path)
    diagnostics = lint(Corpus(str(folder)), Policy(), [str(folder)], today=TODAY)
    assert diagnostics == []


# -- nothing a file says makes a rule crash ---------------------------------------------

FRAGMENTS = [
    "# PEP-0001: Good Idea\n", "# PEP-XXXX: Title\n", "# \n", "#\n", "| Field | Value |\n", "|---|---|\n", "|\n", "||\n",
    "| **PEP** | 0001 |\n", "| **PEP** | x |\n", "| **Status** | Accepted |\n", "| **Status** | Declined |\n",
    "| **Status** | Active |\n", "| **Author(s)** | A (@a), B, (@c), Unknown and & , |\n", "| **Created** | 2024-99-99 |\n",
    "| **Created** | YYYY-MM-DD |\n", "| **Sponsor** | @boss |\n", "| **Tracking Issue** | , #x, http:// |\n",
    "| **Supersedes** | PEP-0001, 99999 |\n", "| **Superseded-By** | [PEP-0002](PEP-0002-x.md) |\n",
    "| **Decided-By** | @lead |\n", "| a | b | c | d |\n", "| **Title** | a \\| b |\n",
    "## Summary\n", "## Open Questions\n", "## Rationale\n", "### Decision\n", "## Index\n", "##\n",
    "- [ ] open?\n", "  - [x] done\n", "1) ~~gone~~\n", "None\n", "<!--\n", "-->\n", "<!-- Instructions: x -->\n",
    "```\n", "~~~~\n", "`[a](PEP-0003-y.md)`\n", "[a](PEP-0003-y.md#z)\n", "[r]: <./PEP-0004-%20z.md>\n",
    "[b](PEP-.md)\n", "PEP-\n", "\r\n", "\t\n", "text\n", "é ü 🎉\n", "",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.sampled_from(["Draft", "Accepted", "Declined", "Active", "Complete"]))
def test_no_rule_crashes_on_odd_files(parts, state):
    import tempfile

    text = "".join(parts) + f"| **Status** | {state} |\n"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "PEP-0001-odd.md").write_text(text, encoding="utf-8")
        (folder / "PEP-0002-x.md").write_text("".join(reversed(parts)), encoding="utf-8")
        (folder / "PEP-0000-index.md").write_text(text + "\n## Index\n\n| PEP |\n|---|\n| x |\n", encoding="utf-8")
        config = load_config(str(_write_config(folder)))
        for diagnostic in lint(Corpus(str(folder), config), Policy(config), today=TODAY):
            assert diagnostic.code in REGISTRY
            assert diagnostic.line >= 1 and diagnostic.column >= 1
            assert diagnostic.message


def _write_config(folder: Path) -> Path:
    path = folder / "pepctl.toml"
    path.write_text('maintainers = ["boss"]\nproject-lead = "lead"\n', encoding="utf-8")
    return path
