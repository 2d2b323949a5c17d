"""Single sign-on with OpenID Connect (Authlib's Flask client): Entra ID or any standard
provider, by configuration only (docs/security.md, "Single sign-on").

Which role and scope a user gets comes from a claim of their ID token (Entra ID's app
``roles`` or ``groups``), through a TOML file (``CSC_OIDC_ROLES_FILE``)::

    claim = "roles"                      # the claim holding the user's roles or groups
    username_claim = "preferred_username"

    [[grant]]
    value = "CSC.Board"                  # a value of that claim
    role = "board"
    las = ["850"]

    [[grant]]
    value = "CSC.Manager.Winchester"
    role = "manager"
    las = ["850"]
    districts = ["Winchester"]

A user gets every grant whose value their claim holds; with none, sign-in is refused.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboards.auth.roles import Grant, Principal, Role


class OidcConfigError(ValueError):
    """The role mapping file is missing or wrong (the message names the file and rule)."""


@dataclass(frozen=True)
class RoleRule:
    value: str
    role: Role
    las: tuple[str, ...] | None
    districts: tuple[str, ...] | None


@dataclass(frozen=True)
class RoleMap:
    claim: str
    username_claim: str
    rules: tuple[RoleRule, ...]


def load_role_map(path: Path) -> RoleMap:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OidcConfigError(
            f"{path}: the OIDC role mapping file is missing (CSC_OIDC_ROLES_FILE); "
            "see docs/security.md"
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise OidcConfigError(f"{path}: {err}") from None
    return parse_role_map(raw, str(path))


def parse_role_map(raw: Mapping[str, Any], source: str = "role map") -> RoleMap:
    rules = []
    for i, item in enumerate(raw.get("grant", []), start=1):
        where = f"{source}, grant {i}"
        if not isinstance(item, Mapping) or not item.get("value") or not item.get("role"):
            raise OidcConfigError(f"{where}: needs a value and a role")
        try:
            role = Role(str(item["role"]).lower())
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise OidcConfigError(f"{where}: unknown role {item['role']!r} ({known})") from None
        las = item.get("las")
        if las in ("*", ["*"]):
            las = None  # every LA
        elif not isinstance(las, list) or not las:
            raise OidcConfigError(f'{where}: las must list LA codes (or be ["*"] for every LA)')
        districts = item.get("districts")
        if role == Role.MANAGER and not districts:
            raise OidcConfigError(f"{where}: a manager grant needs its districts")
        rules.append(
            RoleRule(
                value=str(item["value"]),
                role=role,
                las=None if las is None else tuple(str(x) for x in las),
                districts=None if districts is None else tuple(str(d) for d in districts),
            )
        )
    if not rules:
        raise OidcConfigError(f"{source}: no [[grant]] rules: nobody could sign in")
    return RoleMap(
        claim=str(raw.get("claim") or "roles"),
        username_claim=str(raw.get("username_claim") or "preferred_username"),
        rules=tuple(rules),
    )


def claim_values(claims: Mapping[str, Any], claim: str) -> set[str]:
    value = claims.get(claim)
    if value is None:
        return set()
    if isinstance(value, str):
        return {v for v in value.replace(",", " ").split() if v}
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def principal_for(claims: Mapping[str, Any], role_map: RoleMap) -> Principal | None:
    """The principal an ID token's claims give, or None when no rule matches."""
    held = claim_values(claims, role_map.claim)
    grants = tuple(
        Grant.of(rule.role, rule.las, rule.districts)
        for rule in role_map.rules
        if rule.value in held
    )
    if not grants:
        return None
    subject = str(claims.get("sub"))
    name = str(claims.get(role_map.username_claim) or claims.get("email") or subject)
    display = str(claims.get("name") or name)
    return Principal(
        name=name, grants=grants, kind="oidc", display_name=display, auth_id=f"oidc:{subject}"
    )


def grants_to_json(principal: Principal) -> list[dict[str, Any]]:
    return [
        {
            "role": g.role.value if g.role else None,
            "las": None if g.las is None else sorted(g.las),
            "districts": None if g.districts is None else sorted(g.districts),
        }
        for g in principal.grants
        if g.role is not None
    ]


def principal_from_json(stored: Mapping[str, Any]) -> Principal:
    grants = tuple(Grant.of(g["role"], g["las"], g["districts"]) for g in stored["grants"])
    return Principal(
        name=stored["name"],
        grants=grants,
        kind="oidc",
        display_name=stored.get("display_name", ""),
        auth_id=stored["auth_id"],
    )
