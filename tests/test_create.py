"""`pepctl new`: the next number, a slug file name, the template filled in, never an overwrite."""

from __future__ import annotations

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest

from pepctl import create
from pepctl.cli import main
from pepctl.config import Config
from pepctl.corpus import Corpus
from pepctl.document import Document
from pepctl.model import Pep
from pepctl.policy import Policy

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "commands"


def today() -> str:
    """Today's date when asked (a module-level constant went stale when a run crossed midnight)."""
    return datetime.date.today().isoformat()


@pytest.fixture(autouse=True)
def no_outside_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # `new` takes the author from git when --author is missing: not from this machine's git config
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def run(capsys, folder, *args, config=None):
    prefix = ["--dir", str(folder)] + (["--config", str(config)] if config else [])
    code = main([*prefix, "new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def structure(doc: Document):
    return [(h.level, h.title) for h in doc.headings], [f.key for f in doc.field_list]


# -- slugs and titles --------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Response cache", "response-cache"),
        ("  Add  exact-match   caching ", "add-exact-match-caching"),
        ("Héllo Wörld", "hello-world"),
        ("Straße für Ærø", "strasse-fur-aero"),
        ("C++ & Rust: FFI v2!", "c-rust-ffi-v2"),
        ("日本語 support", "support"),
        ("PEP | pipes", "pep-pipes"),
        ("ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ", "fullwidth-text"),
    ],
)
def test_slugify(title, slug):
    assert create.slugify(title) == slug


def test_long_slugs_stop_at_a_word_boundary():
    slug = create.slugify("Allow additional arguments to dynamic member lookup subscripts in every context")
    assert slug == "allow-additional-arguments-to-dynamic-member"
    assert len(slug) <= create.SLUG_MAX
    assert create.slugify("x" * 80) == "x" * create.SLUG_MAX


@pytest.mark.parametrize("title", ["", "   ", "日本語", "!!! ???", "Two\nlines", "Tab\x07bell"])
def test_unusable_titles_are_refused(tmp_path, capsys, title):
    code, out, err = run(capsys, tmp_path, title)
    assert code == 2
    assert out == "" and err.startswith("pepctl: error: the title")
    assert os.listdir(tmp_path) == []


# -- the built-in template -------------------------------------------------------------


def test_builtin_template_has_the_process_templates_fields_and_sections(seeds_dir):
    ours = Document(create.builtin_template())
    theirs = Document.read(str(seeds_dir / "PEP-TEMPLATE.md"))
    assert structure(ours) == structure(theirs)
    assert ours.title_heading == theirs.title_heading == "PEP-XXXX: Title"
    assert ours.problems == []


def test_builtin_template_is_written_in_its_own_words(seeds_dir):
    theirs = {line.strip() for line in (seeds_dir / "PEP-TEMPLATE.md").read_text().splitlines() if len(line.strip()) > 25}
    ours = {line.strip() for line in create.builtin_template().splitlines()}
    # headings, header rows and placeholders are shared conventions; prose is not
    shared = {line for line in theirs & ours if not line.startswith(("|", "#"))}
    assert shared == set()


def test_new_from_the_builtin_template(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path, "Exact-match response cache", "--author", "Ada Lovelace (@ada)")
    assert code == 0, err
    assert out == os.path.join(str(tmp_path), "PEP-0001-exact-match-response-cache.md") + "\n"
    doc = Document.read(out.strip())
    pep = Pep(doc, out.strip())
    assert doc.title_heading == "PEP-0001: Exact-match response cache"
    assert (pep.field_number, pep.title, pep.status, pep.authors_text, pep.created) == (
        1, "Exact-match response cache", "Draft", "Ada Lovelace (@ada)", today(),
    )
    assert "| **PEP** | 0001 |\n| **Title** | Exact-match response cache |\n" in doc.text
    # the instructions comment is gone, and no double blank line is left behind
    assert doc.comments[0][0] > doc.header.last_line
    assert doc.text.startswith("# PEP-0001: Exact-match response cache\n\n| Field | Value |\n")
    # hints for later stay
    assert doc.get("Tracking Issue") == "_(filled after acceptance)_"
    assert structure(doc) == structure(Document(create.builtin_template()))
    assert doc.problems == []


