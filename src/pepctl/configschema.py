"""The JSON Schema of pepctl's configuration (`pepctl config --schema`), made from config.OPTIONS."""

from __future__ import annotations

from pepctl.config import OPTIONS, WEB_ADDRESS_RE


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of the [tool.pepctl] table / pepctl.toml."""
    properties = {}
    for option in OPTIONS:
        prop: dict = {"description": option.help, "default": option.default}
        if option.kind == "string":
            prop["type"] = "string"
            if option.choices:
                prop["enum"] = list(option.choices)
        elif option.kind == "web-address":
            prop.update(type="string", pattern=f"^$|^{WEB_ADDRESS_RE}$")
        elif option.kind == "integer":
            prop["type"] = "integer"
            if option.minimum is not None:
                prop["minimum"] = option.minimum
        elif option.kind == "boolean":
            prop["type"] = "boolean"
        elif option.kind == "strings":
            prop.update(type="array", items={"type": "string"})
            if option.nonempty:
                prop["minItems"] = 1
        elif option.kind == "table-of-strings":
            prop.update(type="object", additionalProperties={"type": "array", "items": {"type": "string"}})
        elif option.kind == "table-of-string":
            value_schema = {"type": "string"}
            if option.choices:
                value_schema["enum"] = list(option.choices)
            prop.update(type="object", additionalProperties=value_schema)
        properties[option.key] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pepctl.dev/schema/config.json",
        "title": "pepctl configuration",
        "description": "Keys of pepctl.toml, or of [tool.pepctl] in pyproject.toml. Defaults follow PEP-0000.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
