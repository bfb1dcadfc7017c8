"""The review engine: a pull request's facts in, a verdict out, no I/O.

``decide(facts)`` is the one entry point; ``pepctl gate``, the GitHub Action
and the bot fill in ``Facts`` from GitHub and act on the ``Verdict``
(check conclusion, labels, the summary comment, answers to commands).
Before deciding, an adapter that must know which PEPs a pull request is
about, or whether one is under review, asks the same functions the engine
uses (``load_pep``, ``subjects``, ``is_under_review``, ``status_label``), and
``snapshots_wanted`` says which PEP files it must read at which review commits.
See docs/review.md for the rules it enforces; ``REGISTRY`` holds them.

Modules: ``facts`` (the input), ``verdict`` (the output), ``peps`` (reading
the PEP files), ``commands`` (the ``/pep`` grammar), ``reviews`` (latest reviews,
dismissals, approvals), ``objections`` (objections, answers), ``finalcall``
(the lead's calls), ``clock`` (first feedback),
``rules`` (R000-R013), ``summary`` and ``markdown`` (the comment), ``engine``
(``decide``).
"""

from __future__ import annotations

from pepctl.review.commands import Command, normalize_id, parse as parse_commands
from pepctl.review.engine import decide
from pepctl.review.facts import Comment, Dismissal, Facts, FileChange, PullRequest, Review
from pepctl.review.objections import help_text
from pepctl.review.peps import UNDER_REVIEW, PepChange, is_under_review, load_pep, load_peps, subjects
from pepctl.review.reviews import snapshots_wanted
from pepctl.review.rules import REGISTRY
from pepctl.review.summary import SUMMARY_MARKER
from pepctl.review.verdict import (
    LABEL_PREFIX,
    OVERDUE_LABEL,
    Answer,
    Approvals,
    FinalCall,
    FirstFeedback,
    Objection,
    Reason,
    Verdict,
    is_managed_label,
    status_label,
)

# code -> (name, summary, checklist line), as earlier versions exported it; REGISTRY has the rest.
RULES = {code: (r.name, r.summary, r.checklist) for code, r in sorted(REGISTRY.items())}

__all__ = [
    "Answer",
    "Approvals",
    "Command",
    "Comment",
    "Dismissal",
    "Facts",
    "FileChange",
    "FinalCall",
    "FirstFeedback",
    "LABEL_PREFIX",
    "OVERDUE_LABEL",
    "Objection",
    "PepChange",
    "PullRequest",
    "REGISTRY",
    "RULES",
    "Reason",
    "Review",
    "SUMMARY_MARKER",
    "UNDER_REVIEW",
    "Verdict",
    "decide",
    "help_text",
    "is_managed_label",
    "is_under_review",
    "load_pep",
    "load_peps",
    "normalize_id",
    "parse_commands",
    "snapshots_wanted",
    "status_label",
    "subjects",
]
