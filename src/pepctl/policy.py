"""The process as data: lifecycle graph and what each status requires."""

from __future__ import annotations

from pepctl.config import DECIDER_DEFAULTS, Config
from pepctl.keys import login_key, text_key


class Policy:
    """Questions about the lifecycle, answered from a Config."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        c = self.config
        self.states: list[str] = list(c.states)
        self._canonical = {s.casefold(): s for s in self.states}
        self.final_states = {self.canonical(s) for s in c.final_states}
        self.initial_states = [self.canonical(s) for s in c.initial_states]
        self.transitions: dict[str, list[str]] = {
            self.canonical(state): [self.canonical(t) for t in targets] for state, targets in c.transitions.items()
        }
        self.maintainers = {login_key(m) for m in c.maintainers}
        self.project_lead = login_key(c.project_lead)
        self._rationale_keys = {text_key(t) for t in c.rationale_sections}
        self.deciders: dict[str, str] = {}  # canonical status -> "authors" | "maintainers" (absent: anyone)
        for state, who in {**DECIDER_DEFAULTS, **c.deciders}.items():  # states left out keep PEP-0000's
            canonical = self.canonical(state)
            if canonical is not None and who != "anyone":
                self.deciders[canonical] = who
            elif canonical is not None:
                self.deciders.pop(canonical, None)

    def canonical(self, status: str) -> str | None:
        """The configured spelling of a status, or None when it is not a known status."""
        return self._canonical.get(text_key(status))

    def order(self, status: str) -> int:
        canonical = self.canonical(status)
        return self.states.index(canonical) if canonical else len(self.states)

    def is_final(self, status: str) -> bool:
        return self.canonical(status) in self.final_states

    def next_states(self, status: str) -> list[str]:
        canonical = self.canonical(status) or ""
        return [] if canonical in self.final_states else self.transitions.get(canonical, [])

    def can_transition(self, old: str, new: str) -> bool:
        old_c, new_c = self.canonical(old), self.canonical(new)
        if old_c is None or new_c is None:
            return False
        if old_c == new_c:
            return True
        return old_c not in self.final_states and new_c in self.transitions.get(old_c, [])

    def is_maintainer(self, handle: str | None) -> bool:
        """A configured maintainer, or the project lead, listed under `maintainers` or not (PEP-0000
        has the lead decide among the maintainers, and review like one)."""
        return bool(handle) and (login_key(handle) in self.maintainers or self.is_lead(handle))

    @property
    def has_maintainers(self) -> bool:
        """Whether anyone counts as a maintainer (some are configured, or a project lead)."""
        return bool(self.maintainers or self.project_lead)

    def is_lead(self, handle: str | None) -> bool:
        return bool(handle) and bool(self.project_lead) and login_key(handle) == self.project_lead

    def _in(self, status: str, key: str) -> bool:
        canonical = self.canonical(status)
        return canonical is not None and canonical.casefold() in {s.casefold() for s in getattr(self.config, key)}

    def needs_sponsor(self, status: str) -> bool:
        return bool(self.maintainers) and self._in(status, "sponsor_states")

    def needs_rationale(self, status: str) -> bool:
        return self._in(status, "rationale_states")

    def records_reason(self, status: str) -> bool:
        """Whether `pepctl status --reason` records the reason for this status (reason-states,
        and every status that needs a rationale)."""
        return self.needs_rationale(status) or self._in(status, "reason_states")

    def can_be_superseded(self, status: str | None) -> bool:
        """Whether a PEP in this status can be superseded: only a decided design is in force, so
        only one in amendment-states (Accepted, Implementing, Complete by default); PEP-0000 has a
        new PEP supersede an accepted one whose design changes significantly."""
        return self.is_amendable(status)

    def rationale(self, document) -> tuple:
        """(heading, has_text) of the PEP's recorded rationale: the first rationale section
        (rationale-sections, the first heading of each name) with text, else the first empty
        one, else (None, False)."""
        firsts = {}
        for heading in document.headings:
            if heading.key in self._rationale_keys and heading.key not in firsts:
                firsts[heading.key] = heading
        found = sorted(firsts.values(), key=lambda h: h.offset)
        for heading in found:
            if document.section_text(heading).strip():
                return heading, True
        return (found[0], False) if found else (None, False)

    def decider(self, status: str | None) -> str:
        """Who decides that a PEP enters this status (`deciders`): "authors", "maintainers" or "anyone"."""
        return self.deciders.get(self.canonical(status or "") or "", "anyone")

    def decided_by(self, who: str) -> set[str]:
        """The statuses that `who` ("authors", "maintainers") decides a PEP enters."""
        return {state for state, decider in self.deciders.items() if decider == who}

    def is_amendable(self, status: str | None) -> bool:
        """Whether a PEP's text in this status is decided: changing it is an amendment (`amendment-states`)."""
        return bool(status) and self._in(status, "amendment_states")

    def is_record(self, status: str | None) -> bool:
        """Whether a PEP's text in this status is the record: only typo fixes (`record-states`)."""
        return bool(status) and self._in(status, "record_states")

    def needs_resolved_questions(self, status: str) -> bool:
        return self._in(status, "open_questions_states")

    def fields_for(self, status: str) -> list[str]:
        """Fields that must be filled in for a PEP in this status (beyond required-fields)."""
        canonical = self.canonical(status)
        for state, fields in self.config.state_fields.items():
            if canonical is not None and state.casefold() == canonical.casefold():
                return list(fields)
        return []
