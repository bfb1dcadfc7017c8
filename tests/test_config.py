"""Finding, validating and printing configuration."""

from __future__ import annotations

import json
import os
import subprocess

import jsonschema
import pytest

from pepctl.config import Config, ConfigError, load_config
from pepctl.configschema import json_schema
from pepctl.corpus import find_pep_dir
from pepctl.policy import Policy

PEP = "# PEP-0001: X\n\n| Field | Value |\n|---|---|\n| **PEP** | 0001 |\n"


def test_defaults_follow_pep_0000():
    policy = Policy(Config())
    assert policy.config.required_approvals == 2
    assert policy.config.first_feedback_days == 14
    assert policy.can_transition("Draft", "Under Review")
    assert not policy.can_transition("Draft", "Accepted")
    assert policy.is_final("Declined") and policy.is_final("complete")
    assert policy.canonical("under review") == "Under Review"
    assert policy.canonical("Active") == "Active"


def test_pepctl_toml_found_from_a_subfolder(tmp_path):
    (tmp_path / "pepctl.toml").write_text('maintainers = ["ada", "grace"]\nrequired-approvals = 3\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    config = load_config(start=str(sub))
    assert config.maintainers == ["ada", "grace"]
    assert config.required_approvals == 3
    assert config.source == str(tmp_path / "pepctl.toml")


def test_pyproject_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.pepctl]\nproject-lead = "ada"\n')
    assert load_config(start=str(tmp_path)).project_lead == "ada"


def test_pyproject_without_tool_table_is_not_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(start=str(tmp_path)).source is None


@pytest.mark.parametrize("text", ["tool = 3\n", "[tool]\npepctl = 3\n"])
def test_pyproject_whose_tool_or_tool_pepctl_is_no_table(tmp_path, text):
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.pepctl\] must be a table"):
        load_config(str(tmp_path / "pyproject.toml"))


def test_a_pyproject_with_pepctl_under_a_tool_heading_is_found_when_searching(tmp_path):
    # `[tool]` then `pepctl = ...` names no "tool.pepctl": it was passed over and the defaults applied
    (tmp_path / "pyproject.toml").write_text("[tool]\npepctl = 3\n")
    with pytest.raises(ConfigError) as info:
        load_config(start=str(tmp_path))
    assert str(info.value) == (f"{tmp_path / 'pyproject.toml'}: [tool.pepctl] must be a table, but 'pepctl' under "
                               "[tool] is 3; write pepctl's keys under a [tool.pepctl] heading, one per line "
                               "(e.g. required-approvals = 2)")
    (tmp_path / "pyproject.toml").write_text("[tool]\npepctl.stale-days = 5\n")  # a dotted key: a right one
    assert load_config(start=str(tmp_path)).stale_days == 5


def test_a_pyproject_naming_pepctl_elsewhere_is_not_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project.scripts]\npepctl = "pepctl.cli:main"\n[tool.other]\npepctl = 1\n')
    assert load_config(start=str(tmp_path)).source is None


