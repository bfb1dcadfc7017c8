"""`pepctl rules`: every rule, with the severity it runs at under the current config."""

from __future__ import annotations

import json

from pepctl.rules import REGISTRY


def test_rules_lists_every_rule(pepctl, tmp_path):
    result = pepctl("rules", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    lines = lines[: lines.index("")]  # the lint rules; the review rules follow after a blank line
    plano = sorted(c for c, r in REGISTRY.items() if r.formats is None or "plano" in r.formats)  # a Plano folder's
    assert [line.split()[0] for line in lines] == plano
    for line in lines:
        code, name, severity, summary = line.split(None, 3)
        rule = REGISTRY[code]
        assert (name, severity, summary) == (rule.name, rule.severity, rule.summary)


def test_rules_json(pepctl, tmp_path):
    result = pepctl("rules", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [r for r in json.loads(result.stdout) if "kind" not in r]  # the lint rules (review rules have a kind)
    assert [r["code"] for r in rows] == sorted(c for c, r in REGISTRY.items() if r.formats is None or "plano" in r.formats)
    for row in rows:
        assert set(row) == {"code", "name", "severity", "default", "summary"}
        assert row["severity"] == row["default"] == REGISTRY[row["code"]].severity
    by_code = {r["code"]: r for r in rows}
    assert by_code["S002"]["severity"] == "warning"
    assert by_code["X001"]["name"] == "duplicate-number"


def test_rules_show_severity_after_config(pepctl, tmp_path):
    (tmp_path / "pepctl.toml").write_text(
        'severity = { S002 = "error", author-format = "off" }\nignore = ["X00"]\n', encoding="utf-8"
    )
    result = pepctl("rules", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    by_code = {r["code"]: r for r in json.loads(result.stdout)}
    assert (by_code["S002"]["severity"], by_code["S002"]["default"]) == ("error", "warning")
    assert by_code["H011"]["severity"] == "off"
    assert {by_code[c]["severity"] for c in by_code if c.startswith("X00")} == {"off"}
    assert by_code["H001"]["severity"] == "error"


def test_rules_with_a_bad_config_exits_2(pepctl, tmp_path):
    (tmp_path / "pepctl.toml").write_text('severity = { S002 = "loud" }\n', encoding="utf-8")
    result = pepctl("rules", cwd=tmp_path)
    assert result.returncode == 2
    assert "loud" in result.stderr and "Traceback" not in result.stderr


def test_rules_lists_the_review_rules_after_the_lint_rules(pepctl, tmp_path):
    from pepctl.review import REGISTRY as REVIEW

    result = pepctl("rules", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    blank = lines.index("")
    assert lines[blank + 1].startswith("Review rules (`pepctl gate`")
    review = lines[blank + 2:]
    assert [line.split()[0] for line in review] == sorted(REVIEW) == [f"R{n:03d}" for n in range(19)]
    for line in review:
        code, name, severity, summary = line.split(None, 3)
        assert (name, severity, summary) == (REVIEW[code].name, REVIEW[code].severity, REVIEW[code].summary)


def test_rules_json_marks_the_review_rules(pepctl, tmp_path):
    from pepctl.review import REGISTRY as REVIEW

    (tmp_path / "pepctl.toml").write_text('ignore = ["H"]\n', encoding="utf-8")  # lint config leaves them alone
    result = pepctl("rules", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    review = [r for r in json.loads(result.stdout) if r.get("kind") == "review"]
    assert [r["code"] for r in review] == sorted(REVIEW)
    for row in review:
        assert set(row) == {"code", "name", "severity", "default", "summary", "kind"}
        assert row["severity"] == row["default"] == REVIEW[row["code"]].severity
    assert {r["code"]: r["severity"] for r in review}["R013"] == "warning"


def test_rules_of_a_dialect_folder(pepctl, tmp_path):
    (tmp_path / "pep-0001.rst").write_text("PEP: 1\n\nBody\n", encoding="utf-8")
    rows = [r for r in json.loads(pepctl("rules", "--format", "json", cwd=tmp_path).stdout) if "kind" not in r]
    codes = {r["code"] for r in rows}
    assert {"P001", "P017", "H009"} <= codes and not codes & {"H001", "F006", "E001", "S001"}
