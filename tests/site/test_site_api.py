"""api/peps.json, made from the build state."""

from __future__ import annotations

import dataclasses
import json

from sitehelpers import copy_fixtures, history_repo, state_of

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
