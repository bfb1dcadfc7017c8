"""The process pool: a Crew of forked workers with links to the parent, and a Board of work items."""

from __future__ import annotations

import os

import pytest

from pepctl import fanout
from pepctl.config import ConfigError
from pepctl.fanout import Board, Crew, WorkerError

ITEMS = list(range(10))


def test_items_are_taken_in_queue_order_until_none_is_left():
    board = Board(len(ITEMS), 2)
    board.line_up(ITEMS[::-1])
    assert board.queued() == ITEMS[::-1]
    assert list(iter(board.next, None)) == ITEMS[::-1]
    assert board.next() is None
    board.close()


def test_a_member_takes_its_own_items_first_then_the_smallest_left_of_the_longest_list():
    board = Board(len(ITEMS), 3)
    board.deal([ITEMS[0:2], ITEMS[2:7], ITEMS[7:10]])  # each list biggest first
    assert board.total() == 10 and board.dealt(1) == ITEMS[2:7]
    assert [board.take(0), board.take(0)] == ITEMS[0:2]
    assert board.take(0) == ITEMS[6]  # member 1 has most left: its last (smallest) item
    assert board.take(0) == ITEMS[5]
    assert board.take(0) == ITEMS[4]  # a tie (3 and 3): the first of them
    assert board.take(0) == ITEMS[9]  # now member 2 has most left (3 against 2)
    assert board.take(1) == ITEMS[2]  # members keep taking from their own fronts
    assert board.take(2) == ITEMS[7]
    assert board.left() == 2
    taken = [board.take(m) for m in (0, 1, 2, 0)]
    assert sorted(t for t in taken if t is not None) == sorted([ITEMS[3], ITEMS[8]])
    assert taken[-2:] == [None, None] and board.left() == 0
    board.close()


def test_an_empty_board_hands_out_nothing():
    board = Board(0, 2)
    board.line_up([])
    board.deal([[], []])
    assert board.next() is None and board.take(1) is None and board.total() == 0
    board.close()


def test_a_board_works_without_memfd_create(monkeypatch):
    monkeypatch.delattr(os, "memfd_create", raising=False)
    board = Board(3, 2)
    board.line_up([2, 0, 1])
    assert list(iter(board.next, None)) == [2, 0, 1]
    board.close()


def test_members_of_a_crew_take_every_item_once_between_them():
    count = 2000
    board = Board(count, 3)
    board.deal([list(range(0, 100)), list(range(100, 1900)), list(range(1900, 2000))])

    def work(member, link):
        link.send("taken", list(iter(lambda: board.take(member), None)))

    crew = Crew(3, work)
    mine = list(iter(lambda: board.take(0), None))
    theirs = [crew.receive(member, "taken")[0] for member in (1, 2)]
    crew.join()
    crew.close()
    board.close()
    assert sorted(mine + theirs[0] + theirs[1]) == list(range(count))


def test_a_crew_talks_both_ways():
    def work(member, link):
        kind, value = link.receive()
        link.send("answer", member, value * 2, os.getpid())

    crew = Crew(3, work, name="a test worker")
    assert crew.size == 3
    for member in (1, 2):
        crew.send(member, "question", member * 10)
    answers = [crew.receive(member, "answer") for member in (1, 2)]
    crew.join()
    crew.close()
    assert [a[:2] for a in answers] == [(1, 20), (2, 40)]
    assert os.getpid() not in {a[2] for a in answers}


def test_a_failing_worker_is_an_error_with_its_traceback():
    def work(member, link):
        raise ValueError("worker exploded")

    crew = Crew(2, work, name="a test worker")
    with pytest.raises(WorkerError, match="a test worker failed:(.|\n)*ValueError: worker exploded"):
        crew.receive(1, "result")
    crew.close()


def test_a_worker_that_vanishes_or_says_something_else_is_an_error():
    crew = Crew(2, lambda member, link: os._exit(3), name="a test worker")
    with pytest.raises(WorkerError, match="stopped unexpectedly"):
        crew.receive(1, "result")
    crew.close()
    crew = Crew(2, lambda member, link: link.send("surprise"), name="a test worker")
    with pytest.raises(WorkerError, match="sent 'surprise', expected 'result'"):
        crew.receive(1, "result")
    crew.close()


def test_close_stops_workers_still_running():
    crew = Crew(2, lambda member, link: link.receive())  # waits for a message that never comes
    pid = crew.pids[0]
    crew.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)


def test_run_shares_computes_a_failed_share_again_here():
    parent = os.getpid()

    def total(part):
        if os.getpid() != parent and 3 in part:
            raise RuntimeError("child failure")
        return sum(part)

    parts = fanout.shares(list(range(20)), 4)
    assert fanout.run_shares(total, parts) == [sum(p) for p in parts]
    assert fanout.run_shares(total, parts[:1]) == [sum(parts[0])]


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_default_jobs_refuses_a_bad_setting(monkeypatch, value):
    monkeypatch.setenv("PEPCTL_JOBS", value)
    with pytest.raises(ConfigError, match="PEPCTL_JOBS"):
        fanout.default_jobs()


def test_default_jobs_follows_the_setting(monkeypatch):
    monkeypatch.setenv("PEPCTL_JOBS", " 3 ")
    assert fanout.default_jobs() == 3
    monkeypatch.delenv("PEPCTL_JOBS")
    assert fanout.default_jobs() >= 1
