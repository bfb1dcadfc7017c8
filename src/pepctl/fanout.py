"""Spread work over processes: fork, compute a share each, send results back by pipe.

Used where parsing a whole folder of PEPs dominates (check, list, index).
Children are forked, so they see everything the parent loaded and need no
start-up; only their results travel back, pickled. A child that fails has
its share computed again by the parent, so the outcome never depends on it.
"""

from __future__ import annotations

import gc
import os

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
    """[func(part) for part in parts]: the first in this process, the others in forked children."""
    import pickle  # only when work is shared out: off the one-file pre-commit path
    children = []
    for part in parts[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: compute, send, leave without running the parent's cleanup
            os.close(read_end)
            code = 0
            try:
                payload = pickle.dumps(func(part), pickle.HIGHEST_PROTOCOL)
            except BaseException:
                payload, code = b"", 1
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            os._exit(code)
        os.close(write_end)
        children.append((pid, read_end, part))
    results = [func(parts[0])] if parts else []
    for pid, read_end, part in children:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        results.append(pickle.loads(payload) if status == 0 and payload else func(part))
    return results


def map_items(func, items: list, jobs: int | None = None, min_items: int = MIN_ITEMS) -> list:
    """[func(item) for item in items], in several processes when there are many items."""
    count = default_jobs() if jobs is None else jobs
    if count < 2 or len(items) < min_items:
        return [func(item) for item in items]
    parts = run_shares(lambda part: [func(item) for item in part], shares(items, count))
    return interleave(parts)
