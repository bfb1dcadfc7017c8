"""`pepctl site serve`: the server, the watch on the PEP folder, rebuilds as files change."""

from __future__ import annotations

import contextlib
import datetime
import os
import re
from pathlib import Path

import pytest

from sitehelpers import build, copy_fixtures, git, history_repo, set_status

TODAY = datetime.date(2024, 3, 20)


@pytest.fixture
def site(tmp_path):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "out"
    result = build(folder, out, today=TODAY)
    return folder, out, result


def test_server_serves_files_and_the_404_page(site):
    import threading
    import urllib.error
    import urllib.request

    from pepctl.site.serve import make_server

    _, out, _ = site
    server = make_server(str(out), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as response:
            assert response.status == 200 and b"Alpha streaming cache" in response.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/peps.json", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("application/json")
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/pep/nope.html", timeout=10)
        assert caught.value.code == 404 and b"Page not found" in caught.value.read()
    finally:
        server.shutdown()
        server.server_close()


def test_server_never_serves_a_cache_or_any_hidden_file(site):
    import threading
    import urllib.error
    import urllib.request

    from pepctl.site import cache
    from pepctl.site.serve import make_server

    _, out, _ = site
    assert not os.path.exists(os.path.join(out, cache.OLD_CACHE_DIR))  # the cache is beside the site...
    old = out / ".pepctl-cache"  # ...but one left by an older version, or anything hidden, is not served
    old.mkdir()
    (old / "build.marshal").write_bytes(b"secret")
    (out / "pep" / ".pepctl-x.tmp").write_bytes(b"half")
    server = make_server(str(out), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for path in ("/.pepctl-cache/build.marshal", "/.pepctl-cache/", "/%2Epepctl-cache/build.marshal",
                     "/pep/.pepctl-x.tmp", "/pep/../.pepctl-cache/build.marshal"):
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
            assert caught.value.code == 404, path
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200 and b".pepctl-cache" not in response.read()
        for folder in ("/pep/", "/pep", "/api/", "/static/", "/search/"):  # no listing of a folder's files
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{folder}", timeout=10)
            assert caught.value.code == 404 and b".pepctl-x.tmp" not in caught.value.read(), folder
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_requests_get_an_answer_and_no_traceback(site, capsys):
    # a NUL byte in the path made open() raise ValueError: the client got no answer and the
    # terminal a traceback; a client that hangs up mid-answer printed one too
    import socket
    import threading

    from pepctl.site.serve import make_server

    _, out, _ = site
    (out / "big.bin").write_bytes(b"x" * 8_000_000)
    server = make_server(str(out), 0)
    server.daemon_threads = False  # so that server_close() waits for every answer (and its errors)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]

        def ask(request: bytes, read: int = 65536) -> bytes:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(request)
                return conn.recv(read)

        for path in (b"/%00", b"/pep/%00.html", b"/..%2f%00"):
            answer = ask(b"GET " + path + b" HTTP/1.0\r\n\r\n")
            assert answer.startswith(b"HTTP/1.0 404"), (path, answer[:40])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
            conn.recv(10)  # then hang up with a reset while the server still writes
        assert ask(b"GET /index.html HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 200")
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capsys.readouterr().err


def test_snapshot_sees_edits_additions_and_removals(tmp_path):
    from pepctl.site.serve import snapshot

    folder = copy_fixtures(tmp_path)
    first = snapshot(str(folder), [])
    (folder / "PEP-0009-new.md").write_text("# PEP-0009: New\n", encoding="utf-8")
    second = snapshot(str(folder), [])
    assert second != first
    (folder / "PEP-0009-new.md").unlink()
    assert snapshot(str(folder), []) == first
    os.utime(folder / "PEP-0001-alpha.md", ns=(1, 1))
    assert snapshot(str(folder), []) != first


def test_snapshot_sees_the_files_of_every_format(tmp_path):
    # serve rebuilds when the snapshot changes: a Python PEP (.rst) and a KEP's README.md, in a
    # folder of its own beside kep.yaml, are files a build reads as much as a Plano PEP-*.md
    from pepctl.config import Config
    from pepctl.site.serve import snapshot, sources
    from tests.formats.dialects import PY
    from tests.formats.test_oddities import KEP

    python = tmp_path / "python"
    python.mkdir()
    pep = python / "pep-9001.rst"
    pep.write_text(PY, encoding="utf-8")
    config = Config({"format": "python-pep"})
    first = snapshot(str(python), sources(str(python), config))
    os.utime(pep, ns=(1, 1))
    assert snapshot(str(python), sources(str(python), config)) != first

    keps = tmp_path / "keps"
    (keps / "sig-a" / "42-spin").mkdir(parents=True)
    (keps / "sig-a" / "42-spin" / "kep.yaml").write_text(KEP, encoding="utf-8")
    readme = keps / "sig-a" / "42-spin" / "README.md"
    readme.write_text("# KEP-42: Spin\n", encoding="utf-8")
    config = Config({"format": "kep"})
    first = snapshot(str(keps), sources(str(keps), config))
    readme.write_text("# KEP-42: Spin\n\nMore.\n", encoding="utf-8")
    assert snapshot(str(keps), sources(str(keps), config)) != first


@contextlib.contextmanager
def serving(folder: Path, out: Path, env: dict | None = None, lines=None):
    """`pepctl site serve` in a child process; yields the server's root URL. With `lines` (a
    queue.Queue), every line the server writes to stderr is put in it."""
    import subprocess
    import sys
    import threading
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "pepctl", "--dir", str(folder), "site", "serve", "-o", str(out), "--port", "0",
         "--interval", "0.1"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            if lines is not None:
                lines.put(line)
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
        assert port, "the server did not start"
        if lines is not None:
            threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)


def served_page_comes_to_hold(url: str, words: bytes, seconds: float = 30) -> bool:
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=10) as response:
            if words in response.read():
                return True
        time.sleep(0.1)
    return False


