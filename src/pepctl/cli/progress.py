"""The progress line on stderr: what the core's progress callbacks draw, on a terminal only.

The core reports progress by calling the ``progress(label, done, total)``
callback its long-running functions take; it never writes to the terminal.
A command makes one TerminalProgress and passes it in:

    with TerminalProgress() as progress:
        lint(corpus, policy, progress=progress)
"""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    """A one-line counter, redrawn at most every `interval` seconds; silent when the stream is no
    terminal or a run is shorter than `min_total` items. The line is cleared when the label
    changes and at the end, so the real output starts clean."""

    def __init__(self, stream=None, min_total: int = 200, interval: float = 0.1):
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.tty = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.tty = False
        self.min_total = min_total
        self.interval = interval
        self._label = None
        self._last = 0.0
        self._shown = False

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.tty or total < self.min_total:
            return
        if label != self._label:
            self.clear()
            self._label = label
        now = time.monotonic()
        if now - self._last >= self.interval or done >= total:
            self._last = now
            self._shown = True
            self.stream.write(f"\r{label} {done}/{total}\x1b[K")
            self.stream.flush()

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc) -> None:
        self.clear()