def test_several_authors(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path, "Pair", "--author", "Ada Lovelace (@ada)", "--author", "Grace Hopper (@grace)")
    assert code == 0
    assert Document.read(out.strip()).get("Authors") == "Ada Lovelace (@ada), Grace Hopper (@grace)"


@pytest.mark.parametrize("author", ["Ada Lovelace", "@ada", "Ada (ada)", "Ada (@ada) | x"])
def test_badly_written_author_is_refused(tmp_path, capsys, author):
    code, _, err = run(capsys, tmp_path, "Pair", "--author", author)
    assert code == 2 and "Full Name (@github-handle)" in err
    assert os.listdir(tmp_path) == []


def test_without_author_the_placeholder_stays_for_check_to_flag(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path, "Anonymous idea")
    assert code == 0
    path = out.strip()
    assert Document.read(path).get("Authors") == "Name (@github-handle)"
    assert "Author(s)" in err and "--author" in err
    from pepctl.lint import lint

    config = Config()
    diagnostics = lint(Corpus(str(tmp_path), config), Policy(config), [path], select=["H"])
    author_line = Document.read(path).field("Authors").line + 1
    assert any(d.line == author_line for d in diagnostics), diagnostics


def test_a_new_pep_with_author_passes_the_header_and_section_rules(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path, "Clean start", "--author", "Ada Lovelace (@ada)")
    assert code == 0
    from pepctl.lint import lint

    config = Config()
    assert lint(Corpus(str(tmp_path), config), Policy(config), [out.strip()], select=["F", "H", "S", "L"]) == []


@pytest.mark.parametrize("highest, why", [
    ("PEP-9999-last.md", "PEP-9999-last.md is 9999: every four-digit number is used"),
    ("PEP-42000-typo.md", "PEP-42000-typo.md is 42000, past 9999 (H004: a typo?)"),
])
def test_a_number_past_four_digits_is_refused_as_check_would_flag_it(tmp_path, capsys, highest, why):
    run(capsys, tmp_path, "First", "--author", "Ada Lovelace (@ada)")
    number = highest.split("-")[1]
    text = (tmp_path / "PEP-0001-first.md").read_text().replace("0001", number)
    (tmp_path / highest).write_text(text)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, tmp_path, "Second", "--author", "Ada Lovelace (@ada)")
    assert (code, out) == (1, "") and f"the highest number, that of {why}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_title_with_a_pipe_is_escaped_in_the_table(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path, "Either | or")
    assert code == 0
    doc = Document.read(out.strip())
    assert "| **Title** | Either \\| or |" in doc.text
    assert doc.title_heading == "PEP-0001: Either | or"
    assert Pep(doc, out.strip()).title == "Either | or"


@pytest.mark.parametrize("given, stored", [("Draft", "Draft"), ("draft", "Draft")])
def test_initial_status(tmp_path, capsys, given, stored):
    code, out, _ = run(capsys, tmp_path, "Start", "--status", given)
    assert code == 0
    assert Document.read(out.strip()).get("Status") == stored


@pytest.mark.parametrize("dry_run", [False, True])
def test_status_whose_requirements_a_fresh_template_cannot_meet_is_refused(tmp_path, capsys, dry_run):
    # `pepctl status N "Under Review"` refuses a PEP whose sections are the template's hints;
    # `new --status` must not be a way around that
    extra = ["--dry-run"] if dry_run else []
    code, out, err = run(capsys, tmp_path, "Start", "--author", "Ada Lovelace (@ada)", "--status", "under review", *extra)
    assert code == 1 and out == ""
    assert "PEP-0001 cannot start as Under Review" in err
    assert "PEP-0001-start.md:14: S005 section '## Summary' is not written yet" in err
    assert 'Create it as Draft (leave out --status)' in err and '`pepctl status 1 "Under Review"`' in err
    assert "Traceback" not in err
    assert os.listdir(tmp_path) == []


