"""Moving a PEP to another status, after checking that it may go there.

``plan`` finds the PEP, checks the lifecycle and the target state's
requirements on the edited text in memory, and returns a Transition holding
the new bytes of the PEP (and of the index). ``apply`` writes them. Refusals
are TransitionErrors whose message says what is missing and how to fix it;
nothing is written before every check has passed. No command-line code here,
so a bot can call the same functions.
"""

from __future__ import annotations

import datetime
import os

from pepctl import model
from pepctl.document import Document, DocumentError, atx_heading, fence_opening
from pepctl.errors import PepctlError, UsageError
from pepctl.fsutil import atomic_write, read_source
from pepctl.index import with_status
from pepctl.linemap import LineMap, Lines
from pepctl.model import pep_label
from pepctl.report import printable, unified_diff
from pepctl.status_requirements import requirement_problems

RATIONALE_HEADING = "Decision"


class TransitionError(PepctlError):
    """The status change is refused (or writing it failed)."""


class AlreadyThere(TransitionError):
    """The PEP has the status asked for already: nothing to change, and nothing wrong."""


parse_number = model.require_number  # 42, 0042, PEP-0042 (any case) -> 42; anything else is a usage error


class Transition:
    """A checked status change, ready to write."""

    __slots__ = ("number", "path", "old", "new", "before", "document", "index_path", "index_before", "index_after")

    def __init__(self, number, path, old, new, before, document):
        self.number = number
        self.path = path
        self.old = old
        self.new = new
        self.before = before  # the PEP's bytes as read
        self.document = document  # the edited Document
        self.index_path = None
        self.index_before = None  # bytes as read, when the index changes
        self.index_after = None

    @property
    def label(self) -> str:
        return pep_label(self.number)

    @property
    def summary(self) -> str:
        return f"{self.label}: {self.old} -> {self.new}"

    def changes(self) -> list[tuple[str, bytes, bytes]]:
        """(path, old bytes, new bytes) of every file this change writes."""
        out = [(self.path, self.before, self.document.to_bytes())]
        if self.index_after is not None:
            out.append((self.index_path, self.index_before, self.index_after))
        return out


def find_pep(corpus, number: int):
    """The one parsed PEP numbered `number`; TransitionError otherwise."""
    label = pep_label(number)
    entries = corpus.find(number)
    if not entries:
        raise TransitionError(f"no {label} in the PEP folder {corpus.folder}; `pepctl list` shows the PEPs there")
    if len(entries) > 1:
        paths = ", ".join(e.path for e in entries)
        raise TransitionError(
            f"{label} is claimed by {len(entries)} files: {paths}; give all but one a new number "
            "(`pepctl next` prints a free one) and try again"
        )
    entry = entries[0]
    if entry.pep is None:
        error = entry.error
        raise TransitionError(f"{entry.path}:{error.line}: cannot read {label}: {error.message}")
    return entry


