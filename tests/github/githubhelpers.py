"""Helpers for the GitHub adapter's tests: comments as GitHub lists them, commits at a given date."""

from __future__ import annotations

import os
import subprocess


def comment(id, body, login="github-actions[bot]", kind="Bot"):
    return {"id": id, "body": body, "user": {"login": login, "type": kind}}


def git_at(root, date, *args):
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_CONFIG_GLOBAL=os.devnull,
               GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=root, env=env, check=True, capture_output=True)


def land(root, path, text, date):
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    git_at(root, date, "add", "-A")
    git_at(root, date, "commit", "-q", "-m", "change")
