"""The page of one PEP file: its header card, its text rendered, its banner and status timeline."""

from __future__ import annotations

import re
from html import escape
from typing import NamedTuple
from urllib.parse import quote

from markupsafe import Markup

from pepctl.model import FIELD_NAMES, is_empty_value
from pepctl.site import diagrams, templates
from pepctl.site.links import LinkContext
from pepctl.site.markdown import slugify
from pepctl.site.reading import body_text
from pepctl.site.records import SiteRecord, pep_label, slug
from pepctl.site.titles import title_html, title_text

ISSUE_RE = re.compile(r"(?<![\w#/&\[])#(\d+)\b")  # #12, not in a URL, an entity or a link text
# Without their last period: the page ends the sentence after the links that may follow.
BANNERS = {
    "declined": "The maintainers declined this proposal. It stays here as a record of the decision",
    "withdrawn": "The author withdrew this proposal; it is not being pursued",
    "deferred": "This proposal is deferred: a good idea, but not now. It may be reconsidered later",
}
# A header value with none of Markdown's special characters is shown as it is.
PLAIN_VALUE_RE = re.compile(r"[^\[\]*_`<>&~\\!:/@|]*")
# Header fields shown in a fixed order on a PEP's card; others follow in file order.
CARD_ORDER = ["authors", "sponsor", "created", "tracking issue", "target release", "supersedes",
              "superseded-by", "decided-by"]
CARD_RANK = {key: index for index, key in enumerate(CARD_ORDER)}


class Banner(NamedTuple):
    """The note at the top of a superseded, declined, withdrawn or deferred PEP."""

    kind: str
    text: str  # the sentence, less its last period
    links: Markup | None  # to the successors
    rationale: str | None  # the id of the section that says why it was declined


class TimelineRow(NamedTuple):
    date: str  # YYYY-MM-DD
    old: str | None  # None: the file was created with the status
    new: str
    commit: str  # abbreviated
    url: str  # of the commit, '' without a repository


def person_html(person) -> Markup:
    name = escape(person.name or "")
    if person.handle:
        link = f'<a href="https://github.com/{escape(person.handle)}" rel="nofollow noopener">@{escape(person.handle)}</a>'
        return Markup(f"{name} ({link})" if name else link)
    return Markup(name)


def people_html(people) -> Markup:
    return Markup(", ").join(person_html(p) for p in people)


def badge(status: str) -> Markup:
    return Markup(f'<span class="badge status-{escape(slug(status))}">{escape(status or "No status")}</span>')


def pep_html(state, renderer, record: SiteRecord, doc, body: str | None) -> str:
    """The page of one PEP file. `doc`: its parsed text (None when it cannot be read as a PEP, or
    no longer can); `body`: the text to render, when already made (see reading.body_text)."""
    repo = state.repo
    name = record.file
    links = LinkContext(state.pages, state.unique_numbers, repo.blob, repo.raw, prefix="../", root_blob=repo.root_blob,
                        root_raw=repo.root_raw, publishes=state.is_pep_file)
    readable = not record.pep.error
    status = state.status_key(record.status)
    label = pep_label(record.pep.number)
    context = templates.base_context(state, "../", f"{label}: {title_text(record.title)}",
                                     description(record, label, status if readable else ""))
    context.update(
        record=record,
        label=label,
        status=status if readable else "",
        status_badge=badge(status) if readable else "",
        source_url=repo.blob + quote(name) if repo.url else "",
        edit_url=repo.edit + quote(name) if repo.url else "",
        history_known=state.history_known,
        timeline=timeline_rows(state, name),
        last_change=state.last_changes.get(name),
        title_ids=[],
        body=Markup(""), fields=[], toc=[], banner=None, has_mermaid=False, diagram_scripts=diagrams.SCRIPTS,
    )
    if readable and doc is not None:
        anchors = title_anchors(doc)
        text = body if body is not None else body_text(doc)
        if getattr(doc.format, "markup", "markdown") == "rst":
            from pepctl.site.rst import render_rst  # docutils: only for reStructuredText proposals

            rendered = render_rst(text)
        else:
            rendered = renderer.render(text, links, tuple(anchors))
        context.update(
            title_ids=anchors,
            body=Markup(rendered.html),
            fields=card_fields(state, renderer, record, links),
            toc=[(hid, label) for level, hid, label in rendered.headings if level == 2],
            banner=banner(state, record, rendered.headings),
            has_mermaid=rendered.has_mermaid,
        )
    return templates.render("pep.html", context)


DESCRIPTION_CHARS = 300  # search engines show about 160; a little more leaves them the choice


