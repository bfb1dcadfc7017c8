"""Hostile and malformed deliveries over a real socket, on each kind of database: every request
gets a status (never a 500, never a traceback in the log), and a bad delivery never takes the
good ones stored beside it down with it."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid

import httpx
import pytest
import sqlalchemy as sa
from botwire import SECRET, pr_payload

from pepctl.bot.app import create_app
from pepctl.bot.config import Settings
from pepctl.bot.metrics import Metrics
from pepctl.bot.models import deliveries, dirty


def rows(store, table):
    with store.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(sa.select(table))]


@pytest.fixture
def http(store, serve_app):
    settings = Settings(webhook_secret=SECRET, app_id=77, bot_login="pepctl-test[bot]")
    served = serve_app(create_app(settings, store, Metrics(store)))
    with httpx.Client(base_url=served.url, timeout=30) as client:
        client.store = store
        yield client


def post(http, event, body, guid=None):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode("utf-8")
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": guid or str(uuid.uuid4()),
               "X-Hub-Signature-256": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}
    return http.post("/webhook", content=body, headers=headers)


def no_tracebacks(caplog):
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000],
                         ids=["array", "object"])
def test_a_deeply_nested_body_is_400(http, body, caplog):
    answer = post(http, "pull_request", body)
    assert answer.status_code == 400 and "nested" in answer.json()["message"]
    assert rows(http.store, deliveries) == []
    no_tracebacks(caplog)