def test_status_is_allowed_when_the_template_meets_its_requirements(tmp_path, capsys, seeds_dir):
    # the checks are the configured ones: with S005 ignored, Under Review is a fine start
    (tmp_path / "pepctl.toml").write_text('ignore = ["S005"]\n')
    code, out, err = run(capsys, tmp_path, "Start", "--author", "Ada Lovelace (@ada)", "--status", "Under Review",
                         config=tmp_path / "pepctl.toml")
    assert code == 0, err
    path = out.strip()
    assert Document.read(path).get("Status") == "Under Review"
    assert main(["--dir", str(tmp_path), "--config", str(tmp_path / "pepctl.toml"), "check", path]) == 0


@pytest.mark.parametrize("status", ["Accepted", "Nope"])
def test_other_statuses_are_refused(tmp_path, capsys, status):
    code, _, err = run(capsys, tmp_path, "Start", "--status", status)
    assert code == 2 and "Draft, Under Review" in err
    assert os.listdir(tmp_path) == []


def test_dry_run_prints_and_writes_nothing(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path, "Just looking", "--dry-run")
    assert code == 0
    assert out.startswith("# PEP-0001: Just looking\n")
    assert "PEP-0001-just-looking.md not written" in err
    assert os.listdir(tmp_path) == []


# -- the folder's template ------------------------------------------------------------


def test_configured_template_is_used_with_its_line_endings(tmp_path, capsys):
    template = (
        "\ufeff# PEP-XXXX: Title\r\n\r\n<!--\r\nDelete me.\r\n-->\r\n\r\n"
        "| Field | Value |\r\n|---|---|\r\n| **PEP** | XXXX |\r\n| **Title** | |\r\n| **Status** | Draft |\r\n"
        "| **Authors** | Name (@github-handle) |\r\n| **Team** | platform |\r\n| **Created** | YYYY-MM-DD |\r\n\r\n"
        "## Why\r\n\r\n<!-- keep this hint -->\r\n"
    )
    (tmp_path / "PEP-TEMPLATE.md").write_bytes(template.encode())
    code, out, err = run(capsys, tmp_path, "Local shape", "--author", "Ada Lovelace (@ada)")
    assert code == 0, err
    data = Path(out.strip()).read_bytes()
    assert data == (
        "\ufeff# PEP-0001: Local shape\r\n\r\n"
        "| Field | Value |\r\n|---|---|\r\n| **PEP** | 0001 |\r\n| **Title** | Local shape |\r\n| **Status** | Draft |\r\n"
        f"| **Authors** | Ada Lovelace (@ada) |\r\n| **Team** | platform |\r\n| **Created** | {today()} |\r\n\r\n"
        "## Why\r\n\r\n<!-- keep this hint -->\r\n"
    ).encode()


def test_template_without_some_fields_gets_them_added(tmp_path, capsys):
    (tmp_path / "PEP-TEMPLATE.md").write_text("# PEP-XXXX: Title\n\n| Field | Value |\n|---|---|\n| **Title** | |\n\n## Summary\n")
    code, out, err = run(capsys, tmp_path, "Sparse", "--author", "Ada Lovelace (@ada)")
    assert code == 0, err
    doc = Document.read(out.strip())
    assert [f.name for f in doc.field_list] == ["PEP", "Title", "Status", "Author(s)", "Created"]
    assert doc.get("Created") == today()


