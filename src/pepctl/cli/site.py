"""pepctl site build | serve: the PEP website."""

from __future__ import annotations

import os
import sys

import click

from pepctl.cli.group import pass_app
from pepctl.cli.progress import TerminalProgress
from pepctl.config import is_web_address

MISSING = (
    "the website needs the 'site' extra: pip install 'pepctl[site]' "
    "(cmarkgfm, nh3, Jinja2 and Pygments); missing: {name}"
)

FORCE_HELP = ("Build into a folder that holds other files than an earlier site (refused without it): files with a "
              "page's name are overwritten, no other file is deleted.")


def _load_site():
    try:
        import cmarkgfm  # noqa: F401 - the extra's packages, checked up front
        import jinja2  # noqa: F401
        import nh3  # noqa: F401
        import pygments  # noqa: F401

        from pepctl.site import builder, output, serve  # here: other commands never load the site, which may be missing
    except ImportError as err:
        raise click.ClickException(MISSING.format(name=err.name or err)) from None
    return builder, output, serve


def _checked_base_url(ctx, param, value: str) -> str:
    value = (value or "").strip()
    if value and not is_web_address(value):
        raise click.BadParameter(
            f"{value!r} is not the site's public address; give it in full, like https://peps.example.org/ "
            "(http or https, no ? or #), or leave it out for a site that works from any address")
    return value


def _checked_output(ctx, param, value: str) -> str:
    if not value.strip():
        raise click.BadParameter("give the folder the site is written to, e.g. -o _site")
    if os.path.exists(value) and not os.path.isdir(value):
        raise click.BadParameter(f"{value} is a file, not a folder; name a folder (it is created when missing)")
    if os.path.islink(value) and not os.path.exists(value):
        raise click.BadParameter(f"{value} is a symbolic link to {os.readlink(value)}, which does not exist; "
                                 "create that folder, or name another")
    return value


def _make_output(out_dir: str) -> None:
    """Create the output folder once the command has all it needs (a refused build leaves none)."""
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as err:
        raise click.UsageError(f"Invalid value for '-o' / '--output': cannot create the folder {out_dir}: "
                               f"{err.strerror}") from None


@click.group("site")
def command():
    """Build or serve the static website of the PEP folder."""


@command.command("build")
@click.option("-o", "--output", "out_dir", default="_site", show_default=True, metavar="DIR",
              callback=_checked_output, help="Folder the site is written to (created when missing).")
@click.option("--base-url", default="", metavar="URL", callback=_checked_base_url,
              help="Public address of the site (https://...), for absolute links in the feed, the JSON and 404.html.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes that share the build, this one included (default: one per CPU; 1 = no extra process).")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@pass_app
def build(app, out_dir, base_url, jobs, force):
    """Build the website; a second build redoes only what changed."""
    builder, output, _ = _load_site()
    app.require_peps()  # a wrong --dir must not build an empty site over the published one
    _make_output(out_dir)
    try:
        with TerminalProgress() as progress:
            result = builder.build_site(app.pep_dir, out_dir, app.config, base_url, progress=progress, jobs=jobs,
                                        force=force)
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        raise output.SiteError(f"cannot write the site into {out_dir}: {err.strerror or err}{where}") from None
    for warning in result.warnings:
        sys.stderr.write(f"pepctl: warning: {warning}\n")
    sys.stderr.write(result.summary() + "\n")
    return 0


@command.command("serve")
@click.option("-o", "--output", "out_dir", default="_site", show_default=True, metavar="DIR",
              callback=_checked_output, help="Folder the site is built into and served from.")
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--base-url", default="", metavar="URL", callback=_checked_base_url, help="As for `site build`.")
@click.option("--interval", default=0.5, show_default=True, type=click.FloatRange(min=0.05),
              help="Seconds between checks of the PEP folder for changes.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@pass_app
def serve(app, out_dir, port, base_url, interval, force):
    """Build the site, serve it on 127.0.0.1 and rebuild when a PEP file changes (Ctrl-C stops)."""
    _, _, serve_module = _load_site()
    app.require_peps()  # as for `site build`: no empty site over the published one
    _make_output(out_dir)
    with TerminalProgress() as progress:
        return serve_module.serve(app, out_dir, port, base_url, interval, progress, force=force)
