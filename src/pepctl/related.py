"""The PEPs most like a given one (or like a piece of text): BM25 over titles and opening sections.

PEP-0000 asks authors to discuss first, and the commonest waste is re-proposing what was declined:
``related`` ranks the folder's PEPs by similarity with bm25s (the ``related`` extra) and lists the
declined and withdrawn ones among the closest first, marked as such.
"""

from __future__ import annotations

from typing import NamedTuple

# What a PEP is about, for ranking: its title (counted twice, it names the idea) and the opening of
# the sections that say what and why. The rest of the text adds mostly design detail and noise.
ABOUT_SECTIONS = ("Summary", "Abstract", "Motivation")
ABOUT_CHARS = 2000
SETTLED = ("Declined", "Withdrawn")  # the record of ideas already turned down or given up


class Candidate(NamedTuple):
    number: int | None
    title: str
    status: str
    path: str
    text: str  # what it is about (ABOUT_SECTIONS), for ranking


class Match(NamedTuple):
    candidate: Candidate
    score: float
    settled: bool  # declined or withdrawn: read why before proposing it again


def about(pep) -> Candidate:
    """A PEP as the ranking sees it (plain data: made in worker processes)."""
    doc = pep.document
    if getattr(doc.format, "nested", False):  # a KEP: the prose is its README's, beside the metadata
        from pepctl.document import Document

        doc = Document(doc.format.body(doc, pep.path)[0], pep.path)
    parts = [pep.title, pep.title]
    for name in ABOUT_SECTIONS:
        heading = doc.section(name)
        if heading is not None:
            parts.append(doc.section_text(heading)[:ABOUT_CHARS])
    if len(parts) == 2:  # no such section: the opening of the text
        parts.append(doc.text[:ABOUT_CHARS])
    return Candidate(pep.number, pep.title, pep.status, pep.path, "\n".join(parts))


def rank(candidates: list[Candidate], query: str, policy, limit: int = 5, exclude: str | None = None) -> list[Match]:
    """The ``limit`` candidates most like ``query`` (none with a score of 0), the declined and
    withdrawn among them first; ``exclude``: the path of the PEP asked about."""
    import bm25s  # the related extra: only this command needs it

    pool = [c for c in candidates if c.path != exclude]
    if not pool or not query.strip():
        return []
    tokens = bm25s.tokenize([c.text for c in pool], stopwords="en", show_progress=False)
    index = bm25s.BM25()
    index.index(tokens, show_progress=False)
    asked = bm25s.tokenize([query], stopwords="en", show_progress=False, allow_empty=True)
    found, scores = index.retrieve(asked, k=min(limit, len(pool)), show_progress=False)
    settled = {policy.canonical(s) for s in SETTLED} - {None}
    from pepctl import formats

    # another process's own words (Rejected, rejected...) by its lifecycle mapping onto Declined and Withdrawn
    lifecycle = getattr(formats.of(policy.config), "lifecycle", None)
    matches = []
    for position, score in zip(found[0], scores[0]):
        if float(score) <= 0:
            continue
        candidate = pool[int(position)]
        own = policy.canonical(candidate.status)
        done = lifecycle.get(own) in SETTLED if lifecycle is not None else own in settled
        matches.append(Match(candidate, float(score), done))
    return sorted(matches, key=lambda m: (not m.settled, -m.score))


def available() -> bool:
    """Whether the ranking library (the ``related`` extra) is installed."""
    import importlib.util

    return importlib.util.find_spec("bm25s") is not None


def like_new_peps(corpus, policy, added: list, limit: int = 5) -> dict:
    """For each new PEP (a ``Pep`` not yet in ``corpus``), the existing PEPs most like it, as
    ``review.facts.Similar`` by the new PEP's path: what the gate's summary lists on a pull request
    that adds a PEP. Empty when the ranking library is not installed."""
    from pepctl.review.facts import Similar

    if not added or not available():
        return {}
    candidates = corpus.summaries(about)
    out = {}
    for pep in added:
        asked = about(pep)
        pool = [c for c in candidates if c.number is None or c.number != asked.number]
        matches = rank(pool, asked.text, policy, limit)
        out[pep.path] = [Similar(m.candidate.number, m.candidate.title, m.candidate.status, m.settled) for m in matches]
    return out
