"""The PEP files of a pull request as the engine reads them.

``load_peps`` parses the base and head bytes of every PEP file a pull
request touches into ``PepChange``s (spotting the index document, PEP-0000);
``subjects`` chooses the PEPs the pull request is about; ``is_under_review``
and ``canonical`` read statuses the way the policy spells them. The engine
decides with these, and an adapter that must know the same things before
deciding (when did review start?) calls them rather than redo the reading.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pepctl.corpus import is_pep_file
from pepctl.document import Document, DocumentError
from pepctl.keys import login_key
from pepctl.model import Pep, number_from_filename, pep_label
from pepctl.review.facts import FileChange

ACCEPTED = "Accepted"
DECLINED = "Declined"
UNDER_REVIEW = "Under Review"


@dataclass(frozen=True, eq=False)
class PepChange:
    """What the pull request does to one PEP file, as the engine read it.

    ``base``/``head``: the Pep at base and at head (None when absent or unreadable);
    ``base_error``/``head_error``: the DocumentError of an unreadable side;
    ``index_doc``: the file is the process/index document (PEP-0000).
    """

    path: str
    previous_path: str | None = None
    base: Pep | None = None
    head: Pep | None = None
    base_error: DocumentError | None = None
    head_error: DocumentError | None = None
    added: bool = False
    deleted: bool = False
    index_doc: bool = False

    @property
    def number(self) -> int | None:
        for pep in (self.head, self.base):
            if pep is not None and pep.number is not None:
                return pep.number
        return number_from_filename(self.path)

    @property
    def label(self) -> str:
        """``PEP-0042``, or the file name when no number can be read."""
        number = self.number
        return pep_label(number) if number is not None else self.path.rsplit("/", 1)[-1]

    @property
    def title(self) -> str:
        for pep in (self.head, self.base):
            if pep is not None and pep.title:
                return pep.title
        return ""

    @property
    def base_status(self) -> str | None:
        return self.base.status if self.base is not None else None

    @property
    def head_status(self) -> str | None:
        return self.head.status if self.head is not None else None

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "previous_path": self.previous_path,
            "number": self.number,
            "title": self.title,
            "base_status": self.base_status,
            "head_status": self.head_status,
            "added": self.added,
            "deleted": self.deleted,
            "base_error": _error_text(self.base_error),
            "head_error": _error_text(self.head_error),
        }


def _error_text(error) -> str | None:
    if error is None:
        return None
    return f"line {error.line}: {error.message}"


def file_name(path: str) -> str:
    """The last part of a repository path (``/`` or ``\\`` separated)."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def is_pep_path(path: str, config) -> bool:
    """Whether a repository path names a PEP file (PEP-*.md, not the template, not excluded)."""
    return is_pep_file(file_name(path), config.template, config.exclude)


def parse_pep(data: bytes, path: str) -> tuple[Pep | None, DocumentError | None]:
    """(Pep, None) for bytes that parse, else (None, the error)."""
    try:
        return Pep(Document.from_bytes(data, path), path), None
    except DocumentError as err:
        return None, err


def load_pep(change: FileChange, config) -> PepChange:
    """One file change read: both sides parsed, and whether it is the index document."""
    base, base_error = parse_pep(change.base, change.previous_path or change.path) if change.base is not None else (None, None)
    head, head_error = parse_pep(change.head, change.path) if change.head is not None else (None, None)
    pc = PepChange(change.path, change.previous_path, base, head, base_error, head_error,
                   added=change.base is None, deleted=change.head is None)
    index_name = file_name(config.index_file or "")
    return replace(pc, index_doc=pc.number == 0 or (bool(index_name) and file_name(change.path) == index_name))


def load_peps(changes: list[FileChange], config) -> list[PepChange]:
    """The PEP files among ``changes``, read, sorted by path (other files are none of the engine's business)."""
    return sorted((load_pep(c, config) for c in changes if is_pep_path(c.path, config)), key=lambda pc: pc.path)


def subjects(peps: list[PepChange]) -> list[PepChange]:
    """The PEPs a pull request is about: every one but the index document, unless that is all there is."""
    return [pc for pc in peps if not pc.index_doc] or peps


def decides(policy, pc: PepChange) -> bool:
    """Whether the pull request decides this PEP: it exists on the base branch, is readable at
    head, and its status changes (or the base cannot be read, so it may change). A new PEP is
    not decided: it must arrive in an initial status. Approvals and objections count for these."""
    if pc.added or pc.head is None:
        return False
    if pc.base is None:
        return pc.base_error is not None
    head, base = canonical(policy, pc.head.status), canonical(policy, pc.base.status)
    return base != head or (head is None and pc.base.status.strip() != pc.head.status.strip())


def canonical(policy, status: str | None) -> str | None:
    """A status as the policy spells it (None for an empty or missing one, or an unknown one)."""
    return policy.canonical(status) if status else None


def is_under_review(policy, pep: Pep | None) -> bool:
    """Whether a PEP (None: absent or unreadable) is Under Review."""
    under_review = policy.canonical(UNDER_REVIEW)
    return bool(under_review) and pep is not None and canonical(policy, pep.status) == under_review


def pep_authors(peps: list[PepChange]) -> set[str]:
    """Handles (as ``keys.login_key`` folds them) named in the Author(s) field at base or head."""
    handles = set()
    for pc in peps:
        for pep in (pc.base, pc.head):
            if pep is not None:
                handles.update(login_key(a.handle) for a in pep.authors if a.handle)
    return handles
