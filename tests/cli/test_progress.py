"""The progress line shows on a terminal only, and clears itself when the label changes and at the end."""

import io

from pepctl.cli.progress import TerminalProgress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run(stream, label="checking", total=300, **options):
    with TerminalProgress(stream, interval=0, **options) as progress:
        for done in range(1, total + 1):
            progress(label, done, total)


def test_progress_shows_on_a_terminal_and_clears():
    stream = Terminal()
    run(stream)
    text = stream.getvalue()
    assert "\rchecking 300/300" in text
    assert text.endswith("\r\x1b[K")


def test_progress_clears_the_line_when_the_label_changes():
    stream = Terminal()
    with TerminalProgress(stream, interval=0) as progress:
        progress("reading", 300, 300)
        progress("checking", 1, 300)
    text = stream.getvalue()
    assert text.index("\rreading 300/300") < text.index("\r\x1b[K") < text.index("\rchecking 1/300")


def test_progress_is_silent_when_piped():
    stream = io.StringIO()
    run(stream)
    assert stream.getvalue() == ""


def test_progress_is_silent_for_short_runs():
    stream = Terminal()
    run(stream, total=3)
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
