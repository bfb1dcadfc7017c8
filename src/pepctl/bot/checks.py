"""The verdict as a check run (the App's way; the Action sets a commit status instead).

The gate's plan is sent as planned, less its commit status; the check run takes the status's
place, under the same name (``pep/process`` by default), so a required check of that name is
met by either. It is written only when it changes: the App's newest check run of that name on
the head commit is read first and edited, or left alone when it already says the same.
"""

from __future__ import annotations

from pepctl.github.client import with_query
from pepctl.github.publish import apply, description

CONCLUSIONS = {"success": "success", "failure": "failure", "neutral": "neutral"}
MAX_TEXT = 60000  # GitHub allows 65535 characters in a check run's summary


def output_of(verdict, summary_url: str | None) -> dict:
    title = description(verdict)
    lines = [title, ""]
    for reason in verdict.reasons:
        where = f" ({reason.path}:{reason.line})" if reason.path and reason.line else ""
        lines.append(f"- **{reason.code}** {reason.severity}: {reason.message}{where}")
    if summary_url:
        lines += ["", f"The whole verdict is in the [summary comment]({summary_url})."]
    return {"title": title, "summary": "\n".join(lines)[:MAX_TEXT]}


def check_run_body(name: str, head_sha: str, conclusion: str, output: dict, details_url: str | None) -> dict:
    body = {"name": name, "head_sha": head_sha, "status": "completed", "conclusion": conclusion, "output": output}
    if details_url:
        body["details_url"] = details_url
    return body


async def publish_check(gh, repo: str, head_sha: str, name: str, app_id: int, conclusion: str, output: dict,
                        details_url: str | None) -> str:
    """Create or update the App's check run ``name`` on ``head_sha``: "created", "updated" or "same"."""
    url = with_query(f"/repos/{repo}/commits/{head_sha}/check-runs", check_name=name, filter="latest")
    if app_id:
        url = with_query(url, app_id=app_id)
    listed = await gh.get(url)
    runs = [r for r in listed.get("check_runs") or [] if isinstance(r, dict) and r.get("name") == name
            and (not app_id or (r.get("app") or {}).get("id") in (None, app_id))]
    body = check_run_body(name, head_sha, conclusion, output, details_url)
    if runs:
        run = max(runs, key=lambda r: r.get("id") or 0)
        same = (run.get("status") == "completed" and run.get("conclusion") == conclusion
                and (run.get("output") or {}).get("title") == output["title"]
                and (run.get("output") or {}).get("summary") == output["summary"]
                and (not details_url or run.get("details_url") == details_url))
        if same:
            return "same"
        await gh.patch(f"/repos/{repo}/check-runs/{run['id']}", {k: v for k, v in body.items() if k != "head_sha"})
        return "updated"
    await gh.post(f"/repos/{repo}/check-runs", body)
    return "created"


async def publish(gh, gated, name: str, app_id: int) -> str:
    """Send the gate's plan with a check run in place of its commit status."""
    result = gated.plan
    result.status = None
    pull = gated.gathered.pull
    await apply(gh, result, pull.get("html_url") or "")
    verdict = gated.verdict
    conclusion = CONCLUSIONS.get(verdict.conclusion, "failure")
    return await publish_check(gh, gated.gathered.repo, pull["head"]["sha"], name, app_id, conclusion,
                               output_of(verdict, result.summary_url), result.summary_url or pull.get("html_url"))


async def publish_config_error(gh, repo: str, head_sha: str, name: str, app_id: int, message: str) -> str:
    """The repository's configuration cannot be read: say so on the pull request's check."""
    output = {"title": "pepctl cannot read this repository's configuration",
              "summary": f"{message}\n\nFix the configuration on the default branch; every open pull request "
                         "is decided again when it changes."[:MAX_TEXT]}
    return await publish_check(gh, repo, head_sha, name, app_id, "failure", output, None)