def test_missing_configured_template_is_a_config_error(tmp_path, capsys):
    config = tmp_path / "pepctl.toml"
    config.write_text('template = "TEMPLATE-missing.md"\n')
    code, _, err = run(capsys, tmp_path, "Anything", config=config)
    assert code == 2 and "TEMPLATE-missing.md" in err


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link"])
def test_template_path_that_is_no_file_is_an_error(tmp_path, capsys, kind):
    template = tmp_path / "PEP-TEMPLATE.md"
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(template)
    elif kind == "folder":
        template.mkdir()
    else:
        template.symlink_to("PEP-GONE.md")
    code, out, err = run(capsys, tmp_path, "Anything")
    assert code == 2 and out == ""
    assert "PEP-TEMPLATE.md" in err and "template" in err and "Traceback" not in err
    expected = {"fifo": ("a named pipe",), "folder": ("a folder", "directory"), "dangling link": ("does not exist",)}[kind]
    assert any(words in err for words in expected)
    assert sorted(os.listdir(tmp_path)) == ["PEP-TEMPLATE.md"]


def test_template_without_header_table_is_refused(tmp_path, capsys):
    (tmp_path / "PEP-TEMPLATE.md").write_text("# PEP-XXXX: Title\n\nJust prose.\n")
    code, _, err = run(capsys, tmp_path, "Anything")
    assert code == 2 and "header table" in err
    assert sorted(os.listdir(tmp_path)) == ["PEP-TEMPLATE.md"]


# -- numbers, collisions, the index -----------------------------------------------------


def test_number_is_highest_plus_one_and_never_zero(tmp_path, capsys):
    (tmp_path / "PEP-0000-process.md").write_bytes((FIXTURES / "index.md").read_bytes())
    code, out, _ = run(capsys, tmp_path, "First real one")
    assert out.strip().endswith("PEP-0001-first-real-one.md")
    (tmp_path / "PEP-0040-gap.md").write_text("# PEP-0040: Gap\n")
    code, out, _ = run(capsys, tmp_path, "After the gap")
    assert out.strip().endswith("PEP-0041-after-the-gap.md")


def test_never_overwrites(tmp_path, capsys):
    # a file the config hides from the PEP folder still holds the name the new PEP wants
    config = tmp_path / "pepctl.toml"
    config.write_text('exclude = ["PEP-0002-*"]\n')
    (tmp_path / "PEP-0001-first.md").write_text("# PEP-0001: First\n")
    taken = tmp_path / "PEP-0002-collide.md"
    taken.write_bytes(b"somebody else's work\n")
    code, out, err = run(capsys, tmp_path, "Collide", config=config)
    assert code == 1 and out == ""
    assert "PEP-0002-collide.md already exists" in err and "never replaces" in err
    assert taken.read_bytes() == b"somebody else's work\n"
    assert sorted(os.listdir(tmp_path)) == ["PEP-0001-first.md", "PEP-0002-collide.md", "pepctl.toml"]


def test_write_refuses_an_existing_path(tmp_path):
    config = Config()
    new = create.plan(Corpus(str(tmp_path), config), Policy(config), "Race")
    Path(new.path).write_text("claimed first\n")
    with pytest.raises(create.CreateFailed):
        create.write(new)
    assert Path(new.path).read_text() == "claimed first\n"
    assert [n for n in os.listdir(tmp_path) if n.startswith(".pepctl-")] == []


def test_new_adds_its_index_row_and_nothing_else(tmp_path, capsys):
    index = tmp_path / "PEP-0000-process.md"
    index.write_bytes((FIXTURES / "index.md").read_bytes())
    (tmp_path / "PEP-0001-first.md").write_text("# PEP-0001: First one\n")
    before = index.read_bytes()
    code, out, err = run(capsys, tmp_path, "Second | one", "--author", "Ada Lovelace (@ada)")
    assert code == 0, err
    row = b"| [0002](PEP-0002-second-one.md) | Second \\| one | Draft | Ada Lovelace (@ada) |\n"
    anchor = b"| First one        | Draft  | Ada Lovelace (@ada) |\n"
    assert index.read_bytes() == before.replace(anchor, anchor + row)
    assert [n for n in os.listdir(tmp_path) if n.startswith(".pepctl-")] == []


