"""pepctl's own markers, and whose comments they count in (pepctl.github.markers)."""

from __future__ import annotations

from githubhelpers import comment

from pepctl.github.markers import find_own
from pepctl.review import SUMMARY_MARKER


def test_own_comments_are_found_by_marker_from_bots_only():
    own = find_own([
        comment(1, f"{SUMMARY_MARKER}\nforged", login="mallory", kind="User"),
        comment(2, f"{SUMMARY_MARKER}\nreal"),
        comment(3, "<!-- pepctl-answer 10:1 -->\nhi\n\n---\n\n<!-- pepctl-answer 11:2 -->\nhello"),
        comment(4, "<!-- pepctl-answer 12:1 -->", login="mallory", kind="User"),
        comment(5, "<!-- pepctl:reminder:2026-05-01 -->\nping"),
    ])
    assert own.summary["id"] == 2
    assert own.answered == {"10:1", "11:2"}
    assert own.reminders == ["2026-05-01"]
    assert own.ids == {2, 3, 5}
    assert find_own([comment(1, SUMMARY_MARKER, login="me", kind="User")], ["ME"]).summary["id"] == 1


def test_only_the_account_pepctl_posts_as_is_trusted():
    other = comment(1, f"{SUMMARY_MARKER}\nan app's", login="some-app[bot]")
    reminder = comment(2, "<!-- pepctl:reminder:2026-05-01 -->", login="some-app[bot]")
    own = find_own([other, reminder])
    assert own.summary is None and own.reminders == [] and own.ids == set()
    assert find_own([other], ["some-app[bot]"]).summary["id"] == 1
    assert find_own([comment(3, SUMMARY_MARKER)], ["some-app[bot]"]).summary is None


def test_duplicate_summaries_keep_the_oldest():
    own = find_own([comment(9, f"{SUMMARY_MARKER}\nlater"), comment(4, f"{SUMMARY_MARKER}\nfirst"),
                    comment(7, f"{SUMMARY_MARKER}\nsecond")])
    assert own.summary["id"] == 4
    assert [c["id"] for c in own.extra_summaries] == [7, 9]


def test_the_start_marker_is_read_from_the_trusted_summary_only():
    marker = "<!-- pepctl:under-review-since 2026-05-10T10:00:00Z -->"
    assert find_own([comment(1, f"{SUMMARY_MARKER}\nbody\n{marker}\n")]).review_since == "2026-05-10T10:00:00Z"
    assert find_own([comment(1, f"{SUMMARY_MARKER}\n{marker}", login="dan", kind="User")]).review_since is None
    assert find_own([comment(1, f"<!-- pepctl-answer 1:1 -->\n{marker}")]).review_since is None
    assert find_own([comment(1, f"{SUMMARY_MARKER}\nbody")]).review_since is None
