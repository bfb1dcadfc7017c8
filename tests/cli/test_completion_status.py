"""The shell completes `status` and `supersede` arguments as it does `show`'s and `list --status`."""

from __future__ import annotations

from test_completion import complete, folder  # noqa: F401  (the fixture)


def test_status_completes_numbers_then_states(folder):  # noqa: F811
    assert complete(f"pepctl --dir {folder} status 4", folder) == ["0042"]
    assert complete(f"pepctl --dir {folder} status 42 und", folder) == ["Under Review"]


def test_supersede_completes_both_numbers(folder):  # noqa: F811
    assert complete(f"pepctl --dir {folder} supersede 7", folder) == ["0007"]
    assert complete(f"pepctl --dir {folder} supersede 7 ", folder) == ["0001", "0007", "0042"]
