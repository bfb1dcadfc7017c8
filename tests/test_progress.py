"""Progress shows on a terminal only, and clears its line when done."""

import io

from pepctl.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_on_a_terminal_and_clears():
    stream = Terminal()
    with Progress("checking", 300, stream=stream, interval=0) as progress:
        for _ in range(300):
            progress.step()
    text = stream.getvalue()
    assert "\rchecking 300/300" in text
    assert text.endswith("\r")


def test_progress_is_silent_when_piped():
    stream = io.StringIO()
    with Progress("checking", 300, stream=stream, interval=0) as progress:
        for _ in range(300):
            progress.step()
    assert stream.getvalue() == ""


def test_progress_is_silent_for_short_runs():
    stream = Terminal()
    with Progress("checking", 3, stream=stream, interval=0) as progress:
        for _ in range(3):
            progress.step()
    assert stream.getvalue() == ""


def test_check_on_a_pty_shows_progress_and_pipe_does_not(corpus_dir, pepctl):
    import os
    import pty
    import subprocess
    import sys

    piped = pepctl("--dir", str(corpus_dir), "check", "--select", "F006")
    assert "checking" not in piped.stderr and "reading" not in piped.stderr
    leader, follower = pty.openpty()
    result = subprocess.run(
        [sys.executable, "-m", "pepctl", "--dir", str(corpus_dir), "check", "--select", "F006"],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        timeout=120,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert result.returncode in (0, 1)
    assert b"checking" in b"".join(chunks)
