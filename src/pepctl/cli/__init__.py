"""Command line entry point.

``main`` first tries the fast path (a plain ``pepctl check`` as run by
pre-commit), which answers without importing click; everything else goes to
the click group in ``pepctl.cli.group``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        from pepctl.cli import fast

        code = fast.try_run(args)
        if code is not None:
            return code
        from pepctl.cli.group import run

        return run(args)
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