def test_dry_run_leaves_the_index_alone(tmp_path, capsys):
    index = tmp_path / "PEP-0000-process.md"
    index.write_bytes((FIXTURES / "index.md").read_bytes())
    before = index.read_bytes()
    assert run(capsys, tmp_path, "Look", "--dry-run")[0] == 0
    assert index.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["PEP-0000-process.md"]


def test_new_on_the_real_corpus_gives_5547(corpus_dir, tmp_path, capsys):
    folder = tmp_path / "peps"
    shutil.copytree(corpus_dir, folder)
    index = folder / "PEP-0000-process.md"
    before = index.read_bytes()
    code, out, err = run(capsys, folder, "Streaming tool calls", "--author", "Ada Lovelace (@ada)")
    assert code == 0, err
    assert out == os.path.join(str(folder), "PEP-5547-streaming-tool-calls.md") + "\n"
    # the template of the corpus was used: its sections, filled header, no instructions
    doc = Document.read(out.strip())
    template = Document.read(str(folder / "PEP-TEMPLATE.md"))
    assert structure(doc) == structure(template)
    assert "Delete these instructions" not in doc.text
    row = b"| [5547](PEP-5547-streaming-tool-calls.md) | Streaming tool calls | Draft | Ada Lovelace (@ada) |\n"
    assert index.read_bytes() == before + row
    assert main(["--dir", str(folder), "next"]) == 0
    assert capsys.readouterr().out == "5548\n"


def test_end_to_end_in_a_child_process(tmp_path, pepctl):
    result = pepctl("--dir", ".", "new", "Über alles", "--author", "Ada Lovelace (@ada)", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "PEP-0001-uber-alles.md\n"
    text = (tmp_path / "PEP-0001-uber-alles.md").read_text(encoding="utf-8")
    assert re.search(r"\| \*\*Created\*\* \| \d{4}-\d{2}-\d{2} \|", text)
    result = pepctl("--dir", ".", "new", "???", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


# -- titles with Markdown in them --------------------------------------------------------


@pytest.mark.parametrize("template", ["builtin", "seed"])
@pytest.mark.parametrize(
    "title, heading",
    [
        ("Use a|b syntax", "Use a|b syntax"),
        ("Back\\slash", "Back\\slash"),
        ("Trailing backslash\\", "Trailing backslash\\"),
        ("Tick `code` spans", "Tick `code` spans"),
        ("Star *x* and _y_ __z__", "Star *x* and _y_ __z__"),
        ("Less <b> than & more", "Less <b> than & more"),
        ("Hash # in the middle", "Hash # in the middle"),
        ("Ends in #", "Ends in # #"),
        ("Ends in ##", "Ends in ## #"),
        ("C#", "C#"),
        ("Escaped \\| pipe", "Escaped \\| pipe"),
        ("Double \\\\| pipe", "Double \\\\| pipe"),
        ("a\\|b", "a\\|b"),
        ("a\\\\|b", "a\\\\|b"),
        ("x\\|", "x\\|"),
        ("\\|| mixed \\ |", "\\|| mixed \\ |"),
        ("[link](x) <!-- not a comment", "[link](x) <!-- not a comment"),
    ],
)
def test_titles_with_markdown_pass_check(tmp_path, capsys, seeds_dir, template, title, heading):
    if template == "seed":
        shutil.copy(seeds_dir / "PEP-TEMPLATE.md", tmp_path / "PEP-TEMPLATE.md")
    code, out, err = run(capsys, tmp_path, title, "--author", "Ada Lovelace (@ada)")
    assert code == 0, err
    path = out.strip()
    assert Document.read(path).lines[0].rstrip("\n") == f"# PEP-0001: {heading}"
    pep = Pep.read(path)
    assert pep.title == title  # the Title cell reads back as exactly the title given
    assert pep.heading_title == pep.title
    assert main(["--dir", str(tmp_path), "check", path]) == 0, capsys.readouterr()
