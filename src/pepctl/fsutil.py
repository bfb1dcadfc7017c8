"""Reading PEP files without surprises, and writing files safely: a temp file in the same folder,
then an atomic rename."""

from __future__ import annotations

import _thread
import errno
import itertools
import os
import re
import sys
import stat

# O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: links are looked at first.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def read_source(path: str) -> bytes:
    """The bytes of a file in the PEP folder; OSError (with a readable strerror) for what is no PEP file.

    Refused: anything but a regular file (a folder; a named pipe, whose read would wait for ever;
    a device) and a symbolic link that leads out of the file's own folder. Git keeps symbolic
    links, so a pull request could otherwise add `PEP-0099-x.md -> ../../.env` and have the
    website publish the secret. Links within the folder are followed.
    """
    try:
        fd = os.open(path, _READ_FLAGS | _NOFOLLOW)
    except OSError as err:
        if err.errno == errno.ENXIO:  # what opening a socket says
            raise OSError(errno.ENXIO, "a socket, not a file") from None
        if not _NOFOLLOW or err.errno not in (errno.ELOOP, errno.EMLINK) or not os.path.islink(path):
            raise
        _refuse_outside_link(path)
        fd = os.open(path, _READ_FLAGS)
    try:
        handle = os.fdopen(fd, "rb")  # raises for a folder (IsADirectoryError): then fd is still ours to close
    except BaseException:
        os.close(fd)
        raise
    with handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise OSError(errno.EINVAL, f"{kind}, not a file")
        return handle.read()


_LONE_CR_RE = re.compile(r"\r(?!\n)")


def lone_carriage_return(text: str) -> tuple[str, int, int] | None:
    """(message, line, column) when the text ends a line with a carriage return alone (old Mac
    line endings, which Markdown reads as line breaks), else None.

    pepctl splits lines on LF (keeping CRLF): such a file would be read as one line, so it is
    refused with this message rather than checked, shown or edited wrongly.
    """
    lone = _LONE_CR_RE.search(text) if "\r" in text else None
    if lone is None:
        return None
    how = "convert its line endings to LF in your editor, or with `perl -pi -e 's/\\r\\n?/\\n/g' FILE`"
    if "\n" not in text:
        return f"the file has old Mac line endings (CR only), which pepctl does not read as line breaks; {how}", 1, 1
    at = lone.start()
    return ("a carriage return alone (CR, an old Mac line ending) ends a line here, which pepctl does not read as "
            f"a line break; {how}", text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))


def _refuse_outside_link(path: str) -> None:
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    target = os.path.realpath(path)
    if os.path.commonpath([folder, target]) != folder:
        raise OSError(errno.EACCES, "a symbolic link to a file outside the PEP folder, which pepctl does not read")

def upward(start: str):
    """The folder `start` (made absolute), then its parents, up to and including the git root
    (the first folder holding .git) or else the file-system root."""
    folder = os.path.abspath(start)
    while True:
        yield folder
        if os.path.exists(os.path.join(folder, ".git")):
            return
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def git_root(start: str) -> str | None:
    """The nearest folder from `start` upward that holds .git, or None."""
    for folder in upward(start):
        pass
    return folder if os.path.exists(os.path.join(folder, ".git")) else None


_temp_names = itertools.count()  # with the process and thread: a temporary name no other writer uses


def atomic_write(path: str, data: bytes, *, exclusive: bool = False, durable: bool = True) -> None:
    """Replace (or, with exclusive=True, create) `path` with `data` atomically.

    Readers see the old file or the new one, never half of it. The file's
    permission bits are kept when it existed; a new file gets the usual
    0666 less the umask. With exclusive=True an existing file is never
    overwritten (FileExistsError). durable=False skips the fsync: the rename
    is still atomic, but a power cut may lose the new content — right for
    output that can be rebuilt (the website), not for the user's PEPs.

    When `path` is a symbolic link, the file it leads to is replaced (the temp
    file goes into that file's folder), so the link stays a link; with
    exclusive=True a link, even a dangling one, counts as an existing file.
    Safe from several threads and processes at once (each temporary file has
    its own name).
    """
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    if found is not None and stat.S_ISLNK(found.st_mode) and not exclusive:
        path = os.path.realpath(path)
        try:
            found = os.stat(path)
        except FileNotFoundError:
            found = None
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".pepctl-{os.getpid()}-{_thread.get_ident()}-{next(_temp_names)}.tmp")
    # created as open() creates files (0666 less the umask); an existing file's bits are copied onto it
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if found is not None and not exclusive:
                os.fchmod(handle.fileno(), found.st_mode & 0o7777)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)  # fails if path exists, atomically
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _say_on_stderr(message: str) -> None:
    sys.stderr.write(f"pepctl: {message}\n")
    sys.stderr.flush()


class folder_lock:
    """Hold an exclusive lock on the PEP folder while picking a number, creating a file or
    rewriting the index, so that commands run at the same time take turns
    (``with folder_lock(folder): ...``).

    flock on the folder itself: nothing to clean up, and it is released when the
    process ends. Where there is no fcntl (Windows) or the file system refuses
    locks, the commands run unlocked, as they always did. (A class, not
    contextlib: this module is on the pre-commit path.)
    """

    PATIENCE = 1.0  # seconds of waiting before saying so

    def __init__(self, folder: str, notice=None):
        self.folder = folder
        self.fd = None
        # called once with a message when the lock is still held by another process after
        # PATIENCE seconds (default: a line on stderr), so a wait never looks like a hang
        self.notice = notice if notice is not None else _say_on_stderr

    def __enter__(self):
        try:
            import fcntl  # not on every platform
        except ImportError:
            return self
        try:
            self.fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return self
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return self
        except BlockingIOError:
            pass  # another pepctl holds it: wait, and say so if it takes a while
        except OSError:
            return self  # e.g. a file system without locks: go on unlocked
        import threading

        timer = threading.Timer(self.PATIENCE, self.notice, [
            f"waiting for another pepctl command to finish with {self.folder} (it holds the folder's lock; Ctrl-C to give up)"])
        timer.daemon = True
        timer.start()
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:
            pass  # go on unlocked, as where locks are refused
        finally:
            timer.cancel()
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
            self.fd = None
        return False
