"""The README and docs/ as a reader meets them: their links lead somewhere, their measured figures
live in one page (docs/performance.md), and every pepctl command they show is one pepctl accepts.

The Python examples run in test_docs_examples.py; the README's first command in test_examples.py.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from pepctl.cli.group import cli
from pepctl.site.markdown import slugify

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FIGURES_PAGE = ROOT / "docs" / "performance.md"

LINK_RE = re.compile(r"\]\(([^)\s]+)\)")
FENCE_RE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
HEADING_RE = re.compile(r"^#{1,6} (.+?)\s*#*$", re.M)
# a table cell that is nothing but a measurement: "228 ms", "2.10 s", "7.3× faster", "0.57× (1.7× faster)"
FIGURE_CELL_RE = re.compile(r"^\s*~?[\d.,]+\s?(?:ms|s|×)(?:\s.*)?$")


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


def without_code(text: str) -> str:
    """The text without its code blocks and `code spans` (examples, not links)."""
    return re.sub(r"`[^`\n]*`", "", FENCE_RE.sub("", text))


def anchors(page: Path) -> set[str]:
    """The fragment ids GitHub gives the page's headings (duplicates get -1, -2, ...)."""
    seen: dict[str, int] = {}
    out = set()
    for heading in HEADING_RE.findall(FENCE_RE.sub("", page.read_text(encoding="utf-8"))):
        slug = slugify(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", ""))
        count = seen.get(slug)
        seen[slug] = 0 if count is None else count + 1
        out.add(slug if count is None else f"{slug}-{count + 1}")
    return out


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for target in LINK_RE.findall(without_code(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no file {os.path.relpath(file, ROOT)}")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(f"{target}: no heading #{fragment} in {os.path.relpath(file, ROOT)}")
    assert not broken, broken


@pytest.mark.parametrize("page", [p for p in PAGES if p != FIGURES_PAGE], ids=page_id)
def test_measured_figures_live_only_in_performance_md(page):
    """Figures copied into several pages drift apart: the other pages link to performance.md."""
    copies = []
    for number, line in enumerate(without_code(page.read_text(encoding="utf-8")).splitlines(), 1):
        if line.startswith("|"):
            copies += [f"{number}: {cell.strip()}" for cell in line.strip("|").split("|") if FIGURE_CELL_RE.match(cell)]
    assert not copies, f"measurements belong in docs/performance.md (link to it instead): {copies}"


def test_the_figure_check_recognises_a_measurement_table():
    table = "| run | median |\n|---|---|\n| first run | 228 ms |\n| ratio | 7.3× faster |\n"
    cells = [c for line in table.splitlines() for c in line.strip("|").split("|") if FIGURE_CELL_RE.match(c)]
    assert [c.strip() for c in cells] == ["228 ms", "7.3× faster"]


def shown_commands():
    """Every `pepctl ...` line of the shell blocks in the README and docs, with its page."""
    for page in PAGES:
        for language, body in FENCE_RE.findall(page.read_text(encoding="utf-8")):
            if language not in ("sh", "bash", "console", "shell"):
                continue
            for line in body.replace("\\\n", " ").splitlines():
                line = line.split("  #")[0].strip()
                for part in re.split(r"&&|\|\|", line):
                    words = shlex.split(part, comments=True)
                    while words and "=" in words[0]:  # VAR=value before the command
                        words.pop(0)
                    if words and os.path.basename(words[0]) == "pepctl":
                        yield pytest.param(words[1:], id=f"{page.name}: {' '.join(words)[:60]}")


def parse(args: list[str]) -> click.Context:
    """Parse a command line as pepctl would, down to its last subcommand, without running it."""
    ctx = cli.make_context("pepctl", list(args), resilient_parsing=False)
    while isinstance(ctx.command, click.Group) and (rest := [*getattr(ctx, "_protected_args", ()), *ctx.args]):
        name, command, rest = ctx.command.resolve_command(ctx, rest)
        ctx = command.make_context(name, rest, parent=ctx)
    return ctx


@pytest.mark.parametrize("args", list(shown_commands()))
def test_every_command_the_docs_show_is_one_pepctl_accepts(args):
    try:
        parse(args)
    except click.exceptions.Exit:
        pass
    except click.UsageError as err:
        pytest.fail(f"pepctl {shlex.join(args)}: {err.format_message()}")


def test_the_parse_check_refuses_an_option_a_command_does_not_have():
    with pytest.raises(click.UsageError, match="No such option"):
        parse(["site", "serve", "-j", "2"])


def quick_start() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = FENCE_RE.search(section)
    assert block and block.group(1) == "sh", "the quick start shows its commands in one sh block"
    return [shlex.split(line, comments=True) for line in block.group(2).splitlines() if line.strip()]


def test_the_readme_quick_start_runs_as_written_in_a_new_repository(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    env = {**os.environ, "NO_COLOR": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    results = {}
    for words in quick_start():
        assert words[0] == "pepctl"
        done = subprocess.run([sys.executable, "-m", "pepctl", *words[1:]], cwd=tmp_path, capture_output=True,
                              text=True, env=env, timeout=60)
        assert "Traceback" not in done.stderr
        results[words[1]] = done
    assert results["init"].returncode == 0 and results["new"].returncode == 0, results
    config = (tmp_path / "pepctl.toml").read_text()
    assert 'project-lead = "ada"' in config and '"grace"' in config
    new = list((tmp_path / "docs" / "peps").glob("PEP-0001-*.md"))
    assert [p.name for p in new] == ["PEP-0001-faster-widget-caching.md"]
    assert (tmp_path / ".github" / "workflows" / "pep-gate.yml").exists()
    # as the README says: a Draft may leave its sections empty, so check passes, silently
    check = results["check"]
    assert (check.returncode, check.stdout) == (0, ""), check


def test_every_input_of_the_action_is_documented_with_its_default_and_description():
    import yaml

    inputs = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    text = (ROOT / "docs" / "github.md").read_text(encoding="utf-8")
    table = text.split("### The Action's inputs", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = (cells[1].strip("`"), cells[2])
    expected = {name: (spec.get("default") or "(none)", spec["description"]) for name, spec in inputs.items()}
    assert rows == expected
