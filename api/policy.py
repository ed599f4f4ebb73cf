"""Who may do what: the permission matrix of the API, as data, in one place.

Every route names one :class:`Permission`; :func:`allowed` answers for a role. The matrix is tested
over every endpoint (``tests/api/test_policy.py``), and ``docs/api.md`` shows it to users.

=====================  =====  ===========  ==========  =========
permission             admin  factchecker  journalist  volunteer
=====================  =====  ===========  ==========  =========
posts:search           yes    yes          yes         no
posts:read             yes    yes          yes         no
authors:identify       yes    yes          no          no
factchecks:read        yes    yes          yes         yes
classify               yes    yes          yes         yes
stats:read             yes    yes          yes         no
reviews:read           yes    yes          yes         no
reviews:write          yes    yes          no          no
export                 yes    yes          yes         no
audit:read             yes    no           no          no
coordination:read      yes    yes          yes         no
=====================  =====  ===========  ==========  =========

``authors:identify`` is not a route: without it, authors who are not monitored accounts are shown under
a pseudonym (Indonesia's Personal Data Protection Law 27/2022). Exports pseudonymise for every role.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The four roles a user can have."""

    admin = "admin"
    factchecker = "factchecker"
    journalist = "journalist"
    volunteer = "volunteer"


class Permission(StrEnum):
    """One thing a route lets a caller do."""

    posts_search = "posts:search"
    posts_read = "posts:read"
    authors_identify = "authors:identify"
    factchecks_read = "factchecks:read"
    classify = "classify"
    stats_read = "stats:read"
    reviews_read = "reviews:read"
    reviews_write = "reviews:write"
    export = "export"
    audit_read = "audit:read"
    coordination_read = "coordination:read"


P = Permission

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.factchecker: frozenset(
        {
            P.posts_search,
            P.posts_read,
            P.authors_identify,
            P.factchecks_read,
            P.classify,
            P.stats_read,
            P.reviews_read,
            P.reviews_write,
            P.export,
            P.coordination_read,
        }
    ),
    Role.journalist: frozenset(
        {
            P.posts_search,
            P.posts_read,
            P.factchecks_read,
            P.classify,
            P.stats_read,
            P.reviews_read,
            P.export,
            P.coordination_read,
        }
    ),
    Role.volunteer: frozenset({P.factchecks_read, P.classify}),
}


def allowed(role: Role | str, permission: Permission) -> bool:
    """Whether ``role`` has ``permission`` (an unknown role has none)."""
    try:
        return permission in MATRIX[Role(role)]
    except ValueError:
        return False


def permissions(role: Role | str) -> list[str]:
    """The permissions of ``role``, sorted (what ``GET /v1/me`` shows)."""
    try:
        return sorted(p.value for p in MATRIX[Role(role)])
    except ValueError:
        return []
