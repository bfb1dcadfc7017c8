"""Status timelines of the PEP files, read from git in one `git log` pass.

One ``git log -p -U0`` over the PEP folder is read from the oldest commit to
the newest, and a small replay keeps, for every file, the status it had so far.
A Status field line added by a commit (in Plano's format a ``| **Status** | X |``
row; the header format says) is a status change when it replaces the file's
known status line (or the file had none yet): a file created
with a status counts as a change from None. Renames are followed through the
``rename from``/``rename to`` headers, so a renamed PEP keeps its timeline; a
deleted file's timeline ends with it.

Choices, and why:

- ``--first-parent`` (with merge diffs taken against the first parent): the
  history of a PEP is the history of the branch it lives on. A pull request
  that moves a PEP from Under Review to Accepted shows as one change, dated
  when it landed, and back-and-forth edits on the pull request's branch do not
  show. For a repository that commits straight to its branch nothing changes.
- Dates are committer dates: when the change landed on the branch (a rebased
  or cherry-picked commit keeps its older author date).
- The log is limited to the PEP folder itself (a literal path, which git
  prunes at the top of every tree: on a large code repository this costs a few
  milliseconds, where a pattern such as ``**/PEP-*.md`` makes git walk every
  changed folder of every commit and costs seconds). So renames inside the
  folder are followed, but a PEP moved in from another folder, or the whole
  folder moved, starts its timeline at the move, as a new file. At the
  repository root the log reads ``PEP-*.md`` files only.
- ``--text``: a file git would take for binary (a ``-diff`` or ``binary``
  attribute in .gitattributes, a NUL byte pasted in for a commit) is still
  diffed line by line; otherwise git prints "Binary files differ" and its
  status changes would go unseen. The output is read as bytes, so NULs and
  bytes that are not UTF-8 only reach the status value they stand in.
- On a shallow clone the oldest commit available shows every file as new;
  those files start from the status they had then, without a fake
  "created" change, and the result carries a warning.

git older than 2.31 lacks ``--diff-merges``; the error message says so.
"""

from __future__ import annotations

import os
import re
from collections import namedtuple

from pepctl import formats, gitutil
from pepctl.corpus import is_pep_name
from pepctl.keys import field_key
from pepctl.model import number_from_filename
from pepctl.timestamps import parse_instant

MARK = "\x1e"  # starts each commit's header line; git never begins a patch line with it
_LINE_RES: dict[str, re.Pattern] = {}


def line_re(header_format) -> re.Pattern:
    """The lines that matter in `git log -p -U0` output; everything else (unchanged
    context is not printed, removed lines, other added lines) is skipped at C speed.
    An added line that may hold the Status field is the header format's to say."""
    found = _LINE_RES.get(header_format.name)
    if found is None:
        found = _LINE_RES[header_format.name] = re.compile(
            r"^(?:"
            r"\x1e(?P<commit>[0-9a-f]+)\x1f(?P<date>[^\n]*)"
            r"|diff --git (?P<diff>[^\n]*)"
            r"|(?P<meta>new file mode|deleted file mode|rename from |rename to )(?P<value>[^\n]*)"
            r"|@@ -(?P<a>\d+)(?:,(?P<b>\d+))? \+(?P<c>\d+)(?:,(?P<d>\d+))? @@[^\n]*"
            r"|\+(?P<field>" + header_format.field_line_pattern("status") + r")"
            r")$",
            re.M,
        )
    return found


class Change(namedtuple("Change", "number path date commit old new")):
    """One status change of one PEP file.

    number: from the file name, None when it has none; path: the file's current path;
    date: ISO 8601 committer date, with its offset; commit: full sha; old: the status
    before, None when the file was created by this commit; new: the status after.
    """

    __slots__ = ()

    def to_json(self) -> dict:  # "from" and "to" are no Python names
        return {"number": self.number, "path": self.path, "date": self.date, "commit": self.commit,
                "from": self.old, "to": self.new}

    def __repr__(self) -> str:
        return f"Change({self.path!r}, {self.date[:10]}, {self.commit[:7]}, {self.old!r} -> {self.new!r})"


class History:
    """Status changes of the PEP files now in the folder, oldest first."""

    __slots__ = ("changes", "warning", "repo_root")

    def __init__(self, changes: list[Change], warning: str | None = None, repo_root: str | None = None):
        self.changes = changes
        self.warning = warning  # set when the clone is shallow
        self.repo_root = repo_root

    @property
    def timelines(self) -> dict[str, list[Change]]:
        """Current path -> its changes, oldest first."""
        table: dict[str, list[Change]] = {}
        for change in self.changes:
            table.setdefault(change.path, []).append(change)
        return table

    def for_number(self, number: int) -> list[Change]:
        return [c for c in self.changes if c.number == number]

    def numbers(self) -> set[int]:
        return {c.number for c in self.changes if c.number is not None}


