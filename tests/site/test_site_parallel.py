"""How a build shares its pages among processes: by size, rare code languages kept together, the Team.

The Board they take pages from (in turns, or dealt and stolen) is pepctl.fanout's: tests/test_fanout.py.
"""

from __future__ import annotations

from sitehelpers import CORPUS  # noqa: F401  (skips the module without the site extra)

from pepctl.site.highlight import UNKNOWN
from pepctl.site.parallel import PARALLEL_MIN, keep_languages_together, share_out, worth_forking

NAMES = [f"PEP-{n:04d}.md" for n in range(10)]


def test_share_out_balances_by_size_biggest_first():
    sizes = {name: size * 1000 for name, size in zip(NAMES, [900, 100, 500, 400, 300, 50, 60, 70, 80, 1000])}
    shares = share_out(NAMES, sizes, 2)
    assert sorted(sum(shares, [])) == sorted(NAMES)
    for share in shares:
        assert [sizes[n] for n in share] == sorted((sizes[n] for n in share), reverse=True)
    loads = [sum(sizes[n] for n in share) for share in shares]
    assert abs(loads[0] - loads[1]) <= 100_000


def test_pages_of_a_rare_language_go_to_one_member():
    languages = {NAMES[0]: ["Rust"], NAMES[1]: ["Scala"], NAMES[2]: ["Rust"], NAMES[3]: ["Scala", "Kotlin"],
                 NAMES[4]: ["Kotlin"], NAMES[5]: [UNKNOWN], NAMES[6]: ["Rust"], NAMES[7]: [UNKNOWN],
                 NAMES[8]: [], NAMES[9]: ["Rust"]}
    shares = [NAMES[0::2], NAMES[1::2]]  # as the records were made: rare languages on both sides
    rank = {name: i for i, name in enumerate(NAMES)}
    sizes = dict.fromkeys(NAMES, 1000)
    moved = keep_languages_together(shares, languages, rank, sizes)
    assert sorted(sum(moved, [])) == sorted(NAMES)
    owners = {}
    for member, share in enumerate(moved):
        for name in share:
            for language in languages[name]:
                owners.setdefault(language, set()).add(member)
    # each language on one member; Scala and Kotlin meet on one page: the same member
    assert all(len(members) == 1 for members in owners.values())
    assert owners["Scala"] == owners["Kotlin"]
    for share in moved:  # the grouped pages first, the rest biggest first (by rank)
        marked = [name for name in share if languages[name]]
        assert share[: len(marked)] == sorted(marked, key=rank.__getitem__)
        assert share[len(marked):] == sorted(share[len(marked):], key=rank.__getitem__)


def test_common_languages_stay_where_they_are():
    languages = {name: ["Rust"] for name in NAMES}
    shares = [NAMES[0::2], NAMES[1::2]]
    rank = {name: i for i, name in enumerate(NAMES)}
    # every language on 20 pages or fewer counts as rare: make Rust common
    many = {f"X-{n}.md": ["Rust"] for n in range(30)}
    languages.update(many)
    shares[0] = shares[0] + list(many)
    rank.update({name: 100 + i for i, name in enumerate(many)})
    assert keep_languages_together(shares, languages, rank, {}) == shares


def test_a_few_pages_are_not_worth_a_fork():
    assert worth_forking(PARALLEL_MIN, 2)
    assert not worth_forking(PARALLEL_MIN - 1, 2) and not worth_forking(1000, 1)
