"""A bot wired to the fake GitHub: the App (key pair, installation), the repository acme/plano
with a local base checkout, the service's settings, and helpers to send events and run workers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from botwire import SECRET
from fakegithub import PEP_DIR, FakeApp, Workspace, app_key_pair, pep_text  # noqa: F401

from pepctl.bot import timers
from pepctl.bot.config import Settings
from pepctl.bot.launch import make_auth
from pepctl.bot.metrics import Metrics
from pepctl.bot.worker import Worker

_KEYS = []


def keys():
    if not _KEYS:  # one RSA key pair for the whole run: generating one takes a while
        _KEYS.append(app_key_pair())
    return _KEYS[0]


class Bot:
    def __init__(self, fake, tmp_path, store, **settings):
        private, public = keys()
        self.fake = fake
        self.app = FakeApp(fake, public)
        self.ws = Workspace(fake, tmp_path / "checkout")
        self.installation = self.app.install("acme", ["acme/plano"])
        self.key_path = tmp_path / "app.pem"
        self.key_path.write_bytes(private)
        self.store = store
        settings.setdefault("sweep_hours", 0)  # the periodic timers only where a test asks for them
        settings.setdefault("redelivery_minutes", 0)
        settings.setdefault("settle_ms", 0)  # tests work each event at once
        settings.setdefault("keep_days", 0)
        self.settings = Settings(webhook_secret=SECRET, app_id=self.app.id, private_key=str(self.key_path),
                                 api_url=fake.url, **settings)
        self.metrics = Metrics(store)
        self.auth = make_auth(self.settings, self.metrics)
        self.app.secret = SECRET

    def payload(self, **extra) -> dict:
        return self.app.payload(self.ws.repo, self.installation, **extra)

    def pr_event(self, pull, action="opened") -> dict:
        return self.payload(action=action, number=pull.number, pull_request=self.fake.pull_json(pull))

    def comment_event(self, pull, login, body) -> dict:
        issue = {"number": pull.number, "pull_request": {"url": f"{self.fake.url}/repos/acme/plano/pulls/{pull.number}"}}
        comment = {"body": body, "user": self.fake.user(login)}
        if login == self.app.bot_login:  # GitHub names the App a comment was made through
            comment["performed_via_github_app"] = {"id": self.app.id, "slug": self.app.slug}
        return self.payload(action="created", issue=issue, comment=comment, sender=login)

    def worker(self, name=None) -> Worker:
        return Worker(self.settings, self.store, self.metrics, self.auth, name)

    def work(self) -> int:
        """Work every ready row in this process; how many."""
        return asyncio.run(self.worker().run(once=True))

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PEPCTL_", "GITHUB_"))}
        env.update(PEPCTL_WEBHOOK_SECRET=SECRET, PEPCTL_APP_ID=str(self.app.id), PEPCTL_PRIVATE_KEY=str(self.key_path),
                   GITHUB_API_URL=self.fake.url, PEPCTL_DATABASE_URL=self.store.url,
                   PEPCTL_BOT_SWEEP_HOURS=str(self.settings.sweep_hours),
                   PEPCTL_BOT_REDELIVERY_MINUTES=str(self.settings.redelivery_minutes),
                   PEPCTL_BOT_SETTLE_MS=str(self.settings.settle_ms), PEPCTL_BOT_KEEP_DAYS=str(self.settings.keep_days))
        env.update(extra)
        return env

    def popen(self, *args, **extra) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "pepctl", "bot", *args], env=self.env(**extra),
                                cwd=self.key_path.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def summaries(self, number) -> list[dict]:
        return [c for c in self.ws.repo.issue_comments(number)
                if c["user"] == self.app.bot_login and "pepctl:review-summary" in c["body"]]


def schedule(store, key, due, **kw):
    """Schedule a timer of kind ``kind`` (default "test"); whether it was new."""
    with store.begin() as c:
        return timers.schedule(c, key, kw.pop("kind", "test"), due, **kw)
