"""P: python/peps' header conventions (PEP 1 and PEP 12), for the python-pep format.

Together with the generic rules H006 (required headers), H009 (Status vocabulary) and
H012 (duplicate headers), these cover every header check of python/peps' own
`check-peps.py`; docs/formats.md maps them one by one. Each message says what is wrong
and the form PEP 12 asks for.
"""

from __future__ import annotations

import datetime
import re

from pepctl.rules import rule

FORMATS = ("python-pep",)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_RE = re.compile(r"(\d\d)-([A-Z][a-z]{2})-(\d{4})")
NAME_RE = re.compile(r"(?:[^\W\d_]|[ ',\-.])+(?: |$)")
EMAIL_LOCAL_RE = re.compile(r"[\w!#$%&'*+\-/=?^{|}~.]+", re.ASCII)
NUMBERED = re.compile(r"\d+", re.ASCII)
TOPIC_NAME = re.compile(r"[\w\-]+/\d+|\d+", re.ASCII)
DISCOURSE = "https://discuss.python.org/t/"
PIPERMAIL = "https://mail.python.org/pipermail/"
HYPERKITTY = "https://mail.python.org/archives/list/"
PIPERMAIL_RE = re.compile(r"[\w\-]+/\d{4}-[a-z]+/\d+\.html", re.ASCII | re.I)
HK_THREAD_RE = re.compile(r"[\w\-]+@python\.org/thread/[a-z0-9]+/?", re.ASCII | re.I)
HK_MESSAGE_RE = re.compile(r"[\w\-]+@python\.org/message/[a-z0-9]+/?(?:#[a-z0-9]+)?", re.ASCII | re.I)
DIRECT_LINK_EXEMPT = {9, 287, 676, 684, 8001}  # PEPs that write such links on purpose (about links themselves)
PENDING = "Pending"  # a draft's Discussions-To and Post-History before its first post (PEP 12's template)
DIRECT_LINK_RE = re.compile(r"peps\.python\.org/pep-|dev/peps/pep-|rfc-editor\.org/rfc/|ietf\.org/doc/html/rfc")
TOPICS = ("Governance", "Packaging", "Release", "Typing")


def _order():
    from pepctl.formats.python_pep import HEADER_ORDER

    return HEADER_ORDER


def _fields(pep, *names):
    for field in pep.document.field_list:
        if field.name in names:
            yield field


def _lines(pep, field):
    """(0-based line, text) of each line a field's value spans, its name's line first."""
    text = pep.document.text
    end = field.value_end if field.value_end is not None else field.name_start
    eol = text.find("\n", end)
    block = text[field.name_start : len(text) if eol == -1 else eol]
    for number, line in enumerate(block.split("\n"), field.line):
        yield number, line.rstrip("\r")


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def pep_number_problem(text: str, what: str) -> str | None:
    if text == "":
        return f"{what} is blank; write a PEP number such as 8"
    if not _digits(text):
        return f"{what} {text!r} is not a number; write the PEP number in digits, e.g. 8"
    if text.startswith("0") and text != "0":
        return f"{what} {text!r} has leading zeros; write {int(text)}"
    if int(text) > 9999:
        return f"{what} {text!r} is past 9999; PEP numbers run from 0 to 9999"
    return None


def date_problem(text: str, what: str, today) -> str | None:
    match = DATE_RE.fullmatch(text)
    month = match.group(2) if match else ""
    if match is None or month not in MONTHS:
        return f"{what} {text!r} is not a DD-Mon-YYYY date; write it like 05-Jul-2001"
    try:
        date = datetime.date(int(match.group(3)), MONTHS.index(month) + 1, int(match.group(1)))
    except ValueError:
        return f"{what} {text!r} is not a real calendar date; correct it"
    if date.year < 1990:
        return f"{what} {text!r} is before Python existed (1990); correct the year"
    if date > today + datetime.timedelta(days=14):
        return f"{what} {text!r} is in the future; write the day it happened"
    return None


