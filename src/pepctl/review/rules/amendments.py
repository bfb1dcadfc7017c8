"""Amending a decided PEP (PEP-0000, "Amending Accepted PEPs": minor adjustments in place by a pull
request, "significant design changes" in a new PEP that supersedes the original).

The PEP's status on the base branch says what its text is:

- decided (``amendment-states``: Accepted, Implementing, Complete): a change to the text needs an
  approving review from a maintainer who is not one of its authors; a change of
  ``amendment-warn-percent`` of its lines or more is a warning that suggests a superseding PEP;
- the record (``record-states``: Declined, Withdrawn): only typo fixes (no line added or removed,
  at most ``record-typo-chars`` characters changed on each line), with a maintainer's approval.

The text is the file but for the header fields other rules govern: Status, the fields a status
requires (``state-fields``) and Superseded-By. Moving an Accepted PEP to Implementing with its
tracking issue is a chore (R005, R006), not an amendment.
"""

from __future__ import annotations

from pepctl.keys import field_key
from pepctl.review.reviews import approvals_for
from pepctl.review.rules import Finding, rule
from pepctl.review.textdiff import changed_chars, changed_lines, changes, lines_of, quoted, sections
from pepctl.review.verdict import WARNING

BOOKKEEPING = ("Status", "Superseded-By")  # with every field of `state-fields`


def bookkeeping_fields(config) -> set[str]:
    """Keys of the header fields whose changes other rules govern."""
    names = list(BOOKKEEPING)
    for fields in config.state_fields.values():
        names.extend(fields)
    return {field_key(name) for name in names}


def text_lines(pep, config):
    """The lines of a PEP that are its text: all but the bookkeeping header fields."""
    document = pep.document
    keys = bookkeeping_fields(config)
    skip = set()
    for field in document.field_list:
        if field.key in keys:
            last = document.text.count("\n", 0, field.value_end) if field.value_end is not None else field.line
            skip.update(range(field.line, max(last, field.line) + 1))
    return lines_of(document.text, document.headings, skip)


def not_a_typo(found, limit: int):
    """The first change that is more than a typo fix (a line added or removed, or more than `limit`
    characters changed on a line), as (section, what), or None."""
    for change in found:
        if len(change.before) != len(change.after):
            section = (change.after or change.before)[0].section
            return section, "adds or removes lines"
        for old, new in zip(change.before, change.after):
            count = changed_chars(old.text, new.text)
            if count > limit:
                return new.section, f"changes {count} characters on a line"
    return None


@rule("R017", "amend-decided", "A change to the text of a decided PEP (Accepted, Implementing, Complete) needs a maintainer's "
      "approval, and a large one is better a new PEP; a Declined or Withdrawn PEP's text takes typo fixes only.",
      checklist="changes to a decided PEP approved")
def amend_decided(pep, ctx):
    pc = pep.pc
    policy = ctx.policy
    status = pep.base_status
    if pc.index_doc or pc.added or pc.base is None or not status:
        return None
    record = policy.is_record(status)
    if not (record or policy.is_amendable(status)):
        return None
    config = ctx.config
    before = text_lines(pc.base, config)
    found = changes(before, text_lines(pc.head, config))
    if not found:
        return []
    label = pc.label
    where = quoted(sections(found))
    out = []
    if record:
        excess = not_a_typo(found, config.record_typo_chars)
        if excess is not None:
            section, what = excess
            out.append(Finding(
                f"{label} is {status}: its text is the record of what was decided{_record_quote(policy, status)}, so it "
                f"takes typo fixes only (at most {config.record_typo_chars} characters changed on a line, no line added or "
                f"removed), but this pull request {what} in {quoted([section])}. Put the text back; new thinking goes in a "
                "new PEP (`pepctl new`)."
            ))
    counted, skipped = approvals_for(ctx, pc)
    if not counted:
        kind = "a typo fix to the record" if record else "an amendment (PEP-0000, \"Amending Accepted PEPs\")"
        if not ctx.policy.has_maintainers:
            need = "but no maintainers are configured; list them under `maintainers` in pepctl.toml"
        else:
            others = " (not counted: " + ", ".join(f"@{h}, {why}" for h, why in skipped) + ")" if skipped else ""
            need = f"it has none{others}"
        out.append(Finding(
            f"{label} is {status}, and this pull request changes its text in {where}: {kind} needs an approving review "
            f"from a maintainer who is not one of its authors; {need}."
        ))
    if not record:
        changed = changed_lines(found)
        share = 100 * changed / max(len(before), 1)
        if share >= config.amendment_warn_percent:
            example = pc.head.document.format.example("Supersedes", label)
            out.append(Finding(
                f"this pull request changes {changed} of the {len(before)} lines of {status} {label} ({share:.0f}%, "
                f"`amendment-warn-percent` is {config.amendment_warn_percent}): PEP-0000 asks that significant design "
                "changes open a new PEP that supersedes the original. If this is one, create it with `pepctl new "
                f"\"<title>\"`, add `{example}` to its header, and leave {label} as it was.",
                WARNING,
            ))
    return out


def _record_quote(policy, status: str) -> str:
    if status == policy.canonical("Declined"):
        return " (PEP-0000: declined PEPs \"remain in the repo as a record\")"
    return ""
