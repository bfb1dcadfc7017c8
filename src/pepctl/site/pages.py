"""What goes on each page: the PEP pages, the index, the dashboard, search, 404, JSON, feed."""

from __future__ import annotations

import datetime
import json
import os
import re
import string
from html import escape
from urllib.parse import quote

from markupsafe import Markup

from pepctl import model
from pepctl.timestamps import parse_day
from pepctl.site.records import slug

SCHEMA_VERSION = 1
WORD_RE = re.compile(r"[^\W_]{2,}")
MARKDOWN_NOISE_RE = re.compile(
    r"<!--.*?-->"  # comments
    r"|^ {0,3}\[[^\]\n]+\]:[^\n]*$"  # link reference definitions
    r"|^ {0,3}(?:```|~~~)[^\n]*$"  # fence lines
    r"|<[^>\n]+>"  # tags
    r"|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[`*_>#|\[\]~]",
    re.S | re.M,
)
ISSUE_RE = re.compile(r"(?<![\w#/&\[])#(\d+)\b")  # #12, not in a URL, an entity or a link text
DECISION_STATES = ("Accepted", "Declined", "Deferred", "Withdrawn")
# Without their last period: the page ends the sentence after the links that may follow.
BANNERS = {
    "declined": "The maintainers declined this proposal. It stays here as a record of the decision",
    "withdrawn": "The author withdrew this proposal; it is not being pursued",
    "deferred": "This proposal is deferred: a good idea, but not now. It may be reconsidered later",
}
EARLIEST_YEAR = 1970  # a review said to start before this is a typo (0024 for 2024): its age is unknown
SUMMARY_LENGTH = 280
# A header value with none of Markdown's special characters is shown as it is.
PLAIN_VALUE_RE = re.compile(r"[^\[\]*_`<>&~\\!:/@|]*")


def pep_label(number) -> str:
    """A record's label; a file with no number is PEP-????."""
    return model.pep_label(number) if isinstance(number, int) else "PEP-????"


def status_key(builder, status: str) -> str:
    """The status as the configuration spells it, else as written, else 'No status'."""
    return builder.policy.canonical(status) or status or "No status"


# One pass over a file's bytes: ASCII upper case to lower case, ASCII punctuation to spaces.
# Splitting on the result leaves few distinct pieces for the word regex.
FOLD = bytes.maketrans(bytes(string.ascii_uppercase + string.punctuation, "ascii"),
                       bytes(string.ascii_lowercase + " " * len(string.punctuation), "ascii"))
SINGLES = [bytes([c]) for c in b"abcdefghijklmnopqrstuvwxyz0123456789"]  # ASCII pieces too short to be words


def words_of(data: bytes, *texts: str) -> bytes:
    """The distinct words (two characters or more) of a file's bytes and some texts, lower-cased.

    The same words as WORD_RE over the whole lower-cased text, in a third of the time: the bytes
    are split on ASCII space and punctuation; a piece of two or more ASCII letters and digits is a
    word as it is, and only the other pieces (with non-ASCII letters, or control characters) go
    through the regex. Returned space-separated in UTF-8 (as the search index is written), each
    word once, in the order of first appearance (so the same file always gives the same bytes).
    """
    pieces = dict.fromkeys(data.translate(FOLD).split())  # a dict: first-seen order, the same every run
    odd = [piece for piece in pieces if not piece.isalnum()]  # bytes.isalnum() is ASCII only
    for piece in odd:
        del pieces[piece]
    for piece in SINGLES:
        pieces.pop(piece, None)
    rest = b" ".join(odd).decode("utf-8", "replace") + " " + " ".join(texts)
    extra = dict.fromkeys(word for word in WORD_RE.findall(rest.lower())
                          if not (word.isascii() and word.encode("ascii") in pieces))
    text = b" ".join(pieces)
    if extra:
        more = " ".join(extra).encode("utf-8")
        text = text + b" " + more if text else more
    return text


def plain_summary(text: str) -> str:
    text = " ".join(MARKDOWN_NOISE_RE.sub(" ", text).split())
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


