"""Load on `pepctl bot serve`: signed webhook deliveries over loopback, acknowledged and processed.

Usage: python bench/bot_load.py [--rate 500] [--seconds 20] [--runs 3] [--deliveries 100000]
                                [--prs 200] [--skip-postgres] [--split] [--fake-nice 10] [--quick]

Everything runs on this machine, on 127.0.0.1 only: the fake GitHub (tests/fakegithub.py, with
its App endpoints) in this process, its threads at the lower CPU priority of the services'
workers (--fake-nice: GitHub's own CPU is not on the service's machine), the services as child
processes (`pepctl bot serve`, the way they are deployed), and the load generator in a child
process of its own, so that neither competes with the other for the interpreter lock. Each
request loop is bounded in count and time.

For each setup it measures:

- latency at a fixed rate (open loop: requests leave on schedule whether or not earlier ones
  were answered, and a request's latency counts from when it was due, so a stalled server
  cannot hide its queue): the median over --runs runs of each run's p50, p99 and max, and the
  rate achieved; each run right after one at the same rate on the floor (below), so that a
  setup is compared with the floor measured within the same minute on a machine whose load
  changes; after the services have started (their workers too) and a second of warm-up;
- a volume run: --deliveries deliveries as fast as 32 connections take them (closed loop), the
  throughput, and the service's resident memory sampled all along (bounded: it must level off);
- processing: after the load, the time until the queue is empty, then a check that every
  delivery was stored once (by its id) and that every pull request was decided once in effect
  (one summary comment, one check run).

Setups: a bare Starlette endpoint that only answers 202 (the floor, under the same uvicorn,
up all along), `serve` on SQLite, and two `serve` processes on one PostgreSQL (a throwaway
server, as the tests start it) with the load spread over both. Each `serve` runs its workers in
a worker process of its own. The load average and the load generator's own CPU use are
reported with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import REPO, machine

sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "bot"))

SECRET = "bench-secret"
MAX_CONNECTIONS = 64


# -- the load generator (a child process) ------------------------------------------------------


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def send(self, data: bytes) -> int:
        self.writer.write(data)
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as err:
            if err.partial:
                raise
            # the server closed this idle keep-alive connection (uvicorn does after 5 s): the request
            # never reached it, so send it again on a new connection, as HTTP clients do
            self.close()
            await self.open()
            self.writer.write(data)
            head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self):
        if self.writer is not None:
            self.writer.close()


class Deliveries:
    """Signed pull_request deliveries, each with its own id, spread over the pull requests."""

    def __init__(self, spec: dict):
        self.secret = spec["secret"].encode()
        self.prefix = spec["prefix"]
        self.numbers = spec["numbers"]
        self.template = spec["template"]  # JSON with NUMBER_SLOT for the pull request number

    def request(self, i: int) -> bytes:
        number = self.numbers[i % len(self.numbers)]
        body = self.template.replace('"NUMBER_SLOT"', str(number)).encode()
        signature = hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        head = (f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"User-Agent: GitHub-Hookshot/bench\r\nX-GitHub-Event: pull_request\r\n"
                f"X-GitHub-Delivery: {self.prefix}-{i}\r\nX-Hub-Signature-256: sha256={signature}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        return head.encode() + body


async def open_loop(ports, rate: float, count: int, deliveries: Deliveries, deadline: float):
    loop = asyncio.get_running_loop()
    idle: list[Connection] = []
    opened = [0]
    waiting = asyncio.Condition()
    results = []

    async def connection() -> Connection:
        async with waiting:
            while not idle and opened[0] >= MAX_CONNECTIONS:
                await waiting.wait()
            if idle:
                return idle.pop()
            opened[0] += 1
        return await Connection(ports[opened[0] % len(ports)]).open()

    async def one(i, due):
        try:
            conn = await connection()
            status = await conn.send(deliveries.request(i))
        except (OSError, asyncio.IncompleteReadError) as err:
            results.append((loop.time() - due, f"error: {type(err).__name__}"))
            async with waiting:
                opened[0] -= 1  # that connection is gone
                waiting.notify()
            return
        results.append((loop.time() - due, status))
        async with waiting:
            idle.append(conn)
            waiting.notify()

    start = loop.time() + 0.05
    tasks = set()
    for i in range(count):
        due = start + i / rate
        if due - start > deadline:
            break
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.ensure_future(one(i, due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
    elapsed = loop.time() - start
    for conn in idle:
        conn.close()
    return results, elapsed


async def closed_loop(ports, concurrency: int, count: int, deliveries: Deliveries, deadline: float):
    loop = asyncio.get_running_loop()
    next_i = [0]
    results = []
    start = loop.time()

    async def runner(k):
        conn = await Connection(ports[k % len(ports)]).open()
        while next_i[0] < count and loop.time() - start < deadline:
            i = next_i[0]
            next_i[0] += 1
            sent = loop.time()
            try:
                status = await conn.send(deliveries.request(i))
            except (OSError, asyncio.IncompleteReadError) as err:
                status = f"error: {type(err).__name__}"
                conn.close()
                conn = await Connection(ports[k % len(ports)]).open()
            results.append((loop.time() - sent, status))
        conn.close()

    await asyncio.gather(*(runner(k) for k in range(concurrency)))
    return results, loop.time() - start


def generate(spec: dict) -> dict:
    deliveries = Deliveries(spec)
    cpu = time.process_time()
    if spec["mode"] == "open":
        results, elapsed = asyncio.run(open_loop(spec["ports"], spec["rate"], spec["count"], deliveries,
                                                 spec["deadline"]))
    else:
        results, elapsed = asyncio.run(closed_loop(spec["ports"], spec["concurrency"], spec["count"], deliveries,
                                                   spec["deadline"]))
    latencies = sorted(r[0] for r in results)
    statuses: dict[str, int] = {}
    for _, status in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")

    return {"sent": len(results), "elapsed": elapsed, "rate": len(results) / elapsed if elapsed else 0,
            "p50": pct(0.50), "p99": pct(0.99), "max": latencies[-1] if latencies else float("nan"),
            "statuses": statuses, "cpu": (time.process_time() - cpu) / elapsed if elapsed else 0}


def run_generator(spec: dict) -> dict:
    """The load from a child process: its answer as JSON on stdout."""
    done = subprocess.run([sys.executable, __file__, "--generate"], input=json.dumps(spec), capture_output=True,
                          text=True, timeout=spec["deadline"] + 180)
    if done.returncode != 0:
        sys.exit(f"the load generator failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


# -- the floor: a bare Starlette endpoint ------------------------------------------------------


def baseline_server(port: int) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def webhook(request):
        await request.body()
        return JSONResponse({"message": "accepted"}, status_code=202)

    app = Starlette(routes=[Route("/webhook", webhook, methods=["POST"])])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off")


# -- the services -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port: int, proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"a service on port {port} stopped: {proc.stderr.read()[-2000:] if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing listens on port {port} after {timeout} s")


def rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


class Sampler(threading.Thread):
    """The resident memory of some processes, and of their children (the worker processes
    `serve` starts), every half second."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids = pids
        self.samples: list[list[float]] = []
        self.workers: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.samples.append([rss_mib(p) for p in self.pids])
            self.workers.append(sum(rss_mib(c) for p in self.pids for c in children(p)))
            self.stop.wait(0.5)


