"""Hostile and malformed deliveries over a real socket, on each kind of database: every request
gets a status (never a 500, never a traceback in the log), and a value no column can hold is
ignored (200) rather than failing the transaction that stores it (503, redelivered for ever)."""

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
from pepctl.bot.models import deliveries, dirty, repositories


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


def installation(action="created", **extra):
    return {"action": action, "installation": {"id": 5, "account": {"login": "acme"}}, **extra}


def repo_event(**extra):
    return {"installation": {"id": 42}, "repository": {"full_name": "acme/plano", "default_branch": "main"}, **extra}


WRONG_TYPES = {
    "installation repositories not a list": ("installation", installation(repositories=5)),
    "repositories_added not a list": ("installation_repositories",
                                      installation("added", repositories_added={"full_name": "acme/x"})),
    "check run pull_requests not a list": ("check_run", repo_event(action="rerequested",
                                                                   check_run={"pull_requests": 5})),
    "push commit files not a list": ("push", repo_event(ref="refs/heads/main", commits=[{"added": 5}])),
}


@pytest.mark.parametrize("name", WRONG_TYPES)
def test_fields_of_the_wrong_type_get_a_status_not_a_500(http, name, caplog):
    event, payload = WRONG_TYPES[name]
    answer = post(http, event, payload)
    assert answer.status_code in (200, 202), answer.text
    assert [r["event"] for r in rows(http.store, deliveries)] == [event]
    no_tracebacks(caplog)


def too_big(payload, where):
    payload = json.loads(json.dumps(payload))
    if where == "number":
        payload["number"] = payload["pull_request"]["number"] = 2 ** 70
    elif where == "installation":
        payload["installation"]["id"] = 2 ** 64
    elif where == "long repository":
        payload["repository"]["full_name"] = "acme/" + "p" * 1000
    elif where == "NUL in repository":
        payload["repository"]["full_name"] = "acme/pla\u0000no"
    elif where == "lone surrogate in repository":
        payload["repository"]["full_name"] = "acme/pla\ud800no"
    else:
        payload["action"] = "\ud800"
    return payload


@pytest.mark.parametrize("where", ["number", "installation", "long repository", "NUL in repository",
                                   "lone surrogate in repository", "lone surrogate in action"])
def test_values_no_column_can_hold_are_ignored_not_503(http, where, caplog):
    good = pr_payload(7)
    answers = [post(http, "pull_request", too_big(good, where)), post(http, "pull_request", good)]
    assert answers[0].status_code == 200 and answers[0].json()["message"].startswith("ignored"), answers[0].text
    assert answers[1].status_code == 202, answers[1].text
    assert len(rows(http.store, deliveries)) == 2
    assert [(r["repo"], r["number"]) for r in rows(http.store, dirty)] == [("acme/plano", 7)]
    no_tracebacks(caplog)


@pytest.mark.parametrize("bad", ["wrong secret", "not JSON"])
def test_a_refused_delivery_leaves_a_log_line_naming_it(http, bad, caplog):
    body = b"{not json" if bad == "not JSON" else json.dumps(pr_payload(7)).encode()
    secret = b"not the secret" if bad == "wrong secret" else SECRET.encode()
    headers = {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d-refused",
               "X-Hub-Signature-256": "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()}
    with caplog.at_level(logging.WARNING, logger="pepctl.bot"):
        answer = http.post("/webhook", content=body, headers=headers)
    status = 401 if bad == "wrong secret" else 400
    assert answer.status_code == status
    [line] = [r.getMessage() for r in caplog.records if "d-refused" in r.getMessage()]
    assert f"refused: {status} {answer.json()['message']}" in line and "127.0.0.1" in line


def test_an_installation_on_ten_thousand_repositories_is_stored(http):
    """More rows than one statement may carry parameters for (PostgreSQL takes 65535)."""
    names = [f"acme/r{i}" for i in range(10_000)]
    answer = post(http, "installation", installation(repositories=[{"full_name": n} for n in names]))
    assert answer.status_code == 202, answer.text
    assert sorted(r["repo"] for r in rows(http.store, dirty)) == sorted(names)
    assert len(rows(http.store, repositories)) == 10_000
    removed = installation("removed", repositories_removed=[{"full_name": n} for n in names])
    assert post(http, "installation_repositories", removed).status_code == 202
    assert rows(http.store, dirty) == [] and rows(http.store, repositories) == []
