"""Find and read pepctl's configuration; with no file, PEP-0000's rules apply.

Configuration lives in ``pepctl.toml`` (top level) or in ``pyproject.toml``
under ``[tool.pepctl]``, found from the current folder upward. Every key is
declared once in ``OPTIONS``; validation, defaults, ``pepctl config`` and the
JSON Schema all come from that one table.
"""

from __future__ import annotations

import os
import re

from pepctl.errors import UsageError
from pepctl.fsutil import upward

STATES = ["Draft", "Under Review", "Accepted", "Declined", "Deferred", "Withdrawn", "Implementing", "Complete", "Active"]

TRANSITIONS = {
    "Draft": ["Under Review", "Withdrawn"],
    "Under Review": ["Accepted", "Declined", "Deferred", "Withdrawn", "Draft"],
    "Accepted": ["Implementing"],
    "Implementing": ["Complete"],
    "Deferred": ["Under Review", "Draft"],
    "Declined": [],
    "Withdrawn": [],
    "Complete": [],
    "Active": [],
}

SECTIONS = [
    "Summary",
    "Motivation",
    "Design",
    "Alternatives Considered",
    "Compatibility",
    "Observability",
    "Security Considerations",
    "Test Plan",
    "Implementation Plan",
    "References",
]

SEVERITIES = ("error", "warning", "off")

# Who decides that a PEP enters a status (PEP-0000, States): the PEP's authors, the maintainers
# (their approval quorum, or the project lead's final call), or anyone (no one in particular).
DECIDERS = ("anyone", "authors", "maintainers")
DECIDER_DEFAULTS = {
    "Accepted": "maintainers",  # "Maintainers have approved the design."
    "Declined": "maintainers",  # "Maintainers have decided not to pursue this proposal."
    "Deferred": "maintainers",  # "Good idea, but not the right time": the maintainers' call, as Declined
    "Withdrawn": "authors",  # "Author has decided not to pursue this proposal."
}


class ConfigError(UsageError):
    """The configuration cannot be used; the message says which key and why."""


class Option:
    __slots__ = ("key", "kind", "default", "help", "choices", "minimum", "nonempty")

    def __init__(self, key, kind, default, help, choices=None, minimum=None, nonempty=False):
        self.key = key
        self.kind = kind  # "string", "web-address", "integer", "boolean", "strings", "table-of-strings", "table-of-string"
        self.default = default
        self.help = help
        self.choices = choices
        self.minimum = minimum
        self.nonempty = nonempty  # a list that must hold at least one item

    @property
    def attr(self) -> str:
        return self.key.replace("-", "_")