def thread_problem(url: str, what: str, *, messages: bool = False, discussions: bool = False) -> str | None:
    """Why `url` is no thread address PEP 1 accepts for this header, or None."""
    bad = f"{what} {url!r} is not a discussion thread address; link the thread on discuss.python.org or the mailing-list archive"
    if not url.startswith("https://"):
        return None if discussions else bad
    if url.startswith(DISCOURSE):
        parts = url[len(DISCOURSE):].removesuffix("/").split("/")
        named = lambda s: not _digits(s.replace("-", "0").replace("_", "0")) and s.replace("-", "0").replace("_", "0").isalnum()  # noqa: E731
        if discussions:
            if len(parts) == 1 and _digits(parts[0]):
                return None
            if len(parts) == 2 and named(parts[0]) and _digits(parts[1]):
                return None
            return f"{what} {url!r} must be the thread itself, not one post: https://discuss.python.org/t/<slug>/<id>"
        if len(parts) == 3 and named(parts[0]) and _digits(parts[1]) and _digits(parts[2]):
            return None
        if len(parts) == 2 and (named(parts[0]) or _digits(parts[0])) and _digits(parts[1]):
            return None
        if len(parts) == 1 and _digits(parts[0]):
            return None
    if url.startswith(PIPERMAIL) and PIPERMAIL_RE.fullmatch(url[len(PIPERMAIL):]):
        return None
    if url.startswith(HYPERKITTY):
        rest = url[len(HYPERKITTY):]
        if HK_THREAD_RE.fullmatch(rest) or (messages and HK_MESSAGE_RE.fullmatch(rest)):
            return None
    return bad


def person_problems(entry: str, what: str) -> list[str]:
    """What is wrong with one `Name <email>` entry (the address is optional)."""
    entry = entry.strip()
    out = []
    for mark in "<>@":
        if entry.count(mark) > 1:
            out.append(f"{what} entry {entry!r} has more than one {mark!r}; write one person as `Name <email>`")
    name = entry.split("<", 1)[0].rstrip()
    if NAME_RE.fullmatch(name) is None:
        return out + [f"{what} entry {entry!r} does not start with a name; write `Name <email>` or just `Name`"]
    rest = entry[len(name):]
    if not rest:
        return out
    if not (rest.startswith(" <") and rest.endswith(">")):
        out.append(f"{what} entry {entry!r} is not written `Name <email@example.com>`")
    address = rest.removeprefix(" <").removesuffix(">")
    if "@" in address:
        local, domain = address.rsplit("@", 1)
    elif " at " in address:
        local, domain = address.rsplit(" at ", 1)
    else:
        return out + [f"{what} entry {entry!r} has no e-mail address between < and >"]
    *labels, top = domain.split(".")
    if (EMAIL_LOCAL_RE.fullmatch(local) is None or not top.isalnum() or not top.isascii()
            or any(not label.replace("-", "").isalnum() for label in labels)):
        out.append(f"{what} entry {entry!r} has no valid e-mail address")
    return out


# -- rules ------------------------------------------------------------------------------


@rule("P001", "pep-header-first", "The file starts with `PEP: N`: a number from 0 to 9999, no leading zeros.",
      formats=FORMATS)
def pep_header_first(pep, ctx):
    text = pep.document.text
    first = text[: text.find("\n")].rstrip("\r") if "\n" in text else text
    if not first.startswith("PEP: "):
        yield 1, "the first line must be the `PEP: N` header; move it to the top"
        return
    problem = pep_number_problem(first[5:].lstrip(), "the PEP header")
    if problem:
        yield 1, problem


@rule("P002", "unknown-header", "Every header is one PEP 12 names (spelled as it does).", formats=FORMATS)
def unknown_header(pep, ctx):
    order = _order()
    for field in pep.document.field_list:
        if field.name not in order:
            yield field.line + 1, (f"{field.name!r} is not a PEP header; PEP 12 knows: {', '.join(order)} "
                                   "(check the spelling and capitals)")


@rule("P003", "header-colon-space", "A header's name is followed by a colon and a space.", formats=FORMATS)
def header_colon_space(pep, ctx):
    text = pep.document.text
    for field in pep.document.field_list:
        after = field.name_start + len(field.name) + 1
        if text[after : after + 1] not in (" ", "\n", "\r", ""):
            yield field.line + 1, f"put a space after `{field.name}:`"


@rule("P004", "header-order", "Headers come in PEP 12's order.", formats=FORMATS)
def header_order(pep, ctx):
    order = _order()
    seen = []
    for field in pep.document.field_list:
        if field.name in order and field.name not in seen:
            seen.append(field.name)
    wanted = sorted(seen, key=order.index)
    if seen != wanted:
        first = next(i for i, (a, b) in enumerate(zip(seen, wanted)) if a != b)
        field = next(f for f in pep.document.field_list if f.name == seen[first])
        yield field.line + 1, f"the headers are out of PEP 12's order; write them as: {', '.join(wanted)}"


