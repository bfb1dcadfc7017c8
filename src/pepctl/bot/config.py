"""The bot's settings: one table, read from command-line flags and the environment.

Every setting is declared once in ``SETTINGS``; ``docs/bot.md``'s table is checked against it.
Secrets come only from the environment (a flag would show in ``ps``); the private key is a path.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from typing import NamedTuple

from pepctl.errors import UsageError

DEFAULT_DB = "sqlite:///pepctl-bot.sqlite3"
DEFAULT_API_URL = "https://api.github.com"


class Setting(NamedTuple):
    name: str  # attribute of Settings
    env: str
    flag: str | None
    default: object
    kind: type
    help: str


SETTINGS = [
    Setting("host", "PEPCTL_BOT_HOST", "--host", "127.0.0.1", str, "Address to listen on."),
    Setting("port", "PEPCTL_BOT_PORT", "--port", 8080, int, "Port to listen on."),
    Setting("database_url", "PEPCTL_DATABASE_URL", "--db", DEFAULT_DB, str,
            "SQLAlchemy URL of the database: `sqlite:///FILE` or `postgresql+psycopg://USER@HOST/DB`. "
            "Default: `pepctl-bot.sqlite3` in the working folder."),
    Setting("webhook_secret", "PEPCTL_WEBHOOK_SECRET", None, "", str,
            "The App's webhook secret (required by `serve`): deliveries not signed with it get 401."),
    Setting("app_id", "PEPCTL_APP_ID", None, 0, int, "The GitHub App's id (required by the worker)."),
    Setting("private_key", "PEPCTL_PRIVATE_KEY", None, "", str,
            "Path to the App's private key (PEM), which signs the JWTs that get installation tokens."),
    Setting("api_url", "GITHUB_API_URL", None, DEFAULT_API_URL, str,
            "GitHub's API base (GitHub Enterprise Server: `https://HOST/api/v3`)."),
    Setting("bot_login", "PEPCTL_BOT_LOGIN", None, "", str,
            "The login the App posts as (`SLUG[bot]`); default: asked from GitHub (`GET /app`) at start."),
    Setting("check_name", "PEPCTL_CHECK_NAME", None, "pep/process", str,
            "Name of the check run the App publishes."),
    Setting("workers", "PEPCTL_BOT_WORKERS", "--workers", 1, int,
            "Worker threads: those of the worker process `serve` starts beside the web server (0: web only; run "
            "`pepctl bot work` elsewhere), or of `pepctl bot work`."),
    Setting("worker_nice", "PEPCTL_BOT_WORKER_NICE", None, 10, int,
            "How much lower than the web process's the CPU priority of the worker process `serve` starts is "
            "(`nice`; 0: the same): on a busy machine the acknowledgements get the CPU first."),
    Setting("poll_seconds", "PEPCTL_BOT_POLL", None, 5, int,
            "Seconds between looks at the queue of an idle worker that is woken when work arrives (the worker "
            "process of `serve`; any worker on PostgreSQL): a safety net for a lost wake-up and for timers."),
    Setting("lease_seconds", "PEPCTL_BOT_LEASE", None, 120, int,
            "How long a worker owns a claimed pull request before another may take it (renewed while it works)."),
    Setting("settle_ms", "PEPCTL_BOT_SETTLE_MS", None, 1000, int,
            "Milliseconds a pull request must be quiet (no new event) before it is decided, so one run answers "
            "the burst of events a push or a review brings; a busy one waits at most 30 s."),
    Setting("keep_days", "PEPCTL_BOT_KEEP_DAYS", None, 7, int,
            "Days deliveries are kept (for deduplication and redelivery; GitHub redelivers for 3) before a daily "
            "prune forgets them, with timers done 90 days ago (0: never prune). The audit log is always kept."),
    Setting("max_body", "PEPCTL_BOT_MAX_BODY", None, 25 * 1024 * 1024, int,
            "Largest webhook body accepted, in bytes (GitHub sends at most 25 MiB); larger ones get 413."),
    Setting("sweep_hours", "PEPCTL_BOT_SWEEP_HOURS", None, 24, int,
            "Hours between periodic re-evaluations of every open PEP pull request (0: never)."),
    Setting("redelivery_minutes", "PEPCTL_BOT_REDELIVERY_MINUTES", None, 30, int,
            "Minutes between sweeps asking GitHub to redeliver failed deliveries (0: only at start)."),
]
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = DEFAULT_DB
    webhook_secret: str = ""
    app_id: int = 0
    private_key: str = ""
    api_url: str = DEFAULT_API_URL
    bot_login: str = ""
    check_name: str = "pep/process"
    workers: int = 1
    worker_nice: int = 10
    poll_seconds: int = 5
    lease_seconds: int = 120
    settle_ms: int = 1000
    keep_days: int = 7
    max_body: int = 25 * 1024 * 1024
    sweep_hours: int = 24
    redelivery_minutes: int = 30

    @property
    def secret(self) -> bytes:
        return self.webhook_secret.encode("utf-8")

    def private_key_pem(self) -> bytes:
        """The PEM bytes of the private key; UsageError naming the setting when unreadable."""
        if not self.private_key:
            raise UsageError("PEPCTL_PRIVATE_KEY is not set: name the App's private key file (PEM)")
        try:
            with open(self.private_key, "rb") as handle:
                data = handle.read()
        except OSError as err:
            raise UsageError(f"PEPCTL_PRIVATE_KEY {self.private_key}: cannot read it: {err.strerror}") from None
        if b"PRIVATE KEY-----" not in data:
            raise UsageError(f"PEPCTL_PRIVATE_KEY {self.private_key}: not a PEM private key")
        return data

    def require_secret(self) -> None:
        if not self.webhook_secret:
            raise UsageError("PEPCTL_WEBHOOK_SECRET is not set: the service refuses to accept unsigned webhooks; "
                             "export the App's webhook secret")

    def require_app(self) -> None:
        if not self.app_id:
            raise UsageError("PEPCTL_APP_ID is not set: the worker needs the App's id (its settings page shows it)")
        self.private_key_pem()


def load(env=None, **flags) -> Settings:
    """Settings from the flags given (not None), else the environment, else the defaults."""
    env = os.environ if env is None else env
    values = {}
    for setting in SETTINGS:
        value = flags.get(setting.name)
        source = setting.flag
        if value is None:
            raw = env.get(setting.env, "")
            if raw.strip() == "":
                continue
            # the secret is taken as given (spaces may be part of it); the rest is trimmed
            value, source = (raw if setting.name == "webhook_secret" else raw.strip()), setting.env
        if setting.kind is int:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise UsageError(f"{source}: {value!r} is not a whole number") from None
            if value < 0:
                raise UsageError(f"{source}: {value} must not be negative")
        values[setting.name] = value
    settings = Settings(**values)
    parts = urllib.parse.urlsplit(settings.api_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UsageError(f"GITHUB_API_URL is not an http(s) URL: {settings.api_url!r}")
    settings.api_url = settings.api_url.rstrip("/")
    if not 0 < settings.port < 65536:
        raise UsageError(f"--port {settings.port}: not a port number")
    return settings

