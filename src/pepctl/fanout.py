"""The one process pool: fork workers, share out the work, send results back by pipe.

Used where parsing a whole folder of PEPs dominates (check, list, index) and
for the website's pages. Workers are forked, so they see everything the
parent loaded and need no start-up; only messages travel, pickled.

- ``map_items`` and ``run_shares``: fixed shares, one per process; a worker
  that fails has its share computed again by the parent, so the outcome never
  depends on it.
- ``Crew`` and ``Board``: for work whose items cost very different amounts.
  A Crew is this process and forked workers, each with a two-way ``Link``; a
  Board holds the items to do in memory every member sees, so a member that
  runs out of its own takes what another has left.
"""

from __future__ import annotations

import gc
import os
import sys

from pepctl.config import ConfigError

MIN_ITEMS = 300  # below this, starting processes costs more than it saves


class JobsError(ConfigError):
    """PEPCTL_JOBS is not a usable number."""


def default_jobs() -> int:
    """PEPCTL_JOBS, else the CPUs this process may run on; 1 where fork is missing."""
    value = os.environ.get("PEPCTL_JOBS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise JobsError(f"PEPCTL_JOBS is {value!r}; set it to a whole number of processes, 1 or more")
        wanted = int(value)
    else:
        try:
            wanted = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            wanted = os.cpu_count() or 1
    return wanted if hasattr(os, "fork") else 1


def shares(items: list, count: int) -> list[list]:
    """`count` interleaved shares of `items` (so big and small files mix)."""
    return [items[i::count] for i in range(count)]


def interleave(parts: list[list]) -> list:
    """Undo `shares`: the results back in the order of the original items."""
    out = [None] * sum(len(p) for p in parts)
    for i, part in enumerate(parts):
        out[i :: len(parts)] = part
    return out


class gc_paused:
    """No garbage collection while a batch of work runs (``with gc_paused(): ...``).

    Parsing a folder makes many small objects and frees few, so collections
    only cost time (about 3% of a whole-folder check). Afterwards what is left
    goes to the oldest generation at once: the first collection after
    gc.enable() would otherwise look at every object made meanwhile.
    """

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc):
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if self.was_enabled:
            gc.enable()
        return False


def run_shares(func, parts: list[list]) -> list:
    """[func(part) for part in parts]: the first in this process, the others in forked workers.

    A worker that fails has its share computed again here, so the outcome never depends on it.
    """
    if len(parts) < 2:
        return [func(part) for part in parts]
    crew = Crew(len(parts), lambda member, link: link.send("result", func(parts[member])))
    try:
        results = [func(parts[0])]
        for member in range(1, len(parts)):
            try:
                results.append(crew.receive(member, "result")[0])
            except WorkerError:
                results.append(func(parts[member]))
        crew.join()
    finally:
        crew.close()
    return results


class WorkerError(RuntimeError):
    """A worker process failed, stopped, or sent something else than expected."""


class Link:
    """One end of a two-way channel between this process and a forked one: pickled messages,
    each a tuple whose first item says what it is."""

    def __init__(self, read_fd: int, write_fd: int):
        self._reader = os.fdopen(read_fd, "rb")
        self._writer = os.fdopen(write_fd, "wb")

    def send(self, kind: str, *values) -> None:
        import pickle  # only when work is shared out: off the one-file pre-commit path

        data = pickle.dumps((kind, *values), pickle.HIGHEST_PROTOCOL)
        self._writer.write(len(data).to_bytes(8, "little"))
        self._writer.write(data)
        self._writer.flush()

    def receive(self) -> tuple:
        """The next message; EOFError when the other end is gone."""
        import pickle  # only when work is shared out: off the one-file pre-commit path

        head = self._reader.read(8)
        size = int.from_bytes(head, "little") if len(head) == 8 else -1
        data = self._reader.read(size) if size >= 0 else b""
        if len(data) != size:
            raise EOFError
        return pickle.loads(data)

    def close(self) -> None:
        for stream in (self._reader, self._writer):
            try:
                stream.close()
            except OSError:
                pass


class Crew:
    """This process (member 0) and `size - 1` forked workers, each with a Link to this one.

    Worker `member` runs ``work(member, link)`` and leaves without Python's
    teardown (its objects are the parent's, freeing them one by one is waste).
    An exception in a worker reaches this process as a message, which
    `receive` raises as a WorkerError with the worker's traceback. Fork only
    where no other thread runs: a worker would inherit the locks it holds.
    """

    def __init__(self, size: int, work, name: str = "a worker process"):
        self.name = name
        self.links: list[Link] = []
        self.pids: list[int] = []
        sys.stdout.flush()  # what is buffered now would be written again by every worker
        sys.stderr.flush()
        try:
            for member in range(1, size):
                down_read, down_write = os.pipe()  # this process -> the worker
                up_read, up_write = os.pipe()  # the worker -> this process
                pid = os.fork()
                if pid == 0:
                    os.close(down_write)
                    os.close(up_read)
                    for link in self.links:  # the other workers' channels are not this one's
                        link.close()
                    _worker_main(work, member, Link(down_read, up_write))
                os.close(down_read)
                os.close(up_write)
                self.pids.append(pid)
                self.links.append(Link(up_read, down_write))
        except BaseException:
            self.close()
            raise

    @property
    def size(self) -> int:
        return len(self.pids) + 1

    def send(self, member: int, kind: str, *values) -> None:
        self.links[member - 1].send(kind, *values)

    def receive(self, member: int, kind: str) -> tuple:
        """The values of the next message from `member`, which must be a `kind` one."""
        try:
            message = self.links[member - 1].receive()
        except EOFError:
            raise WorkerError(f"{self.name} stopped unexpectedly") from None
        if message[0] == "error":
            raise WorkerError(f"{self.name} failed:\n{message[1]}")
        if message[0] != kind:
            raise WorkerError(f"{self.name} sent {message[0]!r}, expected {kind!r}")
        return message[1:]

    def join(self) -> None:
        """Wait for every worker to end."""
        while self.pids:
            os.waitpid(self.pids.pop(), 0)

    def close(self) -> None:
        """Stop the workers still running and close the links (after join: only the links)."""
        import signal  # only when work is shared out: off the one-file pre-commit path

        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        self.join()
        for link in self.links:
            link.close()
        self.links = []