@rule("P005", "title-length", "The Title is at most 79 characters.", formats=FORMATS)
def title_length(pep, ctx):
    for field in _fields(pep, "Title"):
        if len(field.value) > 79:
            yield field.line + 1, f"the title is {len(field.value)} characters; shorten it to 79 or fewer"


@rule("P006", "author-format", "Author lists `Name <email>` or `Name` entries, continuation lines end with a comma and are not over-indented.",
      formats=FORMATS)
def author_format(pep, ctx):
    for field in _fields(pep, "Author"):
        lines = list(_lines(pep, field))
        for offset, (number, line) in enumerate(lines):
            body = line[len("Author:"):] if offset == 0 else line
            if offset and line[:9].isspace():
                yield number + 1, "this Author line is indented too far; line it up under the first author"
            if offset < len(lines) - 1 and not body.rstrip().endswith(","):
                yield number + 1, "an Author line that goes on below must end with a comma"
            for part in body.strip().removesuffix(",").split(", "):
                if part.strip():
                    for message in person_problems(part, "Author"):
                        yield number + 1, message


@rule("P007", "person-format", "Sponsor, PEP-Delegate and BDFL-Delegate are `Name <email>` (a delegate may be blank).",
      formats=FORMATS)
def person_format(pep, ctx):
    for field in _fields(pep, "Sponsor", "PEP-Delegate", "BDFL-Delegate"):
        value = field.value
        if field.name != "Sponsor" and not value:
            continue
        parts = value.removesuffix(",").split(", ") if field.name != "Sponsor" else [value]
        for part in parts:
            for message in person_problems(part, field.name):
                yield field.line + 1, message


@rule("P008", "discussions-to", "Discussions-To is a discussion thread's address, a mailing list at python.org or googlegroups.com, or Pending.",
      formats=FORMATS)
def discussions_to(pep, ctx):
    for field in _fields(pep, "Discussions-To"):
        value = field.value
        if value == PENDING:
            continue
        problem = thread_problem(value, "Discussions-To", discussions=True)
        if problem:
            yield field.line + 1, problem
        if value.startswith("https://"):
            continue
        for suffix in ("@python.org", "@googlegroups.com"):
            if value.endswith(suffix):
                if re.fullmatch(r"[\w\-]+", value.removesuffix(suffix)) is None:
                    yield field.line + 1, f"Discussions-To {value!r} is not a mailing-list address"
                break
        else:
            yield field.line + 1, f"Discussions-To {value!r} is neither a thread address nor a mailing list; link the discussion thread"


@rule("P009", "pep-type", "Type is Standards Track, Informational or Process.", formats=FORMATS)
def pep_type(pep, ctx):
    from pepctl.formats.python_pep import TYPES

    for field in _fields(pep, "Type"):
        if field.value not in TYPES:
            yield field.line + 1, f"Type {field.value!r} is not a PEP type; use one of: {', '.join(TYPES)}"


@rule("P010", "topic", "Topic names known sub-indexes, in Title Case, sorted, each once.", formats=FORMATS)
def topic(pep, ctx):
    for field in _fields(pep, "Topic"):
        topics = field.value.split(", ")
        line = field.line + 1
        if len(set(topics)) < len(topics):
            yield line, "a topic is named twice; name each once"
        unknown = set(topics) - set(TOPICS)
        if unknown:
            if not all(t.istitle() for t in topics):
                yield line, f"write topics in Title Case: {', '.join(t.title() for t in topics)}"
            if {t.casefold() for t in unknown} - {t.casefold() for t in TOPICS}:
                yield line, f"Topic {field.value!r} names no sub-index; known topics: {', '.join(TOPICS)}"
        if sorted(topics) != topics:
            yield line, f"sort the topics: {', '.join(sorted(topics))}"


@rule("P012", "pep-references", "Requires, Replaces and Superseded-By list PEP numbers separated by ', '.", formats=FORMATS)
def pep_references(pep, ctx):
    for field in _fields(pep, "Requires", "Replaces", "Superseded-By"):
        value = field.value.removesuffix(",").rstrip()
        if value.count(",") != value.count(", "):
            yield field.line + 1, f"separate the PEP numbers of {field.name} with a comma and a space"
            continue
        for part in value.split(", "):
            problem = pep_number_problem(part, f"{field.name} entry")
            if problem:
                yield field.line + 1, problem


