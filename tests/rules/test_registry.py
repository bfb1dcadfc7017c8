"""The lint engine itself (pepctl.rules): the registry, which rules a config selects, per-file
exemptions, the checks of rule codes named in the config, and how `run` reports findings.

In process: the command-line tests of the same behaviour (tests/test_config.py) run pepctl in a
child process, which mutation testing does not see."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from pepctl import rules
from pepctl.config import Config, ConfigError, load_config
from pepctl.corpus import Corpus, Entry, load_entry
from pepctl.model import PepSummary
from pepctl.policy import Policy
from pepctl.rules import (
    CORPUS,
    FILE,
    RAW,
    REGISTRY,
    Context,
    Diagnostic,
    Selection,
    check_config_codes,
    check_patterns,
    matches,
    unknown_codes_message,
    unknown_patterns,
)

BASE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "base"
P1 = "PEP-0001-good-idea.md"


def config_file(tmp_path: Path, text: str, name: str = "pepctl.toml") -> Config:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_config(str(path))


# -- the registry -----------------------------------------------------------------------


def test_a_code_cannot_be_registered_twice():
    with pytest.raises(RuntimeError) as info:
        rules.rule("H001", "again", "A second title rule.")(lambda pep, ctx: ())
    assert str(info.value) == "rule code H001 registered twice"
    assert REGISTRY["H001"].name == "title-heading"


def test_rule_registers_a_check_under_its_code(monkeypatch):
    monkeypatch.setattr(rules, "REGISTRY", {})

    def check(pep, ctx):
        return ()

    assert rules.rule("Z001", "zed", "Zed things.")(check) is check
    assert rules.REGISTRY == {"Z001": rules.Rule("Z001", "zed", "error", "Zed things.", FILE, check)}
    rules.rule("Z002", "zed-two", "More.", severity="warning", scope=CORPUS)(check)
    assert rules.REGISTRY["Z002"][:6] == ("Z002", "zed-two", "warning", "More.", CORPUS, check)


def test_registered_rules_keep_what_they_were_given():
    r = REGISTRY["S002"]
    assert (r.code, r.name, r.severity, r.scope) == ("S002", "section-order", "warning", FILE)
    assert r.summary.startswith("Required sections come in template order.")
    assert REGISTRY["F001"].scope == RAW and REGISTRY["X001"].scope == CORPUS
    assert REGISTRY["H001"].severity == "error"


def test_diagnostic_sorts_by_place_then_code_and_shows_where():
    d = Diagnostic("a.md", 3, 7, "H004", "number-mismatch", "error", "the number")
    assert d.sort_key() == ("a.md", 3, 7, "H004")
    assert repr(d) == "a.md:3:7: H004 the number"
    assert d.to_json() == {"path": "a.md", "line": 3, "column": 7, "code": "H004", "name": "number-mismatch",
                           "severity": "error", "message": "the number"}


# -- naming rules -------------------------------------------------------------------------


@pytest.mark.parametrize("pattern, selected", [
    ("H001", True), ("h001", True), ("H00", True), ("H", True), (" H001 ", True),
    ("title-heading", True), ("TITLE-HEADING", True), ("H002", False), ("X", False), ("title", False), ("", False),
    ("  ", False), ("001", False),
])
def test_a_code_a_prefix_or_a_name_selects_a_rule(pattern, selected):
    assert matches(REGISTRY["H001"], [pattern]) is selected


def test_any_pattern_of_a_list_selects():
    assert matches(REGISTRY["H001"], ["", "X", "h0"])
    assert not matches(REGISTRY["H001"], ["", "X", "S"])


def test_unknown_patterns_are_listed_in_order_and_blanks_ignored():
    assert unknown_patterns(["H001", "Q9", " ", "sponsor", "nope"]) == ["Q9", "nope"]
    assert unknown_codes_message(["Q9", "nope"]) == "unknown rule code or name: Q9, nope; `pepctl rules` lists them"


def test_check_patterns_says_where():
    check_patterns(["H", "sponsor"])  # fine: nothing raised
    with pytest.raises(ConfigError) as info:
        check_patterns(["Q9"])
    assert str(info.value) == "unknown rule code or name: Q9; `pepctl rules` lists them"
    with pytest.raises(ConfigError) as info:
        check_patterns(["H", "Q9"], "here: ")
    assert str(info.value) == "here: unknown rule code or name: Q9; `pepctl rules` lists them"


# -- rule codes named in the config file ----------------------------------------------------


@pytest.mark.parametrize("toml, where", [
    ('select = ["F0O3"]', "'select': "),
    ('ignore = ["F003", "F0O3"]', "'ignore': "),
    ('[severity]\nF0O3 = "off"', "'severity.F0O3': "),
    ('[per-file-ignores]\n"PEP-1*.md" = ["S001", "F0O3"]', "'per-file-ignores' for 'PEP-1*.md': "),
])
def test_an_unknown_code_in_the_config_names_the_file_and_key(tmp_path, toml, where):
    config = config_file(tmp_path, toml + "\n")
    with pytest.raises(ConfigError) as info:
        check_config_codes(config)
    assert str(info.value) == f"{config.source}: {where}unknown rule code or name: F0O3; `pepctl rules` lists them"


def test_in_pyproject_the_message_names_the_table(tmp_path):
    config = config_file(tmp_path, '[tool.pepctl]\nignore = ["F0O3"]\n', "pyproject.toml")
    with pytest.raises(ConfigError) as info:
        check_config_codes(config)
    assert str(info.value) == (f"{config.source}: [tool.pepctl] 'ignore': unknown rule code or name: F0O3; "
                               "`pepctl rules` lists them")


@pytest.mark.parametrize("toml, key", [
    ('select = [""]', "'select'"),
    ('ignore = ["H001", " "]', "'ignore'"),
    ('[per-file-ignores]\n"PEP-1*.md" = [""]', "'per-file-ignores' for 'PEP-1*.md'"),
])
def test_a_blank_code_in_the_config_is_refused(tmp_path, toml, key):
    config = config_file(tmp_path, toml + "\n")
    with pytest.raises(ConfigError) as info:
        check_config_codes(config)
    assert str(info.value) == (f"{config.source}: {key}: an empty entry names no rule; remove it, or give a code such as "
                               "'S001', a family such as 'S', or a rule name (`pepctl rules` lists them)")


def test_known_codes_prefixes_and_names_in_the_config_pass(tmp_path):
    config = config_file(tmp_path, 'select = ["F00", "binary-file"]\nignore = ["S"]\n[severity]\nF = "warning"\n'
                                   '[per-file-ignores]\n"PEP-9*.md" = ["H", "title-heading"]\n')
    check_config_codes(config)
    check_config_codes(Config({"select": ["Q9"]}))  # defaults in code, no file: nothing to check


# -- which rules run ------------------------------------------------------------------------------


def codes(selection: Selection) -> list[str]:
    return [r.code for r in selection.rules]


def test_by_default_every_rule_runs_in_code_order():
    selection = Selection(Config())
    plano = sorted(code for code, r in REGISTRY.items() if r.formats is None or "plano" in r.formats)
    assert codes(selection) == plano  # the other formats' rules apply to their folders only
    assert {code: selection.severity[code] for code in plano} == {code: REGISTRY[code].severity for code in plano}


def test_select_and_ignore_from_the_config_and_the_call():
    config = Config({"select": ["H00", "S"], "ignore": ["H003"]})
    assert codes(Selection(config)) == ["H001", "H002", "H004", "H005", "H006", "H007", "H008", "H009",
                                        "S001", "S002", "S003", "S004", "S005"]
    # the call's select replaces the config's; its ignore adds to the config's
    assert codes(Selection(config, select=["X"], ignore=["X005"])) == ["X001", "X002", "X003", "X004"]
    assert codes(Selection(config, ignore=["S"])) == ["H001", "H002", "H004", "H005", "H006", "H007", "H008", "H009"]


def test_severity_per_code_prefix_or_name_and_off():
    config = Config({"severity": {"H": "warning", "section-order": "error", "F005": "off"}})
    selection = Selection(config)
    assert "F005" not in codes(selection)
    assert selection.severity["H001"] == selection.severity["H012"] == "warning"
    assert selection.severity["S002"] == "error"
    assert selection.severity["S001"] == "error" and selection.severity["X001"] == "error"


def test_per_file_ignores_match_the_file_name_or_the_path():
    selection = Selection(Config({"per-file-ignores": {"PEP-1*.md": ["H"], "*/drafts/*": ["sponsor"], "old-*": [""]}}))
    assert selection.exempt("peps/PEP-1234-x.md", "H004")
    assert not selection.exempt("peps/PEP-1234-x.md", "S001")
    assert not selection.exempt("peps/PEP-2234-x.md", "H004")
    assert selection.exempt("peps/drafts/PEP-2234-x.md", "L001")  # by its path
    assert not selection.exempt("peps/PEP-2234-x.md", "L001")
    assert not selection.exempt("peps/old-x.md", "H001")  # a blank entry exempts nothing


# -- what rules may look at ------------------------------------------------------------------


def folder_with(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "peps"
    folder.mkdir()
    for name in names:
        (folder / name).write_text((BASE_DIR / P1).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_records_count_unparsed_files_by_their_name(tmp_path):
    folder = folder_with(tmp_path, P1, "PEP-0007-other.md")
    corpus = Corpus(str(folder))
    corpus.entry(str(folder / P1))
    ctx = Context(corpus, Policy())
    parsed, unparsed = ctx.records()
    assert (parsed.filename, parsed.number, parsed.line, parsed.title, parsed.status, parsed.parsed) == (
        P1, 1, 5, "Good Idea", "Draft", True)
    assert unparsed == PepSummary(str(folder / "PEP-0007-other.md"), 7, parsed=False)
    # full: every file parsed (PEP-0007 says it is number 1 inside)
    assert [(r.filename, r.number, r.parsed) for r in ctx.records(full=True)] == [(P1, 1, True), ("PEP-0007-other.md", 1, True)]


def test_preset_records_win(tmp_path):
    ctx = Context(Corpus(str(folder_with(tmp_path, P1))), Policy())
    ctx.preset_records = [PepSummary("x/PEP-0009-y.md", 9)]
    assert ctx.records() == ctx.records(full=True) == [PepSummary("x/PEP-0009-y.md", 9)]


def test_today_defaults_to_the_real_date_and_can_be_given():
    assert Context(None, Policy()).today == datetime.date.today()
    assert Context(None, Policy(), datetime.date(2020, 2, 2)).today == datetime.date(2020, 2, 2)


def test_template_is_read_once_when_the_folder_has_one(tmp_path):
    folder = folder_with(tmp_path, P1)
    ctx = Context(Corpus(str(folder)), Policy())
    assert ctx.template is None  # no PEP-TEMPLATE.md
    (folder / "PEP-TEMPLATE.md").write_text("# PEP-XXXX: Title\n", encoding="utf-8")
    assert ctx.template is None  # the answer is kept for the run
    fresh = Context(Corpus(str(folder)), Policy())
    assert fresh.template.title_text == "PEP-XXXX: Title"
    (folder / "PEP-TEMPLATE.md").write_bytes(b"")
    assert Context(Corpus(str(folder)), Policy()).template is None  # unreadable: as if absent


# -- running rules ------------------------------------------------------------------------------


def test_run_reports_progress_per_file_and_clamps_positions(tmp_path):
    folder = folder_with(tmp_path, P1, "PEP-0002-x.md")
    corpus = Corpus(str(folder))
    calls = []
    ctx = Context(corpus, Policy())
    targets = corpus.entries
    found = rules.run(ctx, targets, Selection(Config(), select=["H"]), progress=lambda *a: calls.append(a))
    assert calls == [("checking", 1, 2), ("checking", 2, 2)]
    assert [(Path(d.path).name, d.code) for d in found] == [("PEP-0002-x.md", "H004")]


def test_no_file_is_walked_when_only_corpus_rules_run(tmp_path):
    folder = folder_with(tmp_path, P1, "PEP-0001-twin.md")
    corpus = Corpus(str(folder))
    calls = []
    found = rules.run(Context(corpus, Policy()), corpus.entries, Selection(Config(), select=["X001"]),
                      progress=lambda *a: calls.append(a))
    assert calls == [] and [d.code for d in found] == ["X001", "X001"]


def test_run_only_the_scopes_asked_for(tmp_path):
    folder = folder_with(tmp_path, P1, "PEP-0001-twin.md", "PEP-Bad.md")
    corpus = Corpus(str(folder))
    targets = corpus.entries
    ctx = Context(corpus, Policy())
    selection = Selection(Config(), select=["F006", "H004", "X001"])
    everything = {(Path(d.path).name, d.code) for d in rules.run(ctx, targets, selection)}
    assert everything == {("PEP-Bad.md", "F006"), ("PEP-Bad.md", "X001"), ("PEP-0001-twin.md", "X001"), (P1, "X001")}
    assert {(Path(d.path).name, d.code) for d in rules.run(ctx, targets, selection, (RAW,))} == {("PEP-Bad.md", "F006")}
    assert {d.code for d in rules.run(ctx, targets, selection, (CORPUS,))} == {"X001"}
    assert rules.run(ctx, targets, selection, (FILE,)) == []


def test_a_file_that_does_not_parse_gets_only_the_raw_rules(tmp_path):
    folder = folder_with(tmp_path, P1)
    (folder / "PEP-0002-empty.md").write_bytes(b"")
    corpus = Corpus(str(folder))
    found = rules.run(Context(corpus, Policy()), corpus.entries, Selection(Config()))
    assert [(Path(d.path).name, d.code, d.line, d.column) for d in found] == [("PEP-0002-empty.md", "F004", 1, 1)]


def test_positions_below_one_become_one_and_exempt_files_are_skipped(tmp_path, monkeypatch):
    folder = folder_with(tmp_path, P1)
    corpus = Corpus(str(folder))

    def check(pep, ctx):
        yield 0, "two-part"
        yield -3, -1, "three-part"

    monkeypatch.setitem(REGISTRY, "Z999", rules.Rule("Z999", "zed", "error", "test rule", FILE, check))
    found = rules.run(Context(corpus, Policy()), corpus.entries, Selection(Config(), select=["Z999"]))
    assert [(d.line, d.column, d.message, d.name, d.severity) for d in found] == [
        (1, 1, "two-part", "zed", "error"), (1, 1, "three-part", "zed", "error")]  # same place: in the order found
    exempt = Selection(Config({"per-file-ignores": {"PEP-0001-*": ["Z999"]}}), select=["Z999"])
    assert rules.run(Context(corpus, Policy()), corpus.entries, exempt) == []


def test_run_sorts_by_path_line_column_code(tmp_path):
    folder = folder_with(tmp_path, "PEP-0002-b.md", "PEP-0003-a.md")
    corpus = Corpus(str(folder))
    found = rules.run(Context(corpus, Policy()), corpus.entries, Selection(Config(), select=["H004", "H005"]))
    keys = [d.sort_key() for d in found]
    assert keys == sorted(keys) and len(keys) == 2
    assert [os.path.basename(d.path) for d in found] == ["PEP-0002-b.md", "PEP-0003-a.md"]


def test_entries_loaded_outside_the_corpus_are_checked_too(tmp_path):
    folder = folder_with(tmp_path, P1)
    other = tmp_path / "PEP-0005-elsewhere.md"
    other.write_text((BASE_DIR / P1).read_text(encoding="utf-8"), encoding="utf-8")
    entry = load_entry(str(other))
    assert isinstance(entry, Entry)
    found = rules.run(Context(Corpus(str(folder)), Policy()), [entry], Selection(Config(), select=["H004"]))
    assert [d.code for d in found] == ["H004"]