def _worker_main(work, member: int, link: Link) -> None:
    code = 0
    try:
        work(member, link)
    except BaseException:
        import traceback  # only when a worker fails

        code = 1
        try:
            link.send("error", traceback.format_exc())
        except BaseException:
            pass
    finally:
        try:
            link.close()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


class Board:
    """Work items 0 .. count-1, shared out among `members` processes, in memory they all see.

    Made before the fork. Two ways to hand the items out: one queue every
    member takes from in turn (`line_up`, `next`), or one list per member
    (`deal`, `take`): a member takes from the front of its own list and, once
    it is empty, the last item of the longest other list. With each list
    ordered biggest first, the members end together whatever the items cost.
    One lock guards it all: a POSIX record lock, which the system releases if
    the process holding it dies.
    """

    def __init__(self, count: int, members: int):
        import mmap  # only when work is shared out: off the one-file pre-commit path

        self.members = members
        room = max(1, count)
        size = 4 * (room + 2 * members + 2)
        self._fd = _shared_file(size)
        self._memory = mmap.mmap(self._fd, size)
        ints = memoryview(self._memory).cast("i")
        self._order = ints[:room]  # item numbers: the queue, or the members' lists one after the other
        self._bounds = ints[room : room + 2 * members]  # per member: its next item, the end of its list
        self._cursor = ints[room + 2 * members :]  # the queue: its next position, its length
        self._views = [ints, self._order, self._bounds, self._cursor]

    def __enter__(self):
        import fcntl  # POSIX only, as fork is: a Board exists only where pepctl forks

        fcntl.lockf(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        import fcntl  # POSIX only, as fork is: a Board exists only where pepctl forks

        fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def line_up(self, queue: list[int]) -> None:
        """The items to take one after the other, in this order."""
        for position, item in enumerate(queue):
            self._order[position] = item
        self._cursor[0] = 0
        self._cursor[1] = len(queue)

    def queued(self) -> list[int]:
        return [self._order[position] for position in range(self._cursor[1])]

    def next(self) -> int | None:
        """The next item of the queue, or None when every one is taken."""
        cursor = self._cursor
        with self:
            position = cursor[0]
            if position >= cursor[1]:
                return None
            cursor[0] = position + 1
        return self._order[position]

    def deal(self, lists: list[list[int]]) -> None:
        """Give each member its list of items (before any member takes from them)."""
        position = 0
        for member, items in enumerate(lists):
            self._bounds[2 * member] = position
            for item in items:
                self._order[position] = item
                position += 1
            self._bounds[2 * member + 1] = position

    def dealt(self, member: int) -> list[int]:
        """The items of `member`'s list not taken yet."""
        with self:
            return [self._order[i] for i in range(self._bounds[2 * member], self._bounds[2 * member + 1])]

    def total(self) -> int:
        return self._bounds[2 * self.members - 1]

    def take(self, member: int) -> int | None:
        """The next item for `member`, or None when every item is taken."""
        bounds = self._bounds
        with self:
            head = bounds[2 * member]
            if head < bounds[2 * member + 1]:
                bounds[2 * member] = head + 1
                return self._order[head]
            victim, most = -1, 0
            for other in range(self.members):
                left = bounds[2 * other + 1] - bounds[2 * other]
                if left > most:
                    victim, most = other, left
            if victim < 0:
                return None
            tail = bounds[2 * victim + 1] - 1
            bounds[2 * victim + 1] = tail
            return self._order[tail]

    def left(self) -> int:
        bounds = self._bounds
        return sum(bounds[2 * m + 1] - bounds[2 * m] for m in range(self.members))

    def close(self) -> None:
        for view in reversed(self._views):
            view.release()
        self._memory.close()
        os.close(self._fd)


def _shared_file(size: int) -> int:
    """A file descriptor of `size` zero bytes in memory, for a Board's memory and lock."""
    try:
        fd = os.memfd_create("pepctl-board", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # no memfd_create (macOS), or not allowed: an unnamed temporary file
        import tempfile  # only where memfd_create is missing

        with tempfile.TemporaryFile() as handle:
            fd = os.dup(handle.fileno())
    os.ftruncate(fd, size)
    return fd


def map_items(func, items: list, jobs: int | None = None, min_items: int = MIN_ITEMS) -> list:
    """[func(item) for item in items], in several processes when there are many items."""
    count = default_jobs() if jobs is None else jobs
    if count < 2 or len(items) < min_items:
        return [func(item) for item in items]
    parts = run_shares(lambda part: [func(item) for item in part], shares(items, count))
    return interleave(parts)
