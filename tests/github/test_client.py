"""The REST client against the fake server: pagination, retries, rate limits, ETags."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("gidgethub")

from fakegithub import fake_github  # noqa: F401  (fixture)

from pepctl.github.client import Client, GitHubError, TokenMissing, with_query


def run(fake, work, token=None, **kwargs):
    """Run ``work(client)`` with a client on the fake; sleeps are recorded, not slept."""
    slept = []
    kwargs.setdefault("sleep", slept.append)

    async def main():
        async with Client(token or fake.token, fake.url, **kwargs) as gh:
            result = await work(gh)
            return result, gh.request_count

    result, count = asyncio.run(main())
    return result, count, slept


def make_pull(fake, comments=0, reviews=0):
    repo = fake.repo("acme/plano")
    base = repo.commit({"README.md": "hello\n"})
    head = repo.commit({"docs/peps/PEP-0001-x.md": "# PEP-0001: X\n"}, base)
    pull = repo.open_pull("PEP-0001: X", "alice", base, head)
    for i in range(comments):
        repo.add_comment(pull.number, "bob", f"comment {i}")
    for i in range(reviews):
        repo.add_review(pull.number, f"m{i}", "COMMENTED")
    return repo, pull


def test_get_all_follows_link_headers_100_per_page(fake_github):
    repo, pull = make_pull(fake_github, comments=250)
    items, count, _ = run(fake_github, lambda gh: gh.get_all(f"/repos/acme/plano/issues/{pull.number}/comments"))
    assert [c["body"] for c in items] == [f"comment {i}" for i in range(250)]
    assert count == 3
    pages = [r.query for r in fake_github.log]
    assert [q.get("page", "1") for q in pages] == ["1", "2", "3"]
    assert all(q["per_page"] == "100" for q in pages)


def test_single_page_is_one_request(fake_github):
    repo, pull = make_pull(fake_github, reviews=30)
    items, count, _ = run(fake_github, lambda gh: gh.get_all(f"/repos/acme/plano/pulls/{pull.number}/reviews"))
    assert len(items) == 30 and items[0]["user"]["login"] == "m0"
    assert count == 1


def test_retries_5xx_with_backoff_then_succeeds(fake_github):
    repo, pull = make_pull(fake_github)
    fake_github.fail(502, times=2)
    data, count, slept = run(fake_github, lambda gh: gh.get(f"/repos/acme/plano/pulls/{pull.number}"))
    assert data["title"] == "PEP-0001: X"
    assert count == 3
    assert slept == [0.5, 1.0]


def test_5xx_gives_up_after_bounded_attempts(fake_github):
    make_pull(fake_github)
    fake_github.fail(500, times=10)
    with pytest.raises(GitHubError) as info:
        run(fake_github, lambda gh: gh.get("/repos/acme/plano/pulls/1"), max_attempts=3)
    assert fake_github.count() == 3
    message = str(info.value)
    assert "500" in message and "gave up after 3 attempts" in message and "\n" not in message


def test_comment_creation_is_not_repeated_after_5xx(fake_github):
    make_pull(fake_github)
    fake_github.fail(502, times=1, method="POST")
    with pytest.raises(GitHubError, match="may have created it"):
        run(fake_github, lambda gh: gh.post("/repos/acme/plano/issues/1/comments", {"body": "hi"}))
    assert fake_github.count("POST") == 1


def test_status_post_is_retried_after_5xx(fake_github):
    repo, pull = make_pull(fake_github)
    fake_github.fail(503, times=1, method="POST")
    data, count, _ = run(fake_github, lambda gh: gh.post(
        f"/repos/acme/plano/statuses/{pull.head_sha}", {"state": "success", "context": "pep/process"}))
    assert data["state"] == "success" and count == 2


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_rate_limit_honours_retry_after(fake_github, status):
    make_pull(fake_github)
    fake_github.rate_limit(status=status, retry_after=7)
    data, count, slept = run(fake_github, lambda gh: gh.get("/repos/acme/plano/pulls/1"))
    assert data["number"] == 1 and count == 2
    assert slept == [7.0]


def test_primary_rate_limit_waits_until_reset(fake_github):
    make_pull(fake_github)
    fake_github.rate_limit(reset_in=20)
    data, count, slept = run(fake_github, lambda gh: gh.get("/repos/acme/plano/pulls/1"))
    assert count == 2
    assert len(slept) == 1 and 18 <= slept[0] <= 22


def test_rate_limit_longer_than_the_bound_is_not_waited_for(fake_github):
    make_pull(fake_github)
    fake_github.rate_limit(reset_in=3600)
    with pytest.raises(GitHubError) as info:
        run(fake_github, lambda gh: gh.get("/repos/acme/plano/pulls/1"), max_wait=60)
    assert "rate limit" in str(info.value).lower() and "longer than the 60 s" in str(info.value)
    assert fake_github.count() == 1


def test_plain_403_is_not_retried(fake_github):
    make_pull(fake_github)
    fake_github.fail(403, body={"message": "Resource not accessible by integration"})
    with pytest.raises(GitHubError, match="Resource not accessible by integration") as info:
        run(fake_github, lambda gh: gh.get("/repos/acme/plano/pulls/1"))
    assert info.value.status == 403 and fake_github.count() == 1


def test_conditional_request_returns_cached_data_on_304(fake_github):
    repo, pull = make_pull(fake_github, comments=3)
    cache = {}
    url = f"/repos/acme/plano/issues/{pull.number}/comments"
    first, _, _ = run(fake_github, lambda gh: gh.get_all(url), cache=cache)
    second, _, _ = run(fake_github, lambda gh: gh.get_all(url), cache=cache)
    assert first == second and len(second) == 3
    assert [r.status for r in fake_github.log] == [200, 304]
    repo.add_comment(pull.number, "carol", "new")
    third, _, _ = run(fake_github, lambda gh: gh.get_all(url), cache=cache)
    assert len(third) == 4 and fake_github.log[-1].status == 200


def test_file_cache_survives_the_process(fake_github, tmp_path):
    from pepctl.github.client import FileCache

    make_pull(fake_github)
    path = str(tmp_path / "cache.json")
    run(fake_github, lambda gh: gh.get("/repos/acme/plano/pulls/1"), cache=FileCache(path))
    data, _, _ = run(fake_github, lambda gh: gh.get("/repos/acme/plano/pulls/1"), cache=FileCache(path))
    assert data["number"] == 1
    assert [r.status for r in fake_github.log] == [200, 304]


def test_bad_token_is_one_line_error(fake_github):
    make_pull(fake_github)
    with pytest.raises(GitHubError) as info:
        run(fake_github, lambda gh: gh.get("/repos/acme/plano/pulls/1"), token="wrong")
    assert info.value.status == 401 and "Bad credentials" in str(info.value)


def test_unreachable_server_is_one_line_error():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    slept = []

    async def main():
        async with Client("t", f"http://127.0.0.1:{port}", sleep=slept.append, max_attempts=2) as gh:
            await gh.get("/repos/a/b/pulls/1")

    with pytest.raises(GitHubError, match="cannot reach"):
        asyncio.run(main())
    assert slept == [0.5]


def test_token_from_environment():
    with pytest.raises(TokenMissing, match="GITHUB_TOKEN"):
        Client.from_env({})
    client = Client.from_env({"GITHUB_TOKEN": "x", "GITHUB_API_URL": "http://h:1/api/"})
    assert client.base_url == "http://h:1/api" and client.token == "x"
    assert Client.from_env({"GITHUB_TOKEN": "x"}).base_url == "https://api.github.com"


def test_with_query_keeps_existing_parameters():
    assert with_query("/x?state=open", per_page=100) == "/x?state=open&per_page=100"


def test_a_page_of_the_wrong_shape_is_a_github_error_naming_it(fake_github):
    repo, pull = make_pull(fake_github, comments=150)
    fake_github.fail(200, 1, "GET", f"/issues/{pull.number}/comments", body=b"<html>",
                     headers={"Content-Type": "text/html"})

    def second_page_only(method, path, _seen=[]):
        _seen.append(path)
        return len(_seen) == 2

    fake_github.faults[-1].matches = second_page_only
    with pytest.raises(GitHubError) as caught:
        run(fake_github, lambda gh: gh.get_all(f"/repos/acme/plano/issues/{pull.number}/comments"))
    assert str(caught.value).startswith(
        f"GitHub API GET /repos/acme/plano/issues/{pull.number}/comments?page=2: unexpected response "
        "(expected a JSON list of objects, got text '<html>')")


def test_get_checks_the_shape_it_is_given(fake_github):
    repo, pull = make_pull(fake_github)
    fake_github.fail(200, 1, "GET", f"/pulls/{pull.number}", body=["x"])
    with pytest.raises(GitHubError, match=r"unexpected response \(expected a JSON object, got a JSON list\)"):
        run(fake_github, lambda gh: gh.get(f"/repos/acme/plano/pulls/{pull.number}"))
    data, _, _ = run(fake_github, lambda gh: gh.get(f"/repos/acme/plano/pulls/{pull.number}",
                                                    shape={"head": {"sha": str}}))
    assert data["number"] == pull.number
    fake_github.fail(200, 1, "GET", f"/pulls/{pull.number}", body={"number": 1, "head": {"sha": 5}})
    with pytest.raises(GitHubError, match=r"expected a string at \.head\.sha, got a JSON number"):
        run(fake_github, lambda gh: gh.get(f"/repos/acme/plano/pulls/{pull.number}", shape={"head": {"sha": str}}))


@pytest.mark.parametrize("url", ["not a url", "ftp://example.org", "https://", "api.github.com"])
def test_an_api_url_that_is_not_http_is_a_setup_error(url):
    from pepctl.github.client import SetupError

    with pytest.raises(SetupError, match=r"GITHUB_API_URL is not an http\(s\) URL"):
        Client.from_env({"GITHUB_TOKEN": "x", "GITHUB_API_URL": url})


def test_a_body_nested_deeper_than_json_parses_is_a_github_error(fake_github):
    repo, pull = make_pull(fake_github)
    fake_github.fail(200, 1, "GET", f"/pulls/{pull.number}", body=b"[" * 100_000 + b"]" * 100_000,
                     headers={"Content-Type": "application/json"})
    with pytest.raises(GitHubError, match="unexpected response .*not valid JSON"):
        run(fake_github, lambda gh: gh.get(f"/repos/acme/plano/pulls/{pull.number}"))
