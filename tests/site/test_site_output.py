"""The output folder: a build writes only into an empty or missing folder or a site pepctl built
(others are refused untouched unless forced), and deletes only the pages of gone files it made."""

from __future__ import annotations

import shutil

import pytest

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


def test_a_forced_build_deletes_no_file_of_the_users_under_search(tmp_path):
    # the search index's full build cleared search/d/ and search/s/ of every name it did not write,
    # and search-index.json: in a folder built with --force those may be the user's own files
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "mine"
    mine = {"search/d/97.json": '{"my": "data"}', "search/s/zz.json": "[1, 2]", "search/d/notes.json": "{}",
            "search-index.json": '{"mine": true}'}
    for rel, text in mine.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    for _ in range(2):  # the forced build, then one into what is now a site (the cache deleted: a full index)
        build(folder, out, force=True)
        shutil.rmtree(cache.cache_dir(str(out)))
        assert {rel: (out / rel).read_text() if (out / rel).exists() else None for rel in mine} == mine
    # while the files pepctl made and no longer needs still go: a gone PEP's passages, the old index
    count = len(list((out / "search" / "d").glob("[0-9]*.json"))) - 1  # less the user's 97.json
    assert (out / "search" / "d" / f"{count - 1}.json").exists()
    (out / "search-index.json").write_text('{"schema_version":1,"fields":["url","pep","title","status","summary",'
                                            '"words"],"docs":[]}')
    (folder / "PEP-0003-gamma.md").unlink()
    build(folder, out)
    assert not (out / "search" / "d" / f"{count - 1}.json").exists() and not (out / "search-index.json").exists()
    assert (out / "search" / "d" / "97.json").exists()


def test_a_build_waits_for_another_build_of_the_same_site(tmp_path):
    # two builds of one site at once: the second cleared the first's staging folder under it, and
    # the first stopped with "No such file or directory"; now the second waits its turn, saying so
    import subprocess
    import sys

    folder = copy_fixtures(tmp_path)
    out = tmp_path / "site"
    out.mkdir()
    holder = subprocess.Popen(  # another build, as far as locks go: holds the output folder's
        [sys.executable, "-c", "import sys\nfrom pepctl.fsutil import folder_lock\n"
         f"with folder_lock({str(out)!r}):\n    print('held', flush=True)\n    sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        build_ = subprocess.Popen([sys.executable, "-m", "pepctl", "--dir", str(folder), "site", "build", "-o", str(out)],
                                  stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        first = build_.stderr.readline()
        assert "waiting for another pepctl command to finish with" in first, first
        assert not (out / "index.html").exists()
        holder.stdin.write("\n")
        holder.stdin.flush()
        rest = build_.stderr.read()
        assert build_.wait(timeout=120) == 0, rest
        assert (out / "index.html").exists()
    finally:
        holder.kill()
        holder.wait()


def test_an_output_that_is_a_broken_symbolic_link_is_named_as_one(tmp_path, pepctl):
    # "cannot create the folder site: File exists" said nothing of the link or where it leads
    import os

    folder = copy_fixtures(tmp_path)
    os.symlink(tmp_path / "gone", tmp_path / "site")
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(tmp_path / "site"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "symbolic link" in done.stderr and str(tmp_path / "gone") in done.stderr and "File exists" not in done.stderr


def test_a_folder_without_peps_builds_no_site_over_an_earlier_one(tmp_path, pepctl):
    # a wrong --dir (or working folder, in CI) built an empty site over the published one and
    # deleted every PEP page of it; as `check` and `list` do, the build now stops with a usage error
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "site"
    assert pepctl("--dir", str(folder), "site", "build", "-o", str(out)).returncode == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    empty = tmp_path / "empty"
    empty.mkdir()
    done = pepctl("--dir", str(empty), "site", "build", "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no PEP files here" in done.stderr and "--dir" in done.stderr
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_refused_build_leaves_no_new_output_folder(tmp_path, pepctl, command):
    # the -o folder was made while the options were read, so a build refused after that (no PEP
    # files here) left an empty folder behind
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "new" / "site"
    done = pepctl("--dir", str(empty), "site", command, "-o", str(out))
    assert done.returncode == 2 and "no PEP files here" in done.stderr
    assert not (tmp_path / "new").exists()
