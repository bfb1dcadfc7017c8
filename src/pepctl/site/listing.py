"""The pages that list the PEPs or help find them: index.html, search.html and 404.html."""

from __future__ import annotations

from urllib.parse import urlsplit

from pepctl.site import templates


def index_html(state) -> str:
    """Every PEP grouped by status, then one table of all of them."""
    groups = state.groups
    rows = [(record, groups[record.file]) for record in state.ordered]
    by_status = {status: [] for status in state.statuses}
    for record, group in rows:
        by_status[group].append(record)
    canonical = state.policy.canonical
    context = templates.base_context(state, "", "Index")
    context.update(groups=list(by_status.items()), rows=rows, statuses=state.statuses,
                   open_groups={canonical("Under Review"), canonical("Draft")}, total=len(rows))
    return templates.render("index.html", context)


def search_html(state) -> str:
    return templates.render("search.html", templates.base_context(state, "", "Search"))


def not_found_html(state) -> str:
    """The page a server shows at any address that has none: its links go from the site's root."""
    root = (urlsplit(state.base_url).path or "/") if state.base_url else "/"
    return templates.render("404.html", templates.base_context(state, root, "Page not found"))