def person_html(person: dict) -> Markup:
    name = escape(person.get("name") or "")
    handle = person.get("handle")
    if handle:
        link = f'<a href="https://github.com/{escape(handle)}" rel="nofollow noopener">@{escape(handle)}</a>'
        return Markup(f"{name} ({link})" if name else link)
    return Markup(name)


def people_html(people: list[dict]) -> Markup:
    return Markup(", ").join(person_html(p) for p in people)


def badge(status: str) -> Markup:
    return Markup(f'<span class="badge status-{escape(slug(status))}">{escape(status or "No status")}</span>')


def short_date(date: str | None) -> str:
    return (date or "")[:10]


# -- one PEP page -----------------------------------------------------------------


def search_fields(record: dict, data: bytes, doc, bodies: dict | None = None) -> None:
    """Put the search words and the summary of a PEP file in its record.

    Both come from the file alone, so they are made with the record (in
    whichever process parses the file) and cached with it. The body text made
    for a summary goes in `bodies`, for the page that renders it next.
    """
    from pepctl.site.records import body_text

    summary = ""
    if record["error"] or doc is None:
        data = b""
    else:
        section = doc.section("Summary")
        if section:
            summary = plain_summary(doc.section_text(section))
        else:
            body = body_text(doc)
            if bodies is not None:
                bodies[record["file"]] = body
            summary = plain_summary(body[:2000])
    record["summary"] = summary
    record["words"] = words_of(data, record["title"], pep_label(record["number"]), record["authors_text"])


def render_pep(builder, record: dict, writer) -> None:
    """Write the page of one PEP file."""
    from pepctl.document import Document, DocumentError
    from pepctl.site.markdown import LinkContext
    from pepctl.site.records import body_text

    repo = builder.repo
    name = record["file"]
    links = LinkContext(builder.pages, builder.unique_numbers, repo.get("blob", ""), repo.get("raw", ""),
                        prefix="../", root_blob=repo.get("root_blob", ""), root_raw=repo.get("root_raw", ""),
                        publishes=builder.corpus.is_pep_file)
    context = base_context(builder, "../", record["title"])
    context.update(
        record=record,
        label=pep_label(record["number"]),
        status=status_key(builder, record["status"]) if not record["error"] else "",
        status_badge=badge(status_key(builder, record["status"])) if not record["error"] else "",
        source_url=repo.get("blob", "") + quote(name) if repo else "",
        edit_url=repo.get("edit", "") + quote(name) if repo else "",
        history_known=builder.history is not None,
        timeline=timeline_rows(builder, name),
        last_change=builder.last_changes.get(name),
        title_ids=[],
    )
    if record["error"]:
        context.update(body=Markup(""), fields=[], toc=[], banner=None)
    else:
        doc = builder.docs.pop(name, None)
        body = builder.bodies.pop(name, None)
        if doc is None:
            try:
                doc = Document.from_bytes(builder.source(name), name)
            except DocumentError:  # the cache said readable; the file changed under us
                doc = None
        if doc is None:
            context.update(body=Markup(""), fields=[], toc=[], banner=None)
        else:
            if body is None:
                body = body_text(doc)
            anchors = title_anchors(doc)
            context["title_ids"] = anchors
            rendered = builder.renderer.render(body, links, tuple(anchors))
            context.update(
                body=Markup(rendered.html),
                fields=card_fields(builder, record, links),
                toc=[(hid, label) for level, hid, label in rendered.headings if level == 2],
                banner=banner(builder, record, rendered.headings),
            )
    writer.write(record["page"], builder.env.get_template("pep.html").render(context))


def title_anchors(doc) -> list[str]:
    """Anchors of the title heading: GitHub's for the whole heading, and for the title alone."""
    from pepctl.site.markdown import slugify

    if doc.title_text is None:
        return []
    anchors = [slugify(doc.title_text)]
    _, colon, title = doc.title_text.partition(":")
    if colon and slugify(title) not in anchors:
        anchors.append(slugify(title))
    return [a for a in anchors if a]


