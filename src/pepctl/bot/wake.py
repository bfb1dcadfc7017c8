"""Waking idle workers when work arrives, rather than having them poll an empty queue.

- In one process, a ``Bell``: the web service rings it once a commit has marked work dirty,
  and every worker thread waiting on it wakes.
- Between `pepctl bot serve` and the worker process it starts, a shared event (any database):
  the web process sets it, a thread of the worker process rings that process's bell.
- Across processes and machines on PostgreSQL: the transaction that marks work dirty also sends
  ``NOTIFY`` on ``CHANNEL`` (delivered at commit); each worker process ``LISTEN``s and rings its
  bell.
- A `pepctl bot work` of its own on SQLite has no such signal: it polls, as before.

Whatever wakes them, workers still look at the queue every ``PEPCTL_BOT_POLL`` seconds: a
notification lost while the listening connection was down, or a timer or a retry falling due,
is found then.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("pepctl.bot")

CHANNEL = "pepctl_bot_work"
RECONNECT = 5.0  # seconds before listening again after the connection was lost


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


def relay(event, bell: Bell, stop: threading.Event) -> threading.Thread:
    """Ring ``bell`` each time another process sets ``event`` (a multiprocessing Event)."""

    def main():
        while not stop.is_set():
            if event.wait(1.0):
                event.clear()  # before ringing: a set from now on is seen by the next wait
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