class Setup:
    """The fake GitHub with one installation and --prs open pull requests (README edits)."""

    def __init__(self, prs: int, tmp: Path, nice: int = 0, worker_nice: int | None = None):
        from botsetup import keys
        from fakegithub import FakeApp, FakeGitHub, Workspace

        self.worker_nice = worker_nice

        self.fake = FakeGitHub().start()
        if nice:
            # GitHub's CPU is not the service's: the fake that stands in for it runs at the
            # priority of the services' workers (its request threads inherit it from this one)
            os.setpriority(os.PRIO_PROCESS, self.fake.thread.native_id, nice)
        private, public = keys()
        self.app = FakeApp(self.fake, public)
        self.ws = Workspace(self.fake, tmp / "checkout")
        self.installation = self.app.install("acme", ["acme/plano"])
        self.key = tmp / "app.pem"
        self.key.write_bytes(private)
        self.pulls = [self.ws.pull({f"notes/{i}.md": f"note {i}\n"}, title=f"Note {i}") for i in range(prs)]
        pull_json = self.fake.pull_json(self.pulls[0])
        payload = {"action": "synchronize", "number": "NUMBER_SLOT",
                   "pull_request": {**pull_json, "number": "NUMBER_SLOT"},
                   "before": "0" * 40, "after": self.pulls[0].head_sha,
                   "repository": self.fake.repo_json(self.ws.repo), "organization": self.fake.user("acme"),
                   "installation": {"id": self.installation, "node_id": "MDIz"},
                   "sender": self.fake.user("dan")}
        self.template = json.dumps(payload)

    def env(self, db_url: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PEPCTL_", "GITHUB_"))}
        if self.worker_nice is not None:
            env["PEPCTL_BOT_WORKER_NICE"] = str(self.worker_nice)
        env.update(PEPCTL_WEBHOOK_SECRET=SECRET, PEPCTL_APP_ID=str(self.app.id), PEPCTL_PRIVATE_KEY=str(self.key),
                   GITHUB_API_URL=self.fake.url, PEPCTL_DATABASE_URL=db_url, PEPCTL_BOT_SWEEP_HOURS="0",
                   PEPCTL_BOT_REDELIVERY_MINUTES="0", PEPCTL_BOT_LEASE="60", PEPCTL_BOT_SETTLE_MS="1000")
        return env

    def spec(self, ports, prefix: str, **extra) -> dict:
        return {"ports": ports, "secret": SECRET, "prefix": prefix, "template": self.template,
                "numbers": [p.number for p in self.pulls], **extra}

    def stop(self):
        self.fake.stop()


def start_services(setup: Setup, db_url: str, count: int, tmp: Path, split: bool = False) -> tuple[list, list[int]]:
    """``count`` `serve` processes (each with its worker thread; ``split``: web only, and as many
    `work` processes beside them)."""
    env = setup.env(db_url)
    subprocess.run([sys.executable, "-m", "pepctl", "bot", "migrate"], env=env, cwd=tmp, check=True,
                   capture_output=True, timeout=120)
    procs, ports = [], []
    for _ in range(count):
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "pepctl", "bot", "serve", "--port", str(port), "--workers",
                                 "0" if split else "1"],
                                env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        ports.append(port)
    if split:
        for _ in range(count):
            procs.append(subprocess.Popen([sys.executable, "-m", "pepctl", "bot", "work"], env=env, cwd=tmp,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    for proc, port in zip(procs, ports):
        wait_listening(port, proc)
    return procs, ports


def stop_services(procs) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def summary(found: list[dict]) -> dict:
    """The median over runs of each run's figures."""
    return {
        "rate": statistics.median(r["rate"] for r in found),
        "p50": statistics.median(r["p50"] for r in found),
        "p99": statistics.median(r["p99"] for r in found),
        "max": statistics.median(r["max"] for r in found),
        "p99s": [r["p99"] for r in found],
        "statuses": [r["statuses"] for r in found],
        "sent": sum(r["sent"] for r in found),
        "generator_cpu": statistics.median(r["cpu"] for r in found),
        "cpu_ms": statistics.median(r["cpu_ms"] for r in found),
    }


def measured(spec: dict, pids: list[int]) -> dict:
    """One generator run, with the CPU time the processes ``pids`` used for it, per delivery."""
    before = sum(cpu_seconds(p) for p in pids)
    result = run_generator(spec)
    result["cpu_ms"] = (sum(cpu_seconds(p) for p in pids) - before) * 1000 / max(1, result["sent"])
    return result


def latency_runs(setup, ports, pids, floor, rate, seconds, runs, name) -> tuple[dict, dict]:
    """``runs`` runs at ``rate`` against the setup, each right after one against the floor (the
    bare endpoint, with the same bodies): the machine's load changes from minute to minute, so
    each setup is compared with the floor measured beside it. Also the web processes' CPU time
    per delivery: unlike latency, it hardly depends on what else the machine runs."""
    found, floors = [], []
    for run in range(runs):
        spec = dict(setup.spec([floor.port], f"floor-{name}-{run}", mode="open", rate=rate, count=int(rate * seconds),
                               deadline=seconds + 5))
        floors.append(measured(spec, [floor.proc.pid]))
        spec = setup.spec(ports, f"{name}-lat{run}-{time.time_ns()}", mode="open", rate=rate,
                          count=int(rate * seconds), deadline=seconds + 5)
        found.append(measured(spec, pids))
    return summary(found), summary(floors)


def check_processed(setup: Setup, db_url: str, prefixes_sent: int, timeout: float) -> dict:
    """Wait for the queue to empty, then check that each delivery was stored once and each pull
    request decided once in effect."""
    import sqlalchemy as sa

    from pepctl.bot.models import deliveries, dirty
    from pepctl.bot.store import Store

    store = Store(db_url)
    started = time.monotonic()
    try:
        while True:
            with store.engine.connect() as c:
                left = c.execute(sa.select(sa.func.count()).select_from(dirty)).scalar_one()
            if left == 0 or time.monotonic() - started > timeout:
                break
            time.sleep(0.25)
        drained = time.monotonic() - started
        with store.engine.connect() as c:
            stored = c.execute(sa.select(sa.func.count()).select_from(deliveries)).scalar_one()
            distinct = c.execute(sa.select(sa.func.count(sa.distinct(deliveries.c.guid)))).scalar_one()
    finally:
        store.dispose()
    runs = {p.number: len(setup.app.runs("acme/plano", p.head_sha)) for p in setup.pulls}
    summaries = {p.number: sum(1 for c in setup.ws.repo.issue_comments(p.number) if "review-summary" in c["body"])
                 for p in setup.pulls}
    return {"left": left, "drain_s": drained, "stored": stored, "distinct": distinct, "sent": prefixes_sent,
            "one_check_run_each": all(n == 1 for n in runs.values()),
            "one_summary_each": all(n == 1 for n in summaries.values())}


def warm_up(setup, db_url, ports, processes, args) -> None:
    """Wait for every worker to have started (each records its start in the audit log) and send
    a second of load unmeasured: the latency runs measure the service running, not starting."""
    import sqlalchemy as sa

    from pepctl.bot.models import audit
    from pepctl.bot.store import Store

    store = Store(db_url)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            with store.engine.connect() as c:
                started = c.execute(sa.select(sa.func.count()).select_from(audit)
                                    .where(audit.c.action == "redeliver")).scalar_one()
            if started >= processes:
                break
            time.sleep(0.2)
    finally:
        store.dispose()
    run_generator(setup.spec(ports, f"warm-{time.time_ns()}", mode="open", rate=args.rate, count=int(args.rate),
                             deadline=10))


def scenario(name, setup, db_url, processes, floor, args, tmp) -> dict:
    procs, ports = start_services(setup, db_url, processes, tmp, split=args.split)
    try:
        warm_up(setup, db_url, ports, processes, args)
        result = {"name": name, "load_before": os.getloadavg()}
        result["latency"], result["floor"] = latency_runs(setup, ports, [p.pid for p in procs[:processes]], floor,
                                                          args.rate, args.seconds, args.runs, name)
        sampler = Sampler([p.pid for p in procs[:processes]])  # the web services (and their worker processes)
        sampler.start()
        spec = setup.spec(ports, f"{name}-vol-{time.time_ns()}", mode="closed", concurrency=32,
                          count=args.deliveries, deadline=args.volume_deadline)
        volume = run_generator(spec)
        sampler.stop.set()
        sampler.join()
        totals = [sum(s) for s in sampler.samples]
        tenth = max(1, len(totals) // 10)
        volume["rss_start"] = totals[0] if totals else float("nan")
        volume["rss_10pct"] = totals[tenth] if totals else float("nan")
        volume["rss_end"] = totals[-1] if totals else float("nan")
        volume["rss_peak"] = max(totals) if totals else float("nan")
        volume["rss_workers_start"] = sampler.workers[0] if sampler.workers else float("nan")
        volume["rss_workers_end"] = sampler.workers[-1] if sampler.workers else float("nan")
        result["volume"] = volume
        sent = result["latency"]["sent"] + volume["sent"] + int(args.rate)  # and the warm-up
        result["processed"] = check_processed(setup, db_url, sent, timeout=args.drain_timeout)
        result["rss_after_drain"] = sum(rss_mib(p.pid) for p in procs[:processes])
        result["load_after"] = os.getloadavg()
        return result
    finally:
        stop_services(procs)


class Floor:
    """The bare Starlette endpoint in a process of its own, up for the whole invocation."""

    def __enter__(self):
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, __file__, "--baseline-server", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_listening(self.port, self.proc)
        return self

    def throughput(self, args) -> float:
        spec = {"secret": SECRET, "template": json.dumps({"number": "NUMBER_SLOT", "pad": "x" * 3500}),
                "numbers": [1], "ports": [self.port], "prefix": "floorvol", "mode": "closed", "concurrency": 32,
                "count": min(args.deliveries, 20000), "deadline": args.volume_deadline}
        return run_generator(spec)["rate"]

    def __exit__(self, *exc):
        stop_services([self.proc])


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--deliveries", type=int, default=100_000)
    parser.add_argument("--prs", type=int, default=200)
    parser.add_argument("--volume-deadline", type=float, default=600)
    parser.add_argument("--drain-timeout", type=float, default=600)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--split", action="store_true",
                        help="`serve --workers 0` and a `pepctl bot work` process beside each, instead of the "
                             "worker process `serve` starts")
    parser.add_argument("--fake-nice", type=int, default=10,
                        help="CPU priority (nice) of the fake GitHub's threads (0: the services' own)")
    parser.add_argument("--worker-nice", type=int, help="PEPCTL_BOT_WORKER_NICE of the services (default: theirs)")
    parser.add_argument("--quick", action="store_true", help="a short run: 5 s at the rate, 5,000 deliveries")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(json.load(sys.stdin))))
        return
    if args.baseline_server:
        baseline_server(args.baseline_server)
        return
    if args.quick:
        args.seconds, args.deliveries, args.runs = 5, 5000, min(args.runs, 2)

    print(f"# pepctl bot under load ({machine()}); {args.rate:g}/s for {args.seconds:g} s x {args.runs} runs, "
          f"each after a run on the floor, then {args.deliveries:,} deliveries over {args.prs} pull requests; "
          f"load average {load()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="pepctl-bot-load-") as folder, Floor() as floor:
        tmp = Path(folder)
        throughput = floor.throughput(args)
        setup = Setup(args.prs, tmp, args.fake_nice, args.worker_nice)
        print(f"delivery body: {len(setup.template)} bytes; floor volume: {throughput:.0f}/s", flush=True)
        try:
            results.append(scenario("SQLite, 1 process", setup, f"sqlite:///{tmp}/bot.sqlite3", 1, floor, args,
                                    tmp))
            print(json.dumps(results[-1]), flush=True)
        finally:
            setup.stop()
        if not args.skip_postgres:
            from pgserver import PgServer

            server = PgServer().start()
            setup = Setup(args.prs, tmp / "pg", args.fake_nice, args.worker_nice)
            try:
                results.append(scenario("PostgreSQL, 2 processes", setup, server.new_database(), 2, floor, args,
                                        tmp))
                print(json.dumps(results[-1]), flush=True)
            finally:
                setup.stop()
                server.stop()

    print()
    print("| setup | rate achieved | p50 | p99 | max | p99 of the floor beside it | p99 / floor's | "
          "web CPU per delivery (floor's) | volume: deliveries/s | memory (MiB): start → 10% → end, peak |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        lat, vol, fl = r["latency"], r["volume"], r["floor"]
        print(f"| {r['name']} | {lat['rate']:.0f}/s | {ms(lat['p50'])} | {ms(lat['p99'])} | {ms(lat['max'])} | "
              f"{ms(fl['p99'])} | {lat['p99'] / fl['p99']:.2f} | {lat['cpu_ms']:.2f} ms ({fl['cpu_ms']:.2f} ms) | "
              f"{vol['rate']:.0f} | {vol['rss_start']:.0f} → {vol['rss_10pct']:.0f} → {vol['rss_end']:.0f}, "
              f"{vol['rss_peak']:.0f} |")
    print(f"| bare Starlette, 202 only (volume) | - | - | - | - | - | - | - | {throughput:.0f} | - |")
    print()
    for r in results:
        p, lat, fl = r["processed"], r["latency"], r["floor"]
        print(f"- {r['name']}: p99 of each run {', '.join(ms(x) for x in lat['p99s'])} (the floor's beside them: "
              f"{', '.join(ms(x) for x in fl['p99s'])}; its p50 {ms(fl['p50'])}); load average "
              f"{fmt_load(r['load_before'])} before, {fmt_load(r['load_after'])} after; the load generator used "
              f"{lat['generator_cpu']:.0%} of a CPU; statuses {lat['statuses'] + [r['volume']['statuses']]}; "
              f"worker processes {r['volume']['rss_workers_start']:.0f} → {r['volume']['rss_workers_end']:.0f} MiB; "
              f"queue empty {p['drain_s']:.1f} s after the load ({p['left']} left); {p['stored']:,} deliveries "
              f"stored, {p['distinct']:,} distinct, {p['sent']:,} sent; one check run each: {p['one_check_run_each']}, "
              f"one summary each: {p['one_summary_each']}")


def fmt_load(values) -> str:
    return " / ".join(f"{v:.1f}" for v in values)


def load() -> str:
    return fmt_load(os.getloadavg()) + " (1 / 5 / 15 min)"


if __name__ == "__main__":
    main()
