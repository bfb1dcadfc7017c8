"""What the bot's tests send and run: signed deliveries, payloads, a uvicorn server on loopback."""

from __future__ import annotations

import json
import threading
import time
import uuid

from pepctl.bot.signature import sign

SECRET = "It's a Secret to Everybody"


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


