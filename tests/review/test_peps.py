"""Reading a pull request's PEP files (pepctl.review.peps): what the engine decides from, and what
an adapter asks before deciding (which PEPs a pull request is about, which are under review)."""

from __future__ import annotations

from pepctl.config import Config
from pepctl.review import UNDER_REVIEW, FileChange, is_under_review, load_pep, load_peps, status_label, subjects

from reviewfacts import POLICY, pep

INDEX = "docs/peps/PEP-0000-index.md"


def test_load_pep_reads_both_sides():
    pc = load_pep(FileChange("docs/peps/PEP-0042-new.md", pep("Draft"), pep("Under Review"),
                             "docs/peps/PEP-0042-old.md"), POLICY.config)
    assert (pc.base_status, pc.head_status, pc.number, pc.label) == ("Draft", "Under Review", 42, "PEP-0042")
    assert pc.base.path == "docs/peps/PEP-0042-old.md" and not (pc.added or pc.deleted or pc.index_doc)
    broken = load_pep(FileChange("docs/peps/PEP-0043-x.md", None, b"\xff\xfe"), POLICY.config)
    assert broken.added and broken.head is None and broken.head_error is not None
    assert broken.label == "PEP-0043"  # from the file name
    gone = load_pep(FileChange("docs/peps/notes.md", pep(), None), POLICY.config)
    assert gone.deleted and gone.label == "PEP-0042"


def test_load_peps_keeps_pep_files_only_sorted_by_path():
    changes = [FileChange("docs/peps/PEP-0043-b.md", None, pep(number=43)),
               FileChange("README.md", b"a", b"b"),
               FileChange("docs/peps/PEP-TEMPLATE.md", None, pep()),
               FileChange("docs/peps/PEP-0042-a.md", None, pep())]
    assert [pc.path for pc in load_peps(changes, POLICY.config)] == ["docs/peps/PEP-0042-a.md", "docs/peps/PEP-0043-b.md"]
    excluded = Config({"exclude": ["PEP-0043-*"]})
    assert [pc.path for pc in load_peps(changes, excluded)] == ["docs/peps/PEP-0042-a.md"]


def test_subjects_leave_out_the_index_document_unless_it_is_all_there_is():
    index = load_pep(FileChange(INDEX, pep(number=0), pep(number=0, title="Index v2")), POLICY.config)
    proposal = load_pep(FileChange("docs/peps/PEP-0042-a.md", None, pep()), POLICY.config)
    assert index.index_doc and not proposal.index_doc
    assert subjects([index, proposal]) == [proposal]
    assert subjects([index]) == [index]
    named = load_pep(FileChange("docs/peps/PEP-0001-process.md", None, pep(number=1)),
                     Config({"index-file": "PEP-0001-process.md"}))
    assert named.index_doc
    other = load_pep(FileChange("docs/peps/PEP-0042-a.md", None, pep()), Config({"index-file": "PEP-0001-process.md"}))
    assert not other.index_doc


def test_is_under_review_and_the_status_label():
    pc = load_pep(FileChange("docs/peps/PEP-0042-a.md", pep("Draft"), pep("under  review")), POLICY.config)
    assert is_under_review(POLICY, pc.head) and not is_under_review(POLICY, pc.base)
    assert not is_under_review(POLICY, None)
    assert status_label(POLICY.canonical(UNDER_REVIEW)) == "pep: under review"


def test_paths_with_backslashes_are_read_by_their_last_part():
    from pepctl.review.peps import file_name, is_pep_path

    assert file_name("docs\\peps\\PEP-0042-a.md") == "PEP-0042-a.md" and file_name("PEP-0042-a.md") == "PEP-0042-a.md"
    assert file_name("docs/peps\\sub/PEP-0042-a.md") == "PEP-0042-a.md"
    assert is_pep_path("docs\\peps\\PEP-0042-a.md", POLICY.config)
    assert not is_pep_path("docs\\peps\\PEP-TEMPLATE.md", POLICY.config)
    changes = [FileChange("docs\\peps\\PEP-0042-a.md", None, pep())]
    assert [pc.label for pc in load_peps(changes, POLICY.config)] == ["PEP-0042"]


def test_a_pep_change_without_a_number_is_labelled_by_its_file_name():
    pc = load_pep(FileChange("docs/peps/sub/PEP-draft.md", None, b"# Draft\n"), POLICY.config)
    assert pc.number is None and pc.label == "PEP-draft.md"
    assert pc.to_json() == {"path": "docs/peps/sub/PEP-draft.md", "previous_path": None, "number": None, "title": "",
                            "base_status": None, "head_status": "", "added": True, "deleted": False,
                            "base_error": None, "head_error": None}


def test_title_and_number_come_from_the_head_then_the_base():
    pc = load_pep(FileChange("docs/peps/PEP-0042-a.md", pep(title="Old", number=41), pep(title="", number=43)), POLICY.config)
    assert (pc.number, pc.title) == (43, "Old")
    broken = load_pep(FileChange("docs/peps/PEP-0042-a.md", b"", b"\x00"), POLICY.config)
    assert broken.to_json()["head_error"] == "line 1: the file is binary (it contains NUL bytes), not Markdown text"
    assert broken.to_json()["base_error"] == "line 1: the file is empty"