def description(record: SiteRecord, label: str, status: str) -> str:
    """The page's meta description: the PEP's summary (its abstract), else what it is."""
    summary = "" if record.pep.error else " ".join(record.summary.split())
    if len(summary) > DESCRIPTION_CHARS:
        summary = summary[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
    if summary:
        return summary
    what = f"{label}: {title_text(record.title)}"
    return f"{what}, a proposal in status {status}." if status else f"{what}."


def title_anchors(doc) -> list[str]:
    """Anchors of the title heading: GitHub's for the whole heading, and for the title alone."""
    if doc.title_text is None:
        return []
    anchors = [slugify(doc.title_text)]
    _, colon, title = doc.title_text.partition(":")
    if colon and slugify(title) not in anchors:
        anchors.append(slugify(title))
    return [a for a in anchors if a]


def card_fields(state, renderer, record: SiteRecord, links) -> list:
    """(label, HTML) of each filled-in header field but PEP, Title and Status (the page's header shows
    those): CARD_ORDER first, each key once."""
    shown = [field for field in record.pep.fields
             if field[1] not in ("pep", "title", "status") and field[2] and not is_empty_value(field[2])]
    shown.sort(key=lambda field: CARD_RANK.get(field[1], len(CARD_RANK)))
    seen: set[str] = set()
    pep = record.pep
    rows = []
    for name, key, value in shown:
        if key in seen:
            continue
        seen.add(key)
        if key == "authors" and pep.authors:
            html = people_html(pep.authors)
        elif key == "sponsor" and pep.sponsor:
            html = person_html(pep.sponsor)
        elif key in ("supersedes", "superseded-by"):
            numbers = pep.supersedes if key == "supersedes" else pep.superseded_by
            html = pep_links(state, numbers, "../") if numbers else Markup(renderer.inline(value, links))
        elif key == "tracking issue" and state.repo.url:
            html = tracking_issues(state, renderer, value, links)
        elif PLAIN_VALUE_RE.fullmatch(value):
            html = escape(value)
        else:
            html = Markup(renderer.inline(value, links))
        rows.append((FIELD_NAMES.get(key, name), html))
    return rows


def tracking_issues(state, renderer, value: str, links) -> Markup:
    """Each comma-separated item: with #N in it, every #N linked and the rest as text; else as Markdown (a URL)."""
    items = []
    for item in (part.strip() for part in value.split(",")):
        if ISSUE_RE.search(item):
            items.append(issue_links(item, state.repo.issues))
        else:
            items.append(Markup(renderer.inline(item, links)))
    return Markup(", ").join(items)


def issue_links(text: str, issues_url: str) -> Markup:
    pieces = []
    end = 0
    for match in ISSUE_RE.finditer(text):
        pieces.append(escape(text[end:match.start()]))
        pieces.append(f'<a href="{escape(issues_url + match.group(1))}">{escape(match.group(0))}</a>')
        end = match.end()
    pieces.append(escape(text[end:]))
    return Markup("".join(pieces))


def pep_links(state, numbers, prefix: str) -> Markup:
    parts = []
    for number in numbers:
        targets = state.by_number.get(number, [])
        if not targets:
            parts.append(Markup(f'{escape(pep_label(number))} <span class="muted">(not in the folder)</span>'))
        for other in targets:
            parts.append(Markup(f'<a href="{escape(prefix + other.url)}">{escape(pep_label(number))}: '
                                f'{title_html(other.title)}</a>'))
    return Markup(", ").join(parts)


def banner(state, record: SiteRecord, headings: list) -> Banner | None:
    from pepctl import formats

    status = state.status_key(record.status)
    status = getattr(formats.of(state.config), "lifecycle", {}).get(status, status)  # a dialect's, as pepctl's
    kind = status.casefold()
    if record.pep.superseded_by:
        return Banner("superseded", "This proposal has been superseded by",
                      pep_links(state, record.pep.superseded_by, "../"), None)
    if kind not in BANNERS:
        return None
    rationale = None
    if kind == "declined":
        wanted = {s.casefold() for s in state.config.rationale_sections}
        rationale = next((hid for level, hid, label in headings if label.strip().casefold() in wanted), None)
    return Banner(kind, BANNERS[kind], None, rationale)


def timeline_rows(state, name: str) -> list[TimelineRow]:
    commit_url = state.repo.commit
    return [TimelineRow((change.date or "")[:10], change.old, change.new, change.commit[:10],
                        commit_url + change.commit if commit_url else "")
            for change in state.timeline(name)]
