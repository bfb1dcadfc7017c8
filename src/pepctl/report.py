"""Diagnostics -> text, JSON, SARIF 2.1.0 or GitHub workflow annotations."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")


def render(diagnostics, fmt: str) -> str:
    return {"text": as_text, "json": as_json, "sarif": as_sarif, "github": as_github}[fmt](diagnostics)


def as_text(diagnostics) -> str:
    return "".join(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n" for d in diagnostics)


def as_json(diagnostics) -> str:
    import json

    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def as_sarif(diagnostics) -> str:
    raise NotImplementedError


def as_github(diagnostics) -> str:
    raise NotImplementedError
