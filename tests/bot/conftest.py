"""Fixtures of the bot's tests: databases (SQLite and PostgreSQL), signed deliveries, a real
uvicorn server on loopback."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("starlette")

from botwire import Served  # noqa: E402
from pgserver import PgServer  # noqa: E402


@pytest.fixture(scope="session")
def pg_server():
    if os.environ.get("PEPCTL_TEST_NO_POSTGRES") == "1":
        pytest.skip("PEPCTL_TEST_NO_POSTGRES=1: the PostgreSQL cases are skipped on purpose")
    try:
        server = PgServer().start()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'bot.sqlite3'}"


@pytest.fixture
def store(db_url):
    """A migrated store on each kind of database."""
    from pepctl.bot.store import Store

    s = Store(db_url)
    s.migrate()
    yield s
    s.dispose()


@pytest.fixture
def sqlite_store(sqlite_url):
    from pepctl.bot.store import Store

    s = Store(sqlite_url)
    s.migrate()
    yield s
    s.dispose()


@pytest.fixture
def serve_app():
    """serve_app(app) -> a running Served (stopped after the test)."""
    running = []

    def start(app):
        served = Served(app).__enter__()
        running.append(served)
        return served

    yield start
    for served in running:
        served.__exit__(None, None, None)

