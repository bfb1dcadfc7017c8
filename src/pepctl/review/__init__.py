"""The review engine: a pull request's facts in, a verdict out, no I/O.

``decide(facts)`` is the one entry point; ``pepctl gate``, the GitHub Action
and the bot fill in ``Facts`` from GitHub and act on the ``Verdict``
(check conclusion, labels, the summary comment, answers to commands).
See docs/review.md for the rules it enforces.
"""

from __future__ import annotations

from pepctl.review.commands import Command, normalize_id, parse as parse_commands
from pepctl.review.engine import (
    LABEL_PREFIX,
    OVERDUE_LABEL,
    RULES,
    Answer,
    FinalCall,
    FirstFeedback,
    Objection,
    PepChange,
    Reason,
    Verdict,
    decide,
    help_text,
    is_managed_label,
)
from pepctl.review.facts import Comment, Facts, FileChange, PullRequest, Review
from pepctl.review.summary import SUMMARY_MARKER

__all__ = [
    "Answer",
    "Command",
    "Comment",
    "Facts",
    "FileChange",
    "FinalCall",
    "FirstFeedback",
    "LABEL_PREFIX",
    "OVERDUE_LABEL",
    "Objection",
    "PepChange",
    "PullRequest",
    "RULES",
    "Reason",
    "Review",
    "SUMMARY_MARKER",
    "Verdict",
    "decide",
    "help_text",
    "is_managed_label",
    "normalize_id",
    "parse_commands",
]