def record_reason(doc: Document, config, status: str, reason: str, today) -> tuple[int, int, str]:
    """Add the reason to the first Decision/Rationale section, or append a
    ``## Decision`` section at the end; the file's line ending is kept.

    Returns (start, end, inserted): the text between offsets start and end of
    the text as it was is now `inserted`."""
    nl = doc.newline
    lines = [line.rstrip() for line in reason.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraph = nl.join([f"{status} on {today.isoformat()}: {lines[0]}", *lines[1:]]) + nl
    for name in config.rationale_sections:
        heading = doc.section(name)
        if heading is None:
            continue
        after = doc.section_end(heading)
        end = after.offset if after is not None else len(doc.text)
        body = doc.text[heading.body : end]
        kept = body.rstrip(" \t\r\n")
        start = heading.body + len(kept)
        if kept:  # blank line after the existing text, then ours
            insert = nl + nl + paragraph
        else:
            insert = nl + paragraph
        if after is not None:
            insert += nl
        if heading.body >= len(doc.text) and not doc.text.endswith("\n"):  # heading was the file's last line
            insert = nl + insert
        doc.replace(start, end, insert)
        return start, end, insert
    text = doc.text
    trailing = text[len(text.rstrip(" \t\r\n")) :].count("\n")  # 2+: already ends in a blank line
    prefix = nl * max(0, 2 - trailing) if text else ""
    insert = prefix + f"## {RATIONALE_HEADING}" + nl + nl + paragraph
    doc.replace(len(text), len(text), insert)
    return len(text), len(text), insert


def check_reason(reason: str | None) -> str | None:
    """The --reason text, stripped (None when empty); UsageError for what would not stay text in the
    PEP: a control character, or a line that would open a heading, a code fence or a table row, or
    underline the line above into a heading. (An HTML comment left open is S004's: see plan.)"""
    reason = (reason or "").strip()
    bad = next((c for c in reason if c not in "\r\n" and printable(c) != c), None)
    if bad is not None:
        raise UsageError(f"--reason holds the control character {printable(bad)} (U+{ord(bad):04X}); "
                         "type the reason as plain text, without it")
    lines = [line.rstrip() for line in reason.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for number, line in enumerate(lines[1:], 2):  # the first goes after "Declined on <date>: "
        content = line.lstrip(" ")
        what = None
        if atx_heading(line) is not None:
            what = "a heading, starting a section of its own"
        elif fence_opening(line) is not None:
            what = "a code fence, taking the rest of the PEP into it"
        elif len(line) - len(content) < 4 and (content.startswith("|") or
                                               ("|" in content and "-" in content and not content.strip("|:- \t"))):
            what = "a table row"
        elif len(line) - len(content) < 4 and content and lines[number - 2] and not (content.strip("=") and content.strip("-")):
            what = "the underline of a heading made of the line above it"
        if what is not None:
            raise UsageError(f"--reason line {number} ({printable(line.strip())!r}) would be {what} in the PEP, not "
                             "text; start it with a backslash (\\) to keep it as text, or rephrase it")
    return reason or None


# (field, the field it goes after when the PEP has none yet) for the fields `pepctl status` sets
FIELD_ANCHORS = {"Sponsor": "Author(s)", "Decided-By": "Status", "Tracking Issue": "Created", "Target Release": "Tracking Issue"}


def check_fields(policy, fields: dict[str, str]) -> dict[str, str]:
    """The fields `pepctl status` was given, checked before anything is read; UsageError when one
    cannot be right whatever the PEP says."""
    from pepctl.keys import login_key
    from pepctl.model import handles_in
    from pepctl.rules.lifecycle import ISSUE_RE

    out = {}
    for name, value in fields.items():
        value = " ".join((value or "").split())
        option = "--" + name.lower().replace(" ", "-").replace("(s)", "")
        if not value:
            raise UsageError(f"{option} is empty; give it a value, or leave the option out")
        if name == "Tracking Issue":
            bad = [item.strip() for item in value.split(",") if not ISSUE_RE.fullmatch(item.strip())]
            if bad:
                raise UsageError(f"{option} {bad[0]!r} is not an issue: write #123 (GitHub numbers issues from 1, so not #0) "
                                 "or the issue's URL; several: comma-separated")
        if name in ("Sponsor", "Decided-By"):
            handles = handles_in(value)
            if not handles:
                raise UsageError(f"{option} {value!r}: write it as 'Name (@handle)' or @handle")
            if name == "Decided-By":
                if not policy.project_lead:
                    raise UsageError(f"{option}: no project lead is configured, so nobody makes a final call; "
                                     "set project-lead in pepctl.toml first")
                if login_key(handles[0]) != policy.project_lead:
                    raise TransitionError(f"{option} {value!r}: only the project lead (@{policy.config.project_lead.lstrip('@')}) "
                                          "makes the final call; leave --decided-by out when the maintainers decided")
        out[name] = value
    return out


def set_fields(document: Document, fields: dict[str, str]) -> None:
    """Give each field its value: an existing cell is replaced, a missing field is added after
    its anchor (FIELD_ANCHORS), else at the end of the header."""
    for name, value in fields.items():
        if document.field(name) is not None:
            document.set_field(name, value)
        else:
            anchor = FIELD_ANCHORS.get(name)
            document.add_field(name, value, after=anchor if anchor and document.field(anchor) is not None else None)


def plan(corpus, policy, number_text: str, state: str, reason: str | None = None, today=None,
         fields: dict[str, str] | None = None) -> Transition:
    """Check a status change and work out the new file contents.

    `fields` (Tracking Issue, Target Release, Sponsor, Decided-By) are set in the same edit, so
    that a status that needs them can be reached in one step."""
    number = parse_number(number_text)
    new = policy.canonical(state)
    if new is None:
        raise UsageError(f"unknown status {state!r}; accepted values: {', '.join(policy.states)}")
    fields = check_fields(policy, fields or {})
    reason = check_reason(reason)
    entry = find_pep(corpus, number)
    pep = entry.pep
    label = pep_label(number)
    field = pep.document.field("Status")
    if field is None or not field.has_value:
        fmt = pep.document.format
        raise TransitionError(f"{entry.path}: {label} has no Status field; add a '{fmt.example('Status', '...')}' {fmt.item} to its {fmt.noun}")
    current = pep.status
    old = policy.canonical(current)
    if old is None:
        raise TransitionError(
            f"{entry.path}:{field.line + 1}: {label} has status {current!r}, which is not a known status; "
            f"set it by hand to one of: {', '.join(policy.states)}"
        )
    if old == new:
        raise AlreadyThere(f"{label} is already {new}; nothing to change")
    if not policy.can_transition(old, new):
        allowed = policy.next_states(old)
        if not allowed:
            hint = f"{old} is a final status: it does not change any more"
        else:
            hint = f"from {old} it can move to: {', '.join(allowed)}"
        raise TransitionError(f"{label} cannot move from {old} to {new}; {hint}")
    if today is None:
        today = datetime.date.today()
    try:
        before = read_source(entry.path)
    except OSError as err:
        raise TransitionError(f"{entry.path}: cannot read the file: {err.strerror}") from None
    if before != pep.document.to_bytes():
        raise TransitionError(_changed(entry.path, f"{label}: {old} -> {new}"))
    document = Document(pep.document.text, entry.path, pep.document.bom, pep.document.format)
    lines = Lines()
    try:
        document.set_field("Status", new)
        if fields:
            text = document.text
            set_fields(document, fields)
    except ValueError as err:  # a value the format cannot rewrite in place (a YAML block scalar or alias)
        raise TransitionError(f"{entry.path}: {err}") from None
    if fields:
        lines.add(Lines.between(text, document.text), "the header rows this command adds")
    if reason is not None and policy.records_reason(new):
        text = document.text
        lines.add(LineMap(text, *record_reason(document, policy.config, new, reason, today)), "the --reason text")
    if policy.needs_rationale(new):
        if reason is not None:
            pass
        elif not policy.rationale(document)[1]:
            sections = " or ".join(f"'## {s}'" for s in policy.config.rationale_sections)
            raise TransitionError(
                f"{label} cannot become {new} without a recorded rationale: pass --reason TEXT "
                f"(recorded in the PEP under '## {RATIONALE_HEADING}'), or write a {sections} section first"
            )
    problems = requirement_problems(corpus, policy, entry, document, today, lines)
    if problems:
        raise TransitionError(refusal(label, new, entry.path, problems, lines))
    change = Transition(number, entry.path, old, new, before, document)
    index_change(corpus, change)
    return change


# what `pepctl status` can fill in itself, for the fields `state-fields` asks for
FIELD_OPTIONS = {"tracking issue": "--tracking-issue #N", "target release": "--target-release VERSION", "sponsor": "--sponsor '@handle'"}


def refusal(label: str, new: str, path: str, problems: list, lines) -> str:
    """What `pepctl check` would report once the PEP is `new`, at the lines of the file on disk."""
    out = [f"{label} cannot become {new} yet; as {new}, `pepctl check` would report:"]
    for d in problems:
        line = lines.where(d.line)
        where = f"{path}:{line}" if isinstance(line, int) else f"{path} (in {line})"
        out.append(f"  {where}: {d.code} {d.message}")
    hints = [option for key, option in FIELD_OPTIONS.items()
             if any(d.code in ("L001", "L002", "L003") and (key in d.message.lower()) for d in problems)]
    if hints:
        out.append(f"`pepctl status` fills these in for you: add {' '.join(hints)} to the command.")
    out.append("Fix these and run the command again; the file was not changed.")
    return "\n".join(out)


def index_change(corpus, change: Transition) -> None:
    """Set the PEP's Status cell in the index table, if it has a row there."""
    path = corpus.index_path
    if not path or not os.path.isfile(path):
        return
    if os.path.normpath(path) == os.path.normpath(change.path):  # the PEP holds the index itself
        text = with_status(change.document, change.number, change.new)
        if text is not None:
            change.document = Document(text, change.path, change.document.bom, change.document.format)
        return
    try:
        before = read_source(path)
        index = Document.from_bytes(before, path)
    except (OSError, DocumentError):
        return  # `pepctl check` reports an unreadable index file
    text = with_status(index, change.number, change.new)
    if text is not None:
        change.index_path = path
        change.index_before = before
        change.index_after = Document(text, path, index.bom).to_bytes()


def apply(change: Transition) -> None:
    """Write the edited PEP, then the index (each atomically): both files change or neither.

    When a later write fails, the files already written get their old bytes
    back (atomically too), and the message says nothing was changed; only when
    that fails as well does it say what was left half done and how to mend it.
    """
    refuse_changed([(path, old) for path, old, _ in change.changes()], change.summary)
    written: list[tuple[str, bytes]] = []
    for path, old, new in change.changes():
        try:
            atomic_write(path, new)
        except OSError as err:
            raise TransitionError(_undo(change, written, path, err)) from None
        written.append((path, old))


def refuse_changed(files: list[tuple[str, bytes]], summary: str) -> None:
    """TransitionError when one of the (path, bytes as read) files has other bytes now: one saved
    meanwhile (in an editor, say) is not overwritten with what pepctl read plus its edit."""
    for path, old in files:
        try:
            changed = read_source(path) != old
        except OSError:
            changed = False  # the write says why it cannot be written
        if changed:
            raise TransitionError(_changed(path, summary))


def _changed(path: str, summary: str) -> str:
    return (f"{path} changed since pepctl read it (saved meanwhile?); {summary} was not made, nothing was changed. "
            "Run the command again.")


def _why(err: OSError) -> str:
    return err.strerror or str(err)


def _undo(change: Transition, written: list[tuple[str, bytes]], failed: str, err: OSError) -> str:
    """Put the written files back; the message for the failed write."""
    what = f"{change.summary} was not made"
    if not written:
        return f"{failed}: cannot write the file: {_why(err)}; {what}, nothing was changed"
    stuck = []
    for path, old in reversed(written):
        try:
            atomic_write(path, old)
        except OSError as again:
            stuck.append((path, again))
    if not stuck:
        back = " and ".join(path for path, _ in written)
        return (f"{failed}: cannot write the file: {_why(err)}; {what}, nothing was changed "
                f"({back} was put back as it was). Once {failed} can be written, run the command again.")
    left = "; ".join(f"{path} now says {change.new} and could not be put back ({_why(again)})" for path, again in stuck)
    return (f"{failed}: cannot write the file: {_why(err)}, so {change.summary} is half done: {left}. "
            f"Once {failed} can be written, run `pepctl index` to bring the index in line, "
            f"or set the Status of {change.path} back to {change.old} by hand.")


def diff(change: Transition) -> str:
    """A unified diff of what `apply` would write."""
    return "".join(unified_diff(path, old, new) for path, old, new in change.changes())
