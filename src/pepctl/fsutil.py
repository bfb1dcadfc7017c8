"""Writing files safely: a temp file in the same folder, then an atomic rename."""

from __future__ import annotations

import os
import tempfile


def atomic_write(path: str, data: bytes, *, exclusive: bool = False) -> None:
    """Replace (or, with exclusive=True, create) `path` with `data` atomically.

    Readers see the old file or the new one, never half of it. The file's
    permission bits are kept when it existed. With exclusive=True an
    existing file is never overwritten (FileExistsError).
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=".pepctl-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
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