class _Timeline:
    """Replay state of one file."""

    __slots__ = ("status", "row", "events", "born")

    def __init__(self):
        self.status: str | None = None  # the status it has so far
        self.row: int | None = None  # line number of its status row, when known
        self.events: list[tuple] = []  # (sequence, date, commit, old, new)
        self.born: tuple | None = None  # (sequence, date, commit) of the commit that created it, when seen


def unquote_path(text: str) -> str:
    """A path as git prints it in headers: plain, or C-quoted when it holds odd characters."""
    if not text.startswith('"'):
        return text
    out = bytearray()
    escapes = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
    i, end = 1, len(text)
    while i < end:
        char = text[i]
        if char == '"':
            break
        if char == "\\" and i + 1 < end:
            nxt = text[i + 1]
            digits = text[i + 1 : i + 4]
            if len(digits) == 3 and all(d in "01234567" for d in digits):
                out.append(int(digits, 8) & 0xFF)
                i += 4
                continue
            out.append(escapes.get(nxt, ord(nxt) & 0xFF))
            i += 2
            continue
        out += char.encode("utf-8", errors="surrogateescape")
        i += 1
    return out.decode("utf-8", errors="surrogateescape")


def diff_paths(spec: str) -> tuple[str, str]:
    """(old, new) path from the text after ``diff --git `` (prefixes a/ and b/)."""
    if spec.startswith('"'):
        close = _closing_quote(spec)
        old = unquote_path(spec[: close + 1])
        new = spec[close + 2 :]
        new = unquote_path(new) if new.startswith('"') else new
    else:
        # "a/P b/P": the same path twice, so the middle is known even with spaces
        half = (len(spec) - 5) // 2
        old = spec[: 2 + half]
        new = spec[2 + half + 1 :]
        if old[2:] != new[2:]:
            if spec.endswith('"'):
                cut = spec.rfind(' "')
                old, new = spec[:cut], unquote_path(spec[cut + 1 :])
            else:
                old, _, rest = spec.partition(" b/")
                new = "b/" + rest
    return old[2:], new[2:]


def _closing_quote(text: str) -> int:
    i = 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i
        i += 1
    return len(text) - 1


def status_value(line: str, header_format) -> str | None:
    """The Status value a line holds on its own, or None when it holds no Status field."""
    found = header_format.field_in_line(line)
    if found is None or field_key(found[0]) != "status":
        return None
    return found[1]


def log_command(pathspecs: list[str]) -> list[str]:
    return [
        "-c", "core.quotepath=false",
        "log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--root",
        "-M", "-p", "-U0", "--text", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative",
        "--src-prefix=a/", "--dst-prefix=b/", "--no-show-signature", "--no-notes",
        f"--format={MARK}%H%x1f%cI", "--", *pathspecs,
    ]


def read_history(pep_dir: str, is_pep_file=None, header_format=None) -> History:
    """Status changes of the PEP files in ``pep_dir``, from one `git log` pass.

    ``is_pep_file(name)`` picks which file names of the folder are PEPs (the
    default takes every ``PEP-*.md``); ``header_format`` says how a Status field
    is written (default: Plano's). Raises GitError when the folder is not in a
    git work tree or git fails.
    """
    info = gitutil.repo_info(pep_dir)
    accept = is_pep_file or is_pep_name
    if info.head is None:  # a repository without commits has no history
        return History([], None, info.root)
    folder = gitutil.repo_relative(pep_dir, info.root)
    if folder:
        pathspecs = [f":(literal){folder}"]
    elif header_format is None or header_format is formats.DEFAULT:
        pathspecs = [":(glob)PEP-*.md"]
    else:  # a dialect at the repository root: its files, whatever their names
        pathspecs = ["."]
    try:
        done = gitutil.run_git(log_command(pathspecs), info.root)
    except gitutil.GitError as err:
        if "diff-merges" in err.stderr:
            raise gitutil.GitError("`pepctl history` needs git 2.31 or newer (for --diff-merges)",
                                   err.command, err.stderr) from None
        raise
    text = done.stdout.decode("utf-8", errors="surrogateescape")
    boundary = info.shallow_commits() if info.shallow else set()
    fmt = header_format or formats.DEFAULT
    files, boundary_dates = replay(text, boundary, fmt)

    nested = getattr(fmt, "nested", False)  # one folder per proposal (KEP): its files lie deeper
    number_of = getattr(fmt, "number_from_name", number_from_filename)
    unwritten = getattr(fmt, "unwritten_status", None)  # a format whose files carry no status (Rust RFCs)
    changes: list[tuple] = []
    for path, timeline in files.items():
        directory, _, name = path.rpartition("/")
        if nested:
            inside = not folder or directory == folder or directory.startswith(folder + "/")
            if not inside or not accept(name):
                continue
            shown = os.path.join(pep_dir, path[len(folder) + 1:] if folder else path)
        else:
            if directory != folder or not accept(name):
                continue
            shown = os.path.join(pep_dir, name)
        number = number_of(shown)
        events = timeline.events
        if unwritten and timeline.born is not None:  # the commit that added the file gave it its status
            events = [(*timeline.born, None, unwritten)]
        for seq, date, commit, old, new in events:
            changes.append((seq, shown, Change(number, shown, date, commit, old, new)))
    changes.sort(key=lambda item: (item[0], item[1]))

    warning = None
    if info.shallow:
        start = _earliest(boundary_dates) if boundary_dates else _first_date(info, boundary)
        warning = (f"history starts at {start[:10] if start else 'an unknown date'}: the clone is shallow; "
                   "run `git fetch --unshallow` for the full history")
    return History([item[2] for item in changes], warning, info.root)


