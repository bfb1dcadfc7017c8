"""Waking idle workers when work arrives, rather than having them poll an empty queue.

- In one process, a ``Bell``: the web service rings it once a commit has marked work dirty,
  and every worker thread waiting on it wakes.
- Between `pepctl bot serve` and the worker process it starts, a pipe (any database): the web
  process writes a byte (``Doorbell``), a thread of the worker process reads it and rings that
  process's bell.
- Across processes and machines on PostgreSQL: each worker process ``LISTEN``s on ``CHANNEL``
  and rings its bell on a ``NOTIFY``. The web service sends one after the commits that stored
  work, at most every ``NOTIFY_EVERY`` seconds and in a transaction of its own (``Notifier``):
  PostgreSQL serialises the commits of notifying transactions, and the webhook's own commits
  must not wait on each other for that. A worker's own marks (a sweep) notify in their
  transaction.
- A `pepctl bot work` of its own on SQLite has no such signal: it polls, as before.

Whatever wakes them, workers still look at the queue every ``PEPCTL_BOT_POLL`` seconds: a
notification lost while the listening connection was down, or a timer or a retry falling due,
is found then.
"""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger("pepctl.bot")

CHANNEL = "pepctl_bot_work"
RECONNECT = 5.0  # seconds before listening again after the connection was lost
NOTIFY_EVERY = 0.05  # seconds: the web service's NOTIFYs are at least this far apart


class Bell:
    """A counter of rings that threads wait on: a waiter says which ring it saw last, so a ring
    between two waits is never missed, and one ring wakes every waiter."""

    def __init__(self):
        self._changed = threading.Condition()
        self._rung = 0
        self.waiting = 0  # threads in wait() now

    def ring(self) -> None:
        with self._changed:
            self._rung += 1
            self._changed.notify_all()

    @property
    def rung(self) -> int:
        return self._rung

    def wait(self, seen: int, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a ring after ``seen``; True if there was one."""
        with self._changed:
            self.waiting += 1
            try:
                return self._changed.wait_for(lambda: self._rung != seen, timeout)
            finally:
                self.waiting -= 1


class Doorbell:
    """A pipe from the web process to the worker process it started: ``ring()`` writes a byte
    without ever blocking (a full pipe already holds a wake-up); the worker process's ``relay``
    thread reads and rings its bell. Not a multiprocessing Event: its ``set()`` waits until
    the waiting thread has woken, which would hold the web process's event loop for as long as
    the worker process, at its lower priority, waits for a CPU."""

    def __init__(self, context):
        self.reader, self.writer = context.Pipe(duplex=False)
        self.fd = self.writer.fileno()
        os.set_blocking(self.fd, False)

    def ring(self) -> None:
        try:
            os.write(self.fd, b"\0")
        except OSError:  # full (a wake-up is pending already), or the worker process is away
            pass


def relay(reader, bell: Bell, stop: threading.Event) -> threading.Thread:
    """Ring ``bell`` each time the web process rings its ``Doorbell`` (``reader`` is its end)."""

    def main():
        fd = reader.fileno()
        while not stop.is_set():
            if reader.poll(1.0):
                os.read(fd, 65536)  # every ring so far: one wake-up
                bell.ring()

    thread = threading.Thread(target=main, name="pepctl-bot-wake-relay", daemon=True)
    thread.start()
    return thread


def listen(url: str, bell: Bell, stop: threading.Event) -> threading.Thread:
    """Ring ``bell`` on each ``NOTIFY`` on ``CHANNEL`` of the PostgreSQL database at ``url`` (a
    SQLAlchemy URL), listening again after the connection drops."""
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    def main():
        while not stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    bell.ring()  # work may have come while nobody listened
                    while not stop.is_set():
                        for _ in connection.notifies(timeout=1.0):
                            bell.ring()
            except psycopg.Error as err:
                log.warning("pepctl bot: not listening for new work (%s); the workers poll until it is back",
                            str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__)
                stop.wait(RECONNECT)

    thread = threading.Thread(target=main, name="pepctl-bot-listen", daemon=True)
    thread.start()
    return thread


def notify(connection) -> None:
    """Within a transaction that marked work dirty: wake the listening workers at its commit
    (PostgreSQL; a no-op elsewhere). PostgreSQL sends one notification per transaction."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"NOTIFY {CHANNEL}")


class Notifier:
    """``NOTIFY`` for the web service: ``ring()`` (cheap, from the event loop) asks for one; a
    thread sends it, then waits ``NOTIFY_EVERY`` seconds, so a burst of commits is one
    notification. The workers settle a pull request's events anyway (``PEPCTL_BOT_SETTLE_MS``)."""

    def __init__(self, store):
        self.store = store
        self.wanted = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.main, name="pepctl-bot-notify", daemon=True)
        self.thread.start()

    def ring(self) -> None:
        self.wanted.set()

    def main(self) -> None:
        while not self.stop.is_set():
            if not self.wanted.wait(1.0):
                continue
            self.wanted.clear()
            try:
                with self.store.begin() as connection:
                    notify(connection)
            except Exception as err:  # noqa: BLE001 -- the workers' safety-net poll finds the work
                log.warning("pepctl bot: cannot notify the workers (%s)", str(err).strip().splitlines()[0]
                            if str(err).strip() else type(err).__name__)
            self.stop.wait(NOTIFY_EVERY)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
