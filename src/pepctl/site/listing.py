"""The pages that list the PEPs or help find them: index.html, search.html and 404.html."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from pepctl.site import templates


def lifecycle_ranks(state) -> dict[str, int]:
    """Each status the index lists -> its place in the process (the configuration's `states`, in
    lifecycle order); statuses the configuration does not know come after, unreadable files last."""
    known = [status for status in state.policy.states if status in state.statuses]
    others = [status for status in state.statuses if status not in known]  # group_order: unreadable last
    return {status: rank for rank, status in enumerate(known + others)}


def status_link(status: str, root: str = "") -> str:
    """The index filtered by one status (the index's script reads ?status=)."""
    return f"{root}index.html?{urlencode({'status': status})}#all-peps"


def index_html(state) -> str:
    """One table of every PEP, and per status a link that filters it (Under Review first)."""
    groups = state.groups
    ranks = lifecycle_ranks(state)
    rows = [(record, groups[record.file], ranks[groups[record.file]]) for record in state.ordered]
    counts = dict.fromkeys(state.statuses, 0)
    for _, group, _ in rows:
        counts[group] += 1
    total = len(rows)
    context = templates.base_context(
        state, "", "Index",
        f"All {total} enhancement proposals, by number, status and author, under review first: "
        "filter and sort them, or open one to read it.")
    context.update(rows=rows, statuses=[(status, counts[status], status_link(status), ranks[status])
                                        for status in state.statuses], total=total)
    return templates.render("index.html", context)


def search_html(state) -> str:
    return templates.render("search.html", templates.base_context(
        state, "", "Search", "Search the enhancement proposals by any word of their title or text."))


def not_found_html(state) -> str:
    """The page a server shows at any address that has none: its links go from the site's root."""
    root = (urlsplit(state.base_url).path or "/") if state.base_url else "/"
    return templates.render("404.html", templates.base_context(
        state, root, "Page not found", "There is no page at this address; the index lists every proposal."))
