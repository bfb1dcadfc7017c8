"""The PEP folder: which files are PEPs, loading them, numbers."""

from __future__ import annotations

import fnmatch
import os
import re
from collections import namedtuple

from pepctl import fanout, formats
from pepctl.config import Config, ConfigError
from pepctl.document import Document, DocumentError
from pepctl.fsutil import git_root, read_source
from pepctl.model import Pep, next_numbers, number_from_filename


class Entry(namedtuple("Entry", "path pep error size")):
    """One file of the folder: a parsed Pep, or the DocumentError that stopped parsing; its size in bytes."""

    __slots__ = ()

    @property
    def number(self) -> int | None:
        return self.pep.number if self.pep is not None else number_from_filename(self.path)


def read_error(err: OSError, path: str, header_format=None) -> str:
    """Why a proposal's file could not be read: the format's own words for a listed file that is
    missing (a KEP folder without its kep.yaml), else the system's."""
    missing = getattr(header_format, "missing_file", None)
    if missing is not None and isinstance(err, FileNotFoundError):
        return missing(path)
    return f"cannot read the file: {err.strerror}"


def load_entry(path: str, header_format=None) -> Entry:
    try:
        data = read_source(path)
    except OSError as err:
        return Entry(path, None, DocumentError(read_error(err, path, header_format), kind="unreadable"), 0)
    try:
        return Entry(path, Pep(Document.from_bytes(data, path, header_format), path), None, len(data))
    except DocumentError as err:
        return Entry(path, None, err, len(data))


def _writes_number(data: bytes, number: int) -> bool:
    """Whether the bytes before the first `## ` section hold `number` as a whole number (zeros
    before it allowed): a literal search first, at C speed, then a look at what is before it."""
    end = data.find(b"\n## ")
    for match in re.compile(rb"%d(?![0-9])" % number).finditer(data, 0, end if end != -1 else len(data)):
        at = match.start()
        while at and data[at - 1] == 48:  # b"0"
            at -= 1
        if not at or not 48 <= data[at - 1] <= 57:
            return True
    return False


def is_pep_name(name: str) -> bool:
    """Whether a file name has the shape of a PEP file: PEP-*.md."""
    return name.startswith("PEP-") and name.endswith(".md")


def is_pep_file(name: str, template: str, exclude=()) -> bool:
    """Whether a file name (no folder) in the PEP folder is a PEP: PEP-*.md, not the template
    (a path: its last part counts), not matched by an `exclude` pattern."""
    if not is_pep_name(name):
        return False
    if name == template.replace("\\", "/").rsplit("/", 1)[-1]:
        return False
    return not any(fnmatch.fnmatch(name, pattern) for pattern in exclude)


def holds_peps(folder: str) -> bool:
    """Whether a folder holds PEP-*.md files, or the proposals of another format (formats.detect)."""
    try:
        if any(is_pep_name(n) for n in os.listdir(folder)):
            return True
    except OSError:
        return False
    return formats.detect(folder) != "plano"


def find_pep_dir(config: Config, explicit: str | None = None, cwd: str | None = None) -> str:
    """The PEP folder: --dir, else the config's pep-dir, else docs/peps or the current folder."""
    cwd = cwd or os.getcwd()
    if explicit:
        if not os.path.isdir(explicit):
            raise ConfigError(f"--dir {explicit}: no such folder")
        return explicit
    if config.pep_dir:
        folder = os.path.join(config.root, config.pep_dir)
        if not os.path.isdir(folder):
            raise ConfigError(f"{config.source}: 'pep-dir' is {config.pep_dir!r}, but {folder} is not a folder")
        return os.path.relpath(folder, cwd) if not os.path.isabs(config.pep_dir) else folder
    root = git_root(cwd)
    if root is not None:
        candidate = os.path.join(root, "docs", "peps")
        if os.path.isdir(candidate):
            return os.path.relpath(candidate, cwd)
    if holds_peps(cwd):
        return "."
    raise ConfigError(
        "no PEP folder found: expected docs/peps under the git root, or PEP-*.md files in the current folder; "
        "name it with --dir PATH or set 'pep-dir' in pepctl.toml"
    )