def card_fields(builder, record: dict, links) -> list:
    repo = builder.repo
    rows = []
    for label, key, value in record["fields"]:
        if key == "status":
            html = badge(status_key(builder, record["status"]))
        elif key == "authors" and record["authors"]:
            html = people_html(record["authors"])
        elif key == "sponsor" and record["sponsor"]:
            html = person_html(record["sponsor"])
        elif key in ("supersedes", "superseded-by"):
            numbers = record["supersedes"] if key == "supersedes" else record["superseded_by"]
            html = pep_links(builder, numbers, "../") if numbers else Markup(builder.renderer.inline(value, links))
        elif key == "tracking issue" and repo:
            html = tracking_issues(builder, value, links)
        elif PLAIN_VALUE_RE.fullmatch(value):
            html = escape(value)
        else:
            html = Markup(builder.renderer.inline(value, links))
        rows.append((label, html))
    return rows


def tracking_issues(builder, value: str, links) -> Markup:
    """Each comma-separated item: with #N in it, every #N linked and the rest as text; else as Markdown (a URL)."""
    items = []
    for item in (part.strip() for part in value.split(",")):
        if ISSUE_RE.search(item):
            items.append(issue_links(item, builder.repo["issues"]))
        else:
            items.append(Markup(builder.renderer.inline(item, links)))
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


def pep_links(builder, numbers: list[int], prefix: str) -> Markup:
    parts = []
    for number in numbers:
        targets = builder.by_number.get(number, [])
        if not targets:
            parts.append(Markup(f'{escape(pep_label(number))} <span class="muted">(not in the folder)</span>'))
        for other in targets:
            parts.append(Markup(f'<a href="{escape(prefix + other["url"])}">{escape(pep_label(number))}: '
                                f'{escape(other["title"])}</a>'))
    return Markup(", ").join(parts)


def banner(builder, record: dict, headings: list) -> dict | None:
    status = status_key(builder, record["status"])
    kind = status.casefold()
    if record["superseded_by"]:
        return {"kind": "superseded", "text": "This proposal has been superseded by",
                "links": pep_links(builder, record["superseded_by"], "../"), "rationale": None}
    if kind in BANNERS:
        info = {"kind": kind, "text": BANNERS[kind], "links": None, "rationale": None}
        if kind == "declined":
            wanted = {s.casefold() for s in builder.config.rationale_sections}
            for level, hid, label in headings:
                if label.strip().casefold() in wanted:
                    info["rationale"] = hid
                    break
        return info
    return None


def timeline_rows(builder, name: str) -> list:
    commit_url = builder.repo.get("commit", "")
    rows = []
    for change in builder.timeline_of.get(name, []):
        rows.append({
            "date": short_date(change.date),
            "old": change.old,
            "new": change.new,
            "commit": change.commit[:10],
            "url": commit_url + change.commit if commit_url else "",
        })
    return rows


# -- shared context ---------------------------------------------------------------


def base_context(builder, root: str, title: str) -> dict:
    return {"root": root, "page_title": title, "site_title": SITE_TITLE, "base_url": builder.base_url}


SITE_TITLE = "Enhancement Proposals"


def today(builder) -> datetime.date:
    if builder.today is not None:
        return builder.today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            message = (f"SOURCE_DATE_EPOCH={epoch!r} is not a time the site can use (whole seconds since "
                       "1970, before the year 10000); building as of today")
            if message not in builder.warnings:
                builder.warnings.append(message)
    return datetime.date.today()




# -- the pages made from all records ---------------------------------------------------


def ordered_records(builder) -> list[dict]:
    def key(record):
        number = record["number"]
        return (number is None, number if number is not None else 0, record["file"])

    return sorted(builder.records.values(), key=key)


