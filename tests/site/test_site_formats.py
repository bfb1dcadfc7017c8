"""The website of a folder in each dialect: its body rendered (docutils for Python's PEPs), the
header shown as the page's card, links between proposals by number resolved to their pages."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from pepctl.config import Config
from pepctl.site.builder import build_site
from tests.conftest import dialect_corpus
from tests.formats.dialects import EIP, PY
from tests.formats.test_oddities import KEP, MADR, RUST, SWIFT


def build(folder, out):
    return build_site(str(folder), str(out), Config(), jobs=1)


def page(out, name: str) -> str:
    return (out / "pep" / name).read_text(encoding="utf-8")


def test_python_pep_page_is_rendered_by_docutils(tmp_path):
    folder = tmp_path / "peps"
    folder.mkdir()
    (folder / "pep-9001.rst").write_text(PY, encoding="utf-8")
    (folder / "pep-0008.rst").write_text(PY.replace("9001", "8").replace("Frobnicate the widgets", "Style"),
                                         encoding="utf-8")
    result = build(folder, tmp_path / "site")
    assert result.pages == 2 and result.unreadable == 0
    html = page(tmp_path / "site", "pep-9001.html")
    assert '<h2>Abstract</h2>' in html or ">Abstract</h2>" in html
    assert 'href="pep-0008.html"' in html  # :pep:`8`, the page beside this one
    assert "PEP: 9001" not in html  # the header is the card, not the text
    assert "Łukasz Sample" in html and "Standards Track" in html
    assert "<title>PEP 9001: Frobnicate the widgets" in html


def test_eip_front_matter_is_the_card_and_links_by_file_name_resolve(tmp_path):
    folder = tmp_path / "EIPS"
    folder.mkdir()
    (folder / "eip-9001.md").write_text(EIP, encoding="utf-8")
    (folder / "eip-1559.md").write_text(EIP.replace("9001", "1559").replace("requires: 1559\n", ""), encoding="utf-8")
    build(folder, tmp_path / "site")
    html = page(tmp_path / "site", "eip-9001.html")
    assert 'href="../pep/eip-1559.html"' in html
    assert "discussions-to" in html and "https://example.org/t/frobs/1" in html
    assert "status: not metadata" in html  # the body's own text stays
    assert "eip: 9001" not in html
    assert "EIP-9001" in html


@pytest.mark.parametrize("name, files, page_name, shown", [
    ("swift", {"0042-spin.md": SWIFT}, "0042-spin.html", "Spin."),
    ("rust-rfc", {"0042-spin.md": RUST}, "0042-spin.html", "Spin."),
    ("madr", {"0005-spin.md": MADR}, "0005-spin.html", "Why."),
    ("kep", {"sig-a/42-spin/kep.yaml": KEP, "sig-a/42-spin/README.md": "# KEP-42: Spin\n\n## Summary\n\nSpinning.\n"},
     "42-spin.html", "Spinning."),
])
def test_each_dialect_builds(tmp_path, name, files, page_name, shown):
    folder = tmp_path / "in"
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    result = build(folder, tmp_path / "site")
    assert result.pages == 1 and result.unreadable == 0
    html = page(tmp_path / "site", page_name)
    assert shown in html
    data = json.loads((tmp_path / "site" / "api" / "peps.json").read_text())
    assert data["count"] == 1 and data["peps"][0]["number"] in (42, 5)
    assert data["format"] == name  # whose numbers these are
    assert data["label_prefix"] == {"swift": "SE-", "rust-rfc": "RFC ", "madr": "ADR-", "kep": "KEP-"}[name]


def test_a_sample_of_python_peps_builds(tmp_path):
    source = dialect_corpus("python-pep", "peps")
    folder = tmp_path / "peps"
    folder.mkdir()
    for number in (1, 8, 20, 257, 484, 3107):
        shutil.copy(source / f"pep-{number:04d}.rst", folder)
    result = build(folder, tmp_path / "site")
    assert (result.pages, result.unreadable) == (6, 0)
    html = page(tmp_path / "site", "pep-0484.html")
    assert 'href="pep-3107.html"' in html and "Guido van Rossum" in html


def test_the_eip_corpus_builds(tmp_path):
    result = build_site(str(dialect_corpus("eip", "EIPS")), str(tmp_path / "site"), Config())
    assert (result.pages, result.unreadable) == (949, 0)
    assert 'href="../pep/eip-2718.html"' in page(tmp_path / "site", "eip-1559.html")


def test_editing_a_kep_readme_rebuilds_its_page(tmp_path):
    # a KEP's prose is its README.md, beside the kep.yaml the build lists: an edit of the README
    # alone (kep.yaml untouched) must reach the page, its summary and its search passages
    folder = tmp_path / "in" / "sig-a" / "42-spin"
    folder.mkdir(parents=True)
    (folder / "kep.yaml").write_text(KEP, encoding="utf-8")
    readme = folder / "README.md"
    readme.write_text("# KEP-42: Spin\n\n## Summary\n\nSpinning.\n", encoding="utf-8")
    build(tmp_path / "in", tmp_path / "site")
    readme.write_text("# KEP-42: Spin\n\n## Summary\n\nTwirling instead.\n", encoding="utf-8")
    result = build(tmp_path / "in", tmp_path / "site")
    assert result.rendered == 1
    assert "Twirling instead." in page(tmp_path / "site", "42-spin.html")
    assert "Twirling" in (tmp_path / "site" / "search" / "d" / "0.json").read_text(encoding="utf-8")


def test_a_kep_readme_linked_out_of_its_folder_is_not_published(tmp_path):
    # the README beside kep.yaml is read as the PEP files are: a symbolic link out of the
    # proposal's folder (a pull request can add one) must not publish what it points to
    folder = tmp_path / "in" / "sig-a" / "42-spin"
    folder.mkdir(parents=True)
    (folder / "kep.yaml").write_text(KEP, encoding="utf-8")
    secret = tmp_path / "secret.env"
    secret.write_text("TOKEN=hunter2\n", encoding="utf-8")
    os.symlink(secret, folder / "README.md")
    out = tmp_path / "site"
    assert build(tmp_path / "in", out).pages == 1
    assert [p for p in out.rglob("*") if p.is_file() and b"hunter2" in p.read_bytes()] == []


@pytest.mark.parametrize("nested", [
    "".join("  " * i + "- x\n\n" for i in range(300)),  # lists in lists
    "".join(" " * i + "quote\n\n" for i in range(1000)),  # block quotes in block quotes
])
def test_rst_too_deep_for_docutils_is_a_page_showing_its_text(tmp_path, nested):
    from tests.conftest import run_pepctl

    folder = tmp_path / "peps"
    folder.mkdir()
    (folder / "pep-9001.rst").write_text(PY + "\nDeep\n====\n\n" + nested, encoding="utf-8")
    done = run_pepctl("--dir", str(folder), "site", "build", "-o", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert "RecursionError" not in done.stderr and "Exiting due to error" not in done.stderr
    html = page(tmp_path / "site", "pep-9001.html")
    assert "this text could not be rendered: RecursionError" in html and "Frobnicate the widgets" in html


def test_keps_in_folders_of_one_name_get_a_page_each(tmp_path):
    folder = tmp_path / "keps"
    for sig, title in (("sig-a", "Spin A"), ("sig-b", "Spin B"), ("sig-c", "Other")):
        kep = folder / sig / ("42-spin" if sig != "sig-c" else "43-other")
        kep.mkdir(parents=True)
        (kep / "kep.yaml").write_text(KEP.replace("Spin widgets", title).replace("kep-number: 42", "kep-number: " + kep.name[:2]))
        (kep / "README.md").write_text(f"# {title}\n\nSee [the other](../../sig-c/43-other/README.md).\n")
    for _ in range(2):  # the second build reuses the records of the first
        build(folder, tmp_path / "site")
        pages = sorted(p.name for p in (tmp_path / "site" / "pep").iterdir())
        assert pages == ["43-other.html", "sig-a-42-spin.html", "sig-b-42-spin.html"]
        assert "Spin A" in page(tmp_path / "site", "sig-a-42-spin.html")
        assert "Spin B" in page(tmp_path / "site", "sig-b-42-spin.html")
        assert 'href="../pep/43-other.html"' in page(tmp_path / "site", "sig-b-42-spin.html")
        index = (tmp_path / "site" / "index.html").read_text()
        assert 'href="pep/sig-a-42-spin.html"' in index and 'href="pep/sig-b-42-spin.html"' in index


def test_a_kep_page_moves_back_when_the_other_folder_of_its_name_goes(tmp_path):
    folder = tmp_path / "keps"
    for sig in ("sig-a", "sig-b"):
        (folder / sig / "42-spin").mkdir(parents=True)
        (folder / sig / "42-spin" / "kep.yaml").write_text(KEP)
    build(folder, tmp_path / "site")
    shutil.rmtree(folder / "sig-b")
    build(folder, tmp_path / "site")
    assert sorted(p.name for p in (tmp_path / "site" / "pep").iterdir()) == ["42-spin.html"]
    shutil.copytree(folder / "sig-a", folder / "sig-b")
    build(folder, tmp_path / "site")
    assert sorted(p.name for p in (tmp_path / "site" / "pep").iterdir()) == ["sig-a-42-spin.html", "sig-b-42-spin.html"]
