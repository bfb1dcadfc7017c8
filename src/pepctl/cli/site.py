"""pepctl site build | serve: the PEP website."""

from __future__ import annotations

import sys

import click

from pepctl.cli.group import pass_app

MISSING = (
    "the website needs the 'site' extra: pip install 'pepctl[site]' "
    "(cmarkgfm, nh3, Jinja2 and Pygments); missing: {name}"
)


def _load_site():
    try:
        import cmarkgfm  # noqa: F401 - the extra's packages, checked up front
        import jinja2  # noqa: F401
        import nh3  # noqa: F401
        import pygments  # noqa: F401

        from pepctl.site import builder, serve
    except ImportError as err:
        raise click.ClickException(MISSING.format(name=err.name or err)) from None
    return builder, serve


@click.group("site")
def command():
    """Build or serve the static website of the PEP folder."""


@command.command("build")
@click.option("-o", "--output", "out_dir", default="_site", show_default=True, metavar="DIR",
              help="Folder the site is written to (created when missing).")
@click.option("--base-url", default="", metavar="URL",
              help="Public address of the site, for absolute links in the feed and the JSON.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes that share the build, this one included (default: one per CPU; 1 = no extra process).")
@pass_app
def build(app, out_dir, base_url, jobs):
    """Build the website; a second build redoes only what changed."""
    builder, _ = _load_site()
    result = builder.build_site(app.pep_dir, out_dir, app.config, base_url, jobs=jobs)
    for warning in result.warnings:
        sys.stderr.write(f"pepctl: warning: {warning}\n")
    sys.stderr.write(result.summary() + "\n")
    return 0


@command.command("serve")
@click.option("-o", "--output", "out_dir", default="_site", show_default=True, metavar="DIR",
              help="Folder the site is built into and served from.")
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--base-url", default="", metavar="URL", help="As for `site build`.")
@click.option("--interval", default=0.5, show_default=True, type=click.FloatRange(min=0.05),
              help="Seconds between checks of the PEP folder for changes.")
@pass_app
def serve(app, out_dir, port, base_url, interval):
    """Build the site, serve it on 127.0.0.1 and rebuild when a PEP file changes (Ctrl-C stops)."""
    _, serve_module = _load_site()
    return serve_module.serve(app, out_dir, port, base_url, interval)
