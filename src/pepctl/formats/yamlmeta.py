"""YAML metadata (EIP and MADR front matter, KEP's kep.yaml): fields with their spans, and edits.

Reading composes the YAML with PyYAML (libyaml's C parser when present) into nodes, which
carry the exact span of every key and value; no value is constructed, so a date YAML 1.1
cannot build (``2025-30-01``) is still read as the text it is. Editing replaces one scalar's
span with the new value written by ruamel.yaml (quoted only when YAML needs it, in the quote
style the old value had), so every other byte stays as it was.
"""

from __future__ import annotations

import re

from pepctl.formats.base import Edit, Field, Problem
from pepctl.formats.common import line_at, need

SCALAR = "tag:yaml.org,2002:"
ALIAS_RE = re.compile(r"\s*:\s*(\*[^\s,\[\]{}]+)")
PROPS_RE = re.compile(r"(?:(?:&|!)[^\s]*[ \t]+)+")


def compose(text: str):
    """The YAML node of `text`, or a Problem (line 1-based within `text`, message)."""
    yaml = need("yaml")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=loader), None
    except UnicodeEncodeError:  # bytes that are no UTF-8, as a git diff holds them (surrogate escapes)
        return None, (1, "the YAML metadata does not parse: it holds bytes that are not UTF-8")
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        return None, (line, f"the YAML metadata does not parse: {reason}")


MAX_TEXT = 100_000  # characters a value may expand to: aliases can repeat a value exponentially
MAX_DEPTH = 100  # metadata nests a few levels; the walk below recurses once per level


class Unreadable(ValueError):
    """A value whose aliases loop or expand past MAX_TEXT, or that nests past MAX_DEPTH."""


def node_text(node, _active=None, _budget=None) -> str:
    """A value node as one line of text: a scalar as written (quotes resolved), a list joined
    with ', ', a mapping as 'key: value' pairs. Unreadable when an alias stands in the value it
    names (`&a [*a]`), expands past MAX_TEXT characters (nested aliases, "a billion laughs") or
    the value nests past MAX_DEPTH."""
    kind = type(node).__name__
    if kind == "ScalarNode" and _budget is None:  # a value that is one scalar is as long as its text
        return "" if node.tag == SCALAR + "null" and node.value in ("", "~", "null", "Null", "NULL") else node.value
    budget = _budget if _budget is not None else [MAX_TEXT]
    active = _active if _active is not None else []
    budget[0] -= len(node.value) if kind == "ScalarNode" else 1
    if budget[0] < 0:
        raise Unreadable(f"its aliases expand to over {MAX_TEXT} characters")
    if kind == "ScalarNode":
        return "" if node.tag == SCALAR + "null" and node.value in ("", "~", "null", "Null", "NULL") else node.value
    if any(node is outer for outer in active):
        raise Unreadable("an alias refers to the value it stands in")
    if len(active) >= MAX_DEPTH:
        raise Unreadable(f"values nested over {MAX_DEPTH} deep")
    active.append(node)
    try:
        if kind == "SequenceNode":
            return ", ".join(node_text(item, active, budget) for item in node.value)
        return ", ".join(f"{node_text(k, active, budget)}: {node_text(v, active, budget)}" for k, v in node.value)
    finally:
        active.pop()


def line_scalar(value: str) -> str:
    """The value of a `key: value` line as reading the whole YAML gives it: quotes resolved, a
    trailing comment left out (`'a # b' # note` is `a # b`). Text that is no YAML on its own (a
    lone quote) is kept as written, less a trailing comment."""
    root, problem = compose(value) if value else (None, None)
    if problem is None and root is not None:
        try:
            return node_text(root)
        except Unreadable:
            return value.split(" #", 1)[0].rstrip()
    if problem is None:
        return ""
    return value.split(" #", 1)[0].rstrip()


def fields_of(text: str, base: int, key_of, problems: list, line_base: int = 0):
    """Fields of the top-level mapping of the YAML `text`, which starts at offset `base` of the
    document (line `line_base`); problems are appended to `problems`. Returns (fields, nodes by key)."""
    root, problem = compose(text)
    if problem is not None:
        problems.append(Problem(line_base + problem[0], 1, "malformed-header", problem[1]))
        return [], {}
    if root is None:
        return [], {}
    if type(root).__name__ != "MappingNode":
        problems.append(Problem(line_base + root.start_mark.line + 1, 1, "malformed-header",
                                "the YAML metadata is not a mapping of `key: value` lines"))
        return [], {}
    try:
        return _fields(text, base, key_of, problems, line_base, root)
    except Unreadable as err:
        problems.append(Problem(line_base + err.args[1] + 1, 1, "malformed-header",
                                f"the YAML metadata does not parse: {err.args[0]}"))
        return [], {}


