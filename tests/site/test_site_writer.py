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


def test_held_files_are_written_on_publish_data_first_and_index_last(tmp_path):
    writer = Writer(str(tmp_path))
    held = Held(writer)
    for rel in ("index.html", "dashboard.html", "api/peps.json", "feed.xml"):
        held.write_if_changed(rel, rel)
    held.write("search-index.json", b"[]")
    writer.close()
    assert list(tmp_path.rglob("*")) == []  # nothing before publish
    order = []
    writer.write = lambda rel, data: order.append(rel)
    held.publish()
    assert order == ["api/peps.json", "feed.xml", "search-index.json", "dashboard.html", "index.html"]
