"""One option table for click and the fast path: they cannot disagree on check's grammar."""

import pytest

from pepctl.cli import fast, options
from pepctl.cli.check import command as check_command
from pepctl.cli.group import cli


def click_options(command):
    return {p.opts[0]: p for p in command.params if p.param_type_name == "option" and p.opts[0].startswith("--")}


@pytest.mark.parametrize(("command", "table"), [(check_command, options.CHECK), (cli, options.GLOBAL)])
def test_click_builds_exactly_the_table(command, table):
    built = click_options(command)
    assert list(built) == [o.name for o in table]
    for option in table:
        param = built[option.name]
        assert param.name == option.dest
        assert param.multiple == option.multiple
        assert list(getattr(param.type, "choices", None) or []) == list(option.choices or [])


@pytest.mark.parametrize("option", [o for o in options.CHECK if o.fast and not o.flag], ids=lambda o: o.name)
def test_every_fast_option_is_parsed_by_the_fast_path(option):
    value = option.choices[-1] if option.choices else "X"
    for args in (["check", option.name, value, "a.md"], ["check", f"{option.name}={value}", "a.md"]):
        _, opts, paths = fast.parse(args)
        assert opts[option.dest] == ([value] if option.multiple else value)
        assert paths == ["a.md"]


@pytest.mark.parametrize("option", [o for o in options.CHECK if o.fast and o.flag], ids=lambda o: o.name)
def test_every_fast_flag_is_parsed_by_the_fast_path_and_takes_no_value(option):
    _, opts, paths = fast.parse(["check", option.name, "a.md"])
    assert opts[option.dest] is True and paths == ["a.md"]
    assert fast.parse(["check", "a.md"])[1][option.dest] is False
    assert fast.parse(["check", f"{option.name}=yes"]) is None  # click says what is wrong


@pytest.mark.parametrize("option", [o for o in options.CHECK if not o.fast], ids=lambda o: o.name)
def test_an_option_the_fast_path_does_not_take_goes_to_click(option):
    assert fast.parse(["check", option.name, "X"]) is None


def test_a_value_outside_the_choices_goes_to_click_for_its_message():
    assert fast.parse(["check", "--format", "xml"]) is None
