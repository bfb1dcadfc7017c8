"""The web service: ``POST /webhook``, ``GET /healthz``, ``GET /metrics`` (Starlette).

A delivery is checked in this order, each failure answered at once and nothing parsed before
the signature holds: its size (413), its signature on the raw body (401), its headers and body
(400). A good one is stored, with the work it makes dirty, in one transaction, and answered
202 (200 for events the bot has no use for, and for a delivery it already has). The work is
done later by a worker (``pepctl.bot.worker``). Bad input gets a status and a one-line reason,
never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pepctl.bot import events, queue
from pepctl.bot.signature import HEADER, BadSignature, verify

log = logging.getLogger("pepctl.bot")


class TooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refusing more than ``limit`` bytes before reading them when the length is
    announced, and as soon as the limit is passed when it is streamed."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def answer(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"message": message, **extra}, status_code=status)


def create_app(settings, store, metrics, on_stop=None) -> Starlette:
    """The routes; ``on_stop()`` runs when the server shuts down (uvicorn's lifespan), before it exits."""
    secret = settings.secret
    # SQLite writes serialise anyway: one short transaction on the event loop beats a thread hop
    # and a busy-wait between threads. PostgreSQL's round trip goes to a thread.
    inline = store.dialect == "sqlite"

    async def webhook(request: Request) -> Response:
        started = time.perf_counter()
        result, response = "error", None
        try:
            result, response = await handle(request)
            return response
        finally:
            metrics.deliveries.labels(result).inc()
            metrics.webhook_seconds.observe(time.perf_counter() - started)

    async def handle(request: Request):
        try:
            body = await read_body(request, settings.max_body)
        except TooLarge:
            return "too_large", answer(413, f"body larger than {settings.max_body} bytes")
        except ClientDisconnect:
            return "malformed", answer(400, "the client went away before sending the whole body")
        try:
            verify(secret, body, request.headers.get(HEADER))
        except BadSignature as why:
            return "bad_signature", answer(401, str(why))
        guid = request.headers.get("x-github-delivery", "").strip()
        event = request.headers.get("x-github-event", "").strip()
        if not guid or len(guid) > 64 or not guid.isprintable():
            return "malformed", answer(400, "missing or bad X-GitHub-Delivery header")
        if not event or len(event) > 64 or not event.isprintable():
            return "malformed", answer(400, "missing or bad X-GitHub-Event header")
        try:
            payload = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            return "malformed", answer(400, "body is not UTF-8")
        except ValueError:
            return "malformed", answer(400, "body is not JSON")
        if not isinstance(payload, dict):
            return "malformed", answer(400, "body is not a JSON object")
        outcome = events.classify(event, payload, app_id=settings.app_id, bot_login=settings.bot_login)
        action = payload.get("action") if isinstance(payload.get("action"), str) else ""
        installation = events.as_id(events.get(payload, "installation", "id"))
        repo = events.as_text(events.get(payload, "repository", "full_name"))
        args = (store, guid, event, action, outcome, installation, repo)
        try:
            new = queue.accept(*args) if inline else await run_in_threadpool(queue.accept, *args)
        except Exception as err:  # noqa: BLE001 -- the database is away: GitHub keeps it, redelivery fetches it
            log.error("delivery %s not stored: %s", guid, str(err).splitlines()[0] if str(err) else type(err).__name__)
            return "error", answer(503, "the delivery could not be stored; try again")
        if not new:
            return "duplicate", answer(200, "already received", delivery=guid)
        if not outcome.handled:
            return "ignored", answer(200, f"ignored: {outcome.why}", delivery=guid)
        return "accepted", answer(202, "accepted", delivery=guid, dirty=len(outcome.keys))

    async def healthz(request: Request) -> Response:
        try:
            revision = await run_in_threadpool(store.revision)
        except Exception as err:  # noqa: BLE001
            return answer(503, f"database unreachable: {str(err).splitlines()[0] if str(err) else err!r}")
        return JSONResponse({"ok": True, "schema": revision})

    async def metrics_page(request: Request) -> Response:
        text = await run_in_threadpool(metrics.text)
        return Response(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            if on_stop is not None:
                await run_in_threadpool(on_stop)

    return Starlette(lifespan=lifespan, routes=[
        Route("/webhook", webhook, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ])
