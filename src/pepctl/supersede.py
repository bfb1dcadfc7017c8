"""`pepctl supersede OLD NEW`: NEW Supersedes OLD, OLD is Superseded-By NEW, written together.

Only a decided PEP can be superseded (``Policy.can_be_superseded``: amendment-states, by default
Accepted, Implementing and Complete): PEP-0000 has a new PEP supersede an accepted one whose design
changes significantly; a Draft or Under Review PEP is revised in place, and a Declined, Deferred or
Withdrawn one was never in force. The edits go through the Document (one cell or one added header
row each); both files are checked in memory, then written atomically, the first put back when the
second cannot be written. No command-line code here.
"""

from __future__ import annotations

from pepctl.document import Document
from pepctl.fsutil import atomic_write, read_source
from pepctl.linemap import Lines
from pepctl.lint import lint_pep
from pepctl.model import Pep, pep_label, pep_refs
from pepctl.report import unified_diff
from pepctl.status_requirements import brought
from pepctl.transition import TransitionError, _changed, find_pep, parse_number, refuse_changed

CROSS_FILE = ("X",)  # judged on the folder: the pair is written together, so symmetry holds after


class Supersession:
    __slots__ = ("old", "new", "files")

    def __init__(self, old: int, new: int, files: list[tuple[str, bytes, bytes]]):
        self.old, self.new = old, new
        self.files = files  # (path, bytes before, bytes after); empty: nothing to change

    @property
    def summary(self) -> str:
        return f"{pep_label(self.new)} supersedes {pep_label(self.old)}"

    def diff(self) -> str:
        return "".join(unified_diff(path, before, after) for path, before, after in self.files)


def _with_ref(document: Document, name: str, number: int) -> bool:
    """Add PEP-NNNN to the field `name` (created after the last field when missing); False when it
    is there already."""
    field = document.field(name)
    label = pep_label(number)
    if field is None:
        document.add_field(name, label, after=None)
        return True
    refs = pep_refs(field.value)
    if number in refs:
        return False
    value = field.value.strip()
    document.set_field(name, f"{value}, {label}" if refs else label)
    return True


def plan(corpus, policy, old_text: str, new_text: str, today=None) -> Supersession:
    old, new = parse_number(old_text), parse_number(new_text)
    if old == new:
        raise TransitionError(f"{pep_label(old)} cannot supersede itself; name the new PEP that replaces it")
    old_entry, new_entry = find_pep(corpus, old), find_pep(corpus, new)
    status = old_entry.pep.status
    if not policy.can_be_superseded(status):
        decided = ", ".join(s for s in policy.states if policy.can_be_superseded(s)) or "none configured"
        raise TransitionError(
            f"{old_entry.path}: {pep_label(old)} is {status or 'without a status'}; only a decided PEP ({decided}: "
            "amendment-states) can be superseded. A Draft or Under Review PEP is revised in place; a Declined, "
            "Deferred or Withdrawn one was never in force, so the new PEP can simply link to it.")
    taken = [n for n in pep_refs(old_entry.pep.document.get("Superseded-By")) if n != new]
    if taken:
        raise TransitionError(
            f"{old_entry.path}: {pep_label(old)} is already Superseded-By {', '.join(pep_label(n) for n in taken)}; "
            f"supersede that PEP instead (`pepctl supersede {taken[0]} {new}`), or fix the field by hand")
    files = []
    for entry, name, other in ((old_entry, "Superseded-By", new), (new_entry, "Supersedes", old)):
        try:
            before = read_source(entry.path)
        except OSError as err:
            raise TransitionError(f"{entry.path}: cannot read the file: {err.strerror}") from None
        doc = entry.pep.document
        if before != doc.to_bytes():
            raise TransitionError(_changed(entry.path, f"{pep_label(new)} supersedes {pep_label(old)}"))
        edited = Document(doc.text, entry.path, doc.bom, doc.format)
        if not _with_ref(edited, name, other):
            continue
        problems = _brought(corpus, policy, entry.pep, Pep(edited, entry.path), today)
        if problems:
            lines = Lines()
            lines.add(Lines.between(doc.text, edited.text), "the header row this command adds")
            listed = "\n".join(f"  {entry.path}:{lines.where(d.line)}: {d.code} {d.message}" for d in problems)
            raise TransitionError(f"setting {name} in {pep_label(entry.pep.number)} would bring these errors:\n{listed}\n"
                                  "Fix the file and run the command again; nothing was changed.")
        files.append((entry.path, before, edited.to_bytes()))
    return Supersession(old, new, files)


def _brought(corpus, policy, before: Pep, after: Pep, today) -> list:
    def found(pep):
        return [d for d in lint_pep(policy, pep, corpus=corpus, today=today, errors_only=True)
                if not d.code.startswith(CROSS_FILE)]

    return brought(found(before), found(after))


def apply(change: Supersession) -> None:
    """Write every file atomically; when one fails, put back those written."""
    refuse_changed([(path, before) for path, before, _ in change.files], change.summary)
    written = []
    for path, before, after in change.files:
        try:
            atomic_write(path, after)
        except OSError as err:
            stuck = []
            for done, old in reversed(written):
                try:
                    atomic_write(done, old)
                except OSError:
                    stuck.append(done)
            if stuck:
                raise TransitionError(
                    f"{path}: cannot write the file: {err.strerror or err}; {', '.join(stuck)} was changed and could "
                    f"not be put back: once {path} can be written, run the command again (it completes the pair)") from None
            raise TransitionError(f"{path}: cannot write the file: {err.strerror or err}; nothing was changed") from None
        written.append((path, before))
