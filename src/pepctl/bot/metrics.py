"""The bot's Prometheus metrics (``GET /metrics``). docs/bot.md says what each one means.

Each service gets its own registry (tests start several in one process). What every process
does is read from the database at scrape time, so any replica shows it whole: the queue's size
and age, and the audit log's entries by action (each row a worker worked, each timer fired,
each failure, in whichever process or machine). The counters a process keeps in memory (GitHub
requests, tokens, time per row) are its own; `pepctl bot serve` adds those of the worker
process it started, which sends them over a pipe (``merge``).
"""

from __future__ import annotations

import datetime
import threading

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
WORK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
AUDIT_SETTLED = 60  # seconds after which an audit entry is surely committed: counted once, then remembered


class AuditCounts:
    """The audit log's entries by action, counted incrementally: the entries older than
    ``AUDIT_SETTLED`` are counted once and remembered (the log is append-only), the newer ones
    at each scrape; a scrape reads only what was written since the one before, not the whole log."""

    def __init__(self):
        self.lock = threading.Lock()
        self.high = 0  # the entries up to this id are in ``counts``
        self.counts: dict[str, int] = {}

    def read(self, connection) -> dict[str, int]:
        import sqlalchemy as sa

        from pepctl.bot.models import audit
        from pepctl.bot.store import utcnow

        def by_action(*where):
            query = sa.select(audit.c.action, sa.func.count()).where(*where).group_by(audit.c.action)
            return dict(connection.execute(query).all())

        with self.lock:
            cutoff = utcnow() - datetime.timedelta(seconds=AUDIT_SETTLED)
            top = connection.execute(sa.select(sa.func.max(audit.c.id))
                                     .where(audit.c.id > self.high, audit.c.at <= cutoff)).scalar()
            if top is not None:
                for action, n in by_action(audit.c.id > self.high, audit.c.id <= top).items():
                    self.counts[action] = self.counts.get(action, 0) + n
                self.high = top
            found = dict(self.counts)
            for action, n in by_action(audit.c.id > self.high).items():
                found[action] = found.get(action, 0) + n
        return found


class DatabaseCollector:
    def __init__(self, store):
        self.store = store
        self.audit = AuditCounts()

    def collect(self):
        import sqlalchemy as sa

        from pepctl.bot import queue, timers
        from pepctl.bot.models import dirty
        from pepctl.bot.store import utcnow

        total = leased = pending = 0
        oldest, actions = None, None
        try:
            total, leased = queue.depth(self.store)
            pending = timers.pending(self.store)
            with self.store.engine.connect() as connection:
                oldest = connection.execute(sa.select(sa.func.min(dirty.c.first_at))).scalar()
                actions = self.audit.read(connection)
        except Exception:  # noqa: BLE001 -- a scrape must answer even while the database is away
            pass
        age = max(0.0, (utcnow() - oldest).total_seconds()) if oldest is not None else 0.0
        yield GaugeMetricFamily("pepctl_bot_dirty", "Pull requests (and repositories) waiting to be decided.", total)
        yield GaugeMetricFamily("pepctl_bot_dirty_leased", "Dirty rows a worker holds a lease on right now.", leased)
        yield GaugeMetricFamily("pepctl_bot_dirty_oldest_seconds",
                                "How long the oldest dirty row has waited (0: none waits).", age)
        yield GaugeMetricFamily("pepctl_bot_timers_pending", "Timers not yet fired.", pending)
        if actions is not None:
            family = CounterMetricFamily("pepctl_bot_audit_entries",
                                         "Audit log entries by action, written by every worker of the database.",
                                         labels=["action"])
            for action, n in sorted(actions.items()):
                family.add_metric([action], n)
            yield family


# the metrics read from the database at scrape time (docs/bot.md explains them too)
FROM_DATABASE = ("pepctl_bot_dirty", "pepctl_bot_dirty_leased", "pepctl_bot_dirty_oldest_seconds",
                 "pepctl_bot_timers_pending", "pepctl_bot_audit_entries_total")


def merge(*parts) -> list:
    """Metric families of several processes as one: the samples of a name and labels added up
    (a ``_created`` time: the earliest). The same as Prometheus's multiprocess mode does for
    counters and histograms, for families sent over a pipe rather than kept in files."""
    merged: dict[str, Metric] = {}
    values: dict[str, dict] = {}
    for families in parts:
        for family in families:
            if family.name not in merged:
                merged[family.name] = Metric(family.name, family.documentation, family.type, family.unit)
                values[family.name] = {}
            into = values[family.name]
            for sample in family.samples:
                key = (sample.name, tuple(sorted(sample.labels.items())))
                if key not in into:
                    into[key] = sample.value
                elif sample.name.endswith("_created"):
                    into[key] = min(into[key], sample.value)
                else:
                    into[key] += sample.value
    for name, family in merged.items():
        for (sample_name, labels), value in values[name].items():
            family.add_sample(sample_name, dict(labels), value)
    return list(merged.values())


class Metrics:
    def __init__(self, store=None):
        self.registry = CollectorRegistry()
        self.others: dict[str, list] = {}  # the families other processes sent, by process
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
            r.register(DatabaseCollector(store))

    def families(self) -> list:
        """This process's metric families (what it sends to the process that serves /metrics)."""
        return list(self.registry.collect())

    def text(self) -> bytes:
        from prometheus_client import generate_latest

        families = merge(self.families(), *list(self.others.values()))

        class Gathered:
            def collect(self):
                return families

        return generate_latest(Gathered())