@rule("P013", "created-date", "Created is a DD-Mon-YYYY date (zero-padded day), from 1990 on, not in the future.",
      formats=FORMATS)
def created_date(pep, ctx):
    for field in _fields(pep, "Created"):
        problem = date_problem(field.value, "Created", ctx.today)
        if problem:
            yield field.line + 1, problem


@rule("P014", "post-history", "Post-History lists DD-Mon-YYYY dates, each bare or as `` `date <thread address>`__ ``.",
      formats=FORMATS)
def post_history(pep, ctx):
    for field in _fields(pep, "Post-History"):
        if not field.value or field.value == PENDING:
            continue
        for number, line in _lines(pep, field):
            body = line[len("Post-History:"):] if number == field.line else line
            for post in body.strip().removesuffix(",").strip().split(", "):
                if not post:
                    continue
                opens, closes = post.startswith("`"), post.endswith(">`__")
                if opens != closes:
                    yield number + 1, f"Post-History entry {post!r} must be a date, or a link that starts with ` and ends with >`__"
                    continue
                if opens:
                    date, _, url = post[1:-4].partition(" <")
                    problems = [date_problem(date, "Post-History date", ctx.today),
                                thread_problem(url, "Post-History link")]
                else:
                    problems = [date_problem(post, "Post-History date", ctx.today)]
                for problem in problems:
                    if problem:
                        yield number + 1, problem


@rule("P015", "python-version", "Python-Version is X.Y or X.Y.Z (major 1 to 3, no leading zeros; X.x allowed).",
      formats=FORMATS)
def python_version(pep, ctx):
    for field in _fields(pep, "Python-Version"):
        line = field.line + 1
        for version in field.value.split(", "):
            parts = version.split(".")
            if len(parts) not in (2, 3):
                yield line, f"Python-Version {version!r} needs two or three parts, like 3.12 or 3.12.1"
                continue
            major, minor, micro = (parts + [""])[:3]
            if major not in ("1", "2", "3"):
                yield line, f"Python-Version {version!r}: the major version is 1, 2 or 3"
            if minor != "x" and not _digits(minor):
                yield line, f"Python-Version {version!r}: the minor version must be a number (or x)"
            elif minor not in ("0", "x") and minor.startswith("0"):
                yield line, f"Python-Version {version!r}: drop the leading zero of the minor version"
            if not micro:
                continue
            if minor == "x":
                yield line, f"Python-Version {version!r}: an X.x version has no third part"
            elif micro.startswith("0") or not _digits(micro):
                yield line, f"Python-Version {version!r}: the micro version must be a number without leading zeros"


@rule("P016", "resolution", "Resolution links the thread or message where the PEP was decided.", formats=FORMATS)
def resolution(pep, ctx):
    for field in _fields(pep, "Resolution"):
        value = field.value
        if value.startswith("`") != value.endswith(">`__"):
            yield field.line + 1, "Resolution must be an address, or a link that starts with ` and ends with >`__"
            continue
        if value.startswith("`"):  # `DD-Mon-YYYY <address>`__, as in Post-History
            date, _, url = value[1:-4].partition(" <")
            problems = [date_problem(date, "Resolution date", ctx.today),
                        thread_problem(url, "Resolution", messages=True)]
        else:
            problems = [thread_problem(value, "Resolution", messages=True)]
        for problem in problems:
            if problem:
                yield field.line + 1, problem


@rule("P017", "direct-links", "The body refers to PEPs with :pep:`N` and to RFCs with :rfc:`N`, not by their web address.",
      formats=FORMATS)
def direct_links(pep, ctx):
    if pep.number in DIRECT_LINK_EXEMPT:
        return
    text = pep.document.text
    seen = set()
    lowered = text.lower()  # lower case, then a literal search: far quicker than re.I
    for match in DIRECT_LINK_RE.finditer(lowered):
        kind = "rfc" if match.group(0)[0] in "ri" else "pep"
        line = lowered.count("\n", 0, match.start())  # (lower() may lengthen a line, never add one)
        if (line, kind) in seen:
            continue
        seen.add((line, kind))
        advice = "use the :rfc:`N` role to refer to an RFC" if kind == "rfc" else "use the :pep:`N` role to refer to a PEP"
        yield line + 1, advice
