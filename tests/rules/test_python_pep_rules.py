"""The P rules (pepctl.rules.python_pep; the name keeps it apart from tests/formats/test_python_pep.py):
checks of one value on each side of every limit, and rules that go on past what they skip."""

from __future__ import annotations

import datetime

import pytest

from pepctl.rules.python_pep import date_problem, pep_number_problem, person_problems, thread_problem

D = "https://discuss.python.org/t/"
HK = "https://mail.python.org/archives/list/python-dev@python.org/"


# (address, ok for Post-History/Resolution, ... with messages allowed, ok for Discussions-To)
@pytest.mark.parametrize("url, plain, messages, discussions", [
    (D + "123", True, True, True),
    (D + "slug/123", True, True, True),
    (D + "slug/123/", True, True, True),
    (D + "slug-two_x/123", True, True, True),
    (D + "123/", True, True, True),
    (D + "slug/123/4", True, True, False),  # one post: fine as a record, not as the place to discuss
    (D + "123/4", True, True, False),
    (D + "sl ug/123", False, False, False),
    (D + "12-3/4", False, False, False),  # a slug of digits and dashes is a number, badly written
    (D, False, False, False),
    (D + "slug", False, False, False),
    (D + "slug/12a", False, False, False),
    (D + "a/1/2/3", False, False, False),
    (D + "١٢٣", False, False, False),  # digits, but not ASCII ones
    ("https://mail.python.org/pipermail/python-dev/2020-May/123.html", True, True, True),
    ("https://mail.python.org/pipermail/python-dev/2020-may/123.htm", False, False, False),
    (HK + "thread/ABC123/", True, True, True),
    (HK + "message/abc123/", False, True, False),
    (HK + "message/abc123/#def", False, True, False),
    ("https://mail.python.org/archives/list/python-dev@example.org/thread/abc/", False, False, False),
    ("http://discuss.python.org/t/123", False, False, True),  # Discussions-To may name a list, not a web page
    ("python-dev@python.org", False, False, True),
    ("https://example.org/t/1", False, False, False),
])
def test_thread_addresses(url, plain, messages, discussions):
    assert (thread_problem(url, "X") is None, thread_problem(url, "X", messages=True) is None,
            thread_problem(url, "X", discussions=True) is None) == (plain, messages, discussions)


def test_thread_problem_messages():
    assert thread_problem("https://example.org/t/1", "Resolution") == (
        "Resolution 'https://example.org/t/1' is not a discussion thread address; "
        "link the thread on discuss.python.org or the mailing-list archive")
    assert thread_problem(D + "slug/1/2", "Discussions-To", discussions=True) == (
        f"Discussions-To '{D}slug/1/2' must be the thread itself, not one post: https://discuss.python.org/t/<slug>/<id>")


def entry(what: str, text: str, problem: str) -> str:
    return f"{what} entry {text!r} {problem}"


@pytest.mark.parametrize("text, problems", [
    ("Ada Lovelace <ada@example.org>", []),
    ("Ada", []),
    ("  Ada  ", []),
    ("Ada <ada at example.org>", []),  # the spam-proof spelling
    ("Ada <ada@example>", []),
    ("Ada <a@ex-ample.org>", []),
    ("O'Neil, Jr. <o@x.org>", []),
    ("Łukasz Langa <l@x.org>", []),
    ("Ada <a@b@c.org>", ["has more than one '@'; write one person as `Name <email>`", "has no valid e-mail address"]),
    ("Ada <<a@x.org>>", ["has more than one '<'; write one person as `Name <email>`",
                         "has more than one '>'; write one person as `Name <email>`", "has no valid e-mail address"]),
    ("Ada<ada@example.org>", ["is not written `Name <email@example.com>`", "has no valid e-mail address"]),
    ("Ada <ada@example.org", ["is not written `Name <email@example.com>`"]),
    ("Ada <>", ["has no e-mail address between < and >"]),
    ("<ada@example.org>", ["does not start with a name; write `Name <email>` or just `Name`"]),
    ("Ada 2 <a@x.org>", ["does not start with a name; write `Name <email>` or just `Name`"]),
    ("Ada (ada) <a@x.org>", ["does not start with a name; write `Name <email>` or just `Name`"]),
    ("Ada <a@x.o-rg>", ["has no valid e-mail address"]),
    ("Ada <a b@x.org>", ["has no valid e-mail address"]),
    ("Ada <a@x.örg>", ["has no valid e-mail address"]),
    ("Ada <a@x..org>", ["has no valid e-mail address"]),
])
def test_person_entries(text, problems):
    assert person_problems(text, "Author") == [entry("Author", text.strip(), p) for p in problems]


TODAY = datetime.date(2026, 3, 1)


@pytest.mark.parametrize("text, problem", [
    ("05-Jul-2001", None),
    ("01-Jan-1990", None),
    ("15-Mar-2026", None),  # two weeks ahead: time zones and a post planned for the next days
    ("16-Mar-2026", "is in the future; write the day it happened"),
    ("31-Dec-1989", "is before Python existed (1990); correct the year"),
    ("31-Feb-2001", "is not a real calendar date; correct it"),
    ("5-Jul-2001", "is not a DD-Mon-YYYY date; write it like 05-Jul-2001"),
    ("05-jul-2001", "is not a DD-Mon-YYYY date; write it like 05-Jul-2001"),
    ("05-Jux-2001", "is not a DD-Mon-YYYY date; write it like 05-Jul-2001"),
    ("05-Jul-2001 ", "is not a DD-Mon-YYYY date; write it like 05-Jul-2001"),
    ("2001-07-05", "is not a DD-Mon-YYYY date; write it like 05-Jul-2001"),
])
def test_dates(text, problem):
    assert date_problem(text, "Created", TODAY) == (None if problem is None else f"Created {text!r} {problem}")