def group_order(builder, statuses: set[str]) -> list[str]:
    """Lifecycle order with Under Review first, then unknown statuses, then unreadable files."""
    order = []
    first = builder.policy.canonical("Under Review")
    if first and first in statuses:
        order.append(first)
    for state in builder.policy.states:
        if state in statuses and state not in order:
            order.append(state)
    order.extend(sorted(s for s in statuses if s not in order and s != UNREADABLE))
    if UNREADABLE in statuses:
        order.append(UNREADABLE)
    return order


UNREADABLE = "Unreadable"


def prepare_groups(builder) -> list[dict]:
    records = ordered_records(builder)
    for record in records:
        record["_group"] = UNREADABLE if record["error"] else status_key(builder, record["status"])
    return records


def write_record_pages(builder, writer) -> None:
    """The pages made from the records alone: index, dashboard, search, 404, JSON, feed, search index, static files.

    Nothing here waits for the PEP pages: the search words and summaries are in the records.
    """
    records = prepare_groups(builder)
    write_static(builder, writer)
    statuses = {r["_group"] for r in records}
    order = group_order(builder, statuses)
    groups = [(status, [r for r in records if r["_group"] == status]) for status in order]
    env = builder.env
    context = base_context(builder, "", "Index")
    open_groups = {builder.policy.canonical("Under Review"), builder.policy.canonical("Draft")}
    context.update(groups=groups, records=records, statuses=order, open_groups=open_groups, total=len(records))
    write_if_changed(writer, builder.out_dir, "index.html", env.get_template("index.html").render(context))

    dashboard = dashboard_context(builder, records, order)
    dashboard.update(base_context(builder, "", "Dashboard"))
    write_if_changed(writer, builder.out_dir, "dashboard.html", env.get_template("dashboard.html").render(dashboard))

    context = base_context(builder, "", "Search")
    write_if_changed(writer, builder.out_dir, "search.html", env.get_template("search.html").render(context))
    root = "/"
    if builder.base_url:
        from urllib.parse import urlsplit

        root = urlsplit(builder.base_url).path or "/"
    context = base_context(builder, root, "Page not found")
    write_if_changed(writer, builder.out_dir, "404.html", env.get_template("404.html").render(context))
    write_if_changed(writer, builder.out_dir, "api/peps.json", api_json(builder, records))
    write_if_changed(writer, builder.out_dir, "feed.xml", feed_xml(builder, records))
    write_if_changed(writer, builder.out_dir, "search-index.json", search_index(builder, records))
    for record in records:
        record.pop("_group", None)


def write_if_changed(writer, out_dir: str, rel: str, data) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        with open(os.path.join(out_dir, rel), "rb") as handle:
            if handle.read() == data:
                return
    except OSError:
        pass
    writer.write(rel, data)


def write_static(builder, writer) -> None:
    from pepctl.site.builder import PACKAGE_DIR
    from pepctl.site.highlight import style_sheet

    folder = os.path.join(PACKAGE_DIR, "static")
    for name in sorted(os.listdir(folder)):
        if name.startswith("."):
            continue
        with open(os.path.join(folder, name), "rb") as handle:
            write_if_changed(writer, builder.out_dir, f"static/{name}", handle.read())
    write_if_changed(writer, builder.out_dir, "static/pygments.css", style_sheet())


# -- dashboard ---------------------------------------------------------------------------


