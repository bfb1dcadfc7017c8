"""Starting workers: each in a thread of its own with its own event loop, woken when work arrives
if anything can say so; ``pepctl bot work``, and the worker process ``pepctl bot serve`` starts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading

from pepctl.bot import wake
from pepctl.bot.auth import AppAuth
from pepctl.bot.store import first_line
from pepctl.bot.wake import Bell
from pepctl.bot.worker import Worker

log = logging.getLogger("pepctl.bot")


def make_auth(settings, metrics=None) -> AppAuth:
    settings.require_app()
    return AppAuth(settings.app_id, settings.private_key_pem(), settings.api_url, metrics=metrics)


def run_in_thread(settings, store, metrics, stop: threading.Event, n: int = 0, auth=None,
                  bell: Bell | None = None) -> threading.Thread:
    """A worker in its own thread with its own event loop (the web server keeps the main one)."""
    worker = Worker(settings, store, metrics, auth or make_auth(settings, metrics), startup=True, bell=bell)

    def main():
        try:
            asyncio.run(worker.run(stop))
        except Exception as err:  # noqa: BLE001 -- a bug (the database being away does not end a worker)
            thread.failure = err  # the caller (``stopped``) says so, and ends the process

    thread = threading.Thread(target=main, name=f"pepctl-bot-worker-{n}", daemon=True)
    thread.failure = None
    thread.start()
    return thread


def stopped(threads: list[threading.Thread], who: str) -> int:
    """The exit status once the workers ended: 0 when they were asked to stop; 1, and one line
    (with the error's traceback), when one died of an unexpected error, so that a supervisor
    starts the process again instead of it running on without its workers."""
    failed = [t for t in threads if getattr(t, "failure", None) is not None]
    if not failed:
        return 0
    err = failed[0].failure
    log.error("%s: %d of %d worker(s) stopped on an unexpected error (%s: %s); the others were stopped too, "
              "and the process ends with exit status 1 for its supervisor to start it again",
              who, len(failed), len(threads), type(err).__name__, first_line(err), exc_info=err)
    return 1


def run_workers(settings, store, metrics, auth, stop: threading.Event, doorbell=None) -> tuple[list, Bell | None]:
    """``settings.workers`` worker threads (at least one), woken when work arrives if anything can
    say so: ``doorbell`` (the reading end of the pipe of the `serve` process that started this
    one) or, on PostgreSQL, NOTIFY. Without either (a `pepctl bot work` of its own on SQLite)
    they poll."""
    bell = None
    if doorbell is not None or store.dialect == "postgresql":
        bell = Bell()
        if doorbell is not None:
            wake.relay(doorbell, bell, stop)
        if store.dialect == "postgresql":
            wake.listen(store.url, bell, stop)
    threads = [run_in_thread(settings, store, metrics, stop, n, auth, bell) for n in range(max(1, settings.workers))]
    return threads, bell


def halt(stop: threading.Event, bell: Bell | None) -> None:
    stop.set()
    if bell is not None:
        bell.ring()  # the idle workers look up, see the stop, and end


def work(settings, *, once: bool = False) -> int:
    """``pepctl bot work``: workers without the web server, until SIGTERM/SIGINT (or, ``once``,
    until nothing is ready)."""
    import signal

    from pepctl.bot.metrics import Metrics
    from pepctl.bot.serve import open_store

    store = open_store(settings)
    metrics = Metrics()
    auth = make_auth(settings, metrics)
    if once:
        try:
            asyncio.run(Worker(settings, store, metrics, auth).run(once=True))
        except Exception as err:  # a bug: one line, with its traceback to report it, and exit status 1
            log.error("pepctl bot work --once: stopped on an unexpected error (%s: %s); exit status 1",
                      type(err).__name__, first_line(err), exc_info=err)
            return 1
        finally:
            store.dispose()
        return 0
    stop = threading.Event()
    threads, bell = run_workers(settings, store, metrics, auth, stop)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: halt(stop, bell))
    while not stop.is_set() and all(t.is_alive() for t in threads):
        threads[0].join(timeout=0.5)
    halt(stop, bell)  # asked to stop, or a worker died: the others finish the row in hand and end
    for thread in threads:
        thread.join()
    store.dispose()
    return stopped(threads, "pepctl bot work")


def child(settings, doorbell, stop_event, metrics_out) -> None:
    """The worker process `pepctl bot serve` starts (``pepctl.bot.serve.WorkerProcess``): its
    workers at a lower CPU priority, so that the web process answers first when both want the
    CPU; woken through ``doorbell``; stopped by ``stop_event`` (or SIGTERM); its metrics sent to
    the web process through ``metrics_out`` every second."""
    import signal

    from pepctl.bot.metrics import Metrics
    from pepctl.bot.serve import open_store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the web process stops us
    terminated = threading.Event()  # not stop_event.set() in the handler: that waits for its own waiter
    signal.signal(signal.SIGTERM, lambda *_: terminated.set())
    if settings.worker_nice:
        with contextlib.suppress(OSError):
            os.nice(settings.worker_nice)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    store = open_store(settings)
    metrics = Metrics()
    auth = make_auth(settings, metrics)
    stop = threading.Event()
    threads, bell = run_workers(settings, store, metrics, auth, stop, doorbell)
    try:
        while not terminated.wait(1.0) and not stop_event.is_set() and all(t.is_alive() for t in threads):
            metrics_out.send(metrics.families())
    except (BrokenPipeError, EOFError, OSError):
        pass  # the web process is gone
    finally:
        halt(stop, bell)
        for thread in threads:
            thread.join(timeout=settings.lease_seconds)
        with contextlib.suppress(BrokenPipeError, EOFError, OSError):
            metrics_out.send(metrics.families())
        store.dispose()
    if stopped(threads, "pepctl bot serve's worker process"):
        raise SystemExit(1)  # the web process starts it again
