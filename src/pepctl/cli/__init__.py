"""Command line entry point.

``main`` first tries the fast path (a plain ``pepctl check`` as run by
pre-commit), which answers without importing click; everything else goes to
the click group in ``pepctl.cli.group``.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    from pepctl.cli import fast

    code = fast.try_run(args)
    if code is not None:
        return code
    from pepctl.cli.group import run

    return run(args)
