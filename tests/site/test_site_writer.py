"""The Writer: files written atomically from a thread, unchanged ones left alone, errors raised at the end."""

from __future__ import annotations

import os

import pytest

from pepctl.site.writer import Held, Writer


def test_files_are_written_in_their_folders(tmp_path):
    writer = Writer(str(tmp_path))
    writer.write("pep/a.html", "<p>é</p>")
    writer.write("api/peps.json", b"{}")
    writer.close()
    assert (tmp_path / "pep" / "a.html").read_text(encoding="utf-8") == "<p>é</p>"
    assert (tmp_path / "api" / "peps.json").read_bytes() == b"{}" and writer.written == 2


def test_a_file_holding_the_same_bytes_is_not_written_again(tmp_path):
    (tmp_path / "index.html").write_text("same")
    before = os.stat(tmp_path / "index.html").st_ino
    writer = Writer(str(tmp_path))
    writer.write_if_changed("index.html", "same")
    writer.write_if_changed("feed.xml", "new")
    writer.close()
    assert os.stat(tmp_path / "index.html").st_ino == before and writer.written == 1
    assert (tmp_path / "feed.xml").read_text() == "new"


def test_a_failed_write_is_raised_by_close_after_the_others_are_written(tmp_path):
    (tmp_path / "taken").write_text("a file where a folder should be")
    writer = Writer(str(tmp_path))
    writer.made_dirs.add(str(tmp_path / "taken"))  # as if the folder were there
    writer.write("taken/page.html", "x")
    writer.write("ok.html", "y")
    with pytest.raises(OSError):
        writer.close()
    assert (tmp_path / "ok.html").read_text() == "y"
    writer.close()  # the error is raised once


def test_held_files_are_staged_outside_the_site_and_published_data_first_and_index_last(tmp_path, monkeypatch):
    site, staging = tmp_path / "site", tmp_path / "cache" / "staging"
    writer = Writer(str(site))
    held = Held(writer, str(staging))
    for rel in ("index.html", "dashboard.html", "api/peps.json", "feed.xml"):
        held.write_if_changed(rel, rel)
    held.write("search/manifest.json", b"{}")
    writer.close()
    assert not site.exists()  # nothing in the site before publish
    assert sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()) == [
        "api/peps.json", "dashboard.html", "feed.xml", "index.html", "search/manifest.json"]
    order = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (order.append(os.path.relpath(b, site)), real(a, b)))
    held.publish()
    assert order == ["api/peps.json", "feed.xml", "search/manifest.json", "dashboard.html", "index.html"]
    assert (site / "api" / "peps.json").read_text() == "api/peps.json" and not staging.exists()


def test_a_held_file_that_the_site_holds_already_is_not_staged_or_moved(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "feed.xml").write_text("same")
    before = os.stat(site / "feed.xml").st_ino
    writer = Writer(str(site))
    held = Held(writer, str(tmp_path / "staging"))
    held.write_if_changed("feed.xml", "same")
    held.write_if_changed("index.html", "new")
    writer.close()
    held.publish()
    assert os.stat(site / "feed.xml").st_ino == before and (site / "index.html").read_text() == "new"


def test_a_stopped_builds_staging_is_cleared_by_the_next(tmp_path):
    staging = tmp_path / "staging"
    (staging / "search").mkdir(parents=True)
    (staging / "search" / "manifest.json").write_text("half of an old build")
    writer = Writer(str(tmp_path / "site"))
    held = Held(writer, str(staging))
    held.write("index.html", "new")
    writer.close()
    held.publish()
    assert not (tmp_path / "site" / "search").exists() and (tmp_path / "site" / "index.html").read_text() == "new"


def test_published_files_are_copied_when_the_staging_folder_is_on_another_file_system(tmp_path, monkeypatch):
    import errno

    writer = Writer(str(tmp_path / "site"))
    held = Held(writer, str(tmp_path / "staging"))
    held.write("api/peps.json", b"[1]")
    writer.close()

    def cross_device(a, b):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", cross_device)
    monkeypatch.setattr("pepctl.site.writer.atomic_write", lambda path, data, durable: open(path, "wb").write(data))
    held.publish()
    assert (tmp_path / "site" / "api" / "peps.json").read_bytes() == b"[1]"


def test_writes_wait_once_the_queue_is_full_so_memory_stays_bounded(tmp_path, monkeypatch):
    import threading

    release = threading.Event()
    real = __import__("pepctl.site.writer", fromlist=["atomic_write"]).atomic_write

    def slow_disk(path, data, durable):
        release.wait(10)
        real(path, data, durable=durable)

    monkeypatch.setattr("pepctl.site.writer.atomic_write", slow_disk)
    monkeypatch.setattr(Writer, "QUEUED_BYTES", 2)
    writer = Writer(str(tmp_path))
    made = []

    def produce():
        for n in range(6):
            writer.write(f"p{n}.html", "x")
            made.append(n)

    producer = threading.Thread(target=produce)
    producer.start()
    producer.join(0.5)
    # one file in the thread's hands, two more bytes queued: the fourth write waits for the disk
    assert producer.is_alive() and len(made) == 2
    release.set()
    producer.join(10)
    writer.close()
    assert made == list(range(6)) and sorted(os.listdir(tmp_path)) == [f"p{n}.html" for n in range(6)]


def test_a_removed_file_stays_until_the_staged_files_that_no_longer_list_it_are_in(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "search" / "d").mkdir(parents=True)
    (site / "search" / "d" / "7.json").write_text("a PEP that is gone")
    writer = Writer(str(site))
    held = Held(writer, str(tmp_path / "staging"))
    held.write("search/manifest.json", b"{}")
    held.remove("search/d/7.json")
    writer.close()
    assert (site / "search" / "d" / "7.json").exists()
    seen = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append((site / "search" / "d" / "7.json").exists()),
                                                     real(a, b)))
    held.publish()
    assert seen == [True] and not (site / "search" / "d" / "7.json").exists()
    assert (site / "search" / "manifest.json").read_bytes() == b"{}"
