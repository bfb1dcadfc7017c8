"""Reading PEP files (only regular files in the folder) and atomic writes: whole files or nothing,
modes kept, never an overwrite when exclusive."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from pepctl.fsutil import atomic_write, read_source


def leftovers(folder):
    return [n for n in os.listdir(folder) if n.startswith(".pepctl-")]


def test_new_file_gets_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(str(tmp_path / "a.md"), b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "a.md").st_mode) == 0o640


def test_existing_mode_is_kept(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"old")
    os.chmod(path, 0o600)
    atomic_write(str(path), b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_exclusive_never_overwrites(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        atomic_write(str(path), b"theirs", exclusive=True)
    assert path.read_bytes() == b"mine"
    assert leftovers(tmp_path) == []


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(str(path), b"new")
    assert path.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_many_threads_leave_umask_and_modes_alone(tmp_path):
    before = os.umask(0o022)
    os.umask(before)
    threads = [
        threading.Thread(target=atomic_write, args=(str(tmp_path / f"f{i}.html"), b"x"), kwargs={"durable": False})
        for i in range(64)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = os.umask(0o022)
    os.umask(after)
    assert after == before
    modes = {stat.S_IMODE(os.stat(tmp_path / f"f{i}.html").st_mode) for i in range(64)}
    assert modes == {0o666 & ~before}


def test_read_source_follows_links_within_the_folder(tmp_path):
    (tmp_path / "PEP-0001-a.md").write_bytes(b"# PEP-0001: A\n")
    os.symlink("PEP-0001-a.md", tmp_path / "PEP-0002-b.md")
    (tmp_path / "old").mkdir()
    os.symlink("../PEP-0001-a.md", tmp_path / "old" / "PEP-0003-c.md")  # out of its own folder
    assert read_source(str(tmp_path / "PEP-0002-b.md")) == b"# PEP-0001: A\n"
    with pytest.raises(OSError, match="outside the PEP folder"):
        read_source(str(tmp_path / "old" / "PEP-0003-c.md"))


def test_read_source_refuses_a_link_out_of_the_folder(tmp_path):
    secret = tmp_path / "secret.env"
    secret.write_bytes(b"TOKEN=hunter2\n")
    folder = tmp_path / "peps"
    folder.mkdir()
    os.symlink(secret, folder / "PEP-0001-a.md")
    os.symlink("../secret.env", folder / "PEP-0002-b.md")
    for name in ("PEP-0001-a.md", "PEP-0002-b.md"):
        with pytest.raises(OSError, match="outside the PEP folder") as caught:
            read_source(str(folder / name))
        assert "hunter2" not in str(caught.value)


def bound_socket(path):
    import socket

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return server


@pytest.mark.parametrize("make, words", [
    (lambda path: os.mkfifo(path), "named pipe"),  # a blocking read would wait for ever
    (lambda path: os.mkdir(path), "directory"),
    (lambda path: os.symlink(path.name, path), "symbolic links"),  # a link to itself
    (lambda path: bound_socket(path), "socket"),
])
def test_read_source_refuses_what_is_no_file(tmp_path, make, words):
    path = tmp_path / "PEP-0001-a.md"
    make(path)
    with pytest.raises(OSError) as caught:
        read_source(str(path))
    assert words in caught.value.strerror.lower()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open descriptors in /proc/self/fd")
def test_read_source_leaves_no_descriptor_open_for_a_folder(tmp_path):
    """A folder named like a PEP file: the descriptor opened to look at it is closed again (it leaked
    one per read, so checking a folder many times ran out of descriptors)."""
    path = tmp_path / "PEP-0001-a.md"
    path.mkdir()
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        with pytest.raises(OSError):
            read_source(str(path))
    assert len(os.listdir("/proc/self/fd")) == before


def test_write_through_a_link_keeps_the_link(tmp_path):
    # `PEP-0006-foo.md -> real-0006.md`: the target gets the new bytes, the link stays a link
    target = tmp_path / "real-0006.md"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    link = tmp_path / "PEP-0006-foo.md"
    os.symlink("real-0006.md", link)
    atomic_write(str(link), b"new")
    assert os.path.islink(link) and os.readlink(link) == "real-0006.md"
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_write_through_a_link_to_another_folder_puts_the_temp_file_there(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    (tmp_path / "peps").mkdir()
    target = tmp_path / "real" / "process.md"
    target.write_bytes(b"old")
    os.symlink("../real/process.md", tmp_path / "peps" / "PEP-0000-process.md")
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (renames.append((src, dst)), real_replace(src, dst)))
    atomic_write(str(tmp_path / "peps" / "PEP-0000-process.md"), b"new")
    assert os.path.islink(tmp_path / "peps" / "PEP-0000-process.md")
    assert target.read_bytes() == b"new"
    [(src, dst)] = renames
    assert os.path.dirname(src) == str(tmp_path / "real") and dst == str(target)
    assert leftovers(tmp_path / "peps") == [] and leftovers(tmp_path / "real") == []


def test_write_through_a_chain_of_links(tmp_path):
    (tmp_path / "c.md").write_bytes(b"old")
    os.symlink("c.md", tmp_path / "b.md")
    os.symlink("b.md", tmp_path / "a.md")
    atomic_write(str(tmp_path / "a.md"), b"new")
    assert os.path.islink(tmp_path / "a.md") and os.path.islink(tmp_path / "b.md")
    assert (tmp_path / "c.md").read_bytes() == b"new"


def test_exclusive_write_never_follows_a_dangling_link(tmp_path):
    os.symlink("elsewhere.md", tmp_path / "a.md")
    with pytest.raises(FileExistsError):
        atomic_write(str(tmp_path / "a.md"), b"x", exclusive=True)
    assert not (tmp_path / "elsewhere.md").exists()
    assert leftovers(tmp_path) == []


def test_waiting_for_the_folder_lock_says_so_after_a_moment(tmp_path):
    import threading
    import time

    from pepctl.fsutil import folder_lock

    said = []
    quick = folder_lock(str(tmp_path), notice=said.append)
    with quick:
        pass
    assert said == []  # nobody held it: nothing to say

    held = folder_lock(str(tmp_path))
    held.__enter__()
    waiter = folder_lock(str(tmp_path), notice=said.append)
    waiter.PATIENCE = 0.1
    entered = threading.Event()

    def wait():
        with waiter:
            entered.set()

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.5)
    assert not entered.is_set()  # still waiting
    assert len(said) == 1 and "waiting for another pepctl command" in said[0] and str(tmp_path) in said[0]
    held.__exit__(None, None, None)
    thread.join(5)
    assert entered.is_set() and len(said) == 1
