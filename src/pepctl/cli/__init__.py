"""Command line entry point.

``main`` first tries the fast path (a plain ``pepctl check`` as run by
pre-commit), which answers without importing click; everything else goes to
the click group in ``pepctl.cli.group``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None, fast_path: bool = True) -> int:
    """Run the command line. A user's error is written by ``app.report`` (from the click
    group, or here for the fast path); anything else is a bug: one line, never a traceback
    (PEPCTL_DEBUG=1 shows it). `fast_path=False` sends even a plain check through click
    (the tests compare the two).
    """
    from pepctl.cli.app import report
    from pepctl.errors import PepctlError

    # [*argv], not list(argv): once `pepctl list` has run in this process, `list` here is its module
    args = sys.argv[1:] if argv is None else [*argv]
    for stream in (sys.stdout, sys.stderr):
        # a pipe or file in another encoding (LANG=C, a Windows code page) shows what it cannot
        # encode as escapes instead of failing on the first non-ASCII title
        if (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "") != "utf8":
            try:
                stream.reconfigure(errors="backslashreplace")
            except (AttributeError, ValueError):
                pass
    try:
        if fast_path:
            from pepctl.cli import fast

            code = fast.try_run(args)
            if code is not None:
                return code
        from pepctl.cli.group import run

        return run(args)
    except PepctlError as err:  # from the fast path: the click group reports its own
        return report(err)
    except KeyboardInterrupt:
        sys.stderr.write("pepctl: interrupted\n")
        return 130
    except Exception as err:  # a bug: say so in one line, never a traceback
        if os.environ.get("PEPCTL_DEBUG"):
            raise
        sys.stderr.write(
            f"pepctl: internal error: {type(err).__name__}: {err}\n"
            "This is a bug in pepctl; run again with PEPCTL_DEBUG=1 to see where, and report it.\n"
        )
        return 1


def script() -> None:
    """The ``pepctl`` command (and ``python -m pepctl``): main(), then end the process at once.

    A site build or a whole-folder check ends holding hundreds of thousands of
    objects, which the interpreter would free one by one on the way out: about
    50 ms after a site build, for nothing. Output is flushed first; nothing
    else is left to do (files are written and closed, worker processes waited
    for). Code calling main() itself is not affected.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`pepctl list | head`): nothing more can be said
            pass
    os._exit(code if isinstance(code, int) else 1)
