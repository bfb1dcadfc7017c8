"""Shared helpers of the website tests: the fixture PEP folder, git repositories, building."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures" / "site" / "peps"
CORPUS = REPO.parent / "shared" / "corpora" / "plano-1k"

pytest.importorskip("cmarkgfm", reason="the website needs the 'site' extra")


def copy_fixtures(target: Path) -> Path:
    folder = target / "peps"
    shutil.copytree(FIXTURES, folder)
    return folder


def many_peps(tmp_path: Path, count: int) -> Path:
    """The fixture folder and `count` more PEPs with code blocks (enough pages for workers, and links)."""
    folder = copy_fixtures(tmp_path)
    template = (folder / "PEP-0001-alpha.md").read_text(encoding="utf-8")
    for n in range(100, 100 + count):
        text = template.replace("PEP-0001: Alpha streaming cache", f"PEP-{n:04d}: Generated {n}")
        text = text.replace("| **PEP** | 0001 |", f"| **PEP** | {n:04d} |")
        text = text.replace("| **Title** | Alpha streaming cache |", f"| **Title** | Generated {n} |")
        text += f"\n## Code\n\n```python\ndef f{n}(x):\n    return x * {n}\n```\n\n```rust\nfn main() {{ let n = {n}; }}\n```\n"
        (folder / f"PEP-{n:04d}-generated.md").write_text(text, encoding="utf-8")
    return folder


def git(cwd: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "T",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def set_status(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert f"| **Status** | {old} |" in text
    path.write_text(text.replace(f"| **Status** | {old} |", f"| **Status** | {new} |"), encoding="utf-8")


def history_repo(tmp_path: Path) -> Path:
    """The fixture folder in a git repository whose history moves statuses at fixed dates."""
    root = tmp_path / "repo"
    root.mkdir()
    folder = copy_fixtures(root)
    git(root, "init", "-q", "-b", "main")
    alpha, beta = folder / "PEP-0001-alpha.md", folder / "PEP-0002-beta.md"
    set_status(alpha, "Under Review", "Draft")
    set_status(beta, "Declined", "Under Review")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first", date="2024-01-10T09:00:00+00:00")
    set_status(alpha, "Draft", "Under Review")
    git(root, "commit", "-q", "-am", "alpha to review", date="2024-02-01T09:00:00+00:00")
    set_status(beta, "Under Review", "Declined")
    git(root, "commit", "-q", "-am", "beta declined", date="2024-03-02T09:00:00+00:00")
    return folder


def build(folder: Path, out: Path, **kwargs):
    from pepctl.config import Config
    from pepctl.site import build_site

    config = kwargs.pop("config", None) or Config()
    kwargs.setdefault("jobs", 1)
    return build_site(str(folder), str(out), config, **kwargs)


def state_of(folder: Path, history=None, today=None, config=None, base_url: str = "", repo=None):
    """The BuildState of a folder, made as a build makes it (records read from its files), and its Reader."""
    import datetime

    from pepctl.config import Config
    from pepctl.corpus import Corpus
    from pepctl.policy import Policy
    from pepctl.site.gitinfo import Repository
    from pepctl.site.reading import Reader
    from pepctl.site.state import BuildState, Settings

    config = config or Config()
    corpus = Corpus(str(folder), config)
    reader = Reader({os.path.basename(p): p for p in corpus.paths()})
    records = reader.make_records(list(reader.paths))
    settings = Settings(config, Policy(config), base_url, corpus.is_pep_file)
    state = BuildState.create(settings, records, history, {}, repo or Repository(),
                              today or datetime.date(2024, 3, 20))
    return state, reader


def cpu_bounded(code: str, text: str, folder: Path, seconds: int = 20) -> str:
    """Run `code` in a child Python stopped by the kernel past `seconds` of CPU time, with the path of a
    file holding `text` as sys.argv[1]; its output, once asserted that it ended well. For work that must
    grow with its input's length, not its square: the bound is far above what the linear work takes."""
    path = folder / "input.txt"
    path.write_text(text, encoding="utf-8")
    script = f"import resource\nresource.setrlimit(resource.RLIMIT_CPU, ({seconds}, {seconds}))\n{code}"
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    return done.stdout
