"""The process document is itself governed (PEP-0000, "When is a PEP Required?": to "Change the
project's processes or governance").

A pull request that changes the index/process document (PEP-0000) anywhere but its Index table
changes the process, and needs the maintainers' approval quorum. The Index table is bookkeeping:
`pepctl index` rewrites it whenever a PEP comes or changes status, and changing it alone needs no one.
"""

from __future__ import annotations

from pepctl.indextable import IndexTable
from pepctl.review.reviews import approvals_for
from pepctl.review.rules import Finding, rule
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
    if not ctx.has_maintainers:
        return [Finding(f"{label} {what}, which needs approving reviews from {needed} maintainers ({why}), but no "
                        "maintainers are configured; list them under `maintainers` in pepctl.toml.")]
    names = ", ".join("@" + h for h in counted) or "none yet"
    others = "; not counted: " + ", ".join(f"@{h} ({reason})" for h, reason in skipped) if skipped else ""
    return [Finding(
        f"{label} {what}, which needs approving reviews from {needed} maintainers ({why}); it has {len(counted)} "
        f"({names}){others}. Changes to its Index table alone (what `pepctl index` writes) need none: to update only "
        "the index, leave the rest of the file as it is."
    )]