def test_serve_rebuilds_when_a_pep_changes(tmp_path):
    """`pepctl site serve` end to end: it serves on 127.0.0.1 and picks up an edit."""
    folder = copy_fixtures(tmp_path)
    with serving(folder, tmp_path / "site") as root:
        url = root + "pep/PEP-0003-gamma.html"
        assert served_page_comes_to_hold(url, b"measured latency", seconds=1)
        gamma = folder / "PEP-0003-gamma.md"
        gamma.write_text(gamma.read_text(encoding="utf-8").replace("measured latency.", "measured tachyons."),
                         encoding="utf-8")
        assert served_page_comes_to_hold(url, b"measured tachyons"), "the edit never reached the served page"


def test_serve_rebuilds_when_a_commit_changes_no_file(tmp_path):
    """The timeline comes from commits: committing an edit the server already showed still updates it."""
    folder = history_repo(tmp_path)
    with serving(folder, tmp_path / "site") as root:
        url = root + "pep/PEP-0001-alpha.html"
        set_status(folder / "PEP-0001-alpha.md", "Under Review", "Deferred")
        assert served_page_comes_to_hold(url, b"Deferred</span>")
        assert b"2024-03-20" not in urllib_get(url)
        git(folder.parent, "commit", "-q", "-am", "defer alpha", date="2024-03-20T09:00:00+00:00")
        assert served_page_comes_to_hold(url, b"2024-03-20"), "the commit never reached the timeline"


def build_said(lines) -> list[str]:
    """The lines the server writes up to the end of its next build (its summary, "built ...")."""
    said = []
    while not said or not said[-1].startswith("built "):
        said.append(lines.get(timeout=60))
    return said


def test_serve_says_once_a_session_that_diagrams_are_shown_as_their_source(tmp_path):
    # the warning that Mermaid's script is missing came again with every rebuild, edit after edit;
    # it is said once, and again only when the script went and came back
    import queue

    folder = copy_fixtures(tmp_path)
    gamma = folder / "PEP-0003-gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + "\n## Flow\n\n```mermaid\ngraph TD; A-->B\n```\n",
                     encoding="utf-8")
    script = tmp_path / "mermaid.min.js"  # named but missing: diagrams are shown as their source
    lines = queue.Queue()
    warning = "Mermaid diagrams are shown as their source"

    def edit(word: str) -> list[str]:
        with gamma.open("a", encoding="utf-8") as handle:
            handle.write(f"\nEdited: {word}.\n")
        return build_said(lines)

    with serving(folder, tmp_path / "site", env={**os.environ, "PEPCTL_MERMAID_JS": str(script)}, lines=lines):
        assert sum(warning in line for line in build_said(lines)) == 1
        for word in ("tachyons", "quarks"):
            assert not any(warning in line for line in edit(word))
        script.write_text("window.mermaid = {};", encoding="utf-8")
        assert not any(warning in line for line in edit("drawn"))
        script.unlink()  # gone again: said again, once
        assert sum(warning in line for line in edit("gone")) == 1
        assert not any(warning in line for line in edit("still gone"))


def urllib_get(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def test_a_port_in_use_is_a_usage_error_after_the_first_build(tmp_path, pepctl):
    import socket

    folder = copy_fixtures(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = pepctl("--dir", str(folder), "site", "serve", "-o", str(tmp_path / "site"), "--port", str(port))
    assert done.returncode == 2
    assert f"pepctl: error: cannot listen on 127.0.0.1:{port}: " in done.stderr
    assert (tmp_path / "site" / "index.html").is_file()  # the site was built first


def test_a_bad_pepctl_jobs_stops_serve_before_it_builds(tmp_path, pepctl):
    folder = copy_fixtures(tmp_path)
    done = pepctl("--dir", str(folder), "site", "serve", "-o", str(tmp_path / "site"), "--port", "0",
                  env={"PEPCTL_JOBS": "0"})
    assert done.returncode == 2 and done.stderr.startswith("pepctl: error: PEPCTL_JOBS is '0'")
    assert not (tmp_path / "site" / "index.html").exists()
