"""Writing results out: diagnostics as text, JSON, SARIF 2.1.0 or GitHub workflow annotations,
and file changes as unified diffs.

Text and JSON name files as the linter did (relative to the current folder);
GitHub annotations and SARIF name them relative to the repository's top
folder, where GitHub looks for them whatever folder pepctl ran in.
"""

from __future__ import annotations

import os

from pepctl import __version__
from pepctl.fsutil import git_root

FORMATS = ("text", "json", "sarif", "github")


def render(diagnostics, fmt: str) -> str:
    return {"text": as_text, "json": as_json, "sarif": as_sarif, "github": as_github}[fmt](diagnostics)


# Control characters but tab, as Python escapes them: a file name may hold any of them (git keeps
# every byte but NUL and /), and a line break would start a forged finding, an escape sequence
# would drive the terminal.
_CONTROLS = {c: repr(chr(c))[1:-1] for c in (*range(0x20), *range(0x7F, 0xA0)) if c != 0x09}


def printable(text: str) -> str:
    """Text for a terminal: its control characters (but tab) escaped, as Python writes them."""
    return text.translate(_CONTROLS)


def as_text(diagnostics) -> str:
    """One line per finding: `path:line:column: CODE message`."""
    return "".join(printable(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}") + "\n" for d in diagnostics)


def as_json(diagnostics) -> str:
    import json

    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pepctl.dev/"
SARIF_LEVELS = {"error": "error", "warning": "warning"}


def relative_path(path: str) -> str:
    """The path relative to the current folder, with / separators."""
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # another drive on Windows: keep it absolute
            pass
    return os.path.normpath(path).replace(os.sep, "/")


class RepoPaths:
    """Paths as GitHub names them: relative to the top of the file's git work tree.

    The top is found by walking up to a ``.git`` entry, as ``fsutil.git_root``
    does, without running git. Outside a work tree a path stays relative to
    the current folder.
    """

    def __init__(self):
        self.roots: dict[str, str | None] = {}  # folder -> its work tree's top, or None

    def __call__(self, path: str) -> str:
        absolute = os.path.abspath(path)
        folder = os.path.dirname(absolute)
        if folder not in self.roots:
            self.roots[folder] = git_root(folder)
        root = self.roots[folder]
        if root is None:
            return relative_path(path)
        return os.path.relpath(absolute, root).replace(os.sep, "/")


def artifact_uri(path: str, repo_path=None) -> str:
    """A relative URI reference for a file (percent-encoded where URIs need it)."""
    from urllib.parse import quote

    return quote((repo_path or RepoPaths())(path), safe="/")


def statistics_table(diagnostics) -> str:
    """`--statistics`: how many findings each rule made, most first (code, name, severity)."""
    from pepctl.rules import REGISTRY  # only with --statistics

    counts: dict[tuple[str, str], int] = {}
    for d in diagnostics:
        counts[(d.code, d.severity)] = counts.get((d.code, d.severity), 0) + 1
    if not counts:
        return ""
    width = len(str(max(counts.values())))
    lines = ["", "findings per rule:"]
    for (code, severity), n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        name = REGISTRY[code].name if code in REGISTRY else ""
        lines.append(f"{n:>{width}}  {code}  {name:<24}  {severity}")
    return "\n".join(lines) + "\n"


def as_sarif(diagnostics) -> str:
    """One SARIF 2.1.0 log: every rule in the tool's rules array, one result per diagnostic."""
    import json

    from pepctl.rules import REGISTRY  # only SARIF lists the rules: every other command starts ~6 ms sooner

    descriptors = []
    index = {}
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        index[code] = len(descriptors)
        descriptors.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "defaultConfiguration": {"level": SARIF_LEVELS.get(rule.severity, "note")},
            }
        )
    results = []
    uris: dict[str, str] = {}
    repo_path = RepoPaths()
    for d in diagnostics:
        uri = uris.get(d.path)
        if uri is None:
            uri = uris[d.path] = artifact_uri(d.path, repo_path)
        result = {
            "ruleId": d.code,
            "level": SARIF_LEVELS.get(d.severity, "note"),
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {"startLine": max(1, d.line), "startColumn": max(1, d.column)},
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pepctl",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def escape_data(text: str) -> str:
    """Escape a workflow command's message: %, CR and LF would end or corrupt it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value: also : and , which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVELS = {"error": "error", "warning": "warning"}


def as_github(diagnostics) -> str:
    """GitHub Actions workflow commands, one ``::error``/``::warning`` line per diagnostic."""
    lines = []
    repo_path = RepoPaths()
    for d in diagnostics:
        level = GITHUB_LEVELS.get(d.severity, "notice")
        props = (
            f"file={escape_property(repo_path(d.path))},line={d.line},col={d.column},"
            f"title={escape_property(f'{d.code} {d.name}')}"
        )
        lines.append(f"::{level} {props}::{escape_data(d.message)}\n")
    return "".join(lines)


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """What changing a file from `before` to `after` does, as `git diff` shows it (a/ and b/ prefixes)."""
    import difflib

    a = before.decode("utf-8", "replace").splitlines(keepends=True)
    b = after.decode("utf-8", "replace").splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{path}", f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
