"""S: the body: required sections, their order, leftovers from the template."""

from __future__ import annotations

import re

from pepctl.document import strip_comments
from pepctl.keys import text_key
from pepctl.rules import rule
from pepctl.rules.header import column_of, is_living, memo, sections_of, table_line

NON_SPACE_RE = re.compile(r"\S")
HEADING_LINE_RE = re.compile(r"^ {0,3}#{1,6}(?:[ \t][^\n]*)?$", re.M)
INSTRUCTION_MARKERS = ("instructions", "copy this file")


def closed_comments(text: str):
    """(start, body) of each closed ``<!-- ... -->`` in text, in order: what ``<!--(.*?)-->`` finds,
    in one pass. The regex rescans to the end of the text from every opener that is never closed,
    so a file of ``<!--`` repeated took minutes per 100 KB."""
    at = 0
    while True:
        start = text.find("<!--", at)
        if start == -1:
            return
        end = text.find("-->", start + 4)
        if end == -1:
            return  # no later opener is closed either
        yield start, text[start + 4 : end]
        at = end + 3


def _required(ctx) -> list[tuple[str, str]]:
    """(key, title) of each required section, in template order."""
    return memo(ctx, "required-sections", lambda: [(text_key(t), t) for t in ctx.config.required_sections])


@rule("S001", "missing-section", "Every section in required-sections is there as a `##` heading. Not applied to living process documents (status Active).")
def missing_section(pep, ctx):
    if is_living(pep):
        return
    required = _required(ctx)
    present = sections_of(ctx, pep.document).level2
    if memo(ctx, "required-section-keys", lambda: {key for key, _ in required}) <= present.keys():
        return
    # for each required section: the nearest present one after it in template order
    following = [None] * len(required)
    nearest = None
    for i in range(len(required) - 1, -1, -1):
        following[i] = nearest
        heading = present.get(required[i][0])
        if heading is not None:
            nearest = heading
    previous = None
    for i, (key, title) in enumerate(required):
        heading = present.get(key)
        if heading is not None:
            previous = heading
            continue
        before = following[i]
        if before is not None:
            line, where = before.line + 1, f"before '## {before.title}'"
        elif previous is not None:
            line, where = previous.line + 1, f"after '## {previous.title}'"
        else:
            line, where = table_line(pep), "below the header table"
        yield line, f"the required section '## {title}' is missing; add it {where} (write 'None' or 'Not applicable' and why if it does not apply)"


