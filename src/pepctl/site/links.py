"""Links in a PEP's text: which proposal's file a relative link names, and where it goes on the site.

A link to a proposal's source file, in any format pepctl reads, goes to that proposal's page; any
other relative link goes to the file in the repository (or is marked missing when no repository is
configured). Every link and image target passes a scheme check here, whichever way the text came:
only http, https, mailto and relative targets stay.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from collections.abc import Callable
from urllib.parse import unquote

from pepctl.model import number_from_filename
from pepctl.site.sanitizer import SCHEMES

PEP_LINK_RE = re.compile(r"^(?:\./)?(PEP-[^/#?]*\.md)(#.*)?$")
PEP_NAME_RE = re.compile(r"PEP-\d+[^\s/#?()\"'<>\[\]]*\.md")
ANGLED_PEP_NAME_RE = re.compile(r"<(?:\./)?(PEP-\d+[^<>\n]*?\.md)(?:#[^<>\n]*)?>")
SCHEME_RE = re.compile(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:")


def pep_links_in(text: str) -> list[str]:
    """File names of the PEP files a Markdown text links to (a cheap, generous scan), with
    `<PEP-0003-a b.md>`, Markdown's way to write a target holding spaces."""
    names = set(PEP_NAME_RE.findall(text))
    if "<" in text:
        names.update(ANGLED_PEP_NAME_RE.findall(text))
    for end in LINKED_FILE_END_RE.finditer(text):
        start = end.start()
        while start > 0 and text[start - 1] not in NAME_STOPS and end.start() - start < 200:
            start -= 1
        name = text[start : end.end()]
        if not name.rpartition("/")[2].startswith("PEP-") and number_in_link(unquote(name)) is not None:
            names.add(name)
    return sorted({unquote(name) for name in names})


WORD_SPLIT_RE = re.compile(r"[-_.\s]+")
NAME_NUMBER_RE = re.compile(r"^[A-Za-z]*-?\d+-?")  # "PEP-0042-", "eip-1559", "0401-", "2625-"
# The end of a file name that may be a proposal's source (what pep_links_in looks for, generously: it
# starts with a literal, so the scan jumps from one "." to the next), and what ends such a name on its left.
LINKED_FILE_END_RE = re.compile(r"\.(?:md|rst|yaml)(?![\w.-])")
NAME_STOPS = frozenset(" \t\r\n()<>[]\"'`|*,;")
_DIALECTS: list = []


def _dialects() -> list:
    """The format objects of the dialects pepctl reads (each knows its proposals' file names)."""
    if not _DIALECTS:
        from pepctl import formats

        _DIALECTS.extend(formats.get(name) for name in formats.DIALECTS)
    return _DIALECTS


def number_in_link(path: str) -> int | None:
    """The number of the proposal whose source a relative link names, in any format pepctl reads:
    Plano's ``PEP-0042-x.md`` (or ``pep-0042.md``), ``eip-1559.md``, ``pep-0008.rst``, ``0401-x.md``
    (Swift, Rust, MADR), a KEP's ``2625-x/README.md``. Only a file beside the page's own or in a
    folder next to it counts (``./``, ``../``, ``../EIPS/``); None for anything else."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    while parts and parts[0] == "..":
        del parts[0]
    if not parts or ".." in parts or len(parts) > 3:
        return None
    name = parts[-1]
    if name[:4].upper() == "PEP-" and name.endswith(".md"):
        return number_from_filename(name)
    for dialect in _dialects():
        if dialect.name == "kep":  # the number is the folder's: 2625-x/README.md or 2625-x/kep.yaml
            if len(parts) >= 2 and name in ("README.md", "kep.yaml"):
                number = dialect.number_from_name("/".join(parts))
                if number is not None:
                    return number
        elif len(parts) <= 2:
            number = dialect.number_from_name(name)
            if number is not None:
                return number
    return None


def resolve_link(path: str, pages: dict[str, str], numbers: dict[int, str]) -> str | None:
    """The page a relative link to a proposal's file goes to (its own, else the one file with its
    number's), None when it goes to no page of the site.

    A name with words after the number (``0522-source-warning-control.md``, not ``eip-1559.md``)
    in another format than Plano's goes to the file with its number only if that file's name has
    at least half of those words: folders of other processes' text reuse numbers for other
    proposals, while a converted folder names its files after the titles, in other words."""
    name = path.removeprefix("./")
    page = pages.get(name) if "/" not in name else None
    if page is not None:
        return page
    number = number_in_link(path)
    page = numbers.get(number) if number is not None else None
    if page is None:
        return None
    folder, _, base = path.rpartition("/")
    if base[:4].upper() == "PEP-":
        return page
    wanted = _words(folder.rpartition("/")[2] if base in ("README.md", "kep.yaml") else base)
    if wanted and len(wanted & _words(unquote(page.rpartition("/")[2]))) * 2 < len(wanted):
        return None
    return page


def _words(name: str) -> set[str]:
    """The words of a proposal's file name after its number: 'PEP-0042-Big-cache.md' -> {'big', 'cache'}."""
    rest = NAME_NUMBER_RE.sub("", name.rpartition(".")[0] if "." in name else name).lower()
    return set(filter(None, WORD_SPLIT_RE.split(rest)))


