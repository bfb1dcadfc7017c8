"""api/peps.json: the data of every PEP (its schema is in docs/site.md)."""

from __future__ import annotations

import json

from pepctl.record import api_json as pep_json

SCHEMA_VERSION = 1


def api_json(state) -> str:
    base = state.base_url
    status_key = state.status_key
    peps = []
    for record in state.ordered:
        changes = state.timeline(record.file)
        last_status = None
        if changes:
            last = changes[-1]
            last_status = {"date": last.date, "commit": last.commit,
                           "from": status_key(last.old) if last.old is not None else None, "to": status_key(last.new)}
        status = None if record.pep.error or not record.status else status_key(record.status)
        peps.append(pep_json(record.pep, status, base + record.url, state.last_changes.get(record.file), last_status))
    from pepctl import formats

    fmt = formats.of(state.config)
    prefix = f"{fmt.label_prefix}{fmt.label_separator}" if hasattr(fmt, "label_prefix") else "PEP-"
    data = {"schema_version": SCHEMA_VERSION, "generator": "pepctl", "format": fmt.name,
            "label_prefix": prefix, "base_url": base or None, "count": len(peps), "peps": peps}
    # no indent: json's C encoder only runs without one (ten times faster on a thousand PEPs)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
