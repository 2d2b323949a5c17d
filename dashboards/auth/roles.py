"""Roles, what each may read, and who is asking (pure: no Flask, no I/O).

A user holds one or more **grants**: a role with a scope (the LAs it covers and, for
managers, the districts). What a grant lets its holder read is an ``Access``:

| role     | access                                                                  |
|----------|-------------------------------------------------------------------------|
| board    | aggregates, disclosure-controlled (small counts suppressed)             |
| manager  | aggregates; child and worker level for their districts                  |
| analyst  | aggregates; child and worker level; data-quality rows (their LAs)       |
| engineer | aggregates; data-quality rows (their LAs)                               |
| admin    | the users and the audit log; no data unless also given another role     |

``dashboards.data`` asks the ``Principal`` of each read whether it may (``can``), which
rows of a child-level table it may see (``districts_for``), and whether its aggregates
must be suppressed (``suppressed_for``): the scope is applied where the data is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    BOARD = "board"
    MANAGER = "manager"
    ANALYST = "analyst"
    ENGINEER = "engineer"
    ADMIN = "admin"


class Access(StrEnum):
    """What may be read (each page and callback needs one; ``SIGNED_IN`` any user)."""

    SIGNED_IN = "signed_in"
    AGGREGATES = "aggregates"  # KPI values, comparators, the catalogue, freshness
    CHILD_LEVEL = "child_level"  # action lists, member lists, a child's timeline
    WORKER_LEVEL = "worker_level"  # caseloads by worker
    DATA_QUALITY = "data_quality"  # extract status and failing rows (with child ids)
    ADMIN = "admin"  # users and the audit log


ROLE_ACCESS: dict[Role, frozenset[Access]] = {
    Role.BOARD: frozenset({Access.AGGREGATES}),
    Role.MANAGER: frozenset({Access.AGGREGATES, Access.CHILD_LEVEL, Access.WORKER_LEVEL}),
    Role.ANALYST: frozenset(
        {Access.AGGREGATES, Access.CHILD_LEVEL, Access.WORKER_LEVEL, Access.DATA_QUALITY}
    ),
    Role.ENGINEER: frozenset({Access.AGGREGATES, Access.DATA_QUALITY}),
    Role.ADMIN: frozenset({Access.ADMIN}),
}
#: Roles whose child- and worker-level access stops at their districts.
DISTRICT_SCOPED = frozenset({Role.MANAGER})
#: What stops at a manager's districts (aggregates of every district are theirs to see).
DISTRICT_ACCESS = frozenset({Access.CHILD_LEVEL, Access.WORKER_LEVEL})
#: What each role is for, in words (the users page, csc-users, docs/security.md).
ROLE_TEXT = {
    Role.BOARD: "Corporate Parenting Board: scorecard, KPI pages and board pack; "
    "aggregates only, small counts suppressed",
    Role.MANAGER: "Manager: their districts' pages, action lists and child timelines; "
    "the LA and other districts as aggregates",
    Role.ANALYST: "Analyst: everything of their LAs, child level included",
    Role.ENGINEER: "Data engineer: data quality, extract status and failing rows; "
    "KPIs as aggregates",
    Role.ADMIN: "Administrator: users and the audit log (no data without another role)",
}


def parse_roles(values: Iterable[str]) -> tuple[Role, ...]:
    """Role names → roles (case-insensitive); ValueError naming an unknown one."""
    out = []
    for value in values:
        for part in str(value).split(","):
            name = part.strip().lower()
            if not name:
                continue
            try:
                role = Role(name)
            except ValueError:
                known = ", ".join(r.value for r in Role)
                raise ValueError(f"unknown role {part.strip()!r} (roles: {known})") from None
            if role not in out:
                out.append(role)
    return tuple(out)


@dataclass(frozen=True)
class Grant:
    """A role over a scope: ``las`` None means every LA, ``districts`` None every district
    (a manager's grant names its districts; other roles' districts are ignored)."""

    role: Role | None  # None: a service grant (the warm-up, a command line tool)
    access: frozenset[Access]
    las: frozenset[str] | None = None
    districts: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        role: Role | str,
        las: Iterable[str] | None = None,
        districts: Iterable[str] | None = None,
    ) -> Grant:
        role = Role(role)
        return cls(
            role=role,
            access=ROLE_ACCESS[role],
            las=None if las is None else frozenset(str(la) for la in las),
            districts=(
                (frozenset() if districts is None else frozenset(districts))
                if role in DISTRICT_SCOPED
                else None
            ),
        )

    def covers(self, la: str | None) -> bool:
        return self.las is None or (la is not None and la in self.las)


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user, or a named service (``kind="service"``)."""

    name: str
    grants: tuple[Grant, ...] = ()
    kind: str = "local"  # local | oidc | service
    display_name: str = ""
    auth_id: str = field(default="", compare=False)  # the session's id (Flask-Login)

    # ##### Flask-Login's user interface
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.auth_id or f"{self.kind}:{self.name}"

    # ##### What may be read

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants if g.role is not None)

    def has_role(self, *roles: Role | str) -> bool:
        wanted = {Role(r) for r in roles}
        return bool(wanted & self.roles)

    def can(self, access: Access, la: str | None = None, district: str | None = None) -> bool:
        """Whether a grant gives ``access`` (for ``la`` and ``district`` when given; with no
        LA, for any LA)."""
        if access == Access.SIGNED_IN:
            return True
        for grant in self.grants:
            if access not in grant.access:
                continue
            if la is not None and not grant.covers(la):
                continue
            if (
                district is not None
                and access in DISTRICT_ACCESS
                and grant.districts is not None
                and district not in grant.districts
            ):
                continue
            return True
        return False

    def las_for(self, access: Access) -> frozenset[str] | None:
        """LAs for which some grant gives ``access``; None means every LA."""
        found: set[str] = set()
        for grant in self.grants:
            if access in grant.access:
                if grant.las is None:
                    return None
                found |= grant.las
        return frozenset(found)

    def districts_for(self, access: Access, la: str) -> frozenset[str] | None:
        """The districts of ``la`` whose rows ``access`` reaches: None means all of them,
        an empty set none (a manager with no districts, or no grant for ``la``)."""
        found: set[str] = set()
        for grant in self.grants:
            if access in grant.access and grant.covers(la):
                if grant.districts is None or access not in DISTRICT_ACCESS:
                    return None
                found |= grant.districts
        return frozenset(found)

    def suppressed_for(self, la: str | None) -> bool:
        """Whether this principal's aggregates of ``la`` are disclosure-controlled: every
        grant that gives it aggregates is a board grant."""
        granting = [g for g in self.grants if Access.AGGREGATES in g.access and g.covers(la)]
        return bool(granting) and all(g.role == Role.BOARD for g in granting)

    def with_suppression(self) -> Principal:
        """The same principal seeing its aggregates as the board does (board outputs)."""
        grants = tuple(
            Grant(Role.BOARD, frozenset({Access.AGGREGATES}), g.las, None)
            for g in self.grants
            if Access.AGGREGATES in g.access
        )
        return Principal(self.name, grants, self.kind, self.display_name, self.auth_id)

    def describe(self) -> str:
        """ "manager (850: Winchester)", "analyst (every LA)"…, for pages and the log."""
        parts = []
        for g in self.grants:
            label = g.role.value if g.role else "service"
            where = "every LA" if g.las is None else ", ".join(sorted(g.las)) or "no LA"
            if g.districts is not None:
                where += ": " + (", ".join(sorted(g.districts)) or "no district")
            parts.append(f"{label} ({where})")
        return "; ".join(parts) or "no role"


def service(name: str, *access: Access, las: Iterable[str] | None = None) -> Principal:
    """A principal for work done without a signed-in user (the warm-up, a command)."""
    grant = Grant(None, frozenset(access), None if las is None else frozenset(las), None)
    return Principal(name=name, grants=(grant,), kind="service")


def user(
    name: str,
    roles: Iterable[Role | str],
    las: Iterable[str] | None = None,
    districts: Iterable[str] | None = None,
    *,
    kind: str = "local",
    display_name: str = "",
    auth_id: str = "",
) -> Principal:
    """A user whose every role has the same scope (local accounts)."""
    grants = tuple(Grant.of(role, las, districts) for role in roles)
    return Principal(name, grants, kind, display_name, auth_id)
