"""pepctl related on other processes' folders: their own word for a declined proposal is marked as
declined, and a KEP is known by its README's prose."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_pepctl
from tests.formats.dialects import PY
from tests.formats.test_oddities import KEP

pytest.importorskip("bm25s")


def test_a_rejected_python_pep_is_listed_first_and_marked(tmp_path):
    texts = {1: ("Response cache for model calls", "Rejected", "Cache model responses keyed by prompt hash."),
             2: ("Audit log export", "Draft", "Export the audit log to object storage every night."),
             3: ("Semantic response cache", "Draft", "Cache responses of similar prompts with a TTL.")}
    for n, (title, status, abstract) in texts.items():
        text = (PY.replace("9001", str(n)).replace("Frobnicate the widgets", title).replace("Status: Draft", f"Status: {status}")
                .replace("Widgets need frobbing. See :pep:`8`.", abstract))
        (tmp_path / f"pep-{n:04d}.rst").write_text(text, encoding="utf-8")
    done = run_pepctl("--dir", str(tmp_path), "related", "3", "--format", "json")
    found = json.loads(done.stdout)
    assert found[0]["number"] == 1 and found[0]["settled"] is True
    text = run_pepctl("--dir", str(tmp_path), "related", "--text", "cache model responses").stdout
    assert "rejected: read why before proposing it again" in text.splitlines()[0]


def test_a_kep_is_ranked_by_its_readme(tmp_path):
    for folder, title, readme in (("sig-a/42-spin", "Spin widgets", "## Summary\n\nHuge pages for memory hungry pods.\n"),
                                  ("sig-b/43-copy", "Copy widgets", "## Summary\n\nCopy the audit log nightly.\n")):
        kep = tmp_path / folder
        kep.mkdir(parents=True)
        (kep / "kep.yaml").write_text(KEP.replace("Spin widgets", title).replace("kep-number: 42", "kep-number: " + kep.name[:2]))
        (kep / "README.md").write_text(f"# {title}\n\n{readme}")
    found = json.loads(run_pepctl("--dir", str(tmp_path), "related", "--text", "huge pages memory", "--format", "json").stdout)
    assert [item["number"] for item in found] == [42]