OPTIONS = [
    Option("pep-dir", "string", "", "Folder holding the PEP files, relative to the config file. Empty: docs/peps under the git root, or the current folder when it holds PEP-*.md files."),
    Option("template", "string", "PEP-TEMPLATE.md", "Template authors copy, relative to the PEP folder. Not checked as a PEP."),
    Option("index-file", "string", "", "File whose '## Index' table lists every PEP, relative to the PEP folder. Empty: the PEP numbered 0."),
    Option("exclude", "strings", [], "Glob patterns (file names in the PEP folder) that are not PEPs."),
    Option("format", "string", "", "Format of the proposal files: plano, python-pep, eip, swift, swift-testing, rust-rfc, kep or madr (docs/formats.md). Empty: detected from the folder's file names and contents."),
    Option("maintainers", "strings", [], "GitHub handles of the maintainers (without @)."),
    Option("project-lead", "string", "", "GitHub handle of the project lead, who makes the final call."),
    Option("required-approvals", "integer", 2, "Maintainer approvals needed for a maintainers' decision (see deciders): by default to accept, decline or defer a PEP.", minimum=1),
    Option("approval-scope", "string", "status", "What an approval covers: 'status' (it counts only if the PEP had its head status on the commit it was given on) or 'file' (any later change to the PEP file voids it).", choices=("status", "file")),
    Option("first-feedback-days", "integer", 14, "Days within which a PEP under review should get first maintainer feedback.", minimum=1),
    Option("stale-days", "integer", 90, "Days without activity after which the bot (`pepctl bot`) nudges a draft PEP pull request, once.", minimum=1),
    Option("states", "strings", STATES, "Every status a PEP may have, in lifecycle order.", nonempty=True),
    Option("initial-states", "strings", ["Draft", "Under Review"], "Statuses a new PEP may start in.", nonempty=True),
    Option("final-states", "strings", ["Declined", "Withdrawn", "Complete"], "Statuses that cannot change again: no move out of them is allowed, and 'transitions' may not list one."),
    Option("transitions", "table-of-strings", TRANSITIONS, "Allowed status changes: state = [next states]."),
    Option("required-fields", "strings", ["PEP", "Title", "Status", "Author(s)", "Created"], "Header fields every PEP must fill in."),
    Option("state-fields", "table-of-strings", {"Implementing": ["Tracking Issue"], "Complete": ["Tracking Issue", "Target Release"]}, "Header fields required from a given status: state = [fields]."),
    Option("required-sections", "strings", SECTIONS, "Level-2 sections every PEP must have, in this order."),
    Option("draft-states", "strings", ["Draft"], "Statuses in which a PEP may still have required sections left unwritten; so may the final states these move to directly (by default Withdrawn)."),
    Option("sponsor-states", "strings", ["Under Review", "Accepted", "Declined", "Deferred", "Implementing", "Complete"], "Statuses in which a PEP with no maintainer among its authors needs a maintainer as Sponsor."),
    Option("rationale-states", "strings", ["Declined"], "Statuses that need a recorded rationale section."),
    Option("reason-states", "strings", ["Declined", "Deferred", "Withdrawn"], "Statuses for which `pepctl status --reason` records the reason in the PEP (under '## Decision'); those in rationale-states are always included, and need one."),
    Option("rationale-sections", "strings", ["Decision", "Rationale"], "Section titles that count as a recorded rationale.", nonempty=True),
    Option("open-questions-section", "string", "Open Questions", "Section that must be resolved or removed before acceptance."),
    Option("open-questions-states", "strings", ["Accepted", "Implementing", "Complete"], "Statuses in which open questions must be resolved."),
    Option("deciders", "table-of-string", DECIDER_DEFAULTS, "Who decides that a PEP enters a status: state = \"authors\" (the pull request comes from one of the PEP's authors, or one approves it), \"maintainers\" (required-approvals maintainers approve, or the project lead's final call) or \"anyone\". States left out keep the default; the others are \"anyone\".", choices=DECIDERS),
    Option("sequential-numbers", "boolean", True, "A new PEP takes the next number: counting up from one more than the highest on the base branch, the first no older open pull request claims (several new PEPs: the next ones). `false` allows gaps."),
    Option("amendment-states", "strings", ["Accepted", "Implementing", "Complete"], "Statuses in which a PEP's text is decided: a pull request that changes it needs a maintainer's approval (header fields other rules govern, such as Status and Tracking Issue, excepted)."),
    Option("amendment-warn-percent", "integer", 25, "Changing at least this share (percent of the lines) of a decided PEP's text is a significant change: the gate warns and suggests a new PEP that supersedes it.", minimum=1),
    Option("record-states", "strings", ["Declined", "Withdrawn"], "Statuses in which a PEP's text is the record: only typo fixes, with a maintainer's approval."),
    Option("record-typo-chars", "integer", 4, "A typo fix to a record changes at most this many characters on each line it touches, and adds or removes no line.", minimum=0),
    Option("select", "strings", [], "Only these rule codes, names or code prefixes run. Empty: all rules."),
    Option("ignore", "strings", [], "Rule codes, names or code prefixes that never run."),
    Option("severity", "table-of-string", {}, "Severity per rule code or name: error, warning or off.", choices=SEVERITIES),
    Option("per-file-ignores", "table-of-strings", {}, "Rule codes ignored in some files: glob = [codes]."),
    Option("max-file-size", "integer", 1048576, "Files larger than this many bytes are reported as suspicious.", minimum=1),
    Option("repository-url", "web-address", "", "Web address of the repository holding the PEP folder, e.g. https://github.com/owner/repo. The website links each PEP's source, edit page, commits and issues there."),
    Option("repository-branch", "string", "main", "Branch the website's source and edit links point at."),
]

BY_KEY = {option.key: option for option in OPTIONS}


class Config:
    """The effective configuration: defaults overlaid with one file's values."""

    def __init__(self, values: dict | None = None, source: str | None = None, root: str | None = None):
        self.source = source  # the file it came from, or None for defaults
        self.root = root or os.getcwd()  # folder that relative paths start from
        self.warnings: list[str] = []  # what reading the file noticed, for the command line to say
        for option in OPTIONS:
            value = (values or {}).get(option.key, option.default)
            setattr(self, option.attr, copy_value(value))

    def as_dict(self) -> dict:
        return {option.key: copy_value(getattr(self, option.attr)) for option in OPTIONS}


