"""Who may do what in labelling: one table, one function (CONVENTIONS.md 11).

Roles are the core's user roles (``admin``, ``factchecker``, ``journalist``, ``volunteer``). Labeller
statistics (per-person agreement and gold accuracy) are visible to admins only, so a volunteer's quality
numbers never reach other volunteers, journalists or the newsroom at large.
"""

from __future__ import annotations

from pantau.errors import ConfigError, PermissionDenied

ROLES: tuple[str, ...] = ("admin", "factchecker", "journalist", "volunteer")

#: action → roles allowed to do it
RULES: dict[str, frozenset[str]] = {
    "read_guidelines": frozenset(ROLES),
    "label": frozenset({"volunteer", "factchecker", "admin"}),
    "view_project_stats": frozenset({"factchecker", "admin"}),
    "view_labeller_stats": frozenset({"admin"}),
    "adjudicate": frozenset({"factchecker", "admin"}),
    "export": frozenset({"admin"}),
    "manage_projects": frozenset({"admin"}),
    "refresh_queue": frozenset({"admin"}),
}
ACTIONS: tuple[str, ...] = tuple(RULES)


def can(user_role: str, action: str) -> bool:
    """True when ``user_role`` may perform ``action``.

    >>> can("volunteer", "label"), can("volunteer", "export")
    (True, False)

    An unknown action raises :class:`ConfigError` (a typo must not silently deny or allow).
    """
    allowed = RULES.get(action)
    if allowed is None:
        raise ConfigError(f"unknown labelling action {action!r}; known actions: {', '.join(ACTIONS)}")
    return user_role in allowed


def require(user_role: str, action: str, who: str = "user") -> None:
    """Raise :class:`PermissionDenied` unless ``user_role`` may perform ``action``."""
    if not can(user_role, action):
        raise PermissionDenied(f"{who} with role {user_role!r} may not {action.replace('_', ' ')}")
