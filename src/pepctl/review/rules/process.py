"""The process document is itself governed (PEP-0000, "When is a PEP Required?": to "Change the
project's processes or governance"), and so is its machine-readable form, pepctl's configuration.

A pull request that changes the index/process document (PEP-0000) anywhere but its Index table
changes the process, and needs the maintainers' approval quorum. The Index table is bookkeeping:
`pepctl index` rewrites it whenever a PEP comes or changes status, and changing it alone needs no one.
"""

from __future__ import annotations

import tomllib

from pepctl.indextable import IndexTable
from pepctl.review.reviews import approvals_for
from pepctl.review.reviews import latest_reviews
from pepctl.review.rules import PULL, Finding, rule
from pepctl.review.textdiff import changes, lines_of, quoted, sections


def table_lines(document) -> set[int]:
    """0-based lines of the Index table (header, delimiter and body rows), found the way `pepctl index`
    finds it; its `## Index` heading too when the section holds nothing else, so that adding the
    section with its table, as `pepctl index` does in a file without one, is bookkeeping as well."""
    table = IndexTable(document)
    if not table.found:
        return set()
    text = document.text
    first = table.line - 1
    last = text.count("\n", 0, max(table.body_end - 1, table.header_end - 1))
    skip = set(range(first, last + 1))
    heading = table.heading
    after = document.section_end(heading)
    end_line = after.line if after is not None else text.count("\n") + 1
    rest = [n for n in range(heading.line + 1, end_line) if n not in skip]
    lines = text.split("\n")
    if all(not lines[n].strip() for n in rest if n < len(lines)):
        skip.add(heading.line)
    return skip


def process_lines(pep):
    """The lines of the process document that are the process: all but the Index table."""
    document = pep.document
    return lines_of(document.text, document.headings, table_lines(document))


@rule("R015", "process-change", "A pull request that changes the process document (PEP-0000) outside its Index table needs "
      "the maintainers' approval quorum; Index-table-only changes (what `pepctl index` writes) need none.",
      checklist="process changes approved by maintainers")
def process_change(pep, ctx):
    pc = pep.pc
    if not pc.index_doc:
        return None
    head = process_lines(pc.head)
    if pc.base is not None:
        found = changes(process_lines(pc.base), head)
        if not found:
            return []
        what = f"changes the process in {quoted(sections(found))}"
    elif pc.added:
        what = "sets up the process"
    else:
        what = "changes a process document whose base version cannot be read"
    needed = ctx.config.required_approvals
    counted, skipped = approvals_for(ctx, pc)
    if len(counted) >= needed:
        return []
    label = f"{pc.label} (the process document)"
    why = "PEP-0000: a PEP is required to \"Change the project's processes or governance\""
    if not ctx.policy.has_maintainers:
        return [Finding(f"{label} {what}, which needs approving reviews from {needed} maintainers ({why}), but no "
                        "maintainers are configured; list them under `maintainers` in pepctl.toml.")]
    names = ", ".join("@" + h for h in counted) or "none yet"
    others = "; not counted: " + ", ".join(f"@{h} ({reason})" for h, reason in skipped) if skipped else ""
    return [Finding(
        f"{label} {what}, which needs approving reviews from {needed} maintainers ({why}); it has {len(counted)} "
        f"({names}){others}. Changes to its Index table alone (what `pepctl index` writes) need none: to update only "
        "the index, leave the rest of the file as it is."
    )]


def _settings(data: bytes | None, path: str):
    """What a configuration file says about the process: the whole TOML of pepctl.toml, the
    [tool.pepctl] table of pyproject.toml (None when absent or unreadable), and whether it parsed."""
    if data is None:
        return None, True
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):  # RecursionError: nested too deep
        return None, False
    if path.rsplit("/", 1)[-1] == "pyproject.toml":
        tool = parsed.get("tool")
        return (tool.get("pepctl") if isinstance(tool, dict) else None), True
    return parsed, True


@rule("R018", "process-config-change", "A pull request that changes pepctl's configuration (who the maintainers are, how many "
      "approvals a decision takes, the lifecycle) changes the process: it needs the maintainers' approval quorum.",
      scope=PULL, checklist="configuration changes approved by maintainers")
def process_config_change(ctx):
    change = ctx.facts.config_change
    if change is None:
        return None
    before, _ = _settings(change.base, change.path)
    after, readable = _settings(change.head, change.path)
    if readable and before == after:
        return []  # pyproject.toml changed outside [tool.pepctl], or only comments and layout
    needed = ctx.config.required_approvals
    counted = sorted(review.author.lstrip("@") for key, review in latest_reviews(ctx).items()
                     if review.state == "APPROVED" and ctx.policy.is_maintainer(key))
    if len(counted) >= needed:
        return []
    what = "deletes" if change.head is None else "changes"
    if not readable:
        what = "changes (into TOML that cannot be read)"
    where = change.path + (" [tool.pepctl]" if change.path.rsplit("/", 1)[-1] == "pyproject.toml" else "")
    names = ", ".join("@" + h for h in counted) or "none yet"
    return [Finding(
        f"this pull request {what} pepctl's configuration ({where}), the process in machine-readable form (maintainers, "
        f"approvals, the lifecycle); like a change to PEP-0000 it needs approving reviews from {needed} maintainers, and it "
        f"has {len(counted)} ({names})."
    )]
