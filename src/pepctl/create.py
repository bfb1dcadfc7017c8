"""A new PEP from the template: number, file name, header filled in.

``plan`` works everything out in memory (and refuses bad input with a
CreateError); ``write`` puts the file on disk without ever replacing one, then
adds the PEP's row to the index. Nothing here knows about the command line, so
a bot can call the same two functions.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata

from pepctl.corpus import Corpus
from pepctl.document import Document, DocumentError, atx_heading
from pepctl.errors import PepctlError, UsageError
from pepctl.formats import FIRST
from pepctl.fsutil import atomic_write, folder_lock, read_source
from pepctl.index import expected_rows, index_problem, with_row
from pepctl.model import AUTHOR_RE, FIELD_NAMES, Pep, format_number, pep_label
from pepctl.status_requirements import move_problems

SLUG_MAX = 50
DEFAULT_TEMPLATE = "PEP-TEMPLATE.md"
AUTHOR_PLACEHOLDER = "Name (@github-handle)"

# Letters NFKD does not take apart into ASCII; everything else non-ASCII is dropped.
TRANSLITERATE = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
     "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ı": "i"}
)


class CreateError(UsageError):
    """The input cannot make a PEP: a bad title, author, status or template."""


class CreateFailed(PepctlError):
    """The PEP was refused (the status it asks for is not met) or could not be written."""


def slugify(title: str, limit: int = SLUG_MAX) -> str:
    """Lower-case ASCII words joined by hyphens, at most `limit` characters.

    Accented letters lose their accents (NFKD); letters with no ASCII form are
    dropped. A long slug is cut at a word boundary; a single over-long word is
    cut where the limit falls.
    """
    text = unicodedata.normalize("NFKD", title.translate(TRANSLITERATE))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            return slug or word[:limit]
        slug = candidate
    return slug


def clean_title(title: str) -> str:
    """The title as it goes in the file; CreateError when it cannot be one."""
    if "\n" in title or "\r" in title:
        raise CreateError("the title must be a single line; keep it short and put the details in the Summary section")
    if any(ord(ch) < 32 and ch != "\t" or ord(ch) == 127 for ch in title):
        raise CreateError("the title holds control characters; type it as plain text")
    title = " ".join(title.split())
    if not title:
        raise CreateError("the title is empty; give the proposal a short descriptive title")
    return title


SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def file_slug(title: str, slug: str | None = None) -> str:
    """The file name's slug: `slug` when given (checked), else the title's. No transliteration
    beyond accents: a title in, say, Chinese gives no ASCII words, and a guessed romanisation
    would be wrong as often as not, so the author names the file with --slug."""
    if slug is not None:
        if not SLUG_RE.fullmatch(slug) or len(slug) > SLUG_MAX:
            raise CreateError(f"--slug {slug!r}: write lower-case ASCII words joined by hyphens, at most {SLUG_MAX} "
                              "characters, e.g. --slug response-cache")
        return slug
    made = slugify(title)
    if not made:
        raise CreateError(
            f"the title {title!r} has no ASCII letters or digits, so it gives no file name "
            "(PEP-NNNN-short-title.md; accented letters are fine, other scripts are not); "
            "keep the title and name the file with --slug, e.g. --slug response-cache"
        )
    return made


NOREPLY_RE = re.compile(r"(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})@users\.noreply\.github\.com", re.I)


def git_author(folder: str) -> tuple[str | None, str | None]:
    """(author as 'Name (@handle)', None) from git's user.name and a GitHub handle: `git config
    github.user`, else the handle in a GitHub no-reply user.email; or (None, what is missing) when
    git cannot say."""
    from pepctl.gitutil import GitError, run_git

    def get(key):
        try:
            done = run_git(["config", "--get", key], cwd=folder, ok=(0, 1))
        except GitError:
            return ""
        return done.stdout.decode("utf-8", errors="replace").strip()

    name = " ".join(get("user.name").split())
    handle = get("github.user").lstrip("@")
    if not handle:
        email = NOREPLY_RE.fullmatch(get("user.email"))
        handle = email.group(1) if email else ""
    if not name:
        return None, "git config has no user.name"
    author = f"{name.replace('(', '').replace(')', '').replace('@', '')} (@{handle})"
    if not handle or not AUTHOR_RE.fullmatch(author):
        return None, (f"git config gives user.name {name!r} but no GitHub handle (set `git config github.user HANDLE`, "
                      "or use a GitHub no-reply user.email)")
    return author, None


def check_author(author: str) -> str:
    author = " ".join(author.split())
    if not AUTHOR_RE.fullmatch(author):
        raise CreateError(f"--author {author!r}: write it as 'Full Name (@github-handle)'")
    return author


def builtin_template() -> str:
    """The template shipped with pepctl."""
    from importlib.resources import files

    return files("pepctl").joinpath("templates", "pep-template.md").read_text(encoding="utf-8")


def load_template(corpus) -> Document:
    """The folder's template, or the built-in one when the folder has none.

    Only a path where nothing at all is (not even a dangling link) counts as
    "no template"; a folder, a named pipe or a link leading out of the PEP
    folder there is an error, not a reason to use the built-in one quietly.
    """
    path = corpus.template_path
    try:
        data = read_source(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise CreateError(f"{path}: the template is a symbolic link to a file that does not exist; "
                              "point it at the template or remove it (then the built-in template is used)") from None
        data = None
    except OSError as err:
        raise CreateError(f"{path}: cannot use it as the template: {err.strerror}; "
                          "make it a Markdown file, or remove it to use the built-in template") from None
    if data is not None:
        try:
            return Document.from_bytes(data, path)
        except DocumentError as err:
            raise CreateError(f"{path}:{err.line}: the template cannot be used: {err.message}") from None
    if corpus.config.template != DEFAULT_TEMPLATE:
        raise CreateError(f"the configured template {path} does not exist; fix 'template' in the config or create the file")
    return Document(builtin_template(), None)


def remove_instructions(doc: Document) -> None:
    """Drop the HTML comment(s) between the title heading and the header."""
    if not doc.header.found:
        return
    start_line = doc.title_line if doc.title_line is not None else -1
    for first, last in reversed(doc.comments):
        if not (start_line < first and last < doc.header.first_line):
            continue
        lines = doc.lines
        start = doc.line_offset(first)
        end = start + sum(len(x) for x in lines[first : last + 1])
        # do not leave two blank lines where the comment was
        if first > 0 and not lines[first - 1].strip() and last + 1 < len(lines) and not lines[last + 1].strip():
            end += len(lines[last + 1])
        doc.replace(start, end, "")


def set_or_add(doc: Document, key: str, value: str, after: str | None) -> None:
    field = doc.field(key)
    if field is not None and field.has_value:
        doc.set_field(key, value)
    elif after is None and doc.field_list:  # goes first: before the first field
        doc.add_field(FIELD_NAMES.get(key, key), value, after=FIRST)
    else:
        anchor = after if after and doc.field(after) is not None else None
        doc.add_field(FIELD_NAMES.get(key, key), value, after=anchor)


def title_heading(number: int, title: str) -> str:
    """The '# PEP-NNNN: Title' line, reading back as exactly `title`.

    A heading is no table cell: '|' needs no escaping there. A title ending in
    '#' after a space would lose it as the heading's closing sequence, so one
    is added for Markdown to take instead.
    """
    text = f"{pep_label(number)}: {title}"
    heading = f"# {text}"
    parsed = atx_heading(heading)
    if parsed is None or parsed[1] != text:
        heading += " #"
    return heading


def render(template: Document, number: int, title: str, status: str, authors: list[str], created: str) -> Document:
    """A copy of the template with the heading and header fields filled in."""
    doc = Document(template.text, template.path, template.bom)
    if not doc.header.found:
        where = template.path or "the template"
        raise CreateError(f"{where} has no '{doc.format.form}' {doc.format.noun} to fill in")
    heading = title_heading(number, title)
    if doc.title_line is not None:
        start = doc.line_offset(doc.title_line)
        line = doc.lines[doc.title_line]
        ending = line[len(line.rstrip("\r\n")) :]
        doc.replace(start, start + len(line), heading + ending)
    else:
        doc.replace(0, 0, heading + doc.newline + doc.newline)
    remove_instructions(doc)
    # the header format escapes what its syntax needs, so the Title field reads back as exactly `title`
    values = [("pep", format_number(number)), ("title", title), ("status", status)]
    if authors:
        values.append(("authors", ", ".join(authors)))
    values.append(("created", created))
    previous = None
    for key, value in values:
        set_or_add(doc, key, value, previous)
        previous = key
    return doc


class NewPep:
    """A PEP worked out in memory: where it goes and what it says."""

    __slots__ = ("number", "path", "document", "index_path", "index_note")

    def __init__(self, number: int, path: str, document: Document, index_path: str | None):
        self.number = number
        self.path = path
        self.document = document
        self.index_path = index_path
        self.index_note: str | None = None  # why write() left the index alone, when it had to

    @property
    def pep(self) -> Pep:
        return Pep(self.document, self.path)

    @property
    def authors_missing(self) -> bool:
        return AUTHOR_PLACEHOLDER in self.document.get("Authors")

    def to_bytes(self) -> bytes:
        return self.document.to_bytes()


def plan(corpus, policy, title: str, authors=(), status: str | None = None, today=None, slug: str | None = None) -> NewPep:
    """Work out the new PEP; raise CreateError on bad input."""
    title = clean_title(title)
    name_slug = file_slug(title, slug)
    authors = [check_author(a) for a in authors]
    if status is None:
        if not policy.initial_states:
            raise CreateError("the config lists no 'initial-states'; a new PEP needs one")
        status = policy.initial_states[0]
    else:
        canonical = policy.canonical(status)
        if canonical is None or canonical not in policy.initial_states:
            raise CreateError(
                f"--status {status!r}: a new PEP starts as one of: {', '.join(policy.initial_states)}"
            )
        status = canonical
    if today is None:
        today = datetime.date.today()
    number = corpus.next_number()
    refuse_five_digits(corpus, number)
    name = f"{pep_label(number)}-{name_slug}.md"
    path = os.path.normpath(os.path.join(corpus.folder, name))
    document = render(load_template(corpus), number, title, status, authors, today.isoformat())
    document.path = path
    if status != policy.initial_states[0]:
        refuse_unmet_status(corpus, policy, number, path, document, today)
    index_path = corpus.index_path
    return NewPep(number, path, document, index_path if index_path and os.path.isfile(index_path) else None)


def refuse_five_digits(corpus, number: int) -> None:
    """CreateFailed when `number` has more digits than a PEP number, which H004 would report."""
    from pepctl.formats import PLANO
    from pepctl.rules.header import MAX_NUMBER

    if number <= MAX_NUMBER or corpus.format is not PLANO:
        return
    highest = number - 1
    holder = os.path.basename(corpus.find(highest)[0].path)
    why = (f"{holder} is {highest}: every four-digit number is used" if highest == MAX_NUMBER
           else f"{holder} is {highest}, past {MAX_NUMBER} (H004: a typo?)")
    raise CreateFailed(f"no new PEP: it would be numbered {number}, more digits than PEP numbers have; "
                       f"the highest number, that of {why}. Renumber that file first; nothing was written.")


def refuse_unmet_status(corpus, policy, number: int, path: str, document: Document, today) -> None:
    """CreateFailed when `pepctl check` would report errors on the new file that it
    would not report had the PEP started in the first initial state (Draft): the errors the
    chosen --status brings, such as template hints in sections an Under Review PEP must fill.

    Judged by `status_requirements.move_problems`, the one definition `pepctl status` and the gate use, as a
    move from the first initial state, so that `new --status` is no way around what `status`
    refuses. Errors a fresh file has in any state (the author placeholder, say) are left to the
    usual "next:" hint.
    """
    start = policy.initial_states[0]
    as_start = Document(document.text, path, document.bom)
    as_start.set_field("Status", start)
    problems = move_problems(policy, Pep(as_start, path), Pep(document, path), corpus=corpus, today=today)
    if not problems:
        return
    status = document.get("Status")
    label = pep_label(number)
    out = [f"{label} cannot start as {status}: as {status}, `pepctl check` would report on the new file:"]
    out += [f"  {path}:{d.line}: {d.code} {d.message}" for d in problems]
    out.append(
        f"Nothing was written. Create it as {start} (leave out --status), fix these in the file, "
        f"then run `pepctl status {number} \"{status}\"`."
    )
    raise CreateFailed("\n".join(out))


