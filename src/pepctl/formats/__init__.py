"""Header formats: where a proposal keeps its fields, and how one is read and edited.

A header format is one module with one object that knows one syntax — Plano's
``| **Field** | value |`` table (``plano``) is the first. Nothing else in
pepctl knows any header syntax: the Document asks its format for the Header,
and for the bytes of an edit.

A format object has:

- ``name``: how the config names it;
- ``read(document) -> Header``: the fields with their spans, the block they
  stand in, and what was malformed;
- ``set_value(document, field, value) -> Edit``: the one replacement that
  gives `field` the new value, every other byte kept;
- ``insert(document, name, value, after) -> Edit``: a new field after
  another one (None: at the end; FIRST: before the first);
- ``field_in_line(line) -> (name, value) | None``: the field a single line
  holds, for reading diffs where no whole document is at hand;
- ``example(name, value) -> str``: a field as the format writes it, for
  messages that tell the author what to add;
- ``noun``, ``item`` and ``form``: what messages call the header and one
  field of it, and its shape in one line ("header table", "row",
  "| Field | Value |");
- ``missing_advice``: how to add a header to a file that has none.

Formats other than Plano's are dialects: proposal processes that already exist (Python's
PEPs, EIPs, Swift Evolution, Rust RFCs, KEPs, MADR), read where they live. Each is one
module here whose object also has the hooks of ``formats.common.Dialect`` (which files are
proposals, numbers and titles, the status vocabulary and its lifecycle mapping, config
defaults, the generic rules that apply). Their modules are imported on first use, so a
Plano run imports none of them. ``detect`` picks the format of a folder from its file names
and contents; the ``format`` key of the config overrides it; ``configure`` gives the config
a run uses: the format resolved, and the format's defaults where the config file is silent.
"""

from __future__ import annotations

from pepctl.formats.base import FIRST, Edit, Field, Header, Problem
from pepctl.formats.plano import PLANO

FORMATS = {PLANO.name: PLANO}
DEFAULT = PLANO
# the dialects, by name: module and object, imported on first use
DIALECTS = {
    "python-pep": ("pepctl.formats.python_pep", "PYTHON_PEP"),
    "eip": ("pepctl.formats.eip", "EIP"),
    "swift": ("pepctl.formats.swift", "SWIFT"),
    "swift-testing": ("pepctl.formats.swift", "SWIFT_TESTING"),
    "rust-rfc": ("pepctl.formats.rust_rfc", "RUST_RFC"),
    "kep": ("pepctl.formats.kep", "KEP"),
    "madr": ("pepctl.formats.madr", "MADR"),
}
NAMES = ("plano", *DIALECTS)


def get(name: str):
    """The header format the config names (KeyError with the known names otherwise)."""
    found = FORMATS.get(name or "plano")
    if found is not None:
        return found
    if name not in DIALECTS:
        raise KeyError(f"no header format {name!r}; known: {', '.join(NAMES)}")
    import importlib

    module, attr = DIALECTS[name]
    found = FORMATS[name] = getattr(importlib.import_module(module), attr)
    return found


def of(config):
    """The header format a (configured) Config names; Plano when it names none."""
    return get(getattr(config, "format", "") or "plano")


def detect(folder: str) -> str:
    """The format of the proposals in a folder, from file names first and contents when names
    say too little; 'plano' when nothing else fits."""
    from pepctl.formats.detection import detect as _detect

    return _detect(folder)


def configure(config, folder: str | None):
    """The config a run over `folder` uses: `format` resolved (the config's, else detected),
    and, for a dialect, its defaults for every option the config file leaves at Plano's default."""
    from pepctl.errors import UsageError

    name = getattr(config, "format", "") or ""
    if name and name not in NAMES:
        where = f"{config.source}: " if config.source else ""
        raise UsageError(f"{where}'format' is {name!r}; accepted values: {', '.join(NAMES)}")
    resolved = getattr(config, "format_resolved", False)
    if resolved:
        return config
    if not name:
        name = detect(folder) if folder else "plano"
    import copy

    out = copy.copy(config)
    out.format = "" if name == "plano" and not config.format else name  # Plano, the default, is written as ""
    out.format_resolved = True
    if name != "plano":
        from pepctl.config import BY_KEY, copy_value

        for key, value in get(name).defaults.items():
            option = BY_KEY.get(key)
            if option is not None and getattr(config, option.attr) == option.default:
                setattr(out, option.attr, copy_value(value))
    return out


__all__ = ["DEFAULT", "DIALECTS", "FIRST", "FORMATS", "NAMES", "PLANO", "Edit", "Field", "Header", "Problem",
           "configure", "detect", "get", "of"]
