"""People fields: names and GitHub handles as authors write them."""

from __future__ import annotations

import pytest

from pepctl.model import handles_in, parse_authors


@pytest.mark.parametrize("cell, people", [
    ("Ada Lovelace (@ada), Bob Builder (@bob-b)", [("Ada Lovelace", "ada"), ("Bob Builder", "bob-b")]),
    ("Jane Doe <jane@x.org>", [("Jane Doe <jane@x.org>", None)]),  # an e-mail address names no user
    ("Jane Doe (ACME) (@jane)", [("Jane Doe (ACME)", "jane")]),
    ("[Jane Doe](https://github.com/jane-d)", [("Jane Doe", "jane-d")]),
    ("Ada @ada and Carol", [("Ada", "ada"), ("Carol", None)]),
    ("@ada", [("@ada", "ada")]),
])
def test_parse_authors(cell, people):
    assert [(a.name, a.handle) for a in parse_authors(cell)] == people


def test_an_e_mail_domain_is_no_maintainer_handle():
    # a sponsor written as an address at a maintainer-named domain must not count as that maintainer
    assert handles_in("Mallory <mallory@carol.example>") == []
    assert handles_in("Mallory (@mallory), [Carol](https://github.com/carol)") == ["mallory", "carol"]
