"""`pepctl init`: the files a repository needs to run the PEP process, written only where nothing is.

``plan`` works out every file (path and bytes) and refuses when any of them exists; ``write``
creates them atomically, never replacing a file. No command-line code here.
"""

from __future__ import annotations

import glob
import json
import os
import re
from importlib.resources import files

from pepctl.document import Document, DocumentError
from pepctl.errors import PepctlError, UsageError
from pepctl.fsutil import atomic_write, read_source
from pepctl.model import HANDLE

PEP_DIR = os.path.join("docs", "peps")
PROCESS_NAME = "PEP-0000-process.md"
TEMPLATE_NAME = "PEP-TEMPLATE.md"
WORKFLOWS = ("pep-gate.yml", "pep-review-relay.yml", "pep-gate-after-review.yml", "pep-remind.yml")

CONFIG = """\
# pepctl's configuration (every key: `pepctl config --schema`, or docs/configuration.md in pepctl).
pep-dir = "docs/peps"

# Fill these in before relying on the gate: the GitHub handles (without @) of the maintainers,
# whose approvals accept, decline or defer a PEP, and of the project lead, who makes the final
# call when they disagree. Until then no sponsor is required and nobody counts as a maintainer.
# maintainers = ["handle-one", "handle-two"]
# project-lead = "handle-one"
"""
HANDLE_ONLY_RE = re.compile(rf"@?({HANDLE})")


def config_text(maintainers: list[str] = (), lead: str | None = None) -> str:
    """pepctl.toml for a new repository: the maintainers and lead given, or commented examples to fill in."""
    if not maintainers and not lead:
        return CONFIG
    handles = [_handle("--maintainer", name) for name in maintainers]
    lead = _handle("--lead", lead) if lead else None
    text = CONFIG.split("# maintainers = ")[0].replace("Fill these in before relying on the gate: the", "The")
    if handles and lead:
        text = text.replace(" Until then no sponsor is required and nobody counts as a maintainer.", "")
    text += f"maintainers = {json.dumps(list(dict.fromkeys(handles)))}\n" if handles else '# maintainers = ["handle-one", "handle-two"]\n'
    text += f"project-lead = {json.dumps(lead)}\n" if lead else '# project-lead = "handle-one"\n'
    return text


def _handle(option: str, value: str) -> str:
    found = HANDLE_ONLY_RE.fullmatch(value.strip())
    if not found:
        raise UsageError(f"{option} {value!r} is not a GitHub handle: letters, digits and single hyphens, "
                         "at most 39 characters (the leading @ is optional)")
    return found.group(1)


class InitError(PepctlError):
    """Setting up was refused: a file is in the way, or could not be written."""


def builtin(*parts: str) -> bytes:
    return files("pepctl").joinpath("templates", *parts).read_bytes()


def workflow(name: str) -> bytes:
    """A GitHub workflow as docs/github.md shows it (the same file: tests/test_scaffold.py)."""
    return builtin("github", name)


def _given(option: str, path: str) -> bytes:
    try:
        data = read_source(path)
        Document.from_bytes(data, path)
    except OSError as err:
        raise UsageError(f"{option} {path}: cannot read it: {err.strerror}") from None
    except DocumentError as err:
        raise UsageError(f"{option} {path}:{err.line}: cannot use it: {err.message}") from None
    return data


def plan(root: str, *, github: bool = False, process: str | None = None, template: str | None = None,
         maintainers: list[str] = (), lead: str | None = None) -> list[tuple[str, bytes]]:
    """(path, bytes) of every file to create under `root`; InitError listing the paths already there."""
    if os.path.exists(root) and not os.path.isdir(root):
        raise UsageError(f"{root} is a file; name the repository's folder (default: the current one)")
    root = os.path.normpath(root)
    peps = os.path.join(root, PEP_DIR)
    out = [
        (os.path.join(peps, PROCESS_NAME), _given("--process", process) if process else builtin("pep-0000-process.md")),
        (os.path.join(peps, TEMPLATE_NAME), _given("--template", template) if template else builtin("pep-template.md")),
        (os.path.join(root, "pepctl.toml"), config_text(maintainers, lead).encode()),
    ]
    if github:
        out += [(os.path.join(root, ".github", "workflows", name), workflow(name)) for name in WORKFLOWS]
    taken = [path for path, _ in out if os.path.lexists(path)]
    taken += sorted(p for p in glob.glob(os.path.join(glob.escape(peps), "PEP-[0-9]*.md")) if p not in taken)
    if os.path.lexists(os.path.join(root, "pyproject.toml")) and _configures_pepctl(os.path.join(root, "pyproject.toml")):
        taken.append(os.path.join(root, "pyproject.toml") + " ([tool.pepctl])")
    if taken:
        listed = "\n".join(f"  {path}" for path in taken)
        raise InitError(f"{len(taken)} file(s) already there, so nothing was written (init never replaces a file "
                        f"nor sets up a folder that holds PEPs already):\n{listed}\n"
                        "Move or remove them and run `pepctl init` again, or edit the existing setup by hand.")
    return out


def _configures_pepctl(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return b"tool.pepctl" in handle.read()
    except OSError:
        return False


def write(plan_: list[tuple[str, bytes]]) -> None:
    """Create each file atomically (never replacing one); on failure, remove the ones created."""
    written = []
    for path, data in plan_:
        try:
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            atomic_write(path, data, exclusive=True)
        except OSError as err:
            for done in written:
                try:
                    os.unlink(done)
                except OSError:
                    pass
            why = "it was created meanwhile" if isinstance(err, FileExistsError) else err.strerror
            raise InitError(f"{path}: cannot create it: {why}; nothing was left written") from None
        written.append(path)
