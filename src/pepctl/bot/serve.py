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


def serve(settings) -> int:
    """Run until SIGINT/SIGTERM: uvicorn in this thread, ``settings.workers`` workers beside it."""
    import uvicorn

    from pepctl.bot.app import create_app
    from pepctl.bot.metrics import Metrics

    settings.require_secret()
    if settings.workers:
        settings.require_app()
    store = open_store(settings)
    metrics = Metrics(store)
    stop = threading.Event()
    threads = []

    def on_stop():
        # uvicorn's shutdown (SIGTERM, SIGINT): let the workers finish the row in hand
        stop.set()
        for thread in threads:
            thread.join(timeout=settings.lease_seconds)
        store.dispose()
        log.warning("pepctl bot: stopped")

    auth = None
    if settings.app_id and settings.private_key:
        from pepctl.bot.worker import make_auth

        auth = make_auth(settings, metrics)
        if not settings.bot_login:  # to know the App's own comments when their events come back
            try:
                settings.bot_login = auth.login()
            except GitHubError as err:
                log.warning("pepctl bot: cannot ask GitHub for the App's login (%s); its own comments are "
                            "still known by the App id they carry", err)
    app = create_app(settings, store, metrics, on_stop)
    if settings.workers:
        from pepctl.bot.worker import run_in_thread

        threads = [run_in_thread(settings, store, metrics, stop, n, auth) for n in range(settings.workers)]
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning",
                            access_log=False, lifespan="on", server_header=False)
    log.warning("pepctl bot: listening on http://%s:%d (database %s, %d worker(s))",
                settings.host, settings.port, store.describe(), settings.workers)
    uvicorn.Server(config).run()  # after a clean stop on a signal, uvicorn ends the process by that signal
    return 0
