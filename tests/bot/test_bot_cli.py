"""`pepctl bot ...` as a person runs it: exit codes, one-line errors, a real server process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
from botwire import SECRET, delivery, pr_payload
from fakegithub import fake_github  # noqa: F401  (fixture)
from pgserver import free_port


def env(**extra):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PEPCTL_", "GITHUB_"))}
    base.update(extra)
    return base


def pepctl(*args, cwd, **extra):
    return subprocess.run([sys.executable, "-m", "pepctl", *args], cwd=cwd, env=env(**extra), capture_output=True,
                          text=True, timeout=120)


def test_serve_refuses_to_start_without_a_secret(tmp_path):
    done = pepctl("bot", "serve", "--workers", "0", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("pepctl: error: PEPCTL_WEBHOOK_SECRET is not set")
    assert "Traceback" not in done.stderr


def test_serve_refuses_an_unmigrated_database(tmp_path):
    done = pepctl("bot", "serve", "--workers", "0", "--db", f"sqlite:///{tmp_path}/x.db", cwd=tmp_path,
                  PEPCTL_WEBHOOK_SECRET=SECRET)
    assert done.returncode == 2, done.stderr
    assert "empty (no bot tables)" in done.stderr and "pepctl bot migrate" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_settings_are_usage_errors(tmp_path):
    for args, extra, words in [
        (["--workers", "0", "--db", "mysql://x/y"], {}, "mysql is not supported"),
        (["--workers", "0", "--db", "::nonsense::"], {}, "not a database URL"),
        ([], {"PEPCTL_BOT_LEASE": "soon"}, "PEPCTL_BOT_LEASE: 'soon' is not a whole number"),
        ([], {"GITHUB_API_URL": "ftp://x"}, "GITHUB_API_URL is not an http(s) URL"),
        (["--workers", "1"], {"PEPCTL_APP_ID": "5", "PEPCTL_PRIVATE_KEY": "/nonexistent.pem"},
         "PEPCTL_PRIVATE_KEY /nonexistent.pem: cannot read it"),
        (["--workers", "1"], {}, "PEPCTL_APP_ID is not set"),
    ]:
        done = pepctl("bot", "serve", *args, cwd=tmp_path, PEPCTL_WEBHOOK_SECRET=SECRET, **extra)
        assert done.returncode == 2 and words in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr


def test_migrate_then_serve_answers_webhooks(tmp_path):
    done = pepctl("bot", "migrate", cwd=tmp_path)
    assert done.returncode == 0 and "empty -> 0001" in done.stdout, done.stderr
    assert (tmp_path / "pepctl-bot.sqlite3").exists()  # the default database, in the working folder
    assert "up to date" in pepctl("bot", "migrate", cwd=tmp_path).stdout
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pepctl", "bot", "serve", "--port", str(port), "--workers", "0"],
                            cwd=tmp_path, env=env(PEPCTL_WEBHOOK_SECRET=SECRET), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else ""
            time.sleep(0.05)
        body, headers = delivery("pull_request", pr_payload(3))
        assert httpx.post(url + "/webhook", content=body, headers=headers).status_code == 202
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    # uvicorn shuts down cleanly, then ends the process by the signal it got (as systemd expects)
    assert proc.returncode in (0, -signal.SIGTERM), err
    assert "pepctl bot: stopped" in err and "Traceback" not in err


def test_help_lists_the_subcommands(tmp_path):
    done = pepctl("bot", "--help", cwd=tmp_path)
    assert done.returncode == 0
    for name in ("serve", "work", "migrate"):
        assert name in done.stdout


def test_the_base_commands_do_not_import_the_bot(tmp_path):
    code = ("import sys; from pepctl.cli import main; main(['rules']);"
            "bad = [m for m in sys.modules if m.startswith(('pepctl.bot', 'sqlalchemy', 'starlette', 'alembic'))];"
            "print('BAD', bad) if bad else None")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env(), capture_output=True, text=True)
    assert "BAD" not in done.stdout, done.stdout[-500:]


def test_manifest_asks_for_least_permissions(tmp_path):
    import json

    done = pepctl("bot", "manifest", "--url", "https://pep-bot.example.org/", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["hook_attributes"]["url"] == "https://pep-bot.example.org/webhook"
    assert data["default_permissions"] == {"checks": "write", "contents": "write", "issues": "write",
                                           "metadata": "read", "pull_requests": "write"}
    assert "statuses" not in data["default_permissions"]  # the App reports a check run
    assert sorted(data["default_events"]) == ["check_run", "issue_comment", "issues", "pull_request",
                                              "pull_request_review", "push"]
    bad = pepctl("bot", "manifest", "--url", "pep-bot", cwd=tmp_path)
    assert bad.returncode == 2 and "not an http(s) URL" in bad.stderr


def test_resync_and_log(fake_github, tmp_path, sqlite_store):
    from botsetup import PEP_DIR, Bot, pep_text

    bot = Bot(fake_github, tmp_path, sqlite_store)
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    run = lambda *args: subprocess.run([sys.executable, "-m", "pepctl", "bot", *args], env=bot.env(),  # noqa: E731
                                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    done = run("resync", "--repo", "acme/nope")
    assert done.returncode == 2 and "the App is not installed on it" in done.stderr
    done = run("resync", "--repo", "ACME/plano")
    assert done.returncode == 0 and "1 repositories marked" in done.stdout, done.stderr
    assert bot.work() == 3  # the repository, its pull request, its index
    done = run("log", "--pr", str(pull.number))
    assert done.returncode == 0 and f"acme/plano#{pull.number} gate " in done.stdout
    assert "conclusion=success" in done.stdout
    import json

    entries = json.loads(run("log", "--format", "json").stdout)
    assert [e["action"] for e in entries][0] == "resync"
    assert sorted(e["action"] for e in entries) == ["gate", "index", "resync"]
    assert run("log", "--pr", "999").stdout.strip() == "pepctl bot log: no entries"