def dashboard_context(builder, records: list[dict], order: list[str]) -> dict:
    from pepctl.site.charts import bar_chart

    now = today(builder)
    counts = [(status, sum(1 for r in records if r["_group"] == status)) for status in order]
    counts_chart = bar_chart([(s, n, f"status-{slug(s)}") for s, n in counts], "Number of PEPs in each status",
                             css_class="chart counts")

    limit = builder.config.first_feedback_days
    review = builder.policy.canonical("Under Review") or "Under Review"
    waiting = []
    for record in records:
        if record["_group"] != review:
            continue
        since, source = review_start(builder, record)
        age = review_age(since, now)
        waiting.append({"record": record, "since": since.isoformat() if since else "", "source": source,
                        "age": age, "overdue": age is not None and age > limit})
    waiting.sort(key=lambda w: (w["age"] is None, -(w["age"] or 0)))
    waiting_chart = bar_chart(
        [(pep_label(w["record"]["number"]), w["age"], "overdue" if w["overdue"] else "ok")
         for w in waiting[:25] if w["age"] is not None],
        f"Days in review, oldest first (feedback due within {limit} days)", unit=" d", css_class="chart waiting")

    durations = decision_times(builder)
    buckets = [("under 1 week", 0, 7), ("1–2 weeks", 7, 14), ("2–4 weeks", 14, 28), ("1–3 months", 28, 91),
               ("3–6 months", 91, 182), ("6–12 months", 182, 365), ("over a year", 365, 10**9)]
    decision_rows = [(label, sum(1 for d in durations if low <= d["days"] < high), "decision")
                     for label, low, high in buckets]
    decision_chart = bar_chart(decision_rows, "Time from Under Review to a decision", css_class="chart decisions") \
        if durations else ""
    median = None
    if durations:
        days = sorted(d["days"] for d in durations)
        middle = len(days) // 2
        median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2

    return {
        "counts": counts,
        "counts_chart": Markup(counts_chart),
        "waiting": waiting,
        "waiting_chart": Markup(waiting_chart),
        "limit": limit,
        "durations": durations,
        "decision_chart": Markup(decision_chart),
        "median": median,
        "changes": newest_changes(builder, records),
        "history_known": builder.history is not None,
        "today": now.isoformat(),
    }


def review_age(since: datetime.date | None, now: datetime.date) -> int | None:
    """Days in review: 0 for a start after today (a clock ahead, a typo); None (unknown) for no or an absurd start."""
    if since is None or since.year < EARLIEST_YEAR:
        return None
    return max(0, (now - since).days)


def review_start(builder, record: dict):
    """When a PEP entered review: from git when known, else its Created date."""
    review = builder.policy.canonical("Under Review")
    for change in reversed(builder.timeline_of.get(record["file"], [])):
        if builder.policy.canonical(change.new) == review:
            return parse_day(change.date), "git"
    created = parse_day(record["created"])
    return (created, "created") if created else (None, "")


def decision_times(builder) -> list[dict]:
    review = builder.policy.canonical("Under Review")
    decisions = {builder.policy.canonical(s) for s in DECISION_STATES} - {None}
    found = []
    for name, changes in builder.timeline_of.items():
        start = None
        for change in changes:
            new = builder.policy.canonical(change.new)
            if new == review and start is None:
                start = parse_day(change.date)
            elif new in decisions and start is not None:
                end = parse_day(change.date)
                if end:
                    record = builder.records.get(name)
                    found.append({"file": name, "days": max(0, (end - start).days), "decision": new,
                                  "record": record})
                start = None
    return found


def events(builder, records: list[dict], summaries: bool = True) -> list[dict]:
    """New PEPs and status changes, newest first (from git; from Created dates without it)."""
    from pepctl.site.feed import instant, rfc3339

    by_file = {r["file"]: r for r in records}
    found = []
    keys: set = set()

    def lasting_key(record: dict, *rest: str) -> tuple:
        """What a feed entry's id is made from: the PEP's number rather than its file name, so that
        renaming the file keeps the ids; the file name joins in only when the number is not enough."""
        key = (pep_label(record["number"]) if isinstance(record["number"], int) else record["file"], *rest)
        if key in keys:
            key = (record["file"], *rest)
        keys.add(key)
        return key

    if builder.history is not None:
        for change in builder.history.changes:
            name = os.path.basename(change.path)
            record = by_file.get(name)
            if record is None:
                continue
            date = rfc3339(change.date)
            if date is None:
                continue
            old = status_key(builder, change.old) if change.old is not None else None
            new = status_key(builder, change.new)
            label = f'{pep_label(record["number"])}: {record["title"]}'
            if old is None:
                title = f"New: {label} ({new})"
                kind = "new"
            else:
                title = f"{label}: {old} → {new}"
                kind = "status"
            found.append({"date": date, "title": title, "url": record["url"], "record": record,
                          "summary": record["summary"] if summaries else "", "kind": kind, "old": old,
                          "new": new, "category": new,
                          "authors": [a["name"] or a["handle"] for a in record["authors"] if a["name"] or a["handle"]],
                          "key": lasting_key(record, change.commit, new)})
    else:
        for record in records:
            if record["error"]:
                continue
            date = rfc3339(record["created"]) if parse_day(record["created"]) else None
            if date is None:
                continue
            found.append({"date": date, "title": f'New: {pep_label(record["number"])}: {record["title"]}',
                          "url": record["url"], "record": record, "kind": "new", "old": None,
                          "new": record["status"], "category": record["status"],
                          "summary": record["summary"] if summaries else "",
                          "authors": [a["name"] or a["handle"] for a in record["authors"] if a["name"] or a["handle"]],
                          "key": lasting_key(record, "created", record["created"])})
    found.sort(key=lambda e: (instant(e["date"]), e["title"]), reverse=True)  # dates differ in offset
    return found


