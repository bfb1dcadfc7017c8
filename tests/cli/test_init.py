"""`pepctl init`: a repository set up for the process, checked clean; never a file replaced."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pepctl import scaffold
from pepctl.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # config is looked up from the current folder: keep the repository's out
    (tmp_path / ".git").mkdir()  # the git root, where the config search stops


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".git" not in p.parts[:1])


def test_init_writes_the_process_template_and_config_and_check_passes(tmp_path, capsys):
    assert main(["init"]) == 0
    assert files_under(tmp_path) == ["docs/peps/PEP-0000-process.md", "docs/peps/PEP-TEMPLATE.md", "pepctl.toml"]
    capsys.readouterr()
    assert main(["check"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["index", "--check"]) == 0


def test_the_config_names_the_keys_a_project_must_fill(tmp_path):
    main(["init"])
    text = (tmp_path / "pepctl.toml").read_text()
    assert re.search(r"^# maintainers = \[", text, re.M) and re.search(r"^# project-lead = ", text, re.M)


def test_init_into_a_named_path(tmp_path, capsys):
    assert main(["init", "--github", "repo"]) == 0
    out = capsys.readouterr().out
    assert "created repo/.github/workflows/pep-gate.yml" in out and "OWNER/pepctl@PEPCTL_SHA" in out
    assert main(["--dir", "repo/docs/peps", "check"]) == 0


def test_github_writes_the_workflows_docs_github_md_shows(tmp_path):
    assert main(["init", "--github"]) == 0
    written = sorted(os.listdir(tmp_path / ".github" / "workflows"))
    assert written == sorted(scaffold.WORKFLOWS)
    docs = (REPO / "docs" / "github.md").read_text(encoding="utf-8")
    for name in written:
        assert (tmp_path / ".github" / "workflows" / name).read_bytes() == scaffold.workflow(name)


def test_the_docs_show_the_shipped_workflows_and_no_other():
    """docs/github.md names each workflow file, then shows it: that block is the shipped file."""
    docs = (REPO / "docs" / "github.md").read_text(encoding="utf-8")
    block = re.compile(r"```yaml\n(.*?)```", re.S)
    shown = {}
    for name in re.findall(r"`\.github/workflows/([\w.-]+\.yml)`", docs):
        shown.setdefault(name, block.search(docs, docs.index(f"`.github/workflows/{name}`")).group(1))
    assert sorted(shown) == sorted(scaffold.WORKFLOWS)
    for name, text in shown.items():
        assert text == scaffold.workflow(name).decode(), f"docs/github.md's {name} differs from src/pepctl/templates/github/{name}"
    workflows = [b for b in block.findall(docs) if re.search(r"^jobs:", b, re.M)]
    assert len(workflows) == len(shown)  # no workflow in the docs that init does not ship


def test_refuses_when_any_file_exists_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "pepctl.toml").write_text("# mine\n")
    assert main(["init", "--github"]) == 1
    err = capsys.readouterr().err
    assert "pepctl.toml" in err and "nothing was written" in err
    assert files_under(tmp_path) == ["pepctl.toml"]
    assert (tmp_path / "pepctl.toml").read_text() == "# mine\n"


def test_refuses_a_folder_that_holds_peps_already(tmp_path, capsys):
    (tmp_path / "docs" / "peps").mkdir(parents=True)
    (tmp_path / "docs" / "peps" / "PEP-0007-old.md").write_text("# PEP-0007: Old\n")
    assert main(["init"]) == 1
    assert "PEP-0007-old.md" in capsys.readouterr().err
    assert files_under(tmp_path) == ["docs/peps/PEP-0007-old.md"]


def test_copies_a_given_process_and_template(tmp_path, seeds_dir):
    assert main(["init", "--process", str(seeds_dir / "PEP-0000-process.md"), "--template", str(seeds_dir / "PEP-TEMPLATE.md")]) == 0
    peps = tmp_path / "docs" / "peps"
    assert (peps / "PEP-0000-process.md").read_bytes() == (seeds_dir / "PEP-0000-process.md").read_bytes()
    assert (peps / "PEP-TEMPLATE.md").read_bytes() == (seeds_dir / "PEP-TEMPLATE.md").read_bytes()
    assert main(["check"]) == 0


def test_a_missing_process_file_is_a_usage_error(tmp_path, capsys):
    assert main(["init", "--process", "nope.md"]) == 2
    assert "--process nope.md" in capsys.readouterr().err
    assert files_under(tmp_path) == []


def test_a_failed_write_removes_what_it_created(tmp_path, monkeypatch):
    real = scaffold.atomic_write
    calls = []

    def failing(path, data, **kw):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, data, **kw)

    monkeypatch.setattr(scaffold, "atomic_write", failing)
    assert main(["init"]) == 1
    assert files_under(tmp_path) == []


def test_the_example_process_document_is_the_one_init_writes_with_its_index():
    example = (REPO / "examples" / "peps" / "PEP-0000-process.md").read_text(encoding="utf-8")
    shipped = scaffold.builtin("pep-0000-process.md").decode()
    assert example.startswith(shipped)  # the same text; the example's Index lists its PEPs too


def test_the_process_document_is_written_in_its_own_words(seeds_dir):
    theirs = {line.strip() for line in (seeds_dir / "PEP-0000-process.md").read_text().splitlines() if len(line.strip()) > 25}
    ours = {line.strip() for line in scaffold.builtin("pep-0000-process.md").decode().splitlines()}
    shared = {line for line in theirs & ours if not line.startswith(("|", "#"))}  # table rows and headings aside
    assert shared == set()


def test_maintainers_and_lead_given_on_the_command_line_are_read_back_by_the_config(tmp_path, capsys):
    from pepctl import Policy, load_config

    assert main(["init", "--maintainer", "ada", "--maintainer", "@grace", "--maintainer", "ada", "--lead", "@ada"]) == 0
    out = capsys.readouterr().out
    assert "pepctl new" in out and "name the" not in out  # nothing is left to fill in
    config = load_config(start=str(tmp_path / "docs" / "peps"))
    assert config.maintainers == ["ada", "grace"] and config.project_lead == "ada"
    assert Policy(config).is_maintainer("grace")
    assert main(["check"]) == 0


def test_only_the_lead_given_leaves_the_maintainers_to_fill_in(tmp_path, capsys):
    assert main(["init", "--lead", "ada"]) == 0
    assert "name the maintainers in pepctl.toml" in capsys.readouterr().out
    text = (tmp_path / "pepctl.toml").read_text()
    assert re.search(r"^# maintainers = \[", text, re.M) and re.search(r'^project-lead = "ada"$', text, re.M)


@pytest.mark.parametrize("option", ["--maintainer", "--lead"])
def test_a_handle_that_github_would_refuse_is_a_usage_error_and_nothing_is_written(tmp_path, capsys, option):
    assert main(["init", option, "two words"]) == 2
    assert f"{option} 'two words' is not a GitHub handle" in capsys.readouterr().err
    assert files_under(tmp_path) == []