def _first_date(info, boundary: set[str]) -> str | None:
    """Committer date of the oldest commit a shallow clone holds, when the log did not show it."""
    if not boundary:
        return None
    done = gitutil.run_git(["show", "-s", "--no-show-signature", "--format=%cI", *sorted(boundary)], info.root,
                           ok=(0, 128))
    return _earliest(done.stdout.decode("ascii", errors="replace").split())


def _earliest(dates: list[str]) -> str | None:
    def moment(text: str):
        when = parse_instant(text)
        return when.timestamp() if when is not None else float("inf")

    return min(dates, key=moment) if dates else None


def replay(text: str, boundary=frozenset(), header_format=formats.DEFAULT):
    """Replay `git log --reverse -p -U0` output.

    Returns (path after the last commit -> _Timeline, dates of the shallow
    boundary commits met).
    """
    files: dict[str, _Timeline] = {}
    boundary_dates: list[str] = []
    commit = date = ""
    at_boundary = False
    seq = 0

    # the file diff being read
    path = old_path = ""
    timeline: _Timeline | None = None
    created = deleted = row_removed = False
    shift = 0  # net lines added by hunks above the file's known status row
    candidates: list[tuple[int, str]] = []  # added Status rows: (line number, value)
    hunk_b = hunk_c = hunk_end = 0

    def current() -> _Timeline:
        nonlocal timeline
        if timeline is None:
            timeline = files.get(path)
            if timeline is None:
                timeline = files[path] = _Timeline()
        return timeline

    def finish() -> None:
        if deleted:
            files.pop(path, None)
            return
        if timeline is None:
            return
        if candidates and (timeline.row is None or row_removed):
            line, value = candidates[0]
            timeline.row = line
            if value:
                old = timeline.status
                timeline.status = value
                if value != old and not (at_boundary and created):
                    timeline.events.append((seq, date, commit, old, value))
        elif timeline.row is not None:
            timeline.row = None if row_removed else timeline.row + shift

    for match in line_re(header_format).finditer(text):
        group = match.lastgroup
        if group == "field":
            if deleted:
                continue
            value = status_value(match.group("field"), header_format)
            if value is not None:
                # a hunk lists its removed lines first, then the added ones; a
                # "\ No newline at end of file" line among them is no line of the file
                line = (hunk_c + text.count("\n", hunk_end, match.start()) - hunk_b
                        - text.count("\n\\", hunk_end - 1, match.start()))
                value = value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
                candidates.append((line, value))
        elif group == "c" or group == "d":
            if deleted:
                continue
            hunk_a = int(match.group("a"))
            hunk_b = int(match.group("b")) if match.group("b") is not None else 1
            hunk_c = int(match.group("c"))
            hunk_d = int(match.group("d")) if match.group("d") is not None else 1
            hunk_end = match.end() + 1
            row = current().row
            if row is not None:
                if hunk_b and hunk_a <= row < hunk_a + hunk_b:
                    row_removed = True
                elif (hunk_a + hunk_b <= row) if hunk_b else (hunk_a < row):
                    shift += hunk_d - hunk_b
        elif group == "diff":
            finish()
            old_path, path = diff_paths(match.group("diff"))
            timeline = None
            created = deleted = row_removed = False
            shift = 0
            candidates = []
        elif group == "value":
            kind = match.group("meta")
            if kind == "new file mode":
                created = True
                timeline = files[path] = _Timeline()  # a path created again starts afresh
                if not at_boundary:
                    timeline.born = (seq, date, commit)
            elif kind == "deleted file mode":
                deleted = True
            elif kind == "rename from ":
                old_path = unquote_path(match.group("value"))
            else:  # "rename to "
                # git pairs a deleted path with an added one, so nothing lives at `path` yet
                path = unquote_path(match.group("value"))
                timeline = files[path] = files.pop(old_path, None) or _Timeline()
        else:  # a commit starts
            finish()
            timeline = None
            deleted = False
            candidates = []
            commit, date = match.group("commit"), match.group("date").strip()
            at_boundary = commit in boundary
            if at_boundary:
                boundary_dates.append(date)
            seq += 1
    finish()
    return files, boundary_dates
