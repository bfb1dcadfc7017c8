"""A faster driver for Pygments' regular-expression lexers, with identical output.

Pygments' ``RegexLexer`` tries the rules of the current state one by one at
every position: about a dozen ``pattern.match`` calls, each a Python-level
call, for every token. Most of a site build's time went there (the Swift and
Rust code blocks of a large PEP folder hold several megabytes of code).

This driver joins each run of a state's rules into one alternation
``(rule1)|(rule2)|...``. Python's ``re`` tries the alternatives in order and
takes the first that matches, which is exactly the rule order the lexer
uses, so one C-level match finds the winning rule; ``lastindex`` says which
one it was. Rules that cannot share a pattern (back-references, named groups,
inline global flags, verbose mode, other flags) stay single and are tried in
their place, so the order of rules is always kept. Rules whose action is a
callback are matched once more on their own, so callbacks see the group
numbers they expect.

Only lexer instances passed to ``accelerate`` take this path; any other
lexer in the process runs Pygments' own code. The driver is installed by
wrapping ``RegexLexer.get_tokens_unprocessed`` once, because some lexers
(Swift among them) call that method by its class name from their own
override. ``tests/site/test_site_highlight.py`` checks that both drivers
yield the same tokens.

Pygments compiles every rule of a lexer class when the class is first used,
and that is left as it is: compiling each rule on its first match instead
saves compile time but costs more in matching, through a Python-level call
per rule tried (highlighting a large PEP folder took 7% longer). A site build
gives each rarely used language to one process, so each lexer is set up once.
"""

from __future__ import annotations

import re

from pygments.lexer import ExtendedRegexLexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

# Patterns that cannot be placed inside a larger alternation unchanged.
UNSAFE = re.compile(r"\\[1-9]|\(\?P[=<]|\(\?\(|\(\?[aiLmsux]+\)")

_ORIGINAL = RegexLexer.get_tokens_unprocessed


def _rule_source(rexmatch) -> tuple[str, int] | None:
    """(pattern source, flags) of a rule's matcher, or None when it is no plain pattern."""
    pattern = getattr(rexmatch, "__self__", None)
    if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
        return pattern.pattern, pattern.flags & ~re.UNICODE
    return None


_COMPILED: dict[int, tuple] = {}  # id(tokendefs) -> (tokendefs, StateCombos)


def _segments(rules: list) -> list:
    """A state's rules as segments: (combined_match, {group: rule}) or (None, rule)."""
    segments: list = []
    run: list = []  # (rule, source, flags)

    def close() -> None:
        if not run:
            return
        if len(run) == 1:
            segments.append((None, run[0][0]))
        else:
            # each rule in a named group: after compiling, groupindex says where each one is
            parts = [f"(?P<_{n}>{source})" for n, (_, source, _) in enumerate(run)]
            try:
                combined = re.compile("|".join(parts), run[0][2])
                table = {combined.groupindex[f"_{n}"]: rule for n, (rule, _, _) in enumerate(run)}
                segments.append((combined.match, table))
            except (re.error, RecursionError, OverflowError):
                segments.extend((None, rule) for rule, _, _ in run)
        run.clear()

    for rule in rules:
        found = _rule_source(rule[0])
        if found is None or found[1] & re.VERBOSE or UNSAFE.search(found[0]):
            close()
            segments.append((None, rule))
            continue
        source, flags = found
        if run and not source:  # an empty pattern (Pygments' default()) matches alike under any flags
            flags = run[0][2]
        if run and flags != run[0][2]:
            close()
        run.append((rule, source, flags))
    close()
    return segments


class StateCombos(dict):
    """state -> (segments, single), each state's combined patterns compiled when it is first entered.

    `single` is the one segment of a state whose rules all combine into one
    pattern (most states), else None. Compiling a combined pattern costs about
    as much as lexing a few kilobytes, so states a text never enters are never
    compiled.
    """

    __slots__ = ("tokendefs",)

    def __init__(self, tokendefs: dict):
        super().__init__()
        self.tokendefs = tokendefs

    def __missing__(self, state):
        segments = _segments(self.tokendefs[state])
        single = segments[0] if len(segments) == 1 and segments[0][0] is not None else None
        self[state] = found = (segments, single)
        return found


def _compiled(tokendefs: dict) -> StateCombos:
    entry = _COMPILED.get(id(tokendefs))
    if entry is None or entry[0] is not tokendefs:
        entry = _COMPILED[id(tokendefs)] = (tokendefs, StateCombos(tokendefs))
    return entry[1]


def _fast_tokens(self, text, stack=("root",)):
    """RegexLexer.get_tokens_unprocessed, with one combined match per run of rules."""
    pos = 0
    combos = self._pepctl_fast
    statestack = list(stack)
    segments, single = combos[statestack[-1]]
    token_type = _TokenType
    while True:
        hit = False
        new_state = None
        table = None  # {group: rule} of the combined pattern that matched (as `m`)
        if single is not None:  # the state is one combined pattern (most are)
            m = single[0](text, pos)
            if m is not None:
                table = single[1]
        else:
            for cmatch, rule in segments:
                if cmatch is not None:
                    m = cmatch(text, pos)
                    if m is not None:
                        table = rule
                        break
                    continue
                rexmatch, action, new_state = rule  # a rule on its own
                m = rexmatch(text, pos)
                if m:
                    if action is not None:
                        if type(action) is token_type:
                            yield pos, action, m.group()
                        else:
                            yield from action(self, m)
                    pos = m.end()
                    hit = True
                    break
        if table is not None:  # the group that matched says which rule it was
            group = m.lastindex
            rexmatch, action, new_state = table[group]
            if type(action) is token_type:
                end = m.end(group)
                yield pos, action, text[pos:end]
                pos = end
            elif action is None:
                pos = m.end(group)
            else:  # a callback: it gets the match of the rule alone, with the groups it expects
                m = rexmatch(text, pos)
                yield from action(self, m)
                pos = m.end()
            hit = True
        if hit:
            if new_state is not None:
                if isinstance(new_state, tuple):
                    for state in new_state:
                        if state == "#pop":
                            if len(statestack) > 1:
                                statestack.pop()
                        elif state == "#push":
                            statestack.append(statestack[-1])
                        else:
                            statestack.append(state)
                elif isinstance(new_state, int):
                    if abs(new_state) >= len(statestack):
                        del statestack[1:]
                    else:
                        del statestack[new_state:]
                elif new_state == "#push":
                    statestack.append(statestack[-1])
                else:
                    raise AssertionError(f"wrong state def: {new_state!r}")
                segments, single = combos[statestack[-1]]
            continue
        if pos >= len(text):
            break
        if text[pos] == "\n":
            statestack = ["root"]
            segments, single = combos["root"]
            yield pos, Whitespace, "\n"
            pos += 1
            continue
        yield pos, Error, text[pos]
        pos += 1


def _dispatch(self, text, stack=("root",)):
    if "_pepctl_fast" in self.__dict__:
        return _fast_tokens(self, text, stack)
    return _ORIGINAL(self, text, stack)


def accelerate(lexer):
    """Let `lexer` (an instance) use the combined-match driver; returns it."""
    if isinstance(lexer, RegexLexer) and not isinstance(lexer, ExtendedRegexLexer):
        if RegexLexer.get_tokens_unprocessed is not _dispatch:
            RegexLexer.get_tokens_unprocessed = _dispatch
        lexer._pepctl_fast = _compiled(lexer._tokens)
    return lexer
