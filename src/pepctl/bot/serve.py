"""``pepctl bot serve``: the web service under uvicorn, with worker threads beside it."""

from __future__ import annotations

import logging
import threading

from pepctl.errors import UsageError
from pepctl.github.errors import GitHubError

log = logging.getLogger("pepctl.bot")


def ensure_installed() -> None:
    try:
        import alembic  # noqa: F401
        import gidgethub  # noqa: F401
        import jwt  # noqa: F401
        import sqlalchemy  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as err:
        raise UsageError(f"`pepctl bot` needs the bot extra ({err.name} is missing): pip install 'pepctl[bot]'") from None


def open_store(settings, *, check: bool = True):
    from pepctl.bot.store import Store

    store = Store(settings.database_url)
    if check:
        store.check_schema()
    return store


class WorkerProcess:
    """The workers of `pepctl bot serve`, in a process of their own (started, watched, restarted
    if it dies, stopped with the server).

    A gate run parses and decides for tens of milliseconds at a time; in the web process it
    would hold the interpreter lock while webhooks wait. In a process of its own, at a lower
    CPU priority (``PEPCTL_BOT_WORKER_NICE``), it runs on another CPU when there is one and
    yields the CPU to the web process when there is not. The web process rings ``wake`` after
    each commit that marked work dirty (a byte down a pipe); the worker process sends its
    metrics back for ``GET /metrics``.
    """

    RESTART = 5.0  # seconds before a worker process that died is started again

    def __init__(self, settings, metrics):
        import multiprocessing

        from pepctl.bot.wake import Doorbell

        self.settings = settings
        self.metrics = metrics
        self.context = multiprocessing.get_context("spawn")  # a clean interpreter: no threads or sockets copied
        self.wake = Doorbell(self.context)
        self.stopping = self.context.Event()
        self.process = None
        self.watcher = threading.Thread(target=self.watch, name="pepctl-bot-worker-process", daemon=True)

    def start(self) -> WorkerProcess:
        self.launch()
        self.watcher.start()
        return self

    def launch(self) -> None:
        from pepctl.bot.launch import child

        receive, send = self.context.Pipe(duplex=False)
        self.process = self.context.Process(target=child, name="pepctl-bot-worker",
                                            args=(self.settings, self.wake.reader, self.stopping, send))
        self.process.start()
        send.close()  # the child holds the only sending end: its exit ends our reads
        self.receive = receive

    def watch(self) -> None:
        while True:
            try:
                while True:
                    self.metrics.others["workers"] = self.receive.recv()
            except (EOFError, OSError):
                pass
            self.process.join()
            self.receive.close()
            if self.stopping.is_set():
                return
            log.error("pepctl bot: the worker process ended (exit code %s); starting it again in %g s",
                      self.process.exitcode, self.RESTART)
            if self.stopping.wait(self.RESTART):
                return
            self.launch()

    def stop(self) -> None:
        self.stopping.set()
        self.watcher.join(timeout=self.settings.lease_seconds + 5)
        if self.process is not None and self.process.is_alive():
            self.process.kill()


def serve(settings) -> int:
    """Run until SIGINT/SIGTERM: uvicorn in this process, ``settings.workers`` workers in a
    worker process beside it (``WorkerProcess``)."""
    import uvicorn

    from pepctl.bot.app import create_app
    from pepctl.bot.metrics import Metrics

    settings.require_secret()
    if settings.workers:
        settings.require_app()
    store = open_store(settings)
    metrics = Metrics(store)
    workers = notifier = None

    def on_stop():
        # uvicorn's shutdown (SIGTERM, SIGINT): let the workers finish the row in hand
        if workers is not None:
            workers.stop()
        if notifier is not None:
            notifier.close()
        store.dispose()
        log.warning("pepctl bot: stopped")

    if settings.app_id and settings.private_key and not settings.bot_login:
        from pepctl.bot.launch import make_auth

        try:  # to know the App's own comments when their events come back
            settings.bot_login = make_auth(settings, metrics).login()
        except GitHubError as err:
            log.warning("pepctl bot: cannot ask GitHub for the App's login (%s); its own comments are "
                        "still known by the App id they carry", err)
    wakes = []  # after a commit that stored work: wake this service's worker process, and on
    # PostgreSQL the workers of every process (wake.py)
    if settings.workers:
        workers = WorkerProcess(settings, metrics).start()
        wakes.append(workers.wake.ring)
    if store.dialect == "postgresql":
        from pepctl.bot.wake import Notifier

        notifier = Notifier(store)
        wakes.append(notifier.ring)

    def on_stored():
        for wake in wakes:
            wake()

    app = create_app(settings, store, metrics, on_stop, on_stored=on_stored if wakes else None)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning",
                            access_log=False, lifespan="on", server_header=False)
    log.warning("pepctl bot: listening on http://%s:%d (database %s, %d worker(s) in process %s)",
                settings.host, settings.port, store.describe(), settings.workers,
                workers.process.pid if workers else "-")
    uvicorn.Server(config).run()  # after a clean stop on a signal, uvicorn ends the process by that signal
    return 0