@pytest.mark.parametrize("text, problem", [
    ("8", None), ("0", None), ("9999", None),
    ("", "PEP is blank; write a PEP number such as 8"),
    ("08", "PEP '08' has leading zeros; write 8"),
    ("10000", "PEP '10000' is past 9999; PEP numbers run from 0 to 9999"),
    ("x", "PEP 'x' is not a number; write the PEP number in digits, e.g. 8"),
    ("٣", "PEP '٣' is not a number; write the PEP number in digits, e.g. 8"),
    ("-1", "PEP '-1' is not a number; write the PEP number in digits, e.g. 8"),
    (" 8", "PEP ' 8' is not a number; write the PEP number in digits, e.g. 8"),
])
def test_pep_numbers(text, problem):
    assert pep_number_problem(text, "PEP") == problem


# -- each rule goes on past an entry or a header it has nothing to say about ---------------------


def findings(tmp_path, text: str, code: str) -> list[tuple[int, str]]:
    from tests.rules.test_dialect_rules import run

    found = run(tmp_path, "python-pep", {"pep-9001.rst": text})
    return [(d.line, d.message) for d in found if d.code == code]


def header(*lines: str) -> str:
    """A PEP whose header holds PY's required fields and then `lines`."""
    return ("PEP: 9001\nTitle: T\nAuthor: Ada <ada@example.org>\n" + "".join(line + "\n" for line in lines)
            + "Status: Draft\nType: Process\nCreated: 02-Mar-2021\n\nBody.\n")


def test_p007_a_blank_delegate_does_not_hide_the_next_one(tmp_path):
    text = header("BDFL-Delegate:", "PEP-Delegate: <no@name.org>")
    assert findings(tmp_path, text, "P007") == [
        (5, "PEP-Delegate entry '<no@name.org>' does not start with a name; write `Name <email>` or just `Name`")]


def test_p008_every_discussions_to_is_checked(tmp_path):
    for first in ("Pending", "https://discuss.python.org/t/123"):
        text = header(f"Discussions-To: {first}", "Discussions-To: nowhere")
        assert [line for line, _ in findings(tmp_path, text, "P008")] == [5], first


def test_p012_a_badly_separated_list_does_not_hide_the_next_header(tmp_path):
    text = header("Requires: 1,2", "Replaces: 08")
    assert findings(tmp_path, text, "P012") == [
        (4, "separate the PEP numbers of Requires with a comma and a space"),
        (5, "Replaces entry '08' has leading zeros; write 8")]


def test_p014_every_post_is_checked_past_empty_and_broken_ones(tmp_path):
    text = header().replace("Created: 02-Mar-2021\n", "Created: 02-Mar-2021\nPost-History: 01-Jan-2020, , 5-Jan-2020\n")
    assert [m for _, m in findings(tmp_path, text, "P014")] == [
        "Post-History date '5-Jan-2020' is not a DD-Mon-YYYY date; write it like 05-Jul-2001"]
    text = header().replace("Created: 02-Mar-2021\n",
                            "Created: 02-Mar-2021\nPost-History: `01-Jan-2020, 5-Jan-2020\n")
    assert [m.split(" must ")[0].split(" is ")[0] for _, m in findings(tmp_path, text, "P014")] == [
        "Post-History entry '`01-Jan-2020'", "Post-History date '5-Jan-2020'"]
    # an empty or pending Post-History, then another one that is checked
    for first in ("", "Pending"):
        text = header().replace("Created: 02-Mar-2021\n",
                                f"Created: 02-Mar-2021\nPost-History: {first}\nPost-History: 5-Jan-2020\n".replace(": \n", ":\n"))
        assert [line for line, _ in findings(tmp_path, text, "P014")] == [8], first


def test_p015_every_version_is_checked(tmp_path):
    for value, wrong in (("3, 3.012", ["'3'", "'3.012'"]), ("3.12, 3.x.1", ["'3.x.1'"])):
        text = header().replace("Created: 02-Mar-2021\n", f"Created: 02-Mar-2021\nPython-Version: {value}\n")
        messages = [m for _, m in findings(tmp_path, text, "P015")]
        assert [m.split(" ")[1].rstrip(":") for m in messages] == wrong, messages


def test_p016_every_resolution_is_checked(tmp_path):
    text = header().replace("Created: 02-Mar-2021\n",
                            "Created: 02-Mar-2021\nResolution: `01-Jan-2020\nResolution: https://example.org/x\n")
    assert [line for line, _ in findings(tmp_path, text, "P016")] == [7, 8]


def test_p003_an_empty_header_needs_no_space_whatever_the_line_ending(tmp_path):
    for ending in ("\n", "\r\n"):
        text = header("Resolution:", "Discussions-To:").replace("\n", ending)
        assert findings(tmp_path, text, "P003") == [], repr(ending)
    assert findings(tmp_path, header("Sponsor:Sam <s@example.org>"), "P003") == [(4, "put a space after `Sponsor:`")]
