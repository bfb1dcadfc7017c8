"""api/peps.json, made from the build state."""

from __future__ import annotations

import dataclasses
import json

from sitehelpers import build, copy_fixtures, history_repo, state_of

from pepctl.history import read_history
from pepctl.site.api import api_json


def test_one_object_per_pep_in_number_order(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    data = json.loads(api_json(state))
    assert data["schema_version"] == 1 and data["base_url"] is None and data["count"] == 8
    assert (data["format"], data["label_prefix"]) == ("plano", "PEP-")
    alpha = data["peps"][1]
    assert alpha["source"] == "PEP-0001-alpha.md" and alpha["url"] == "pep/PEP-0001-alpha.html"
    assert alpha["sponsor"] == {"name": "Carol Maintainer", "handle": "carol"} and alpha["target_release"] is None
    broken = data["peps"][7]
    assert broken["status"] is None and broken["error"] and broken["title"] == "PEP-0007-broken.md"


def test_urls_are_absolute_with_a_base_url_and_git_gives_the_changes(tmp_path):
    folder = history_repo(tmp_path)
    state, _ = state_of(folder, history=read_history(str(folder)), base_url="https://peps.example.org/")
    state = dataclasses.replace(state, last_changes={"PEP-0002-beta.md": {"date": "d", "commit": "c"}})
    beta = json.loads(api_json(state))["peps"][2]
    assert beta["url"] == "https://peps.example.org/pep/PEP-0002-beta.html"
    assert beta["last_change"] == {"date": "d", "commit": "c"}
    assert beta["last_status_change"]["from"] == "Under Review" and beta["last_status_change"]["to"] == "Declined"


def test_a_number_json_readers_would_round_is_null_with_its_file_name(tmp_path):
    # a 32-digit PEP field (H004 reports it) was written as a JSON number, which JavaScript and
    # every reader that holds numbers as doubles reads as another number
    folder = copy_fixtures(tmp_path)
    big, safe = "1" * 32, 2 ** 53 - 1
    alpha = (folder / "PEP-0001-alpha.md").read_text(encoding="utf-8")
    (folder / f"PEP-{big}-huge.md").write_text(
        alpha.replace("PEP-0001: Alpha", f"PEP-{big}: Alpha").replace("| **PEP** | 0001 |", f"| **PEP** | {big} |"),
        encoding="utf-8")
    (folder / f"PEP-{safe}-edge.md").write_text(
        alpha.replace("PEP-0001: Alpha", f"PEP-{safe}: Alpha").replace("| **PEP** | 0001 |", f"| **PEP** | {safe} |"),
        encoding="utf-8")
    state, _ = state_of(folder)
    assert any(record.pep.number == int(big) for record in state.records.values())
    text = api_json(state)
    assert big not in text.replace(f"PEP-{big}", "")  # only in the file's name and page
    peps = {pep["source"]: pep for pep in json.loads(text)["peps"]}
    huge = peps[f"PEP-{big}-huge.md"]
    assert huge["number"] is None and huge["url"] == f"pep/PEP-{big}-huge.html"
    assert peps[f"PEP-{safe}-edge.md"]["number"] == safe  # the largest a reader holds exactly stays


def test_the_search_manifest_leaves_out_a_number_json_readers_would_round(tmp_path):
    # the manifest lists numbers as deltas: a 32-digit one read as a double lands on another number
    folder = copy_fixtures(tmp_path)
    big = "1" * 32
    alpha = (folder / "PEP-0001-alpha.md").read_text(encoding="utf-8")
    (folder / f"PEP-{big}-huge.md").write_text(
        alpha.replace("PEP-0001: Alpha", f"PEP-{big}: Alpha").replace("| **PEP** | 0001 |", f"| **PEP** | {big} |"),
        encoding="utf-8")
    out = tmp_path / "site"
    build(folder, out)
    deltas = json.loads((out / "search" / "manifest.json").read_text(encoding="utf-8"))["numbers"]
    numbers, total = [], 0
    for delta in deltas[::2]:
        total += delta
        numbers.append(total)
    assert 1 in numbers and all(0 <= n <= 2 ** 53 - 1 for n in numbers)
