"""Who may read what, as the issue's role table says (pure: no app)."""

from __future__ import annotations

import pytest

from dashboards.auth import oidc
from dashboards.auth.roles import Access, Grant, Principal, Role, parse_roles, service, user

BOARD = user("b", ["board"], ["850"])
MANAGER = user("m", ["manager"], ["850"], ["Winchester", "Havant"])
ANALYST = user("a", ["analyst"], ["850"])
ENGINEER = user("e", ["engineer"], None)
ADMIN = user("x", ["admin"], None)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (BOARD, {Access.AGGREGATES}),
        (MANAGER, {Access.AGGREGATES, Access.CHILD_LEVEL, Access.WORKER_LEVEL}),
        (
            ANALYST,
            {Access.AGGREGATES, Access.CHILD_LEVEL, Access.WORKER_LEVEL, Access.DATA_QUALITY},
        ),
        (ENGINEER, {Access.AGGREGATES, Access.DATA_QUALITY}),
        (ADMIN, {Access.ADMIN}),
    ],
)
def test_each_role_reads_what_the_table_says(who, allowed):
    got = {a for a in Access if a != Access.SIGNED_IN and who.can(a)}
    assert got == allowed


def test_scope_limits_las_and_a_managers_districts():
    assert MANAGER.can(Access.CHILD_LEVEL, "850", "Winchester")
    assert not MANAGER.can(Access.CHILD_LEVEL, "850", "Basingstoke and Deane")
    assert MANAGER.can(Access.AGGREGATES, "850", "Basingstoke and Deane")  # aggregates: any
    assert not MANAGER.can(Access.AGGREGATES, "851")
    assert MANAGER.districts_for(Access.CHILD_LEVEL, "850") == {"Winchester", "Havant"}
    assert MANAGER.districts_for(Access.CHILD_LEVEL, "851") == frozenset()
    assert ANALYST.districts_for(Access.CHILD_LEVEL, "850") is None  # every district
    assert ENGINEER.las_for(Access.DATA_QUALITY) is None and BOARD.las_for(Access.AGGREGATES) == {
        "850"
    }


def test_only_a_board_view_is_disclosure_controlled():
    assert BOARD.suppressed_for("850")
    assert not MANAGER.suppressed_for("850") and not ANALYST.suppressed_for("850")
    both = Principal("ab", (Grant.of("board", ["850"]), Grant.of("analyst", ["850"])))
    assert not both.suppressed_for("850")  # an analyst who also sits on the board
    mixed = Principal("ab", (Grant.of("board", ["851"]), Grant.of("analyst", ["850"])))
    assert mixed.suppressed_for("851") and not mixed.suppressed_for("850")
    assert ANALYST.with_suppression().suppressed_for("850")
    assert not ANALYST.with_suppression().can(Access.CHILD_LEVEL)


def test_admin_reads_no_data_unless_given_another_role():
    assert not ADMIN.can(Access.AGGREGATES) and ADMIN.las_for(Access.AGGREGATES) == frozenset()
    assert user("xa", ["admin", "analyst"], None).can(Access.CHILD_LEVEL, "850")


def test_service_principals_have_only_what_they_are_given():
    warm = service("warm-up", Access.AGGREGATES)
    assert warm.can(Access.AGGREGATES, "999") and not warm.can(Access.CHILD_LEVEL, "850")
    assert warm.roles == frozenset() and warm.get_id() == "service:warm-up"


def test_role_names_are_checked():
    assert parse_roles(["Manager", "admin,analyst"]) == (Role.MANAGER, Role.ADMIN, Role.ANALYST)
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        parse_roles(["boss"])


ROLE_MAP = {
    "claim": "roles",
    "grant": [
        {"value": "CSC.Board", "role": "board", "las": ["850"]},
        {
            "value": "CSC.Manager.Winchester",
            "role": "manager",
            "las": ["850"],
            "districts": ["Winchester"],
        },
        {"value": "CSC.Analyst", "role": "analyst", "las": ["*"]},
    ],
}


def test_sso_claims_map_to_grants():
    role_map = oidc.parse_role_map(ROLE_MAP)
    who = oidc.principal_for(
        {
            "sub": "u1",
            "preferred_username": "jo@council.gov.uk",
            "roles": ["CSC.Manager.Winchester", "Other.App"],
        },
        role_map,
    )
    assert who.name == "jo@council.gov.uk" and who.get_id() == "oidc:u1"
    assert who.can(Access.CHILD_LEVEL, "850", "Winchester")
    assert not who.can(Access.CHILD_LEVEL, "850", "Havant")
    assert oidc.principal_for({"sub": "u2", "roles": "CSC.Analyst"}, role_map).can(
        Access.DATA_QUALITY, "999"
    )
    assert oidc.principal_for({"sub": "u3", "roles": ["Other.App"]}, role_map) is None
    assert (
        oidc.principal_from_json(
            {
                "name": who.name,
                "display_name": who.display_name,
                "auth_id": who.get_id(),
                "grants": oidc.grants_to_json(who),
            }
        )
        == who
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"grant": [{"value": "x", "role": "boss", "las": ["850"]}]}, "unknown role 'boss'"),
        ({"grant": [{"value": "x", "role": "manager", "las": ["850"]}]}, "needs its districts"),
        ({"grant": [{"value": "x", "role": "board"}]}, "las must list LA codes"),
        ({"grant": []}, "nobody could sign in"),
    ],
)
def test_a_wrong_role_map_is_refused_naming_the_rule(bad, message):
    with pytest.raises(oidc.OidcConfigError, match=message):
        oidc.parse_role_map(bad, "roles.toml")