def test_search_stops_at_git_root(tmp_path):
    (tmp_path / "pepctl.toml").write_text("stale-days = 5\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert load_config(start=str(repo)).stale_days == 90


@pytest.mark.parametrize(
    "toml, words",
    [
        ('required-approvals = "two"', ["required-approvals", "integer"]),
        ("required-approvals = 0", ["required-approvals", ">= 1"]),
        ('maintainers = "ada"', ["maintainers", "list of strings"]),
        ('repository-url = "javascript:alert(1)"', ["repository-url", "https://github.com/owner/repo"]),
        ('repository-url = "github.com/owner/repo"', ["repository-url", "http(s) address"]),
        ('repository-url = "https://github.com/o/r?tab=1"', ["repository-url", "no ? or #"]),
        ('colour = "blue"', ["colour", "accepted keys", "maintainers"]),
        ('[severity]\nH001 = "fatal"', ["severity.H001", "error, warning, off"]),
        ('[transitions]\nDraft = ["Shipped"]', ["transitions.Draft", "Shipped", "Under Review"]),
        ('final-states = ["Done"]', ["final-states", "Done"]),
        ("this is not toml", ["not valid TOML"]),
        ("a = " + "[" * 100_000 + "]" * 100_000, ["not valid TOML", "nested"]),
        ('[deciders]\nAccepted = "lead"', ["deciders.Accepted", "anyone, authors, maintainers"]),
        ('[deciders]\nShipped = "authors"', ["deciders.Shipped", "not a state", "Withdrawn"]),
        ('sequential-numbers = "yes"', ["sequential-numbers", "true or false"]),
        ('approval-scope = "files"', ["approval-scope", "'files'", "accepted values: status, file"]),
        ("amendment-warn-percent = 0", ["amendment-warn-percent", ">= 1"]),
        ("record-typo-chars = -1", ["record-typo-chars", ">= 0"]),
        ('record-states = ["Gone"]', ["record-states", "Gone", "not in 'states'"]),
        ('amendment-states = ["Accepted"]\nrecord-states = ["accepted"]', ["accepted", "both", "remove it from one"]),
    ],
)
def test_invalid_config_names_key_and_accepted_values(tmp_path, toml, words):
    path = tmp_path / "pepctl.toml"
    path.write_text(toml + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    for word in words:
        assert word in str(info.value)


def test_invalid_config_exits_2_without_traceback(tmp_path, pepctl):
    (tmp_path / "pepctl.toml").write_text("required-approvals = -1\n")
    (tmp_path / "PEP-0001-x.md").write_text(PEP)
    for args in (["check"], ["list"], ["config"]):
        result = pepctl(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert "required-approvals" in result.stderr
        assert "Traceback" not in result.stderr


def test_custom_states_and_transitions(tmp_path):
    (tmp_path / "pepctl.toml").write_text(
        'states = ["Proposed", "Approved", "Rejected"]\nfinal-states = ["Rejected"]\n'
        'initial-states = ["Proposed"]\nsponsor-states = []\nrationale-states = []\nopen-questions-states = []\n'
        '[transitions]\nProposed = ["Approved", "Rejected"]\n[state-fields]\n'
    )
    policy = Policy(load_config(start=str(tmp_path)))
    assert policy.can_transition("proposed", "approved")
    assert not policy.can_transition("Approved", "Proposed")
    assert policy.canonical("Draft") is None


def test_schema_is_valid_and_matches_defaults():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(Config().as_dict(), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"required-approvals": "two"}, schema)


def test_config_command_prints_effective_config_and_schema(tmp_path, pepctl):
    (tmp_path / "pepctl.toml").write_text('maintainers = ["ada"]\n')
    result = pepctl("config", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["config"]["maintainers"] == ["ada"]
    assert data["config"]["required-approvals"] == 2
    toml = pepctl("config", cwd=tmp_path)
    assert 'maintainers = [\n    "ada",\n]' in toml.stdout or 'maintainers = ["ada"]' in toml.stdout
    schema = json.loads(pepctl("config", "--schema", cwd=tmp_path).stdout)
    assert "required-approvals" in schema["properties"]


def test_printed_toml_config_reads_back(tmp_path, pepctl):
    (tmp_path / "pepctl.toml").write_text('maintainers = ["ada"]\n[severity]\nH011 = "warning"\n')
    printed = pepctl("config", cwd=tmp_path).stdout
    copy = tmp_path / "copy" / "pepctl.toml"
    copy.parent.mkdir()
    copy.write_text(printed)
    assert load_config(str(copy)).as_dict() == load_config(str(tmp_path / "pepctl.toml")).as_dict()


# -- finding the PEP folder ------------------------------------------------------------


def test_pep_dir_defaults_to_docs_peps_under_git_root(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "docs" / "peps").mkdir(parents=True)
    sub = tmp_path / "src"
    sub.mkdir()
    found = find_pep_dir(Config(), cwd=str(sub))
    assert (sub / found).resolve() == (tmp_path / "docs" / "peps").resolve()


def test_pep_dir_is_current_folder_when_it_holds_peps(tmp_path):
    (tmp_path / "PEP-0001-x.md").write_text(PEP)
    assert find_pep_dir(Config(), cwd=str(tmp_path)) == "."


def test_no_pep_folder_is_a_usage_error(tmp_path, pepctl):
    result = pepctl("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "--dir" in result.stderr and "Traceback" not in result.stderr


def test_pep_dir_from_config_is_relative_to_config_file(tmp_path):
    (tmp_path / "proposals").mkdir()
    (tmp_path / "pepctl.toml").write_text('pep-dir = "proposals"\n')
    sub = tmp_path / "x"
    sub.mkdir()
    config = load_config(start=str(sub))
    found = find_pep_dir(config, cwd=str(sub))
    assert (sub / found).resolve() == (tmp_path / "proposals").resolve()


def test_explicit_dir_must_exist(tmp_path, pepctl):
    result = pepctl("--dir", str(tmp_path / "nope"), "check", cwd=tmp_path)
    assert result.returncode == 2
    assert "no such folder" in result.stderr


def test_every_option_is_documented():
    from pathlib import Path

    from pepctl.config import OPTIONS

    text = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [o.key for o in OPTIONS if f"| `{o.key}` |" not in text]
    assert missing == []


TYPE_LABELS = {"string": "string", "web-address": "web address", "integer": "integer", "boolean": "boolean",
               "strings": "list of strings", "table-of-strings": "table of lists", "table-of-string": "table of strings"}


def test_the_documented_type_and_default_of_every_key_are_the_ones_the_code_reads():
    import json
    from pathlib import Path

    from pepctl.config import OPTIONS

    text = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = (cells[1], cells[2].strip("`"))
    wrong = []
    for option in OPTIONS:
        kind = ("non-empty " if option.nonempty else "") + TYPE_LABELS[option.kind]
        default = json.dumps(option.default)
        documented_kind, documented_default = rows[option.key]
        if documented_kind != kind or documented_default not in (default, "see below"):
            wrong.append((option.key, rows[option.key], (kind, default)))
        if option.choices and not all(f'"{choice}"' in line or f"`{choice}`" in line or f"'{choice}'" in line
                                      for choice in option.choices
                                      for line in [next(l for l in text.splitlines() if l.startswith(f"| `{option.key}`"))]):
            wrong.append((option.key, "does not name every choice", option.choices))
    assert wrong == []


# -- rule codes named in the config ------------------------------------------------


@pytest.fixture
def binary_folder(tmp_path):
    """A folder whose one PEP is binary: every run that lints it reports F003."""
    (tmp_path / "peps").mkdir()
    (tmp_path / "peps" / "PEP-0001-bin.md").write_bytes(b"x\0y")
    return tmp_path


@pytest.mark.parametrize(
    "toml, key, bad",
    [
        ('select = ["F0O3"]', "'select'", "F0O3"),
        ('ignore = ["F003", "F0O3"]', "'ignore'", "F0O3"),
        ('[severity]\nZZZ9 = "off"', "'severity.ZZZ9'", "ZZZ9"),
        ('[per-file-ignores]\n"PEP-1*.md" = ["S001", "QQ1"]', "'per-file-ignores' for 'PEP-1*.md'", "QQ1"),
    ],
)
@pytest.mark.parametrize("pyproject", [False, True])
def test_unknown_rule_code_in_config_exits_2(binary_folder, pepctl, toml, key, bad, pyproject):
    if pyproject:
        name = "pyproject.toml"
        toml = '[project]\nname = "x"\n\n[tool.pepctl]\n' + toml.replace("[severity]", "[tool.pepctl.severity]").replace(
            "[per-file-ignores]", "[tool.pepctl.per-file-ignores]"
        )
    else:
        name = "pepctl.toml"
    (binary_folder / name).write_text(toml + "\n")
    done = pepctl("--dir", "peps", "check", cwd=binary_folder)
    assert done.returncode == 2, done.stdout
    assert done.stdout == ""
    message = done.stderr
    assert name in message and key in message and bad in message
    assert "`pepctl rules`" in message
    assert ("[tool.pepctl]" in message) == pyproject
    assert "Traceback" not in message


def test_unknown_rule_code_in_config_fails_on_the_click_path_too(binary_folder, pepctl):
    (binary_folder / "pepctl.toml").write_text('select = ["F0O3"]\n')
    done = pepctl("--dir", "peps", "check", "--format=json", "--changed-since", "HEAD", cwd=binary_folder)
    assert done.returncode == 2
    assert "not inside a git repository" in done.stderr  # git comes first here; now with git:
    subprocess.run(["git", "init", "-q", str(binary_folder)], check=True)
    subprocess.run(
        ["git", "-C", str(binary_folder), "-c", "user.name=T", "-c", "user.email=t@e.org", "-c", "commit.gpgsign=false",
         "commit", "-q", "--allow-empty", "-m", "start"],
        check=True,
    )
    done = pepctl("--dir", "peps", "check", "--changed-since", "HEAD", cwd=binary_folder)
    assert done.returncode == 2, done.stdout
    assert "pepctl.toml" in done.stderr and "'select'" in done.stderr and "F0O3" in done.stderr
    # nothing changed since HEAD would lint nothing: the typo is still caught
    subprocess.run(["git", "-C", str(binary_folder), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(binary_folder), "-c", "user.name=T", "-c", "user.email=t@e.org", "-c", "commit.gpgsign=false",
         "commit", "-q", "-m", "all"],
        check=True,
    )
    done = pepctl("--dir", "peps", "check", "--changed-since", "HEAD", cwd=binary_folder)
    assert done.returncode == 2 and "F0O3" in done.stderr


def test_code_prefixes_and_names_in_config_still_select(binary_folder, pepctl):
    (binary_folder / "pepctl.toml").write_text(
        'select = ["F00", "binary-file", "X"]\nignore = ["S", "x00"]\n'
        '[severity]\nF = "warning"\nempty-file = "error"\n'
        '[per-file-ignores]\n"PEP-9*.md" = ["H", "title-heading"]\n'
    )
    done = pepctl("--dir", "peps", "check", cwd=binary_folder)
    assert done.returncode == 0, done.stderr  # F003 is a warning here: shown, and passing
    assert done.stdout == "peps/PEP-0001-bin.md:1:1: F003 the file is binary (it contains NUL bytes), not Markdown text\n"
    assert pepctl("--dir", "peps", "check", "--strict", cwd=binary_folder).returncode == 1


def test_unknown_code_on_the_command_line_still_says_so(binary_folder, pepctl):
    done = pepctl("--dir", "peps", "check", "--select", "F0O3", cwd=binary_folder)
    assert done.returncode == 2
    assert "unknown rule code or name: F0O3" in done.stderr and "`pepctl rules`" in done.stderr


# -- lists that must not be empty ------------------------------------------------------


@pytest.mark.parametrize("key", ["states", "initial-states", "rationale-sections"])
@pytest.mark.parametrize("value", ["[]", '[" "]'])
def test_list_that_must_not_be_empty(tmp_path, key, value):
    path = tmp_path / "pepctl.toml"
    path.write_text(f"{key} = {value}\n")
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    message = str(info.value)
    assert f"'{key}' must be a non-empty list of strings" in message
    assert "remove the key to get the default" in message
    assert str(path) in message


def test_empty_state_lists_that_mean_none_are_still_fine(tmp_path):
    (tmp_path / "pepctl.toml").write_text(
        "final-states = []\ndraft-states = []\nsponsor-states = []\nrationale-states = []\n"
        "open-questions-states = []\nrequired-sections = []\nmaintainers = []\n"
    )
    assert load_config(start=str(tmp_path)).rationale_states == []


def test_empty_list_exits_2(tmp_path, pepctl):
    (tmp_path / "pepctl.toml").write_text("rationale-sections = []\n")
    (tmp_path / "PEP-0001-x.md").write_text(PEP)
    done = pepctl("check", cwd=tmp_path)
    assert done.returncode == 2
    assert "'rationale-sections' must be a non-empty list" in done.stderr and "Traceback" not in done.stderr


def test_schema_refuses_empty_lists_that_must_not_be_empty():
    schema = json_schema()
    assert schema["properties"]["states"]["minItems"] == 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"rationale-sections": []}, schema)
    jsonschema.validate({"sponsor-states": []}, schema)


@pytest.mark.parametrize("toml, key", [
    ('select = [""]', "'select'"),
    ('select = ["F003", " "]', "'select'"),
    ('ignore = [""]', "'ignore'"),
    ('[per-file-ignores]\n"PEP-1*.md" = [""]', "'per-file-ignores' for 'PEP-1*.md'"),
])
def test_a_blank_rule_code_in_config_exits_2(binary_folder, pepctl, toml, key):
    # select = [""] selected no rule at all, so check passed a binary file with exit 0
    (binary_folder / "pepctl.toml").write_text(toml + "\n")
    done = pepctl("--dir", "peps", "check", cwd=binary_folder)
    assert done.returncode == 2 and done.stdout == ""
    assert key in done.stderr and "an empty entry names no rule" in done.stderr


def test_a_deciders_table_keeps_pep_0000s_other_lines(tmp_path):
    # Writing one line must not quietly let anyone accept a PEP.
    path = tmp_path / "pepctl.toml"
    path.write_text('[deciders]\nDraft = "authors"\nwithdrawn = "anyone"\n')
    deciders = load_config(str(path)).deciders
    assert deciders == {"Accepted": "maintainers", "Declined": "maintainers", "Deferred": "maintainers",
                        "Draft": "authors", "withdrawn": "anyone"}
    path.write_text('states = ["Draft", "Accepted", "Withdrawn"]\n')
    assert load_config(str(path)).deciders == {"Accepted": "maintainers", "Withdrawn": "authors"}


def test_the_new_options_in_the_schema():
    properties = json_schema()["properties"]
    assert properties["sequential-numbers"] == {"description": properties["sequential-numbers"]["description"],
                                                "default": True, "type": "boolean"}
    assert properties["deciders"]["additionalProperties"]["enum"] == ["anyone", "authors", "maintainers"]
    jsonschema.validate({"deciders": {"Withdrawn": "authors"}, "sequential-numbers": False}, json_schema())



def test_the_schema_lists_a_string_options_choices():
    assert json_schema()["properties"]["approval-scope"]["enum"] == ["status", "file"]


@pytest.mark.parametrize(
    "toml, words",
    [
        ('states = ["Draft", "DRAFT", "Under Review", "Accepted", "Declined", "Deferred", "Withdrawn", "Implementing", '
         '"Complete", "Active"]', ["'states' lists 'Draft' and 'DRAFT'", "remove one"]),
        ('project-lead = "Jane Doe"', ["'project-lead' is 'Jane Doe'", "no GitHub login", "handle"]),
        ('maintainers = ["ada"]\nproject-lead = "bob"\nrequired-approvals = 3',
         ["'required-approvals' is 3 but only 2 maintainers", "lower it or list more maintainers"]),
    ],
)
def test_settings_that_make_no_sense_together_are_warned_about(tmp_path, toml, words):
    path = tmp_path / "pepctl.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    warnings = load_config(str(path)).warnings
    assert len(warnings) == 1 and all(word in warnings[0] for word in words), warnings


def test_a_sane_configuration_has_no_warnings(tmp_path):
    path = tmp_path / "pepctl.toml"
    path.write_text('maintainers = ["ada", "bob"]\nproject-lead = "@carol"\n', encoding="utf-8")
    assert load_config(str(path)).warnings == []


def test_a_final_state_with_moves_out_of_it_is_a_configuration_error(tmp_path):
    path = tmp_path / "pepctl.toml"
    path.write_text('final-states = ["Declined", "Deferred"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    assert "'transitions.Deferred' allows moving on to Under Review, Draft" in str(info.value)
    assert "'final-states' says Deferred cannot change again" in str(info.value)


# -- reading and validating, in process (the tests above that run pepctl see none of this) -------

from pepctl.config import (  # noqa: E402
    BY_KEY,
    OPTIONS,
    TRANSITIONS,
    Option,
    check_type,
    copy_value,
    describe,
    find_config_file,
    has_tool_table,
    is_web_address,
    validate,
)


def config_error(tmp_path, text: str, name: str = "pepctl.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    return str(info.value).replace(str(path), "FILE")


@pytest.mark.parametrize("toml, message", [
    ('required-approvals = "two"', "FILE: 'required-approvals' must be an integer >= 1, got 'two'"),
    ("required-approvals = true", "FILE: 'required-approvals' must be an integer >= 1, got True"),
    ("required-approvals = 0", "FILE: 'required-approvals' must be an integer >= 1, got 0"),
    ("project-lead = 7", "FILE: 'project-lead' must be a string, got 7"),
    ('maintainers = "ada"', "FILE: 'maintainers' must be a list of strings, got 'ada'"),
    ("maintainers = [1]", "FILE: 'maintainers' must be a list of strings, got [1]"),
    ("states = []", "FILE: 'states' must be a non-empty list of strings, got []; name at least one, or remove the key "
                    "to get the default"),
    ('states = [" "]', "FILE: 'states' must be a non-empty list of strings, got [' ']; name at least one, or remove "
                       "the key to get the default"),
    ('transitions = { Draft = "Accepted" }', "FILE: 'transitions' must be a table whose values are lists of strings, "
                                             "got {'Draft': 'Accepted'}"),
    ("transitions = { Draft = [1] }", "FILE: 'transitions' must be a table whose values are lists of strings, "
                                      "got {'Draft': [1]}"),
    ('transitions = ["Draft"]', "FILE: 'transitions' must be a table whose values are lists of strings, got ['Draft']"),
    ("severity = { H001 = 1 }", "FILE: 'severity' must be a table whose values are strings, got {'H001': 1}"),
    ('severity = "error"', "FILE: 'severity' must be a table whose values are strings, got 'error'"),
    ('severity = { H001 = "fatal" }', "FILE: 'severity.H001' is 'fatal'; accepted values: error, warning, off"),
    ('repository-url = "ftp://x.org/r"', "FILE: 'repository-url' must be empty or an http(s) address like "
                                         "https://github.com/owner/repo (no ? or #), got 'ftp://x.org/r'"),
    ("repository-url = 3", "FILE: 'repository-url' must be empty or an http(s) address like "
                           "https://github.com/owner/repo (no ? or #), got 3"),
    ('colour = "blue"', "FILE: unknown key 'colour'; accepted keys: " + ", ".join(sorted(BY_KEY))),
    ('initial-states = ["Shipped"]', "FILE: 'initial-states' names 'Shipped', which is not in 'states' "
                                     "(Draft, Under Review, Accepted, Declined, Deferred, Withdrawn, Implementing, "
                                     "Complete, Active)"),
    ('rationale-states = ["Shipped"]', "FILE: 'rationale-states' names 'Shipped', which is not in 'states' "
                                       "(Draft, Under Review, Accepted, Declined, Deferred, Withdrawn, Implementing, "
                                       "Complete, Active)"),
    ('sponsor-states = ["shipped"]', "FILE: 'sponsor-states' names 'shipped', which is not in 'states' "
                                     "(Draft, Under Review, Accepted, Declined, Deferred, Withdrawn, Implementing, "
                                     "Complete, Active)"),
    ('final-states = ["Shipped"]', "FILE: 'final-states' names 'Shipped', which is not in 'states' "
                                   "(Draft, Under Review, Accepted, Declined, Deferred, Withdrawn, Implementing, "
                                   "Complete, Active)"),
    ('draft-states = ["Shipped"]', "FILE: 'draft-states' names 'Shipped', which is not in 'states' "
                                   "(Draft, Under Review, Accepted, Declined, Deferred, Withdrawn, Implementing, "
                                   "Complete, Active)"),
    ('open-questions-states = ["Shipped"]', "FILE: 'open-questions-states' names 'Shipped', which is not in 'states' "
                                            "(Draft, Under Review, Accepted, Declined, Deferred, Withdrawn, "
                                            "Implementing, Complete, Active)"),
    ('state-fields = { Shipped = ["X"] }', "FILE: 'state-fields.Shipped' is not a state; accepted values: Draft, "
                                           "Under Review, Accepted, Declined, Deferred, Withdrawn, Implementing, "
                                           "Complete, Active"),
    ('states = ["A", "B"]\ntransitions = { A = ["C"] }', "FILE: 'transitions.A' allows 'C', which is not a state; "
                                                          "accepted values: A, B"),
])
def test_config_errors_say_which_key_and_what_it_must_be(tmp_path, toml, message):
    assert config_error(tmp_path, toml + "\n") == message


def test_unreadable_and_malformed_files(tmp_path):
    assert config_error(tmp_path, "this is not toml\n").startswith("FILE: not valid TOML: ")
    (tmp_path / "latin.toml").write_bytes(b'project-lead = "caf\xe9"\n')
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path / "latin.toml"))
    assert str(info.value).startswith(f"{tmp_path / 'latin.toml'}: not valid TOML: ")
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path / "missing.toml"))
    assert str(info.value) == f"{tmp_path / 'missing.toml'}: cannot read the config file: No such file or directory"
    assert config_error(tmp_path, 'tool = { pepctl = "x" }\n', "pyproject.toml") == (
        "FILE: [tool.pepctl] must be a table, but 'pepctl' under [tool] is 'x'; write pepctl's keys under a "
        "[tool.pepctl] heading, one per line (e.g. required-approvals = 2)")