def _fields(text: str, base: int, key_of, problems: list, line_base: int, root):
    fields, nodes = [], {}
    for key_node, value_node in root.value:
        name = _text(key_node, key_node) if type(key_node).__name__ == "ScalarNode" else ""
        if not name:
            problems.append(Problem(line_base + key_node.start_mark.line + 1, 1, "malformed-header",
                                    "a metadata key is not a plain name"))
            continue
        start = base + key_node.start_mark.index
        value = _text(value_node, key_node)
        if value_node.tag == SCALAR + "null" and value_node.start_mark.index == value_node.end_mark.index:
            v_start = v_end = None
            raw = ""
        elif value_node.start_mark.index < key_node.end_mark.index:
            # an alias (`status: *state`): the node is the anchored one, written elsewhere
            alias = ALIAS_RE.match(text, key_node.end_mark.index)
            v_start = base + (alias.start(1) if alias else key_node.end_mark.index)
            raw = alias.group(1) if alias else "*"
            v_end = v_start + len(raw)
        else:
            # the value proper, after its anchor and tag (`&state !!str Draft`), which an edit keeps
            props = PROPS_RE.match(text, value_node.start_mark.index)
            at = props.end() if props and props.end() < value_node.end_mark.index else value_node.start_mark.index
            v_start = base + at
            raw = text[at : value_node.end_mark.index].rstrip()
            v_end = v_start + len(raw)
        key = key_of(name)
        fields.append(Field(name, key, line_base + key_node.start_mark.line, start, v_start, v_end, raw, value))
        nodes.setdefault(key, value_node)
    return fields, nodes


def _text(node, key_node) -> str:
    """node_text, Unreadable with the line of the key the value is under."""
    try:
        return node_text(node)
    except Unreadable as err:
        raise Unreadable(err.args[0], key_node.start_mark.line) from None


def scalar_text(value: str, old_raw: str = "") -> str:
    """`value` as a YAML scalar on one line: plain when it reads back as the same string, else
    quoted (in the old value's quote style when it had one), as ruamel.yaml writes it."""
    ruamel = need("ruamel.yaml")
    from io import StringIO

    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    style = old_raw[:1]
    if style == '"':
        data = DoubleQuotedScalarString(value)
    elif style == "'":
        data = SingleQuotedScalarString(value)
    else:
        data = value
    yaml = ruamel.YAML(typ="rt")
    yaml.width = 1 << 20
    out = StringIO()
    yaml.dump({"k": data}, out)
    written = out.getvalue()
    written = written[written.index(":") + 1 :].strip()
    if style not in ('"', "'") and old_raw and written[:1] in ("'", '"') and _plain_like(value, old_raw):
        # a number or date where the old plain value was one of the same kind (`kep-number: 42`,
        # `created: 2021-04-14`): written plain, as it was, not turned into a string
        return value
    if style not in ('"', "'") and written and written[0] not in "\"'":
        # a plain scalar that a YAML 1.1 reader (Jekyll, PyYAML) takes for a bool, number, date or null,
        # when the old value was no such thing: quote it
        if _kind(written) != "str" and _kind(written) != _kind(old_raw or "x"):
            return scalar_text(value, '"')
    return written


def _plain_like(value: str, old_raw: str) -> bool:
    """True when `value`, written plain, is one scalar of the same YAML kind as the plain `old_raw`."""
    root, problem = compose(value)
    if problem is not None or root is None or type(root).__name__ != "ScalarNode" or root.style or root.value != value:
        return False
    return _kind(value) == _kind(old_raw) != "str"


def _kind(text: str) -> str:
    yaml = need("yaml")
    try:
        return type(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))).__name__
    except (yaml.YAMLError, ValueError):
        return "str"


def set_scalar(doc, field: Field, value: str) -> Edit:
    if "\n" in value or "\r" in value:
        raise ValueError("a metadata value cannot hold a line break")
    new = scalar_text(value, field.raw)
    if field.value_start is None:  # `key:` with nothing after it
        colon = doc.text.find(":", field.name_start)
        return Edit(colon + 1, colon + 1, " " + new)
    if field.raw[:1] in "*|>":
        what = "a YAML alias" if field.raw[:1] == "*" else "written as a YAML block scalar"
        raise ValueError(f"field {field.name!r} on line {field.line + 1} is {what}; edit it by hand")
    if field.raw[:1] in "[{-" or "\n" in field.raw or _is_collection(field.raw):
        raise ValueError(f"field {field.name!r} on line {field.line + 1} holds a list or mapping; edit it by hand")
    return Edit(field.value_start, field.value_end, new)


def _is_collection(raw: str) -> bool:
    """A value written on one line that is a mapping (`milestone:` then `  alpha: v1` below it)."""
    root, problem = compose(raw)
    return problem is None and root is not None and type(root).__name__ != "ScalarNode"


def line_of(text: str, offset: int) -> int:
    return line_at(text, offset)
