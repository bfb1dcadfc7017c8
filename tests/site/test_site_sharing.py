"""How a build shares its pages among processes: the queues, the stealing, the grouping by code language."""

from __future__ import annotations

from sitehelpers import CORPUS  # noqa: F401  (skips the module without the site extra)

from pepctl.site.builder import Queues, keep_languages_together, share_out
from pepctl.site.highlight import UNKNOWN, code_languages

NAMES = [f"PEP-{n:04d}.md" for n in range(10)]


def test_records_are_taken_in_queue_order_until_none_is_left():
    queues = Queues(NAMES, 2)
    queues.line_up(NAMES[::-1])
    assert list(queues.files()) == NAMES[::-1]
    assert queues.next_file() is None


def test_a_member_takes_its_own_pages_first_then_the_smallest_left_of_the_longest_list():
    queues = Queues(NAMES, 3)
    queues.deal([NAMES[0:2], NAMES[2:7], NAMES[7:10]])  # each list biggest first
    assert queues.total() == 10 and queues.share(1) == NAMES[2:7]
    assert [queues.take(0), queues.take(0)] == NAMES[0:2]
    assert queues.take(0) == NAMES[6]  # member 1 has most left: its last (smallest) page
    assert queues.take(0) == NAMES[5]
    assert queues.take(0) == NAMES[4]  # a tie (3 and 3): the first of them
    assert queues.take(0) == NAMES[9]  # now member 2 has most left (3 against 2)
    assert queues.take(1) == NAMES[2]  # members keep taking from their own fronts
    assert queues.take(2) == NAMES[7]
    assert queues.left() == 2
    taken = [queues.take(m) for m in (0, 1, 2, 0)]
    assert sorted(t for t in taken if t) == sorted([NAMES[3], NAMES[8]])
    assert taken[-2:] == [None, None] and queues.left() == 0


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


def test_code_languages_names_the_lexers_of_the_fences():
    text = (b"# Title\n\n```swift\nlet x = 1\n```\n\n```Python\nx\n```\n\n```py\ny\n```\n\n"
            b"```rust,ignore\nfn f() {}\n```\n\n```text\nplain\n```\n\n```\nno language\n```\n")
    assert code_languages(text) == sorted(["Swift", "Python", UNKNOWN])
    assert code_languages(b"no code at all") == []