def test_a_named_pyproject_reads_its_tool_table_and_no_more(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n[tool.pepctl]\nstale-days = 7\n[tool.other]\ncolour = 1\n')
    config = load_config(str(path))
    assert (config.stale_days, config.source, config.root) == (7, str(path), str(tmp_path))
    (tmp_path / "plain.toml").write_text('[tool.pepctl]\nstale-days = 7\n')  # not a pyproject: keys at the top level
    assert config_error(tmp_path, '[tool.pepctl]\nstale-days = 7\n', "plain.toml").startswith("FILE: unknown key 'tool'")


def test_pyproject_without_settings_is_an_empty_config(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n')
    assert load_config(str(path)).as_dict() == Config().as_dict()


def test_the_nearest_file_wins_and_pepctl_toml_before_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.pepctl]\nstale-days = 1\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    assert find_config_file(str(sub)) == (str(tmp_path / "pyproject.toml"), True)
    (tmp_path / "pepctl.toml").write_text("stale-days = 2\n")
    assert find_config_file(str(sub)) == (str(tmp_path / "pepctl.toml"), False)
    (sub / "pyproject.toml").write_text('[tool.pepctl]\nstale-days = 3\n')
    assert find_config_file(str(sub)) == (str(sub / "pyproject.toml"), True)
    assert load_config(start=str(sub)).stale_days == 3
    (tmp_path / ".git").mkdir()
    assert find_config_file(str(tmp_path / "nothing-here")) == (str(tmp_path / "pepctl.toml"), False)


def test_has_tool_table(tmp_path):
    (tmp_path / "a.toml").write_text("[tool.pepctl]\n")
    (tmp_path / "b.toml").write_text("[tool.other]\n")
    assert has_tool_table(str(tmp_path / "a.toml"))
    assert not has_tool_table(str(tmp_path / "b.toml")) and not has_tool_table(str(tmp_path / "none.toml"))


@pytest.mark.parametrize("kind, extra, text", [
    ("string", {}, "a string"),
    ("web-address", {}, "empty or an http(s) address like https://github.com/owner/repo (no ? or #)"),
    ("integer", {}, "an integer"),
    ("integer", {"minimum": 3}, "an integer >= 3"),
    ("strings", {}, "a list of strings"),
    ("strings", {"nonempty": True}, "a non-empty list of strings"),
    ("table-of-strings", {}, "a table whose values are lists of strings"),
    ("table-of-string", {}, "a table whose values are strings"),
])
def test_describe(kind, extra, text):
    option = Option("k", kind, None, "help", **extra)
    assert (option.key, option.kind, option.default, option.help, option.attr) == ("k", kind, None, "help", "k")
    assert describe(option) == text


def test_option_fields():
    option = Option("max-file-size", "integer", 5, "h", choices=("a",), minimum=1, nonempty=True)
    assert (option.choices, option.minimum, option.nonempty, option.attr) == (("a",), 1, True, "max_file_size")
    assert (option.key, option.kind, option.default, option.help) == ("max-file-size", "integer", 5, "h")
    plain = Option("x", "string", "", "h")
    assert (plain.choices, plain.minimum, plain.nonempty) == (None, None, False)


@pytest.mark.parametrize("kind, value", [
    ("string", ""), ("web-address", ""), ("web-address", "https://github.com/o/r"), ("integer", 0),
    ("strings", []), ("strings", ["a"]), ("table-of-strings", {}), ("table-of-strings", {"a": ["b"]}),
    ("table-of-string", {"a": "b"}),
])
def test_check_type_accepts(kind, value):
    check_type(Option("k", kind, None, "h"), value, "here")


@pytest.mark.parametrize("kind, value", [
    ("string", None), ("web-address", "http://x.org/?q"), ("integer", 1.5), ("integer", False), ("strings", ("a",)),
    ("table-of-strings", {"a": "b"}), ("table-of-strings", []), ("table-of-string", {"a": ["b"]}), ("table-of-string", []),
])
def test_check_type_refuses(kind, value):
    with pytest.raises(ConfigError) as info:
        check_type(Option("k", kind, None, "h"), value, "here")
    assert str(info.value).startswith("here: 'k' must be ")


@pytest.mark.parametrize("text, ok", [
    ("https://github.com/owner/repo", True), ("HTTP://x.org", True), ("https://x.org/a/b-c_d", True),
    ("https://x.org/a?b", False), ("https://x.org/#a", False), ("https://", False), ("https://u@x.org", False),
    ("https://x.org/a b", False), ("ftp://x.org", False), ("javascript:alert(1)", False), ("", False),
])
def test_is_web_address(text, ok):
    assert is_web_address(text) is ok


def test_validate_keeps_default_transitions_between_the_states_left():
    values = validate({"states": ["Draft", "Under Review", "Accepted", "Shipped"]}, "here")
    assert values["transitions"] == {"Draft": ["Under Review"], "Under Review": ["Accepted", "Draft"],
                                     "Accepted": [], "Shipped": []}
    assert "transitions" not in validate({"stale-days": 3}, "here")
    given = validate({"states": ["A", "B"], "transitions": {"a": ["b"]}}, "here")
    assert given["transitions"] == {"a": ["b"]}  # state names compare without case


def test_config_values_are_copies():
    config = Config()
    config.transitions["Draft"].append("Complete")
    config.maintainers.append("x")
    assert TRANSITIONS["Draft"] == ["Under Review", "Withdrawn"] and Config().maintainers == []
    nested = {"a": ["b"], "c": {"d": ["e"]}}
    copy = copy_value(nested)
    assert copy == nested and copy["a"] is not nested["a"] and copy["c"]["d"] is not nested["c"]["d"]
    dumped = Config({"maintainers": ["ada"]}).as_dict()
    assert dumped["maintainers"] == ["ada"] and list(dumped) == [o.key for o in OPTIONS]


def test_config_source_and_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert (Config().source, Config().root) == (None, os.getcwd())
    assert Config({}, "x/pepctl.toml", "/r").root == "/r"


def test_schema_properties():
    schema = json_schema()
    assert schema["description"] == "Keys of pepctl.toml, or of [tool.pepctl] in pyproject.toml. Defaults follow PEP-0000."
    assert (schema["$schema"], schema["type"], schema["additionalProperties"]) == (
        "https://json-schema.org/draft/2020-12/schema", "object", False)
    assert (schema["$id"], schema["title"]) == ("https://pepctl.dev/schema/config.json", "pepctl configuration")
    props = schema["properties"]
    assert list(props) == [o.key for o in OPTIONS]
    assert props["transitions"] == {"description": BY_KEY["transitions"].help, "default": TRANSITIONS, "type": "object",
                                    "additionalProperties": {"type": "array", "items": {"type": "string"}}}
    assert props["severity"] == {"description": BY_KEY["severity"].help, "default": {}, "type": "object",
                                 "additionalProperties": {"type": "string", "enum": ["error", "warning", "off"]}}
    assert props["required-approvals"] == {"description": BY_KEY["required-approvals"].help, "default": 2,
                                           "type": "integer", "minimum": 1}
    assert props["maintainers"] == {"description": BY_KEY["maintainers"].help, "default": [], "type": "array",
                                    "items": {"type": "string"}}
    assert props["states"]["minItems"] == 1 and "minItems" not in props["maintainers"]
    assert props["project-lead"] == {"description": BY_KEY["project-lead"].help, "default": "", "type": "string"}
    assert props["repository-url"]["pattern"].startswith("^$|^[hH][tT]")
    jsonschema.validate({"repository-url": "https://github.com/o/r"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"repository-url": "https://github.com/o/r?x"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"transitions": {"Draft": "Accepted"}}, schema)


def test_every_maintainer_counts_towards_the_approvals_that_can_be_given(tmp_path):
    path = tmp_path / "pepctl.toml"
    path.write_text('maintainers = ["ada", "bob"]\nproject-lead = "carol"\nrequired-approvals = 3\n', encoding="utf-8")
    assert load_config(str(path)).warnings == []


def test_configured_moves_out_of_a_final_state_are_a_configuration_error(tmp_path):
    path = tmp_path / "pepctl.toml"
    path.write_text('[transitions]\nDraft = ["Under Review"]\nDeclined = ["Draft"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    assert "'transitions.Declined' allows moving on to Draft" in str(info.value)