def _increasing(indices: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence."""
    best: list[list[int]] = []  # best[i]: positions of the longest run ending at i
    for i, value in enumerate(indices):
        chain = [i]
        for j in range(i):
            if indices[j] < value and len(best[j]) + 1 > len(chain):
                chain = best[j] + [i]
        best.append(chain)
    return set(max(best, key=len)) if best else set()


@rule("S002", "section-order", "Required sections come in template order. Not applied to living process documents (status Active).", severity="warning")
def section_order(pep, ctx):
    if is_living(pep):
        return
    rank = memo(ctx, "section-rank", lambda: {key: i for i, (key, _) in enumerate(_required(ctx))})
    level2 = sections_of(ctx, pep.document).level2  # document order, first occurrences
    indices = [rank[key] for key in level2 if key in rank]
    if all(a < b for a, b in zip(indices, indices[1:])):
        return
    seen = [heading for key, heading in level2.items() if key in rank]
    keep = _increasing(indices)
    kept = [seen[i] for i in sorted(keep)]
    for position, heading in enumerate(seen):
        if position in keep:
            continue
        mine = rank[heading.key]
        later = next((h for h in kept if rank[h.key] > mine), None)
        where = f"before '## {later.title}'" if later is not None else f"after '## {kept[-1].title}'"
        yield heading.line + 1, f"section '## {heading.title}' is out of template order; move it {where}"


_normal = text_key


def _template_instructions(ctx) -> str | None:
    """Normalised text of the template's instructions comment (the comment above its header)."""
    doc = ctx.template
    if doc is None or not doc.comments:
        return None
    limit = doc.header.first_line if doc.header.found else (doc.headings[0].line if doc.headings else None)
    start, body = next(closed_comments(doc.text), (None, None))
    if start is None:
        return None
    line = doc.text.count("\n", 0, start)
    if limit is not None and line >= limit:
        return None
    return _normal(body)


@rule("S003", "template-instructions", "The template's instructions comment is deleted before submitting.")
def template_instructions(pep, ctx):
    doc = pep.document
    if not doc.comments:
        return
    starts = {first for first, _ in doc.comments}
    first_section = doc.headings[0].line if doc.headings else 1 << 30
    expected = memo(ctx, "template-instructions", lambda: _template_instructions(ctx))
    line, counted = 0, 0
    for start, body in closed_comments(doc.text):
        line += doc.text.count("\n", counted, start)
        counted = start
        if line not in starts:
            continue  # inside a code block
        body = _normal(body)
        if body == expected or (line < first_section and any(m in body for m in INSTRUCTION_MARKERS)):
            yield line + 1, column_of(doc, start), (
                "the template's instructions comment is still here; delete it (the whole <!-- ... --> block)"
            )


@rule("S004", "unclosed-comment", "Every HTML comment is closed with -->.")
def unclosed_comment(pep, ctx):
    for problem in pep.document.problems:
        if problem.kind == "unclosed-comment":
            yield problem.line, problem.column, f"{problem.message}; close it, or everything after it is hidden when the PEP is rendered"


def _own_text(doc, heading) -> str:
    """A section's words, subsections included, without comments or heading lines."""
    return " ".join(HEADING_LINE_RE.sub("", strip_comments(doc.section_text(heading, keep_comments=True))).split())


def _template_texts(ctx) -> dict[str, str]:
    doc = ctx.template
    if doc is None:
        return {}
    return {h.key: _own_text(doc, h) for h in doc.headings if h.level == 2}


def _unfinished_states(ctx) -> set[str]:
    """Statuses whose PEPs may leave required sections unwritten (casefolded): the draft-states, and the
    final states a draft may move to directly — by default Withdrawn, as an abandoned draft may stay unfinished."""
    policy = ctx.policy
    out = {s.casefold() for s in ctx.config.draft_states}
    for draft in ctx.config.draft_states:
        out.update(s.casefold() for s in policy.next_states(draft) if policy.is_final(s))
    return out


@rule(
    "S005",
    "unfilled-section",
    "Outside draft-states, each required section holds text of its own, not just the template's hints or sample. "
    "Not applied to living process documents (status Active), nor to final states a draft can move to directly "
    "(Withdrawn by default): an abandoned draft may stay unfinished.",
)
def unfilled_section(pep, ctx):
    if is_living(pep):
        return
    status = ctx.policy.canonical(pep.status)
    if status is None or status.casefold() in memo(ctx, "unfinished-states", lambda: _unfinished_states(ctx)):
        return
    template = memo(ctx, "template-section-texts", lambda: _template_texts(ctx))
    telltales = memo(ctx, "template-section-telltales", lambda: {k: max(t.split(), key=len) for k, t in template.items() if t})
    present = sections_of(ctx, pep.document).level2
    doc = pep.document
    source = doc.text
    for key, title in _required(ctx):
        heading = present.get(key)
        if heading is None:
            continue  # S001
        # Most sections are written: their first line is text, and they lack a word the template's text
        # has (its longest), so they cannot be that text. Only the others are normalised and compared.
        after = doc.section_end(heading)
        end = after.offset if after is not None else len(source)
        first = NON_SPACE_RE.search(source, heading.body, end)
        telltale = telltales.get(key)
        if (first is None or source.startswith(("#", "<!--"), first.start())
                or (telltale is not None and source.find(telltale, first.start(), end) >= 0)):
            text = _own_text(doc, heading)
            if not text or text == template.get(key):
                yield heading.line + 1, (
                    f"section '## {heading.title}' is not written yet (only the template's hints are there); "
                    f"once a PEP is {status}, every section needs text: write it, or say 'None' or 'Not applicable' and why"
                )
                continue
        yield from _left_from_template(ctx, doc, heading, status)


def _left_from_template(ctx, doc, heading, status):
    """In a written section: the template's subsections left with only their hint, and the template's
    sample code left as it was (a sample configuration nobody filled in)."""
    parts = memo(ctx, "template-parts", lambda: _template_parts(ctx))
    subsections, samples = parts.get(heading.key, ({}, set()))
    for sub in _children(doc, heading):
        hint = subsections.get(sub.key)
        if hint is not None and _body_text(doc, sub) in ("", hint):
            yield sub.line + 1, (
                f"subsection '{'#' * sub.level} {sub.title}' (in '## {heading.title}') still holds only the template's "
                f"hint; once a PEP is {status}, write it, or remove the subsection if it does not apply"
            )
    if samples:
        end = doc.section_end(heading)
        stop = end.offset if end is not None else len(doc.text)
        for start, finish in doc.fences:
            if heading.body <= start < stop and _block(doc.text[start:finish]) in samples:
                yield doc.text.count("\n", 0, start) + 1, (
                    f"the template's sample code in '## {heading.title}' is still there as the template has it; "
                    f"once a PEP is {status}, replace it with the real example, or remove it"
                )


def _children(doc, heading):
    """The subsection headings inside a section (any deeper level)."""
    end = doc.section_end(heading)
    stop = end.offset if end is not None else len(doc.text)
    return [h for h in doc.headings if heading.offset < h.offset < stop and h.level > heading.level]


def _body_text(doc, heading) -> str:
    """A heading's own words, up to the next heading of any level (comments left out)."""
    following = [h.offset for h in doc.headings if h.offset > heading.offset]
    body = doc.text[heading.body : following[0] if following else len(doc.text)]
    return " ".join(strip_comments(body).split())


def _block(text: str) -> str:
    """A fenced block compared the way it reads: its lines stripped, blank ones dropped."""
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


def _template_parts(ctx) -> dict:
    """For each section of the template: its subsections' hint text by key, and its sample code blocks."""
    doc = ctx.template
    if doc is None:
        return {}
    out = {}
    for heading in doc.headings:
        if heading.level != 2:
            continue
        end = doc.section_end(heading)
        stop = end.offset if end is not None else len(doc.text)
        samples = {_block(doc.text[a:b]) for a, b in doc.fences if heading.body <= a < stop}
        out[heading.key] = ({sub.key: _body_text(doc, sub) for sub in _children(doc, heading)}, samples)
    return out
