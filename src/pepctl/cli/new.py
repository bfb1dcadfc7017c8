"""pepctl new TITLE [--author A]... [--slug SLUG] [--status S] [--dry-run]"""

from __future__ import annotations

import sys

import click

from pepctl.cli.group import pass_app


@click.command("new")
@click.argument("title")
@click.option("--author", "authors", multiple=True, metavar="'NAME (@HANDLE)'", help="An author; repeat for several. "
              "Default: git's user.name, with the handle of `git config github.user` or of a GitHub no-reply user.email.")
@click.option("--slug", metavar="WORDS", help="The file name's words (PEP-NNNN-WORDS.md), lower-case ASCII joined by hyphens; "
              "needed when the title has no ASCII letters (e.g. a Chinese title).")
@click.option("--status", metavar="STATE", help="Starting status, one of the config's initial-states (default: the first). "
              "Refused when the fresh file would fail `pepctl check` as that status (e.g. Under Review "
              "needs every section written): create it as Draft, then use `pepctl status`.")
@click.option("--dry-run", is_flag=True, help="Print the new file instead of writing it.")
@pass_app
def command(app, title, authors, slug, status, dry_run):
    """Create the next PEP from the template and print its path.

    The number is the highest in the folder plus one; the file is named after
    the title (or --slug). An existing file is never replaced. The PEP's row
    is added to the index when the folder has one; if the index cannot be
    written, the new file is removed again. With --status, the new file must
    pass the checks `pepctl status` asks of that status; --dry-run refuses the
    same.
    """
    from pepctl import create, formats
    from pepctl.errors import UsageError

    if app.corpus.format is not formats.PLANO:  # its own template and tooling make a new proposal there
        raise UsageError(f"{app.corpus.folder} holds {app.corpus.format.title_name}; `pepctl new` writes Plano PEPs "
                         "only: copy the process's own template to start a proposal there")
    git_note = None
    if not authors:
        author, git_note = create.git_author(app.corpus.folder)
        authors = (author,) if author else ()
    if dry_run:
        new = create.plan(app.corpus, app.policy, title, authors, status, slug=slug)
        sys.stdout.write(new.document.text)
        if not new.document.text.endswith("\n"):
            sys.stdout.write("\n")
        sys.stderr.write(f"(dry run: {new.path} not written)\n")
        return 0
    new = create.create(app.corpus, app.policy, title, authors, status, slug=slug)
    click.echo(new.path)
    if new.index_note:
        sys.stderr.write(
            f"pepctl: warning: the index {new.index_path} was not updated: {new.index_note}; "
            "fix it, then run `pepctl index`\n"
        )
    if new.authors_missing:
        sys.stderr.write(
            f"next: replace the placeholder in Author(s) with 'Name (@handle)' in {new.path} "
            f"(or pass --author{'; ' + git_note if git_note else ''}), then run `pepctl check` on it\n"
        )
    similar_peps(app, title, new.path)
    return 0


def similar_peps(app, title: str, path: str, limit: int = 3) -> None:
    """The existing PEPs most like the new one's title, on stderr (with the ``related`` extra):
    PEP-0000 asks authors to discuss first, and not to propose a declined idea again unawares."""
    from pepctl import related
    from pepctl.cli.related import match_lines

    if not related.available():
        return
    matches = related.rank(app.corpus.summaries(related.about), title, app.policy, limit, exclude=path)
    if matches:
        sys.stderr.write("existing PEPs like it (read them first; `pepctl related` lists more):\n")
        sys.stderr.write("".join(f"  {line}\n" for line in match_lines(matches, score=False)))
