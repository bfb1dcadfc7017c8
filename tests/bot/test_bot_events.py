"""Which work an event makes dirty (pepctl.bot.events.classify): a pure function."""

from __future__ import annotations

import pytest

from pepctl.bot.events import INDEX, REPO, Key, classify

BASE = {"repository": {"full_name": "acme/plano", "default_branch": "main"}, "installation": {"id": 9},
        "sender": {"login": "dan"}}


def event(**extra):
    return {**BASE, **extra}


@pytest.mark.parametrize("action", ["opened", "edited", "synchronize", "reopened", "ready_for_review", "closed"])
def test_pull_request_actions(action):
    got = classify("pull_request", event(action=action, number=4, pull_request={"number": 4}))
    assert got.handled and got.keys == [Key(9, "acme/plano", 4)]


@pytest.mark.parametrize("action", ["labeled", "assigned", "review_requested", None])
def test_pull_request_actions_it_needs_not(action):
    assert not classify("pull_request", event(action=action, pull_request={"number": 4})).handled


@pytest.mark.parametrize("action, handled", [("submitted", True), ("edited", True), ("dismissed", True),
                                             ("deleted", False)])
def test_reviews(action, handled):
    got = classify("pull_request_review", event(action=action, pull_request={"number": 4}, review={"id": 1}))
    assert got.handled is handled and got.keys == ([Key(9, "acme/plano", 4)] if handled else [])


def test_comments_only_on_pull_requests_and_never_the_apps_own():
    on_pr = event(action="created", issue={"number": 4, "pull_request": {}}, comment={"body": "/pep help"})
    assert classify("issue_comment", on_pr).keys == [Key(9, "acme/plano", 4)]
    assert not classify("issue_comment", {**on_pr, "action": "deleted"}).handled
    assert not classify("issue_comment", event(action="created", issue={"number": 4}, comment={})).handled
    own = {**on_pr, "sender": {"login": "PEPCTL[bot]"}}
    assert not classify("issue_comment", own, bot_login="pepctl[bot]").handled
    via = {**on_pr, "comment": {"performed_via_github_app": {"id": 77}}}
    assert not classify("issue_comment", via, app_id=77).handled
    assert classify("issue_comment", via, app_id=78).handled


def test_check_runs_rerequested_of_this_app_only():
    run = {"app": {"id": 77}, "pull_requests": [{"number": 4}, {"number": 5}]}
    assert classify("check_run", event(action="rerequested", check_run=run), app_id=77).keys == [
        Key(9, "acme/plano", 4), Key(9, "acme/plano", 5)]
    assert not classify("check_run", event(action="rerequested", check_run=run), app_id=78).handled
    assert not classify("check_run", event(action="completed", check_run=run), app_id=77).handled


def test_pushes_to_the_default_branch_that_change_the_configuration():
    def push(ref, *paths):
        return event(ref=ref, commits=[{"added": [], "removed": [], "modified": list(paths)}])

    assert classify("push", push("refs/heads/main", "pepctl.toml")).keys == [Key(9, "acme/plano", REPO)]
    assert classify("push", push("refs/heads/main", "pyproject.toml")).handled
    # a Markdown file: is the index still right?
    assert classify("push", push("refs/heads/main", "docs/x.md", "sub/pepctl.toml")).keys == [
        Key(9, "acme/plano", INDEX)]
    assert not classify("push", push("refs/heads/main", "src/x.py", "sub/pepctl.toml")).handled
    assert not classify("push", push("refs/heads/feature", "pepctl.toml")).handled
    everything = classify("push", event(ref="refs/heads/main", commits=[]))  # cannot tell: both
    assert everything.keys == [Key(9, "acme/plano", REPO), Key(9, "acme/plano", INDEX)]


def test_issues_the_app_opened():
    issue = {"number": 12, "user": {"login": "pepctl[bot]"}}
    assert classify("issues", event(action="closed", issue=issue), bot_login="pepctl[bot]").keys == [
        Key(9, "acme/plano", 12)]
    assert not classify("issues", event(action="closed", issue={**issue, "user": {"login": "dan"}}),
                        bot_login="pepctl[bot]").handled
    assert not classify("issues", event(action="labeled", issue=issue)).handled


def test_installations():
    got = classify("installation", {"action": "created", "installation": {"id": 9, "account": {"login": "acme"}},
                                    "repositories": [{"full_name": "acme/a"}, {"full_name": "acme/b"}]})
    assert got.keys == [Key(9, "acme/a", REPO), Key(9, "acme/b", REPO)]
    assert got.installation.account == "acme" and not got.installation.deleted
    gone = classify("installation", {"action": "deleted", "installation": {"id": 9}})
    assert gone.handled and gone.installation.deleted and gone.keys == []
    added = classify("installation_repositories", {"action": "added", "installation": {"id": 9},
                                                   "repositories_added": [{"full_name": "acme/c"}],
                                                   "repositories_removed": [{"full_name": "acme/a"}]})
    assert added.keys == [Key(9, "acme/c", REPO)] and added.installation.removed == ["acme/a"]


@pytest.mark.parametrize("name, payload", [
    ("pull_request", {"action": "opened"}),
    ("pull_request", {"action": "opened", "installation": {"id": "9"}, "repository": {"full_name": "a/b"},
                      "pull_request": {"number": 1}}),
    ("pull_request", {**BASE, "action": "opened", "pull_request": {"number": True}}),
    ("pull_request", {**BASE, "action": "opened", "pull_request": []}),
    ("installation", {"action": "created"}),
    ("issue_comment", {**BASE, "action": "created", "issue": "nope"}),
    ("star", BASE),
])
def test_odd_payloads_are_ignored_not_errors(name, payload):
    assert classify(name, payload).handled is False
