"""Fixtures of the bot's tests: databases (SQLite and PostgreSQL), signed deliveries, a real
uvicorn server on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import uuid

import pytest

pytest.importorskip("starlette")

from pgserver import PgServer  # noqa: E402

from pepctl.bot.signature import sign  # noqa: E402

SECRET = "It's a Secret to Everybody"


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


def delivery(event: str, payload: dict, secret: str = SECRET, guid: str | None = None):
    """(body, headers) of a delivery signed as GitHub signs it."""
    body = json.dumps(payload).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": guid or str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(secret.encode(), body),
        "User-Agent": "GitHub-Hookshot/test",
    }
    return body, headers


def pr_payload(number=7, action="opened", repo="acme/plano", installation=42, sender="dan"):
    return {"action": action, "number": number,
            "pull_request": {"number": number, "title": "PEP-0042: Cache things", "state": "open"},
            "repository": {"full_name": repo, "default_branch": "main"},
            "installation": {"id": installation}, "sender": {"login": sender, "type": "User"}}


class Served:
    """A uvicorn server running an ASGI app on 127.0.0.1 in a thread."""

    def __init__(self, app):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error",
                                                    lifespan="off", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    @property
    def url(self) -> str:
        sock = self.server.servers[0].sockets[0]
        host, port = sock.getsockname()[:2]
        return f"http://{host}:{port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


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


def run(coro):
    return asyncio.run(coro)
