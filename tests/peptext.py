"""PEP files for tests: a small one (title heading, header table, one section), and those of
tests/fixtures/commands with their number and status filled in."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "commands"

TEXT = """# PEP-{n:04d}: {title}

| Field | Value |
|---|---|
| **PEP** | {n:04d} |
| **Title** | {title_cell} |
| **Status** | {status} |
| **Author(s)** | {author} |
| **Created** | 2026-01-05 |{extra}

## Summary

{body}
"""


def small_pep(n: int, title: str, status: str = "Draft", author: str = "Ada Lovelace (@ada)",
              extra: str = "", body: str = "Text.") -> str:
    """`extra`: more header rows, each starting with a newline."""
    return TEXT.format(n=n, title=title, title_cell=title.replace("|", "\\|"), status=status, author=author,
                       extra=extra, body=body)


# PEP-0000 up to its '## Index' heading and the blank line after it; the table goes next.
PROCESS_HEAD = """# PEP-0000: Process

| Field | Value |
|---|---|
| **PEP** | 0000 |
| **Title** | Process |
| **Status** | Active |
| **Authors** | The Maintainers |
| **Created** | 2026-01-01 |

## Index

"""


def fixture_text(fixture: str, number: int, status: str) -> str:
    """The text of fixtures/commands/`fixture` with its NNNN and STATUS filled in."""
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    return text.replace("NNNN", f"{number:04d}").replace("STATUS", status)


def write_fixture(folder: Path, fixture: str, number: int, status: str, slug: str = "proposal") -> Path:
    """`fixture_text` written as PEP-<number>-<slug>.md in `folder`, line endings as they are."""
    path = folder / f"PEP-{number:04d}-{slug}.md"
    path.write_text(fixture_text(fixture, number, status), encoding="utf-8", newline="")
    return path


def check_hostile(folder: Path, body: str, select: str) -> tuple[int, list[str]]:
    """`pepctl check --select CODE` on PEP-0001 with `body` as its Summary, in a process of its own:
    (exit status, finding lines). The timeout is a safety net: a rule that rescans the rest of the
    text from every match needs tens of minutes on the 1 MiB these bodies are, pepctl well under a
    second."""
    import subprocess
    import sys

    (folder / "PEP-0001-hostile.md").write_text(small_pep(1, "Hostile", body=body), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pepctl", "--dir", str(folder), "check", "--quiet", "--select", select],
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr
    return done.returncode, done.stdout.splitlines()
