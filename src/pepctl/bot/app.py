"""The web service: ``POST /webhook``, ``GET /healthz``, ``GET /metrics`` (Starlette).

A delivery is checked in this order, each failure answered at once and nothing parsed before
the signature holds: its size (413), its signature on the raw body (401), its headers and body
(400). A good one is stored, with the work it makes dirty, in one transaction, and answered
202 (200 for events the bot has no use for, and for a delivery it already has). The work is
done later by a worker (``pepctl.bot.worker``). Bad input gets a status and a one-line reason,
never a traceback.
"""

from __future__ import annotations

import asyncio
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


MAX_BATCH = 500


class TooLarge(Exception):
    pass


class Batcher:
    """Group commit: the deliveries that arrive together are stored in one transaction.

    Each request waits for the commit that holds its delivery before it is answered, so a 202
    still means "stored". While one batch commits, the next gathers; under load a commit holds
    many deliveries, alone it holds one. SQLite commits on the event loop (its writes serialise
    anyway, and a thread hop costs more than the commit); PostgreSQL's round trips go to a thread.
    """

    def __init__(self, store, on_stored=None):
        self.store = store
        self.on_stored = on_stored  # called after a commit that marked work dirty: wakes the workers
        self.inline = store.dialect == "sqlite"
        self.waiting: list = []
        self.wake: asyncio.Event | None = None
        self.task: asyncio.Task | None = None

    async def submit(self, item: queue.Incoming) -> bool:
        if self.task is None or self.task.done():
            self.wake = asyncio.Event()
            self.task = asyncio.ensure_future(self.run())
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((item, future))
        self.wake.set()
        return await future

    async def run(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            await asyncio.sleep(0)  # let the requests already read put theirs in too
            while self.waiting:
                batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
                items = [item for item, _ in batch]
                try:
                    if self.inline:
                        results = queue.accept_many(self.store, items)
                    else:
                        results = await run_in_threadpool(queue.accept_many, self.store, items)
                except Exception as err:  # noqa: BLE001 -- each request answers 503 with it
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(err)
                    continue
                if self.on_stored is not None and any(
                        stored and item.outcome.keys for item, stored in zip(items, results)):
                    self.on_stored()
                for (_, future), stored in zip(batch, results):
                    if not future.done():
                        future.set_result(stored)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()


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


class Refusals:
    """One log line for refused deliveries (a wrong secret, a broken proxy, someone probing), at
    most one per status every ``every`` seconds: the lines held back are counted in the next."""

    def __init__(self, every: float = 10.0):
        self.every = every
        self.last: dict[int, float] = {}
        self.held: dict[int, int] = {}

    def note(self, request: Request, response: JSONResponse) -> None:
        status, now = response.status_code, time.monotonic()
        if now - self.last.get(status, -self.every) < self.every:
            self.held[status] = self.held.get(status, 0) + 1
            return
        self.last[status] = now
        held = self.held.pop(status, 0)
        guid = request.headers.get("x-github-delivery", "")[:64].encode("ascii", "replace").decode()
        log.warning("delivery %s from %s refused: %d %s%s", guid or "(no X-GitHub-Delivery)",
                    request.client.host if request.client else "?", status, json.loads(response.body)["message"],
                    f" (and {held} more refused with {status} since the last such line)" if held else "")


def create_app(settings, store, metrics, on_stop=None, on_stored=None) -> Starlette:
    """The routes; ``on_stop()`` runs when the server shuts down (uvicorn's lifespan), before it exits;
    ``on_stored()`` after each commit that marked work dirty (it wakes the workers, ``pepctl.bot.wake``)."""
    secret = settings.secret
    batcher = Batcher(store, on_stored)
    refusals = Refusals()

    async def webhook(request: Request) -> Response:
        started = time.perf_counter()
        result, response = "error", None
        try:
            result, response = await handle(request)
            if response.status_code in (400, 401, 413):
                refusals.note(request, response)
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
        except RecursionError:
            return "malformed", answer(400, "body is JSON nested too deeply")
        except ValueError:
            return "malformed", answer(400, "body is not JSON")
        if not isinstance(payload, dict):
            return "malformed", answer(400, "body is not a JSON object")
        outcome = events.classify(event, payload, app_id=settings.app_id, bot_login=settings.bot_login)
        action = events.as_text(payload.get("action")) or ""
        installation = events.as_id(events.get(payload, "installation", "id"))
        repo = events.as_text(events.get(payload, "repository", "full_name"))
        try:
            new = await batcher.submit(queue.Incoming(guid, event, action, outcome, installation, repo))
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
            batcher.stop()
            if on_stop is not None:
                await run_in_threadpool(on_stop)

    return Starlette(lifespan=lifespan, routes=[
        Route("/webhook", webhook, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ])
