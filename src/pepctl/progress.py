"""A one-line progress counter on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """`with Progress("checking", total) as p: ... p.step()`; silent when piped or short."""

    def __init__(self, label: str, total: int, stream=None, min_total: int = 200, interval: float = 0.1):
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = total >= min_total and bool(isatty and isatty())
        self.interval = interval
        self._last = 0.0
        self._shown = False

    def step(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self.interval or self.done == self.total:
            self._last = now
            self._shown = True
            self.stream.write(f"\r{self.label} {self.done}/{self.total}")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self._shown:  # clear the line so the real output starts clean
            self.stream.write("\r" + " " * (len(self.label) + 2 * len(str(self.total)) + 2) + "\r")
            self.stream.flush()
