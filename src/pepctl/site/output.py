"""The output folder: which folders a build may write into, and which pages of gone files it deletes.

A build writes into a folder that is missing, empty or a site pepctl built (its build cache is
beside it, or its pages bear pepctl's generator mark); anything else is refused unless forced,
so that a typo in ``-o`` never mixes a site with someone's files.
"""

from __future__ import annotations

import os

from pepctl.errors import PepctlError, UsageError
from pepctl.site import cache

GENERATOR_MARK = b'<meta name="generator" content="pepctl">'  # in the head of every page (base.html)


class SiteError(PepctlError):
    """The website could not be built or written."""


class OutputFolderError(UsageError):
    """The output folder holds files that are not a site pepctl built."""


def check_output(out_dir: str) -> None:
    """Refuse a folder that is neither empty (or missing) nor a site pepctl built: a build there would
    overwrite the files that have a page's name and mix the site with the rest."""
    try:
        entries = sorted(os.listdir(out_dir))
    except FileNotFoundError:
        return
    except OSError as err:
        raise SiteError(f"cannot read the output folder {out_dir}: {err.strerror}") from None
    if not entries or is_site(out_dir, entries):
        return
    shown = ", ".join(entries[:5]) + (f" and {len(entries) - 5} more" if len(entries) > 5 else "")
    raise OutputFolderError(
        f"{out_dir} is not empty and is not a site pepctl built (it holds {shown}); build into a new or "
        f"empty folder, or into the folder of an earlier `pepctl site build`, or add --force to build into "
        f"it anyway (files with a page's name are overwritten; no other file is deleted)")


def is_site(out_dir: str, entries: list[str]) -> bool:
    """Whether a folder holds a site pepctl built: its cache is beside it (or, from older versions, in it),
    or its index, 404 page or one of its PEP pages (a first build stopped early) bears pepctl's mark."""
    if os.path.isdir(cache.cache_dir(out_dir)) or cache.OLD_CACHE_DIR in entries:
        return True
    candidates = [os.path.join(out_dir, name) for name in ("index.html", "404.html") if name in entries]
    if "pep" in entries:
        try:
            candidates += [os.path.join(out_dir, "pep", name) for name in sorted(os.listdir(
                os.path.join(out_dir, "pep")))[:3] if name.endswith(".html")]
        except OSError:
            pass
    return any(made_by_pepctl(path) for path in candidates)


def made_by_pepctl(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return GENERATOR_MARK in handle.read(1024)
    except OSError:
        return False


def remove_stale(out_dir: str, last: cache.Cache, records: dict, warnings: list[str]) -> int:
    """Delete the pages of PEP files that are gone: those the last build's cache lists, or, with no
    cache (deleted, or an output folder built before), every page in pep/ that pepctl wrote."""
    if last.entries:  # files gone, and pages that moved (sig-a-42-spin.html back to 42-spin.html)
        current = {record.page for record in records.values()}
        stale = [out_dir + os.sep + entry.record.page for entry in last.entries.values() if entry.record.page not in current]
    else:
        stale = orphan_pages(out_dir, {record.page for record in records.values()})
    removed = 0
    for path in stale:
        try:
            os.unlink(path)
            removed += 1
        except FileNotFoundError:
            pass
        except OSError as err:
            warnings.append(f"{path}: cannot remove a stale page: {err.strerror}")
    return removed


def orphan_pages(out_dir: str, pages: set[str]) -> list[str]:
    """Pages in pep/ that no current file has and that say pepctl made them (a file of the
    user's own there is left alone)."""
    folder = os.path.join(out_dir, "pep")
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        if not name.endswith(".html") or f"pep/{name}" in pages:
            continue
        path = os.path.join(folder, name)
        if made_by_pepctl(path):
            found.append(path)
    return found
