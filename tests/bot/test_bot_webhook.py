"""POST /webhook, /healthz and /metrics (pepctl.bot.app): Starlette's TestClient for the cases,
a real uvicorn server on loopback for the wire."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest
import sqlalchemy as sa
from botwire import SECRET, delivery, pr_payload
from starlette.testclient import TestClient

from pepctl.bot.app import create_app
from pepctl.bot.config import Settings
from pepctl.bot.metrics import Metrics
from pepctl.bot.models import deliveries, dirty


def make(store, **kwargs):
    settings = Settings(webhook_secret=SECRET, app_id=77, bot_login="pepctl-test[bot]", **kwargs)
    return create_app(settings, store, Metrics(store))


def rows(store, table):
    with store.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(sa.select(table))]


@pytest.fixture
def client(sqlite_store):
    with TestClient(make(sqlite_store)) as c:
        c.store = sqlite_store
        yield c


def test_a_signed_pull_request_event_is_stored_and_marks_the_pr_dirty(client):
    body, headers = delivery("pull_request", pr_payload(7))
    answer = client.post("/webhook", content=body, headers=headers)
    assert answer.status_code == 202, answer.text
    assert answer.json()["dirty"] == 1
    [row] = rows(client.store, deliveries)
    assert row["guid"] == headers["X-GitHub-Delivery"] and row["event"] == "pull_request" and row["handled"] == 1
    [work] = rows(client.store, dirty)
    assert (work["installation_id"], work["repo"], work["number"], work["generation"]) == (42, "acme/plano", 7, 1)


def test_a_redelivered_delivery_is_stored_once(client):
    body, headers = delivery("pull_request", pr_payload(7))
    assert client.post("/webhook", content=body, headers=headers).status_code == 202
    again = client.post("/webhook", content=body, headers=headers)
    assert again.status_code == 200 and again.json()["message"] == "already received"
    assert len(rows(client.store, deliveries)) == 1
    assert rows(client.store, dirty)[0]["generation"] == 1


def test_many_events_for_one_pr_coalesce_into_one_row(client):
    for action in ("opened", "edited", "synchronize"):
        body, headers = delivery("pull_request", pr_payload(7, action))
        assert client.post("/webhook", content=body, headers=headers).status_code == 202
    [work] = rows(client.store, dirty)
    assert work["generation"] == 3 and len(rows(client.store, deliveries)) == 3


@pytest.mark.parametrize("change", ["invalid", "missing", "sha1", "body changed", "other secret"])
def test_signature_failures_are_401_and_store_nothing(client, change):
    body, headers = delivery("pull_request", pr_payload(7))
    if change == "invalid":
        headers["X-Hub-Signature-256"] = "sha256=" + "ab" * 32
    elif change == "missing":
        del headers["X-Hub-Signature-256"]
    elif change == "sha1":
        del headers["X-Hub-Signature-256"]
        headers["X-Hub-Signature"] = "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
    elif change == "body changed":
        body = body.replace(b'"number": 7', b'"number": 8')
    else:
        body, headers = delivery("pull_request", pr_payload(7), secret="not the secret")
    answer = client.post("/webhook", content=body, headers=headers)
    assert answer.status_code == 401
    assert "message" in answer.json()
    assert rows(client.store, deliveries) == [] and rows(client.store, dirty) == []


def test_a_sha1_signature_in_the_sha256_header_is_refused(client):
    body, headers = delivery("pull_request", pr_payload(7))
    headers["X-Hub-Signature-256"] = "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
    answer = client.post("/webhook", content=body, headers=headers)
    assert answer.status_code == 401 and "sha256" in answer.json()["message"]


def signed_raw(body: bytes, **headers):
    base = {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d-1",
            "X-Hub-Signature-256": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}
    base.update(headers)
    return {k: v for k, v in base.items() if v is not None}


@pytest.mark.parametrize("body, headers, why", [
    (b"{not json", {}, "not JSON"),
    (b"\xff\xfe{}", {}, "not UTF-8"),
    (b"[1, 2]", {}, "not a JSON object"),
    (b"", {}, "not JSON"),
    (b"[" * 100_000 + b"]" * 100_000, {}, "nested too deeply"),  # deeper than the parser recurses
    (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, {}, "nested too deeply"),
    (b"{}", {"X-GitHub-Delivery": None}, "X-GitHub-Delivery"),
    (b"{}", {"X-GitHub-Delivery": "x" * 65}, "X-GitHub-Delivery"),
    (b"{}", {"X-GitHub-Event": None}, "X-GitHub-Event"),
])
def test_malformed_signed_bodies_are_400(client, body, headers, why):
    answer = client.post("/webhook", content=body, headers=signed_raw(body, **headers))
    assert answer.status_code == 400 and why in answer.json()["message"]
    assert rows(client.store, deliveries) == []


def test_events_it_does_not_handle_get_2xx_and_mark_nothing(client):
    for event, payload in [("star", {"action": "created", "repository": {"full_name": "acme/plano"},
                                     "installation": {"id": 42}}),
                           ("issue_comment", {"action": "created", "issue": {"number": 3},
                                              "repository": {"full_name": "acme/plano"}, "installation": {"id": 42},
                                              "comment": {"body": "hi"}, "sender": {"login": "dan"}}),
                           ("ping", {"zen": "Design for failure.", "hook_id": 1})]:
        body, headers = delivery(event, payload)
        answer = client.post("/webhook", content=body, headers=headers)
        assert answer.status_code == 200 and answer.json()["message"].startswith("ignored"), (event, answer.text)
    assert rows(client.store, dirty) == []
    assert len(rows(client.store, deliveries)) == 3


def test_ids_too_large_for_the_database_are_no_ids(client):
    big = 2 ** 63  # one past the largest BIGINT: storing it failed, and the 503 asked GitHub to send it again
    body, headers = delivery("pull_request", pr_payload(number=big, installation=big))
    answer = client.post("/webhook", content=body, headers=headers)
    assert answer.status_code == 200 and answer.json()["message"].startswith("ignored"), answer.text
    assert rows(client.store, dirty) == [] and len(rows(client.store, deliveries)) == 1
    body, headers = delivery("pull_request", pr_payload(number=big, installation=42))
    answer = client.post("/webhook", content=body, headers={**headers, "X-GitHub-Delivery": "d-2"})
    assert answer.status_code == 200 and answer.json()["message"].startswith("ignored"), answer.text


def test_the_apps_own_comment_is_ignored(client):
    payload = {"action": "created", "issue": {"number": 3, "pull_request": {"url": "x"}},
               "repository": {"full_name": "acme/plano"}, "installation": {"id": 42},
               "comment": {"body": "summary", "performed_via_github_app": {"id": 77}},
               "sender": {"login": "pepctl-test[bot]", "type": "Bot"}}
    body, headers = delivery("issue_comment", payload)
    assert client.post("/webhook", content=body, headers=headers).json()["message"] == "ignored: the App's own comment"
    payload["sender"] = {"login": "dan", "type": "User"}
    payload["comment"] = {"body": "/pep help"}
    body, headers = delivery("issue_comment", payload)
    assert client.post("/webhook", content=body, headers=headers).status_code == 202
    assert [r["number"] for r in rows(client.store, dirty)] == [3]


def test_a_huge_body_is_413_before_it_is_read(sqlite_store):
    with TestClient(make(sqlite_store, max_body=1000)) as c:
        body, headers = delivery("pull_request", dict(pr_payload(7), padding="x" * 2000))
        answer = c.post("/webhook", content=body, headers=headers)
        assert answer.status_code == 413
        body, headers = delivery("pull_request", pr_payload(7))
        assert c.post("/webhook", content=body, headers=headers).status_code == 202


def test_healthz_and_metrics(client):
    assert client.get("/healthz").json()["ok"] is True
    body, headers = delivery("pull_request", pr_payload(7))
    client.post("/webhook", content=body, headers=headers)
    client.post("/webhook", content=b"{}", headers={"X-GitHub-Delivery": "x", "X-GitHub-Event": "ping"})
    text = client.get("/metrics").text
    assert 'pepctl_bot_deliveries_total{result="accepted"} 1.0' in text
    assert 'pepctl_bot_deliveries_total{result="bad_signature"} 1.0' in text
    assert "pepctl_bot_dirty 1.0" in text
    assert "pepctl_bot_webhook_seconds_count 2.0" in text


def test_only_post_on_webhook(client):
    assert client.get("/webhook").status_code == 405
    assert client.get("/nowhere").status_code == 404


def test_over_a_real_socket(store, serve_app):
    sqlite_store = store  # each kind of database: PostgreSQL's writes go through a thread
    served = serve_app(make(store, max_body=64 * 1024))
    body, headers = delivery("pull_request", pr_payload(9))
    with httpx.Client(base_url=served.url) as http:
        assert http.post("/webhook", content=body, headers=headers).status_code == 202
        assert http.post("/webhook", content=body + b" ", headers=headers).status_code == 401
        # a body larger than the limit, streamed without a Content-Length
        big = (b"x" * 65536 for _ in range(4))
        assert http.post("/webhook", content=big, headers=headers).status_code == 413
        assert http.get("/healthz").status_code == 200
        assert "pepctl_bot_deliveries_total" in http.get("/metrics").text
    assert [r["number"] for r in rows(sqlite_store, dirty)] == [9]
    assert json.loads(json.dumps(rows(sqlite_store, deliveries)[0]["guid"])) == headers["X-GitHub-Delivery"]
