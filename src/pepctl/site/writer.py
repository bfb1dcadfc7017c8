"""Writing the site's files: atomically, from a background thread, and only when their bytes change."""

from __future__ import annotations

import errno
import os
import queue
import shutil
import sys
import threading
import time

from pepctl.fsutil import atomic_write

# For the tests of interrupted builds only: after this many files written by one process, say so on
# stderr and wait (the test then interrupts the build where it stands).
PAUSE_ENV = "PEPCTL_SITE_TEST_PAUSE_AFTER"


class Writer:
    """Writes output files atomically from one background thread, so writes overlap rendering.

    The site can always be built again, so files are renamed into place
    without an fsync each (atomic, not durable): a build is not held up by
    flushing a thousand small files to disk. One thread per process (started
    by the first write, so after any fork): atomic_write is not safe from two
    threads at once.
    """

    QUEUED_BYTES = 16_000_000  # bytes waiting for the thread at most: past that, a write waits (bounded memory)

    def __init__(self, out_dir: str):
        self.out_dir = out_dir
        self.made_dirs: set[str] = set()
        self.queue: queue.SimpleQueue | None = None
        self.queued = self.done = 0  # bytes given to the thread, and written by it (one writer each)
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.written = 0

    def write(self, rel: str, data: bytes | str) -> None:
        self.write_to(os.path.join(self.out_dir, rel), data)

    def write_to(self, path: str, data: bytes | str) -> None:
        """Write a file by its full path (a staged file, outside the site)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        folder = os.path.dirname(path)
        if folder not in self.made_dirs:
            os.makedirs(folder, exist_ok=True)
            self.made_dirs.add(folder)
        if self.thread is None:
            self.queue = queue.SimpleQueue()
            self.thread = threading.Thread(target=self._run, name="pepctl-site-writer", daemon=True)
            self.thread.start()
        self.queue.put((path, data))
        self.queued += len(data)
        while self.queued - self.done > self.QUEUED_BYTES and self.thread.is_alive():
            time.sleep(0.002)  # the disk lags: wait for it rather than keep the pages in memory

    def write_if_changed(self, rel: str, data: bytes | str) -> None:
        """Write a file unless it already holds these bytes (a server then sees no change)."""
        if not self.same(rel, data):
            self.write(rel, data)

    def remove(self, rel: str) -> None:
        """Delete a file of the site, if it is there."""
        try:
            os.unlink(os.path.join(self.out_dir, rel))
        except FileNotFoundError:
            pass

    def same(self, rel: str, data: bytes | str) -> bool:
        """Whether the site's file `rel` holds these bytes already."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            if os.path.getsize(os.path.join(self.out_dir, rel)) != len(data):
                return False
            with open(os.path.join(self.out_dir, rel), "rb") as handle:
                return handle.read() == data
        except OSError:
            return False

    def _run(self) -> None:
        pause = int(os.environ.get(PAUSE_ENV) or 0)
        while True:
            item = self.queue.get()
            if item is None:
                return
            try:
                atomic_write(item[0], item[1], durable=False)
                self.written += 1
                if self.written == pause:
                    sys.stderr.write(f"pepctl-test: paused after {pause} files in process {os.getpid()}\n")
                    sys.stderr.flush()
                    time.sleep(120)
            except BaseException as err:  # every file is still tried; the first error is raised by close()
                if self.error is None:
                    self.error = err
            finally:
                self.done += len(item[1])

    def close(self) -> None:
        """Wait for every file to be written; raise the first error met."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error


class Held:
    """Files to publish once the pages are on disk: the index, feed, API and search files.

    They are written as they are made, by the writer's thread, into a staging folder that is not
    served (`staging`, in the build cache), so a big corpus's search files never wait in memory;
    `publish` then moves them into the site: the data files first (JSON, feed, search index), then
    the HTML pages that link them, index.html last. A reader (or a build stopped half-way) never
    meets a list that names a page or file not written yet.
    """

    def __init__(self, writer: Writer, staging: str):
        self.writer = writer
        self.out_dir = writer.out_dir
        self.staging = staging
        shutil.rmtree(staging, ignore_errors=True)  # what a stopped build left
        self.files: list[str] = []  # what is staged, by path in the site
        self.removed: list[str] = []  # files of the site to delete once the staged ones are in

    def write(self, rel: str, data: bytes | str) -> None:
        self.writer.write_to(os.path.join(self.staging, rel), data)
        self.files.append(rel)

    def write_if_changed(self, rel: str, data: bytes | str) -> None:
        if not self.writer.same(rel, data):
            self.write(rel, data)

    def remove(self, rel: str) -> None:
        """Delete a file of the site once the files that list it no more are published."""
        self.removed.append(rel)

    def publish(self) -> None:
        """Move the staged files into the site, in order, then delete the removed ones (call once the
        writer is closed)."""
        files, self.files = self.files, []
        files.sort(key=lambda rel: (rel.endswith(".html"), rel == "index.html"))  # stable: else in order
        for rel in files:
            target = os.path.join(self.out_dir, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            staged = os.path.join(self.staging, rel)
            try:
                os.replace(staged, target)
            except OSError as err:
                if err.errno != errno.EXDEV:  # the cache is on another file system: copy
                    raise
                with open(staged, "rb") as handle:
                    atomic_write(target, handle.read(), durable=False)
        shutil.rmtree(self.staging, ignore_errors=True)
        removed, self.removed = self.removed, []
        for rel in removed:
            self.writer.remove(rel)
