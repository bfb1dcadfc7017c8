"""Every workflow in docs/github.md that runs the gate queues its runs per pull request.

Two gate runs on one pull request at once may each create a summary comment (the
next run merges them, but until then one shows a stale verdict); a `concurrency:`
group keyed by the pull request number makes them wait for each other instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml  # in the test extra: a skip here would hide the docs' workflows from the test

DOC = Path(__file__).resolve().parents[2] / "docs" / "github.md"


def workflows() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    return [w for w in (yaml.safe_load(b) for b in blocks) if isinstance(w, dict) and "jobs" in w]


def runs_the_gate(job: dict) -> bool:
    for step in job.get("steps") or []:
        uses = step.get("uses") or ""
        if re.search(r"/pepctl@", uses) and (step.get("with") or {}).get("command", "gate") == "gate":
            return True
    return False


def test_every_gate_workflow_has_a_per_pull_request_concurrency_group():
    gating = [(w, job) for w in workflows() for job in w["jobs"].values() if runs_the_gate(job)]
    assert len(gating) >= 2  # the gate and the relay's workflow_run after a review
    for workflow, job in gating:
        concurrency = job.get("concurrency") or workflow.get("concurrency")
        assert isinstance(concurrency, dict), f"{workflow['name']}: no concurrency group"
        group = concurrency["group"]
        assert group.startswith("pep-gate-${{") and "number" in group, (workflow["name"], group)
        assert concurrency.get("cancel-in-progress") is False  # queue, never drop a run
