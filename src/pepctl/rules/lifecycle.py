"""L: what a PEP's status requires (sponsor, per-state fields, rationale, open questions).

Every requirement comes from the Policy, so a project's configuration changes
what these rules ask for without touching them.
"""

from __future__ import annotations

import re

from pepctl.document import field_key
from pepctl.keys import text_key
from pepctl.model import handles_in, is_empty_value
from pepctl.rules import rule
from pepctl.rules.header import field_position, memo, needs, required_keys, sections_of, table_line

# #N with N >= 1: GitHub numbers issues from 1, so #0 (or #00) is a placeholder, not an issue
ISSUE_NUMBER = r"#0*[1-9]\d*"
ISSUE_RE = re.compile(rf"https?://\S+|{ISSUE_NUMBER}|\[[^\]]+\]\(\s*(?:https?://[^\s)]+|{ISSUE_NUMBER})\s*\)|<https?://[^\s>]+>")
ITEM_RE = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)")
RESOLVED_RE = re.compile(r"^\[[xX]\]|\bresolved\b", re.I)
# "not resolved yet", "yet to be resolved", "isn't resolved": the word is there, the answer is not
NOT_RESOLVED_RE = re.compile(r"\b(?:not|never|isn't|aren't|wasn't|weren't|to be|un)\s*(?:yet\s+|been\s+|fully\s+|be\s+)*resolved\b", re.I)
NOTHING_OPEN_RE = re.compile(r"(?:none|n/a|nothing|no (?:open |unresolved )?questions?)\b[^\n]*", re.I)
# "None yet, but...", "Nothing open except X?": a hedge says something is still open
HEDGED_RE = re.compile(r"\b(?:yet|but|except|still|until|pending|tbd|todo|later)\b|\?", re.I)

FIELD_ADVICE = {
    "tracking issue": "link the tracking issue(s), as URLs or #N",
    "target release": "name the release that ships it",
}


def _status_line(pep) -> int:
    field = pep.document.fields.get("status")
    return field.line + 1 if field is not None else table_line(pep)


@rule("L001", "sponsor", "From review on, a PEP with no maintainer among its authors names a maintainer as Sponsor (only when maintainers are configured).")
def sponsor(pep, ctx):
    need = needs(pep, ctx)
    if not need.sponsor:
        return
    policy = ctx.policy
    if any(policy.is_maintainer(author.handle) for author in pep.authors):
        return
    value = pep.sponsor
    if any(policy.is_maintainer(handle) for handle in handles_in(value)):
        return
    names = ", ".join("@" + m.lstrip("@") for m in ctx.config.maintainers)
    field = pep.document.fields.get("sponsor")
    why = f"a PEP in status {need.canonical} whose authors include no maintainer needs a maintainer as Sponsor"
    if field is None:
        yield table_line(pep), f"{why}; add `{pep.document.format.example('Sponsor', 'Name (@handle)')}` naming one of: {names}"
    elif not value:
        yield (*field_position(pep, field), f"{why}, but the Sponsor field is empty; name one of: {names}")
    else:
        yield (*field_position(pep, field), f"{why}; Sponsor {value!r} names no maintainer; name one of: {names} as `Name (@handle)`")


@rule("L002", "state-fields", "Fields the status requires (state-fields, e.g. Tracking Issue from Implementing on) are filled in.")
def state_fields(pep, ctx):
    need = needs(pep, ctx)
    names = need.fields
    if not names:
        return
    required = memo(ctx, "required-field-keys", lambda: {key for key, _ in required_keys(ctx)})  # H006-H008 cover those
    canonical = need.canonical
    for name in names:
        key = field_key(name)
        if key in required:
            continue
        advice = FIELD_ADVICE.get(key, "fill it in")
        field = pep.document.fields.get(key)
        if field is None:
            yield _status_line(pep), f"status {canonical} needs a {name!r} field; add `{pep.document.format.example(name, '...')}` and {advice}"
        elif is_empty_value(field.value):
            shown = field.value.strip()
            said = f" (it says {shown!r})" if shown else ""
            yield (*field_position(pep, field), f"status {canonical} needs the {field.name!r} field filled in{said}; {advice}")


