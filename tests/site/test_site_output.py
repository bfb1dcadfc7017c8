"""The output folder: a build writes only into an empty or missing folder or a site pepctl built
(others are refused untouched unless forced), and deletes only the pages of gone files it made."""

from __future__ import annotations

import shutil

from sitehelpers import build, copy_fixtures

from pepctl.site import cache
from pepctl.site.output import GENERATOR_MARK, check_output


def test_pages_of_gone_files_go_even_when_the_cache_was_deleted(tmp_path):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "site"
    build(folder, out)
    (out / "pep" / "my-notes.html").write_text("<p>mine</p>")  # not made by pepctl: stays
    (folder / "PEP-0003-gamma.md").unlink()
    shutil.rmtree(cache.cache_dir(str(out)))
    result = build(folder, out)
    assert not (out / "pep" / "PEP-0003-gamma.html").exists() and result.removed == 1
    assert (out / "pep" / "my-notes.html").exists()


def test_output_of_other_files_is_refused_untouched_unless_forced(tmp_path, pepctl):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("<p>my own page</p>")
    (out / "notes.txt").write_text("keep me")
    before = {path: path.read_bytes() for path in out.rglob("*")}
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is not empty and is not a site pepctl built" in done.stderr and "index.html, notes.txt" in done.stderr
    assert "--force" in done.stderr and "empty folder" in done.stderr
    assert {path: path.read_bytes() for path in out.rglob("*")} == before
    assert not (tmp_path / ".mine.pepctl-cache").exists()
    done = pepctl("--dir", str(folder), "site", "serve", "-o", str(out), "-p", "0")
    assert done.returncode == 2 and "--force" in done.stderr
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert (out / "notes.txt").read_text() == "keep me" and GENERATOR_MARK.decode() in (out / "index.html").read_text()
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(out))  # now a pepctl site: no --force needed
    assert done.returncode == 0, done.stderr


def test_output_that_is_empty_missing_or_an_earlier_site_is_accepted(tmp_path):
    folder = copy_fixtures(tmp_path)
    check_output(str(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    check_output(str(tmp_path / "empty"))
    build(folder, tmp_path / "site")
    shutil.copytree(tmp_path / "site", tmp_path / "copied")  # a published copy, without the cache: its mark
    check_output(str(tmp_path / "copied"))
    (tmp_path / "copied" / "index.html").unlink()  # a first build stopped before its index: its pages' mark
    check_output(str(tmp_path / "copied"))
