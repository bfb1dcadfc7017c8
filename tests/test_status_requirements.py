"""pepctl.status_requirements: what a move to a status must not bring, judged as the project
configured `pepctl check`."""

from __future__ import annotations

import datetime

from peptext import write_fixture

from pepctl.config import Config
from pepctl.corpus import Corpus
from pepctl.policy import Policy
from pepctl.status_requirements import requirement_problems

TODAY = datetime.date(2026, 3, 1)


def test_the_projects_select_and_ignore_hold_for_the_lifecycle_rules_too(tmp_path):
    # `pepctl check` with select = ["H", "S"] runs no L rule, so `pepctl status` asks for no sponsor
    # either (move_problems: the one definition status, new --status and the gate use).
    for values in ({"select": ["H", "S"]}, {"ignore": ["L001"]}):
        config = Config({"maintainers": ["grace"], **values})
        write_fixture(tmp_path, "bare.md", 42, "Draft")
        problems = [d.code for d in requirement_problems(
            Corpus(str(tmp_path), config), Policy(config), Corpus(str(tmp_path), config).find(42)[0],
            _as(tmp_path / "PEP-0042-proposal.md", "Under Review"), TODAY)]
        assert "L001" not in problems, values


def _as(path, status):
    from pepctl.document import Document

    document = Document.read(str(path))
    document.set_field("Status", status)
    return document