def _without_target(tag: str, before: str) -> str:
    """The start of a tag whose href/src was cut out (the rest of the tag follows)."""
    before = before.rstrip()
    return f"<{tag} {before}" if before else f"<{tag}"


@dataclasses.dataclass(frozen=True, slots=True)
class LinkContext:
    """How links in one page resolve."""

    pages: dict[str, str]  # PEP file name -> URL of its page (relative to the site root, percent-encoded)
    numbers: dict[int, str]  # PEP number -> URL of its page, for numbers held by one file
    repo_blob: str = ""  # URL of the PEP folder in the repository's file view ('' if unknown)
    repo_raw: str = ""  # URL of the PEP folder's raw files ('' if unknown)
    prefix: str = ""  # from the page being rendered to the site root, e.g. "../"
    root_blob: str = ""  # URL of the repository's root in its file view: what "/x" links are relative to
    root_raw: str = ""  # URL of the repository root's raw files
    # whether a PEP-*.md file name is one the site makes a page of (the template is not)
    publishes: Callable[[str], bool] = lambda name: True

    def repository_url(self, tag: str, url: str) -> str:
        """Where a relative link (or image) of the text points in the repository; '' when unknown."""
        if url.startswith("/"):  # as on GitHub: from the repository's root
            base, path = (self.root_blob if tag == "a" else self.root_raw), url[1:]
        else:
            base, path = (self.repo_blob if tag == "a" else self.repo_raw), url[2:] if url.startswith("./") else url
        return base + path if base else ""


def rewrite_target(match: re.Match, links: LinkContext | None, first: int = 0) -> str:
    """A link's or image's start tag up to its target (`match`: its tag, what comes before the target,
    the attribute, the target, from group `first` + 1 on), its target pointed where it goes on the site;
    the target cut out when its scheme is not allowed."""
    tag, before, attr, raw = match.group(first + 1, first + 2, first + 3, first + 4)
    url = html_lib.unescape(raw)
    scheme = SCHEME_RE.match(url)
    if scheme:
        if scheme.group(0).strip()[:-1].lower() in SCHEMES:
            return match.group(0)
        return _without_target(tag, before)  # any other scheme: the target goes
    if not url.strip():
        return _without_target(tag, before)  # a target safe mode emptied
    if url.startswith("#") or url.startswith("//") or links is None:
        return match.group(0)
    if tag == "a":  # a link to a proposal's file goes to its page: by its name, else by its number
        path, hash_, fragment = url.partition("#")
        path = unquote(path)  # the file's name, as a browser would ask for it
        found = PEP_LINK_RE.match(url)
        target = None
        if found:  # a Plano PEP beside this one: missing when the folder has no such file
            name = unquote(found.group(1))
            if links.publishes(name):
                target = resolve_link(name, links.pages, links.numbers)
                if target is None:
                    return (f'<{tag} {before}class="missing-link" '
                            f'title="{html_lib.escape(name)} is not in the PEP folder"')
        else:
            base = path.rpartition("/")[2]
            if base[:4].upper() != "PEP-" or links.publishes(base):  # the template is no proposal
                target = resolve_link(path, links.pages, links.numbers)
        if target is not None:
            new = html_lib.escape(links.prefix + target + hash_ + fragment)
            return f'<{tag} {before}{attr}="{new}"'
    target = links.repository_url(tag, url)
    if target:
        return f'<{tag} {before}{attr}="{html_lib.escape(target)}"'
    if tag == "a":
        return f'<{tag} {before}class="missing-link" title="{html_lib.escape(url)} is not on the website"'
    return f'<{tag} {before}data-missing="{html_lib.escape(url)}"'
