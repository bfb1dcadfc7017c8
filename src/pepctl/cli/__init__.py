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