class Corpus:
    """The PEP files of one folder, in file-name order, each parsed on first use."""

    def __init__(self, folder: str, config: Config | None = None):
        self.folder = folder
        self.config = config or Config()
        self.format = formats.of(self.config)  # the header format of its files (see formats.configure)
        self._dialect = self.format is not formats.PLANO
        self._paths: list[str] | None = None
        self._cache: dict[str, Entry] = {}
        self._by_name: dict | None = None  # number in the file name -> paths, made on first find()

    @property
    def template_path(self) -> str:
        return os.path.join(self.folder, self.config.template)

    def is_pep_file(self, name: str) -> bool:
        if self._dialect:
            return self.format.is_proposal(name) and not any(fnmatch.fnmatch(name, p) for p in self.config.exclude)
        return is_pep_file(name, self.config.template, self.config.exclude)

    def looked_for(self) -> str:
        """What this folder's PEP files are, for a message when there are none."""
        if self._dialect:
            what = f"{self.format.name} proposals"
        else:
            what = f"PEP-NNNN-*.md files (the template {os.path.basename(self.config.template)} is not one)"
            if not getattr(self.config, "format", ""):  # detected: say how to name a format it did not recognise
                from pepctl.formats.detection import NUMBERED_RE

                try:
                    numbered = sorted(n for n in os.listdir(self.folder) if NUMBERED_RE.fullmatch(n))
                except OSError:
                    numbered = []
                if numbered:
                    what += (f"; {numbered[0]}{' and the like' if len(numbered) > 1 else ''} opens with no header pepctl "
                             "recognises; if it is another process's proposal, name its format with `format` in "
                             f"pepctl.toml ({', '.join(formats.NAMES[1:])})")
        if self.config.exclude:
            what += f", less those matching exclude = {list(self.config.exclude)}"
        return what

    def number_from_name(self, path: str) -> int | None:
        return self.format.number_from_name(path) if self._dialect else number_from_filename(path)

    def companions(self, path: str) -> list[str]:
        """Files besides a PEP file that its page shows (a KEP's README.md); none in most formats."""
        return self.format.companion_paths(path) if self._dialect else []

    def paths(self) -> list[str]:
        if self._paths is None and self._dialect:
            listed = self.format.list_paths(self.folder)
            if listed is not None:
                self._paths = [p for p in listed if not any(fnmatch.fnmatch(os.path.basename(p), x)
                                                            for x in self.config.exclude)]
        if self._paths is None:
            try:
                names = sorted(os.listdir(self.folder))
            except OSError as err:
                raise ConfigError(f"{self.folder}: cannot list the PEP folder: {err.strerror}") from None
            names = [n for n in names if self.is_pep_file(n)]
            folder = os.path.normpath(self.folder)
            prefix = "" if folder == "." else os.path.join(folder, "")  # so every path is already normalised
            self._paths = [prefix + n for n in names]
        return self._paths

    def entry(self, path: str) -> Entry:
        """The parsed entry for a path (cached)."""
        key = os.path.normpath(path)
        entry = self._cache.get(key)
        if entry is None:
            entry = self._cache[key] = load_entry(path, self.format)
        return entry

    def cached(self, path: str) -> Entry | None:
        """The entry if it was already parsed, else None (parses nothing)."""
        entry = self._cache.get(path)  # paths() hands out normalised paths: try as is first
        return entry if entry is not None or not self._cache else self._cache.get(os.path.normpath(path))

    def contains(self, path: str) -> bool:
        """True when `path` is one of this folder's PEP files."""
        if getattr(self.format, "nested", False):  # one folder per proposal (KEP)
            real = os.path.realpath(path)
            return any(os.path.realpath(p) == real for p in self.paths())
        folder = os.path.dirname(path) or "."
        try:
            same = os.path.samefile(folder, self.folder)
        except OSError:
            return False
        return same and self.is_pep_file(os.path.basename(path))

    @property
    def entries(self) -> list[Entry]:
        return [self.entry(p) for p in self.paths()]

    def peps(self) -> list[Pep]:
        return [e.pep for e in self.entries if e.pep is not None]

    def summaries(self, extract) -> list:
        """[extract(pep) for every PEP that parses], in path order.

        A large folder not yet parsed is read in several processes (see
        pepctl.fanout); `extract` must return something picklable.
        """
        def one(path):
            entry = self.entry(path)
            return extract(entry.pep) if entry.pep is not None else None

        paths = self.paths()
        if all(self.cached(p) is not None for p in paths):
            results = [one(p) for p in paths]
        else:
            results = fanout.map_items(one, paths)
        return [r for r in results if r is not None]

    def numbers(self) -> dict[int, list[str]]:
        """Number -> paths. Parsed files count by their PEP field; others by file name."""
        table: dict[int, list[str]] = {}
        for path in self.paths():
            cached = self._cache.get(os.path.normpath(path))
            number = cached.number if cached is not None else self.number_from_name(path)
            if number is not None:
                table.setdefault(number, []).append(path)
        return table

    def find(self, number: int) -> list[Entry]:
        """Entries numbered `number`: by file name first, confirmed by parsing."""
        if self._by_name is None:
            self._by_name = {}
            for path in self.paths():
                self._by_name.setdefault(self.number_from_name(path), []).append(path)
        hits = self._by_name.get(number, [])
        entries = [self.entry(p) for p in hits]
        if not entries:
            entries = [e for e in self.entries if e.number == number]
        return entries

    def find_all(self, number: int) -> list[Entry]:
        """Entries numbered `number` as a whole-folder `pepctl check` counts them (X001): `find`'s,
        then every other file whose header gives that number (its file name another).

        Only files that write the number before their first section (where every format keeps
        its header) are parsed to be sure, so a lookup does not parse the whole folder."""
        entries = self.find(number)
        if not entries:  # find has parsed every file already
            return entries
        named = {os.path.normpath(e.path) for e in entries}
        for path in self.paths():
            if os.path.normpath(path) in named:
                continue
            entry = self.cached(path)
            if entry is None:
                try:
                    data = read_source(path)
                except OSError:
                    continue
                if not _writes_number(data, number):
                    continue
                entry = self.entry(path)
            if entry.pep is not None and entry.pep.number == number:
                entries.append(entry)
        return entries

    def next_number(self, taken: set[int] | None = None) -> int:
        """Highest number in the folder + 1 (never 0), skipping the numbers in `taken` (open pull
        requests'): `model.next_numbers`, as the gate counts (R016)."""
        return next_numbers(self.numbers(), taken or ())[0]

    @property
    def index_path(self) -> str | None:
        """The file holding the '## Index' table: configured, else the PEP numbered 0."""
        if self.config.index_file:
            return os.path.join(self.folder, self.config.index_file)
        if self._dialect:  # a dialect's index, if it has one, is generated elsewhere (docs/formats.md)
            return None
        for path in self.paths():
            if number_from_filename(path) == 0:
                return path
        return None
