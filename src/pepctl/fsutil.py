"""Writing files safely: a temp file in the same folder, then an atomic rename."""

from __future__ import annotations

import os
import tempfile
import threading

_umask: int | None = None
_umask_lock = threading.Lock()


def process_umask() -> int:
    """The process umask, read once (reading it means setting it, so never twice at once)."""
    global _umask
    if _umask is None:
        with _umask_lock:
            if _umask is None:
                current = os.umask(0o022)
                os.umask(current)
                _umask = current
    return _umask


def atomic_write(path: str, data: bytes, *, exclusive: bool = False, durable: bool = True) -> None:
    """Replace (or, with exclusive=True, create) `path` with `data` atomically.

    Readers see the old file or the new one, never half of it. The file's
    permission bits are kept when it existed; a new file gets the usual
    0666 less the umask. With exclusive=True an existing file is never
    overwritten (FileExistsError). durable=False skips the fsync: the rename
    is still atomic, but a power cut may lose the new content — right for
    output that can be rebuilt (the website), not for the user's PEPs.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~process_umask()
    fd, tmp = tempfile.mkstemp(prefix=".pepctl-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
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