def index_text(new: NewPep) -> tuple[Document, str] | None:
    """(index Document, its new text) with the new PEP's row added, or None when
    there is no index table to add to or it lists the number already (then
    ``new.index_note`` says why, when it is something to fix)."""
    if new.index_path is None:
        return None
    try:
        index = Document.read(new.index_path)
    except OSError as err:
        new.index_note = f"cannot read it: {err.strerror}"
        return None
    except DocumentError as err:
        new.index_note = f"line {err.line}: {err.message}"
        return None
    text = with_row(index, expected_rows([new.pep], new.index_path)[0])
    if text is None:
        new.index_note = index_problem(index)
        return None
    return index, text


def write(new: NewPep) -> bool:
    """Create the file (never replacing one) and add its index row.

    Raises CreateFailed when the file name is taken. Returns whether
    the index was updated. Run it inside fsutil.folder_lock(folder) (as create()
    does) when another command may write the folder at the same time.
    """
    try:
        atomic_write(new.path, new.to_bytes(), exclusive=True)
    except FileExistsError:
        raise CreateFailed(
            f"{new.path} already exists, so nothing was written (pepctl never replaces a file); "
            "it may have been created a moment ago, or be a file the config excludes from the PEP folder. "
            "Rename or remove it, or run the command again for a fresh number."
        ) from None
    except OSError as err:
        raise CreateFailed(f"{new.path}: cannot write the file: {err.strerror}") from None
    edit = index_text(new)
    if edit is None:
        return False
    index, text = edit
    try:
        atomic_write(new.index_path, Document(text, index.path, index.bom).to_bytes())
    except OSError as err:  # put the new file back (remove it), as `pepctl status` puts its PEP back
        why = err.strerror or str(err)
        try:
            os.unlink(new.path)
        except OSError as again:
            raise CreateFailed(f"{new.index_path}: cannot write the index: {why}; {new.path} was created and could not "
                               f"be removed ({again.strerror}): remove it, or run `pepctl index` once the index can be "
                               "written") from None
        raise CreateFailed(f"{new.index_path}: cannot write the index: {why}; nothing was written ({new.path} was "
                           "removed again). Once the index can be written, run the command again.") from None
    return True


def create(corpus, policy, title: str, authors=(), status: str | None = None, today=None, slug: str | None = None) -> NewPep:
    """plan() and write() with the PEP folder locked, so that commands run at the same
    time get different numbers and every index row is kept."""
    with folder_lock(corpus.folder):
        fresh = Corpus(corpus.folder, corpus.config)  # list the folder now, inside the lock
        new = plan(fresh, policy, title, authors, status, today, slug)
        write(new)
    return new