def copy_value(value):
    if isinstance(value, dict):
        return {k: copy_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return list(value)
    return value


# -- finding ---------------------------------------------------------------------


def find_config_file(start: str) -> tuple[str, bool] | None:
    """(path, is_pyproject) of the nearest config file from start upward."""
    for folder in upward(start):
        candidate = os.path.join(folder, "pepctl.toml")
        if os.path.isfile(candidate):
            return candidate, False
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate) and has_tool_table(candidate):
            return candidate, True
    return None


def has_tool_table(path: str) -> bool:
    """Whether a pyproject.toml configures pepctl: a `pepctl` key under `tool`, whatever its value
    (a wrong one is reported, not ignored); in a file that is not valid TOML, `tool.pepctl`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    if b"pepctl" not in data:  # most pyproject.toml files: not parsed
        return False
    import tomllib

    try:
        tool = tomllib.loads(data.decode("utf-8")).get("tool")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return b"tool.pepctl" in data  # load_config says what is wrong with it
    return isinstance(tool, dict) and "pepctl" in tool


def load_config(path: str | None = None, start: str | None = None) -> Config:
    """Load the named file, or the nearest one from start, or the defaults."""
    is_pyproject = False
    warnings = []
    if path is None:
        found = find_config_file(start or os.getcwd())
        if found is None:
            return Config()
        path, is_pyproject = found
        beside = os.path.join(os.path.dirname(path), "pyproject.toml")
        if not is_pyproject and os.path.isfile(beside) and has_tool_table(beside):
            warnings.append(f"{path} and {beside} both configure pepctl; {os.path.basename(path)} is used, "
                            "[tool.pepctl] in pyproject.toml is ignored: keep one of them")
    else:
        is_pyproject = os.path.basename(path) == "pyproject.toml"
    import tomllib  # only when there is a config file to read

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the config file: {err.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    if is_pyproject:
        tool = data.get("tool", {})
        if isinstance(tool, dict) and "pepctl" not in tool:
            warnings.append(f"{path} has no [tool.pepctl] table; pepctl's defaults (PEP-0000) are used")
        data = tool.get("pepctl", {}) if isinstance(tool, dict) else tool
        if not isinstance(data, dict):
            what = "'pepctl' under [tool]" if isinstance(tool, dict) else "'tool'"
            raise ConfigError(f"{path}: [tool.pepctl] must be a table, but {what} is {data!r}; write pepctl's keys "
                              "under a [tool.pepctl] heading, one per line (e.g. required-approvals = 2)")
    values = validate(data, path)
    config = Config(values, path, os.path.dirname(os.path.abspath(path)))
    config.warnings.extend(warnings + sanity(config))
    return config


def sanity(config: Config) -> list[str]:
    """Settings that are valid one by one but make no sense together: what to fix, for a warning."""
    from pepctl.keys import login_key, text_key
    from pepctl.model import LOGIN_RE

    where = config.source or "the configuration"
    found = []
    seen: dict[str, str] = {}
    for state in config.states:
        if text_key(state) in seen:
            found.append(f"{where}: 'states' lists {seen[text_key(state)]!r} and {state!r}, one state written twice; "
                         "remove one")
        seen.setdefault(text_key(state), state)
    lead = config.project_lead.strip()
    if lead and not LOGIN_RE.fullmatch(lead.lstrip("@")):
        found.append(f"{where}: 'project-lead' is {lead!r}, which is no GitHub login, so no review or comment can "
                     "ever be the lead's; write their handle, e.g. project-lead = \"octocat\"")
    people = {login_key(m) for m in config.maintainers if m.strip()} | ({login_key(lead)} if lead else set())
    if config.maintainers and len(people) < config.required_approvals:
        found.append(f"{where}: 'required-approvals' is {config.required_approvals} but only {len(people)} "
                     f"maintainer{'s' if len(people) != 1 else ''} (the project lead included) can approve, so no PEP "
                     "can be accepted without the lead's final call; lower it or list more maintainers")
    return found


# -- validation ------------------------------------------------------------------


def describe(option: Option) -> str:
    return {
        "string": "a string",
        "web-address": "empty or an http(s) address like https://github.com/owner/repo (no ? or #)",
        "integer": "an integer" + (f" >= {option.minimum}" if option.minimum is not None else ""),
        "boolean": "true or false",
        "strings": "a non-empty list of strings" if option.nonempty else "a list of strings",
        "table-of-strings": "a table whose values are lists of strings",
        "table-of-string": "a table whose values are strings",
    }[option.kind]


# What links are built on: http(s) in any case, a host, a path; no query, no fragment, no quote or angle bracket.
WEB_ADDRESS_RE = r"[hH][tT][tT][pP][sS]?://[^\s/?#@\"'<>\\]+(?:/[^\s?#\"'<>\\]*)?"


def is_web_address(text: str) -> bool:
    """An http or https address with a host, and no query or fragment (paths are added to it)."""
    return re.fullmatch(WEB_ADDRESS_RE, text) is not None


def check_type(option: Option, value, where: str) -> None:
    def fail(extra=""):
        raise ConfigError(f"{where}: '{option.key}' must be {describe(option)}{extra}, got {value!r}")

    kind = option.kind
    if kind == "string":
        if not isinstance(value, str):
            fail()
        if option.choices and value not in option.choices:
            raise ConfigError(f"{where}: '{option.key}' is {value!r}; accepted values: {', '.join(option.choices)}")
    elif kind == "web-address":
        if not isinstance(value, str) or (value and not is_web_address(value)):
            fail()
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            fail()
        if option.minimum is not None and value < option.minimum:
            fail()
    elif kind == "boolean":
        if not isinstance(value, bool):
            fail()
    elif kind == "strings":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail()
        if option.nonempty and not any(v.strip() for v in value):
            raise ConfigError(
                f"{where}: '{option.key}' must be {describe(option)}, got {value!r}; "
                "name at least one, or remove the key to get the default"
            )
    elif kind == "table-of-strings":
        if not isinstance(value, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values()
        ):
            fail()
    elif kind == "table-of-string":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            fail()
        if option.choices:
            for key, item in value.items():
                if item not in option.choices:
                    raise ConfigError(
                        f"{where}: '{option.key}.{key}' is {item!r}; accepted values: {', '.join(option.choices)}"
                    )


def validate(data: dict, where: str) -> dict:
    """Check every key of a config table and how its values fit together."""
    values = {}
    for key, value in data.items():
        option = BY_KEY.get(key)
        if option is None:
            known = ", ".join(sorted(BY_KEY))
            raise ConfigError(f"{where}: unknown key '{key}'; accepted keys: {known}")
        check_type(option, value, where)
        values[key] = value
    states = values.get("states", STATES)
    known_states = {s.casefold() for s in states}
    for key in ("initial-states", "final-states", "draft-states", "sponsor-states", "rationale-states", "reason-states", "open-questions-states",
                "amendment-states", "record-states"):
        for state in values.get(key, []):
            if state.casefold() not in known_states:
                raise ConfigError(f"{where}: '{key}' names {state!r}, which is not in 'states' ({', '.join(states)})")
    both = {s.casefold() for s in values.get("amendment-states", [])} & {s.casefold() for s in values.get("record-states", [])}
    if both:
        state = next(s for s in values["record-states"] if s.casefold() in both)
        raise ConfigError(f"{where}: {state!r} is in both 'amendment-states' and 'record-states'; a PEP's text in a status "
                          "is either decided (amended with a maintainer's approval) or a record (typo fixes only): "
                          "remove it from one of them")
    for key in ("transitions", "state-fields", "deciders"):
        for state, targets in values.get(key, {}).items():
            if state.casefold() not in known_states:
                raise ConfigError(f"{where}: '{key}.{state}' is not a state; accepted values: {', '.join(states)}")
            if key == "transitions":
                for target in targets:
                    if target.casefold() not in known_states:
                        raise ConfigError(
                            f"{where}: 'transitions.{state}' allows {target!r}, which is not a state; "
                            f"accepted values: {', '.join(states)}"
                        )
    if "deciders" in values or "states" in values:
        # The states a project leaves out keep PEP-0000's deciders: writing one line must not
        # quietly let anyone accept a PEP.
        given = {state.casefold(): who for state, who in values.get("deciders", {}).items()}
        values["deciders"] = {
            **{s: who for s, who in DECIDER_DEFAULTS.items() if s.casefold() in known_states and s.casefold() not in given},
            **values.get("deciders", {}),
        }
    if "states" in values and "transitions" not in values:
        # keep default transitions only between states that still exist
        values["transitions"] = {
            s: [t for t in TRANSITIONS.get(s, []) if t.casefold() in known_states]
            for s in states
        }
    final = {s.casefold() for s in values.get("final-states", BY_KEY["final-states"].default)}
    for state, targets in values.get("transitions", TRANSITIONS).items():
        onward = [t for t in targets if t.casefold() != state.casefold()]
        if state.casefold() in final and onward:
            raise ConfigError(f"{where}: 'transitions.{state}' allows moving on to {', '.join(onward)}, but 'final-states' "
                              f"says {state} cannot change again; remove it from one of them")
    return values
