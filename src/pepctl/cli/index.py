"""pepctl index [--check]"""

from __future__ import annotations

import os
import sys

import click

from pepctl.cli.group import pass_app
from pepctl.errors import PepctlError, UsageError
from pepctl.fsutil import atomic_write, read_source
from pepctl.report import unified_diff


@click.command("index")
@click.option("--check", is_flag=True, help="Write nothing; print a diff and exit 1 when the index is stale.")
@pass_app
def command(app, check):
    """Rewrite the table under '## Index' in the index file (PEP-0000 by default).

    Only the table's rows change; the file is written only when they differ.
    Rows follow the table's header: pepctl fills the PEP, Title, Status and
    Author columns and keeps every other cell as it is. The row of a PEP file
    that cannot be read is kept as it is.
    """
    corpus = app.corpus
    path = corpus.index_path
    note = getattr(corpus.format, "index_note", None)
    if path is None and note is not None:  # a dialect that keeps no index file (docs/formats.md)
        if check:
            click.echo(f"pepctl: {note}; nothing to check", err=True)
            return 0
        raise UsageError(f"{note}; there is no index file to write (set 'index-file' to keep one)")
    if path is None:
        raise UsageError(
            f"no index file in {corpus.folder}: add a PEP numbered 0000 with an '## Index' section, "
            "or set 'index-file' in the config"
        )
    if not os.path.isfile(path):
        raise _no_index_file(corpus, path)
    if check:
        return run_index(corpus, path, check)
    from pepctl.corpus import Corpus
    from pepctl.fsutil import folder_lock

    with folder_lock(corpus.folder):  # a `new` running at the same time waits, and its row is kept
        fresh = Corpus(corpus.folder, corpus.config)  # list and read the folder now, inside the lock
        path = fresh.index_path or path
        if not os.path.isfile(path):
            raise _no_index_file(fresh, path)
        return run_index(fresh, path, check)


def _no_index_file(corpus, path: str) -> UsageError:
    """The usage error for an index path that is no file: missing, or a folder."""
    if not os.path.isdir(path):
        return UsageError(f"the index file {path} does not exist; create it or fix 'index-file' in the config")
    where = ("'index-file' in the config names it" if corpus.config.index_file
             else "it is the PEP numbered 0000, where the index lives unless 'index-file' in the config names another")
    return UsageError(f"the index file {path} is a folder, not a file ({where}); point 'index-file' at the Markdown "
                      "file holding the '## Index' table, relative to the PEP folder")


def run_index(corpus, path: str, check: bool) -> int:
    from pepctl.document import Document, DocumentError
    from pepctl.index import IndexFormatError, expected_rows, rewrite, unreadable
    from pepctl.model import summary_of

    try:
        before = read_source(path)
        document = Document.from_bytes(before, path)
    except OSError as err:
        raise PepctlError(f"{path}: cannot read the index file: {err.strerror}") from None
    except DocumentError as err:
        raise PepctlError(f"{path}:{err.line}:{err.column}: {err.message}") from None
    records = corpus.summaries(summary_of)
    rows = expected_rows(records, path)
    try:
        result = rewrite(document, rows, unreadable(corpus, records), path)
    except IndexFormatError as err:
        raise PepctlError(f"{path}:{err.line}: {err.message}") from None
    for pep in result.kept:
        sys.stderr.write(
            f"pepctl: warning: {pep.path}:{pep.line}: {pep.reason}; the file cannot be read, so its index row "
            "was kept as it was (run `pepctl index` again once the file is fixed)\n"
        )
    for pep in result.unlisted:
        sys.stderr.write(
            f"pepctl: warning: {pep.path}:{pep.line}: {pep.reason}; the file cannot be read, so it has no index row "
            "(run `pepctl index` again once the file is fixed)\n"
        )
    if result.text is None:
        click.echo("index up to date")
        return 0
    after = Document(result.text, path, document.bom).to_bytes()
    if check:
        sys.stdout.write(unified_diff(path, before, after))
        sys.stderr.write(f"{path}: the index is stale; run `pepctl index` to update it\n")
        return 1
    from pepctl.transition import refuse_changed

    refuse_changed([(path, before)], "the index update")  # saved in an editor while the PEPs were read
    try:
        atomic_write(path, after)
    except OSError as err:
        raise PepctlError(f"{path}: cannot write the index file: {err.strerror}") from None
    rows = result.rows
    kept = ""
    if result.kept:
        was = "it was" if len(result.kept) == 1 else "they were"
        kept = f" ({len(result.kept)} kept as {was}: the file cannot be read)"
    click.echo(f"index updated: {rows} row{'' if rows == 1 else 's'}{kept}")
    return 0


