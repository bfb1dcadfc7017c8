"""pepctl related N | --text TEXT [--limit K] [--format text|json]"""

from __future__ import annotations

import click

from pepctl.cli.completion import complete_numbers
from pepctl.cli.group import pass_app
from pepctl.errors import PepctlError, UsageError
from pepctl.model import format_number, require_number


@click.command("related")
@click.argument("number", required=False, metavar="[N]", shell_complete=complete_numbers)
@click.option("--text", metavar="TEXT", help="Rank against this text (say, the title of an idea) instead of PEP N.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100), help="How many PEPs to list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_app
def command(app, number, text, limit, fmt):
    """List the PEPs most like PEP N (or like --text), declined and withdrawn ones first.

    Before proposing an idea, read why a similar one was declined or withdrawn: PEP-0000 asks
    authors to discuss first. Ranking is BM25 over titles and opening sections (the `related`
    extra: pip install 'pepctl[related]').
    """
    if (number is None) == (text is None):
        raise UsageError("give a PEP number or --text (one of them), e.g. `pepctl related 42` or "
                         "`pepctl related --text \"response cache\"`")
    try:
        import bm25s  # noqa: F401
    except ImportError:
        raise UsageError("pepctl related ranks with bm25s: pip install 'pepctl[related]'") from None
    from pepctl.related import about, rank

    app.require_peps()
    candidates = app.corpus.summaries(about)
    exclude = None
    if number is not None:
        wanted = require_number(number)
        asked = [c for c in candidates if c.number == wanted]
        if not asked:
            raise PepctlError(f"no readable PEP numbered {format_number(wanted)} in {app.corpus.folder}")
        text, exclude = asked[0].text, asked[0].path
    matches = rank(candidates, text, app.policy, limit, exclude)
    if fmt == "json":
        import json

        click.echo(json.dumps([{"number": m.candidate.number, "title": m.candidate.title, "status": m.candidate.status,
                                "path": m.candidate.path, "score": round(m.score, 3), "settled": m.settled}
                               for m in matches], indent=2, ensure_ascii=False))
        return 0
    if not matches:
        click.echo("no PEP shares words with it", err=True)
        return 0
    for line in match_lines(matches):
        click.echo(line)
    return 0


def match_lines(matches, score: bool = True) -> list[str]:
    """One line per match: number, status, (score,) title, and the note on declined and withdrawn ones."""
    width = max((len(m.candidate.status) for m in matches), default=0)
    lines = []
    for m in matches:
        shown = format_number(m.candidate.number) if m.candidate.number is not None else "????"
        note = f"  ({m.candidate.status.lower()}: read why before proposing it again)" if m.settled else ""
        points = f"  {m.score:6.1f}" if score else ""
        lines.append(f"{shown}  {m.candidate.status:<{width}}{points}  {m.candidate.title}{note}")
    return lines
