"""A real OpenID Connect provider on loopback for the tests (oidc-provider-mock: Authlib's
authorization server, with a form to pick who signs in), and an app that uses it."""

from __future__ import annotations

import contextlib
import dataclasses
import warnings
from collections.abc import Iterator
from pathlib import Path

import requests

# Imported first: on import it sets its own warnings to "always", ahead of any filter.
from authlib.deprecate import AuthlibDeprecationWarning

from pipelines.settings import OidcSettings

ROLES_TOML = """
claim = "roles"
username_claim = "preferred_username"

[[grant]]
value = "CSC.Board"
role = "board"
las = ["850"]

[[grant]]
value = "CSC.Manager.Winchester"
role = "manager"
las = ["850"]
districts = ["Winchester"]
"""
#: sub -> claims of the provider's users.
USERS = {
    "board-member": {
        "preferred_username": "board.member@council.example",
        "name": "Board Member",
        "roles": ["CSC.Board"],
    },
    "winchester-manager": {
        "preferred_username": "wm@council.example",
        "name": "W Manager",
        "roles": ["CSC.Manager.Winchester", "Other.App"],
    },
    "stranger": {"preferred_username": "stranger@council.example", "roles": ["Other.App"]},
}


@contextlib.contextmanager
def provider() -> Iterator[str]:
    """The provider on a free loopback port, its users set; yields its issuer URL."""
    with warnings.catch_warnings():  # its Authlib imports are deprecated
        warnings.simplefilter("ignore", AuthlibDeprecationWarning)
        import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        for sub, claims in USERS.items():
            response = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10)
            assert response.status_code == 204, response.text
        yield issuer


def with_oidc(security, issuer: str, folder: Path):
    """``security`` with single sign-on at ``issuer`` (the roles file in ``folder``)."""
    roles = folder / "oidc-roles.toml"
    roles.write_text(ROLES_TOML, encoding="utf-8")
    return dataclasses.replace(
        security,
        auth_dir=folder,
        oidc=OidcSettings(
            issuer=issuer,
            client_id="csc-dashboard",
            client_secret="test-secret",
            roles_file=roles,
            label="Sign in with the council's account",
        ),
    )
