"""`pepctl [--dir D] [--config F] check [--format F] [--select X] [--ignore X] [PATH...]`
answered without importing click, so a pre-commit run starts instantly.

Anything this parser does not know (help, other commands, other options)
returns None and goes to the full click interface, which accepts the same
spelling; tests hold the two paths to the same output.
"""

from __future__ import annotations

GLOBAL_OPTIONS = {"--dir": "pep_dir", "--config": "config_path"}
CHECK_OPTIONS = {"--format": "fmt", "--select": "select", "--ignore": "ignore"}
FORMATS = ("text", "json", "sarif", "github")


def parse(args: list[str]):
    """(global options, check options, paths), or None when not a plain check."""
    glob: dict = {}
    opts: dict = {"fmt": "text", "select": [], "ignore": []}
    paths: list[str] = []
    i = 0
    seen_check = False
    only_paths = False
    while i < len(args):
        arg = args[i]
        if only_paths or (seen_check and not arg.startswith("-")):
            paths.append(arg)
            i += 1
            continue
        if seen_check and arg == "--":
            only_paths = True
            i += 1
            continue
        if not seen_check and arg == "check":
            seen_check = True
            i += 1
            continue
        name, eq, value = arg.partition("=")
        table = CHECK_OPTIONS if seen_check else GLOBAL_OPTIONS
        if name not in table:
            return None
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
            i += 1
        i += 1
        key = table[name]
        if key in ("select", "ignore"):
            opts[key].append(value)
        elif key == "fmt":
            if value not in FORMATS:
                return None
            opts["fmt"] = value
        else:
            glob[key] = value
    if not seen_check:
        return None
    return glob, opts, paths


def try_run(args: list[str]) -> int | None:
    parsed = parse(args)
    if parsed is None:
        return None
    glob, opts, paths = parsed
    from pepctl.cli.app import App, run_check, split_codes

    app = App(glob.get("pep_dir"), glob.get("config_path"))
    return run_check(app, paths, opts["fmt"], split_codes(opts["select"]), split_codes(opts["ignore"]))
