"""The bot's Prometheus metrics (``GET /metrics``). docs/bot.md says what each one means.

Each service gets its own registry (tests start several in one process). The queue's sizes are
read from the database at scrape time, so any replica shows the whole queue.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
WORK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class QueueCollector:
    def __init__(self, store):
        self.store = store

    def collect(self):
        from pepctl.bot import queue, timers

        total = leased = pending = 0
        try:
            total, leased = queue.depth(self.store)
            pending = timers.pending(self.store)
        except Exception:  # noqa: BLE001 -- a scrape must answer even while the database is away
            pass
        yield GaugeMetricFamily("pepctl_bot_dirty", "Pull requests (and repositories) waiting to be decided.", total)
        yield GaugeMetricFamily("pepctl_bot_dirty_leased", "Dirty rows a worker holds a lease on right now.", leased)
        yield GaugeMetricFamily("pepctl_bot_timers_pending", "Timers not yet fired.", pending)


class Metrics:
    def __init__(self, store=None):
        self.registry = CollectorRegistry()
        r = self.registry
        self.deliveries = Counter("pepctl_bot_deliveries", "Webhook deliveries by result.", ["result"], registry=r)
        self.webhook_seconds = Histogram("pepctl_bot_webhook_seconds", "Time to answer a webhook delivery.",
                                         buckets=LATENCY_BUCKETS, registry=r)
        self.processed = Counter("pepctl_bot_processed", "Dirty rows worked, by outcome.", ["outcome"], registry=r)
        self.process_seconds = Histogram("pepctl_bot_process_seconds", "Time to work one dirty row.",
                                         buckets=WORK_BUCKETS, registry=r)
        self.github_requests = Counter("pepctl_bot_github_requests", "Requests sent to the GitHub API.", registry=r)
        self.tokens = Counter("pepctl_bot_installation_tokens", "Installation tokens fetched.", registry=r)
        self.timers = Counter("pepctl_bot_timers_fired", "Timers fired, by kind.", ["kind"], registry=r)
        self.redeliveries = Counter("pepctl_bot_redeliveries", "Failed deliveries GitHub was asked to send again.",
                                    registry=r)
        if store is not None:
            r.register(QueueCollector(store))

    def text(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)
