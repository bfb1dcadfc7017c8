"""Rules about the PEP files themselves: there are some, they can be read, none is deleted."""

from __future__ import annotations

from pepctl.review.rules import FILE, PULL, Finding, rule
from pepctl.review.verdict import NOTE, WARNING


@rule("R000", "no-pep-files", "The pull request touches no PEP file (a note, never blocks).",
      NOTE, PULL, "PEP files in this pull request")
def no_pep_files(ctx):
    if ctx.verdict.peps:
        return None
    return [Finding("this pull request touches no PEP file, so the PEP process rules do not apply")]


@rule("R011", "pep-unparseable", "The PEP file can be read at the head (and the base) of the pull request.",
      scope=FILE, checklist="PEP files readable")
def pep_unparseable(pep, ctx):
    pc = pep.pc
    if pc.head_error is not None:
        error = pc.head_error
        return [Finding(f"{pc.path} cannot be read at the head of this pull request (line {error.line}): {error.message}"
                        f"{_unreadable_advice(error)}.", line=error.line)]
    if pc.head is not None and pc.base_error is not None:
        error = pc.base_error
        return [Finding(f"{pc.previous_path or pc.path} cannot be read on the base branch (line {error.line}): "
                        f"{error.message}; its status change cannot be checked, so maintainer approval rules apply "
                        "as for a decision.", WARNING, error.line)]
    return []


def _unreadable_advice(error) -> str:
    """What to do about an unreadable PEP file, unless the error already says it."""
    kind = getattr(error, "kind", "")
    if kind == "encoding":  # "... re-save it as UTF-8"
        return ""
    if kind == "empty":
        return "; put the PEP's text back (PEPs are never emptied or deleted: set the status instead)"
    return "; save it as UTF-8 Markdown text"


@rule("R012", "deleted-pep", "PEP files are never deleted; declined and withdrawn PEPs stay as the record.",
      scope=FILE, checklist="no PEP deleted")
def deleted_pep(pep, ctx):
    pc = pep.pc
    if not pc.deleted:
        return []
    return [Finding(f"{pc.label} is deleted; PEPs are never deleted, declined and withdrawn ones stay as the record. "
                    "Restore the file and set its status instead (e.g. Withdrawn).")]