def newest_changes(builder, records: list[dict], limit: int = 20) -> list[dict]:
    return events(builder, records, summaries=False)[:limit]


# -- data ----------------------------------------------------------------------------


def api_json(builder, records: list[dict]) -> str:
    base = builder.base_url
    peps = []
    timelines = builder.timeline_of
    for record in records:
        changes = timelines.get(record["file"], [])
        last_status = changes[-1].to_json() if changes else None
        if last_status is not None:
            old = last_status["from"]
            last_status = {"date": last_status["date"], "commit": last_status["commit"],
                           "from": status_key(builder, old) if old is not None else None,
                           "to": status_key(builder, last_status["to"])}
        peps.append({
            "number": record["number"],
            "title": record["title"],
            "status": None if record["error"] or not record["status"] else status_key(builder, record["status"]),
            "authors": record["authors"],
            "sponsor": record["sponsor"],
            "created": record["created"] or None,
            "tracking_issue": record["tracking_issue"] or None,
            "target_release": record["target_release"] or None,
            "supersedes": record["supersedes"],
            "superseded_by": record["superseded_by"],
            "url": base + record["url"],
            "source": record["file"],
            "last_change": builder.last_changes.get(record["file"]),
            "last_status_change": last_status,
            "error": record["error"]["message"] if record["error"] else None,
        })
    data = {"schema_version": SCHEMA_VERSION, "generator": "pepctl", "base_url": base or None,
            "count": len(peps), "peps": peps}
    # no indent: json's C encoder only runs without one (ten times faster on a thousand PEPs)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def feed_xml(builder, records: list[dict]) -> bytes:
    from pepctl.site.feed import build_feed

    found = events(builder, records)
    fallback = f"{today(builder).isoformat()}T00:00:00Z"
    return build_feed(found, SITE_TITLE, builder.base_url, fallback)


def search_index(builder, records: list[dict]) -> bytes:
    """Titles, statuses and the distinct words of every PEP, for the client-side search.

    One entry per PEP: [page, label, title, status, summary, words]; ``words``
    is a space-separated list of the distinct lower-case words of the page,
    which the script scans with prefix matching. No inverted index is
    shipped: the word lists compress well and the browser builds what it
    needs. The word lists (UTF-8 bytes, made with the records) hold letters
    and digits only, which JSON writes as they are: they go into the file
    as they are, not through the encoder (the same bytes as json.dumps would
    write, in a fifth of the time).
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    docs = []
    for record in records:
        meta = encode([record["url"], pep_label(record["number"]), record["title"],
                       UNREADABLE if record["error"] else status_key(builder, record["status"]), record["summary"]])
        docs.append(meta[:-1].encode("utf-8") + b',"' + record["words"] + b'"]')
    head = encode({"schema_version": SCHEMA_VERSION, "fields": ["url", "pep", "title", "status", "summary", "words"]})
    return head[:-1].encode("utf-8") + b',"docs":[' + b",".join(docs) + b"]}"
