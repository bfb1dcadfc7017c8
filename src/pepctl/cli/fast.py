"""`pepctl [--dir D] [--config F] check [--format F] [--select X] [--ignore X] [PATH...]`
answered without importing click, so a pre-commit run starts quickly (click's import
alone costs more than the rest of a one-file check).

The options are the ones click builds from the same tables (``pepctl.cli.options``).
Anything else — help, other commands, an option marked fast=False, a value outside
an option's choices — returns None and goes to click, which then gives the answer or
the error message.
"""

from __future__ import annotations

from pepctl.cli.options import CHECK, GLOBAL

_GLOBAL = {o.name: o for o in GLOBAL}
_CHECK = {o.name: o for o in CHECK}


def parse(args: list[str]):
    """(global options, check options, paths), or None when not a plain check."""
    glob: dict = {}
    opts: dict = {o.dest: ([] if o.multiple else (False if o.flag else o.default)) for o in CHECK if o.fast}
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
        option = (_CHECK if seen_check else _GLOBAL).get(name)
        if option is None or not option.fast:
            return None
        if option.flag:
            if eq:
                return None  # --strict=yes: click says what is wrong
            opts[option.dest] = True
            i += 1
            continue
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
            i += 1
        i += 1
        if option.choices is not None and value not in option.choices:
            return None
        target = opts if seen_check else glob
        if option.multiple:
            target[option.dest].append(value)
        else:
            target[option.dest] = value
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
    return run_check(app, paths, opts["fmt"], split_codes(opts["select"]), split_codes(opts["ignore"]),
                     strict=opts["strict"], statistics=opts["statistics"], quiet=opts["quiet"])
