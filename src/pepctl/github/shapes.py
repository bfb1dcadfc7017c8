"""What GitHub's answers must look like, and saying in words how one does not.

A shape is: a type (``dict``, ``list``, ``str``, ``int``), a tuple of types (any of them),
``[item_shape]`` (a JSON list of such items), or ``{"key": shape}`` (a JSON object that has
at least these keys, each of that shape). None accepts anything.
"""

from __future__ import annotations

OBJECT: dict = {}  # any JSON object
LIST_OF_OBJECTS: list = [OBJECT]


def _kind(value) -> str:
    """What a decoded answer is, in words, with a short excerpt of text."""
    if value is None:
        return "an empty body"
    if isinstance(value, bool):
        return "a JSON boolean"
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list):
        return "a JSON list"
    if isinstance(value, (int, float)):
        return "a JSON number"
    if isinstance(value, str):
        excerpt = " ".join(value.split())
        if len(excerpt) > 40:
            excerpt = excerpt[:39] + "…"
        return f"text {excerpt!r}"
    return type(value).__name__


def _wanted(shape) -> str:
    if shape is None:
        return "anything"
    if isinstance(shape, list):
        item = dict if isinstance(shape[0], dict) else shape[0]
        return "a JSON list of " + {dict: "objects", str: "strings", int: "numbers"}.get(item, "items")
    if isinstance(shape, dict) or shape is dict:
        return "a JSON object"
    if isinstance(shape, tuple):
        return " or ".join(_wanted(s) for s in shape)
    return {list: "a JSON list", str: "a string", int: "a number"}.get(shape, getattr(shape, "__name__", str(shape)))


def shape_problem(value, shape, at: str = "") -> str | None:
    """None when ``value`` has ``shape``, else what is wrong, in words (``at``: a jq-like path)."""
    where = f" at {at}" if at else ""
    if shape is None:
        return None
    if isinstance(shape, tuple):
        if any(shape_problem(value, s) is None for s in shape):
            return None
        return f"expected {_wanted(shape)}{where}, got {_kind(value)}"
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"expected {_wanted(shape)}{where}, got {_kind(value)}"
        for index, item in enumerate(value):
            if not at and isinstance(shape[0], dict) and not isinstance(item, dict):
                return f"expected {_wanted(shape)}, got a list holding {_kind(item)}"
            problem = shape_problem(item, shape[0], f"{at}[{index}]" if at else f".[{index}]")
            if problem:
                return problem
        return None
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return f"expected a JSON object{where}, got {_kind(value)}"
        for key, sub in shape.items():
            if key not in value:
                return f"no {key!r} in the object{where}"
            problem = shape_problem(value[key], sub, f"{at}.{key}")
            if problem:
                return problem
        return None
    if (shape is int and isinstance(value, bool)) or not isinstance(value, shape):
        return f"expected {_wanted(shape)}{where}, got {_kind(value)}"
    return None
