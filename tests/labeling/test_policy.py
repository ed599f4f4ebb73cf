"""Who may do what in labelling."""

from __future__ import annotations

import pytest

from labeling.policy import ACTIONS, can, require
from pantau.errors import ConfigError, PermissionDenied


def test_volunteer_can_label_but_cannot_export() -> None:
    assert can("volunteer", "label")
    assert not can("volunteer", "export")


def test_labeller_stats_are_visible_to_admins_only() -> None:
    assert [
        r for r in ("admin", "factchecker", "journalist", "volunteer") if can(r, "view_labeller_stats")
    ] == ["admin"]


def test_factcheckers_adjudicate_and_volunteers_do_not() -> None:
    assert can("factchecker", "adjudicate") and can("admin", "adjudicate")
    assert not can("volunteer", "adjudicate") and not can("journalist", "adjudicate")


def test_journalist_cannot_label() -> None:
    assert not can("journalist", "label")


def test_everyone_may_read_the_guidelines() -> None:
    assert all(can(r, "read_guidelines") for r in ("admin", "factchecker", "journalist", "volunteer"))


def test_unknown_roles_may_do_nothing() -> None:
    assert not any(can("hacker", a) for a in ACTIONS)


def test_an_unknown_action_is_a_config_error_not_a_silent_no() -> None:
    with pytest.raises(ConfigError, match="'lable'"):
        can("admin", "lable")


def test_require_raises_permission_denied_naming_the_role() -> None:
    with pytest.raises(PermissionDenied, match="'volunteer' may not export"):
        require("volunteer", "export")