@rule("L003", "tracking-issue-format", "A filled-in Tracking Issue is a URL or #N (several: comma-separated).")
def tracking_issue_format(pep, ctx):
    field = pep.document.fields.get("tracking issue")
    if field is None:
        return
    value = field.value.strip()
    if is_empty_value(value):
        return
    line, column = field_position(pep, field)
    start = 0
    for part in value.split(","):
        item = part.strip()
        offset = start + (len(part) - len(part.lstrip()))
        start += len(part) + 1
        if re.fullmatch(r"#0+", item):
            yield line, column + offset, (
                f"tracking issue {item!r} is no issue (GitHub numbers them from 1); link the real one, e.g. #123"
            )
        elif not item or not ISSUE_RE.fullmatch(item):
            shown = item or "(nothing between commas)"
            yield line, column + offset, (
                f"tracking issue {shown!r} is neither a URL nor #N; write e.g. "
                "https://github.com/OWNER/REPO/issues/123 or #123 (separate several with commas)"
            )


def _rationale_section(ctx) -> str:
    """'a '## Decision' or '## Rationale' section', or 'a rationale section' when none is configured."""
    names = " or ".join(f"'## {t}'" for t in ctx.config.rationale_sections)
    return f"a {names} section" if names else "a rationale section"


@rule("L004", "rationale", "A PEP whose status needs a recorded rationale (e.g. Declined) has a non-empty Decision/Rationale section.")
def rationale(pep, ctx):
    need = needs(pep, ctx)
    if not need.rationale:
        return
    heading, has_text = ctx.policy.rationale(pep.document)
    canonical = need.canonical
    if heading is None:
        yield _status_line(pep), f"a {canonical} PEP must record why: add {_rationale_section(ctx)} explaining the decision"
    elif not has_text:
        yield heading.line + 1, f"section '{heading.title}' is empty; a {canonical} PEP must record why the decision was made"


@rule("L005", "lead-rationale", "When the project lead decided (a Decided-By field), the rationale is recorded in the PEP.")
def lead_rationale(pep, ctx):
    field = pep.document.fields.get("decided-by")
    decided = field.value.strip() if field is not None else ""
    if is_empty_value(decided) or needs(pep, ctx).rationale:
        return  # L004 already asks for the rationale in those states
    heading, has_text = ctx.policy.rationale(pep.document)
    if heading is None:
        yield field.line + 1, f"the decision was made by {decided}; record the rationale in {_rationale_section(ctx)}"
    elif not has_text:
        yield heading.line + 1, f"section '{heading.title}' is empty; the decision was made by {decided}, so record its rationale here"


def _open_items(body: str):
    """(line offset in body, text) of each top-level list item that is not resolved.

    Items inside HTML comments and code fences do not count.
    """
    items = []
    in_comment = False
    fence = ""
    for number, line in enumerate(body.split("\n")):
        stripped = line.strip()
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith("```") or stripped.startswith("~~~"):
            fence = stripped[:3]
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        match = ITEM_RE.fullmatch(line.rstrip("\r"))
        if match:
            items.append((number, len(match.group(1).expandtabs()), match.group(2).strip()))
    if not items:
        return None
    top = min(indent for _, indent, _ in items)
    return [(number, text) for number, indent, text in items if indent == top and not _resolved(text)]


def _resolved(text: str) -> bool:
    if text.startswith("~~") and text.rstrip(" .").endswith("~~"):
        return True
    return bool(RESOLVED_RE.search(text)) and not NOT_RESOLVED_RE.search(text)


def _nothing_open(text: str) -> bool:
    """'None', 'No open questions.', but not 'None yet, but we must pick a default'."""
    return bool(NOTHING_OPEN_RE.fullmatch(text)) and not HEDGED_RE.search(text)


@rule("L006", "open-questions", "From acceptance on, the Open Questions section is removed, empty, 'None', or every item resolved (`- [x]`, ~~struck~~, or marked Resolved).")
def open_questions(pep, ctx):
    need = needs(pep, ctx)
    if not need.resolved_questions:
        return
    doc = pep.document
    key = memo(ctx, "open-questions-key", lambda: text_key(ctx.config.open_questions_section))
    heading = sections_of(ctx, doc).first.get(key)
    if heading is None:
        return
    text = doc.section_text(heading).strip()
    if not text or _nothing_open(text):
        return
    canonical = need.canonical
    advice = "resolve it (check it `- [x]`, strike it through, or mark it Resolved) or remove the section"
    raw = doc.section_text(heading, keep_comments=True)
    items = _open_items(raw)
    if items is None:
        if not _resolved(text):
            yield heading.line + 1, (
                f"a PEP in status {canonical} cannot have open questions, but '## {heading.title}' still has text; "
                "list each question as an item and mark it resolved, write 'None', or remove the section"
            )
        return
    for number, item in items:
        item = item.removeprefix("[ ]").strip()
        shown = item if len(item) <= 60 else item[:57] + "..."
        line = heading.line + 2 + number
        yield line, f"open question {shown!r} is unresolved, but the PEP is {canonical}; {advice}"
