"""Where things live, read from the environment (the only module that reads it).

Every path has a default under the repository's ``data/`` folder, so ``make demo`` needs
no configuration; a council points the product at its own extracts by setting
``CSC_LANDING_DIR`` (see README, "Point it at real extracts").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
#: DuckDB memory limit per pipeline process (CSC_DUCKDB_MEMORY_LIMIT); dbt's profile has
#: the same default (dbt_project/profiles.yml; tests/pipelines/test_memory_limit.py checks).
DEFAULT_DUCKDB_MEMORY_LIMIT = "2GB"


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_path: Path
    serving_dir: Path
    alert_webhook: str | None = None
    #: Files (as the landing folder names them, e.g. 850/ssda903/2026-27/2026-11-30/missing.csv)
    #: confirmed empty: a table that had rows and now has none publishes (VOLUME-EMPTY).
    confirm_empty: tuple[str, ...] = ()
    #: The board's working memory (commentary, actions, meetings): SQLite, outside the
    #: published snapshot, which every publish replaces (dashboards/board/store.py).
    board_path: Path = REPO_ROOT / "data" / "board" / "board.sqlite3"
    #: Districts with fewer cases than this are marked "small numbers" and never judged.
    small_numbers: int = 10
    #: DuckDB's memory limit in every pipeline process that opens the warehouse (the
    #: Dagster steps and dbt): DuckDB's own default is 80 % of the machine's memory, per
    #: process. Above it DuckDB spills to a temporary folder beside the warehouse.
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT

    @property
    def serving_path(self) -> Path:
        """The published snapshot the dashboard reads (never the warehouse)."""
        return self.serving_dir / "serving.duckdb"

    @property
    def alerts_path(self) -> Path:
        """Failed runs, one JSON object a line (see pipelines/lib/alerts.py)."""
        return self.serving_dir / "alerts.jsonl"

    @property
    def previous_serving_path(self) -> Path:
        """The snapshot before the current one, kept for rollback."""
        return self.serving_dir / "serving.previous.duckdb"


def _path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default).expanduser().resolve()


def get_settings() -> Settings:
    """Read the settings now (not at import), so tests and deployments can set them."""
    data = _path("CSC_DATA_DIR", REPO_ROOT / "data")
    return Settings(
        landing_dir=_path("CSC_LANDING_DIR", data / "landing"),
        warehouse_path=_path("CSC_DUCKDB_PATH", data / "warehouse.duckdb"),
        serving_dir=_path("CSC_SERVING_DIR", data / "serving"),
        alert_webhook=os.environ.get("CSC_ALERT_WEBHOOK") or None,
        confirm_empty=confirmed_files(os.environ.get("CSC_CONFIRM_EMPTY", "")),
        board_path=_path("CSC_BOARD_PATH", data / "board" / "board.sqlite3"),
        small_numbers=_positive_int("CSC_SMALL_NUMBERS", 10),
        duckdb_memory_limit=memory_limit(
            os.environ.get("CSC_DUCKDB_MEMORY_LIMIT") or DEFAULT_DUCKDB_MEMORY_LIMIT
        ),
    )


def memory_limit(text: str) -> str:
    """A DuckDB ``memory_limit`` value (``2GB``, ``1536MB``, ``1.5GiB``), checked here so
    that a typo fails when the settings are read, not half-way through a run."""
    value = text.strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.IGNORECASE):
        raise ValueError(
            f"CSC_DUCKDB_MEMORY_LIMIT must be an amount of memory such as 2GB or 1536MB, "
            f"not {text!r}"
        )
    return value


def confirmed_files(text: str) -> tuple[str, ...]:
    """The files of a ``CSC_CONFIRM_EMPTY`` value (separated by commas or white space)."""
    return tuple(p.strip("/") for p in re.split(r"[,\s]+", text or "") if p.strip("/"))


# ##### Sign-in, roles, audit and disclosure control (the dashboard; docs/security.md)


@dataclass(frozen=True)
class OidcSettings:
    """Single sign-on with an OpenID Connect provider (Entra ID or any standard one)."""

    issuer: str
    client_id: str
    client_secret: str
    roles_file: Path  # which claim values give which role and scope (TOML)
    scopes: str = "openid profile email"
    label: str = "Sign in with your council account"


@dataclass(frozen=True)
class SecuritySettings:
    auth_dir: Path  # accounts, the audit log and the session key (never in the repository)
    secret_key: str | None = None  # CSC_SECRET_KEY; else the file below, made on first run
    secret_key_file: Path | None = None
    demo: bool = False  # CSC_DEMO=1: `make demo` only (loopback, demo accounts, marked pages)
    oidc: OidcSettings | None = None
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    cookie_secure: bool = True
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-* headers are true
    login_max_failures: int = 5  # failed sign-ins in the window that lock an account
    login_window_minutes: int = 15  # the window, and how long the lock lasts
    client_max_failures: int = 20  # failed sign-ins from one address in the window
    audit_retention_days: int = 730
    suppression_threshold: int = 6  # counts 1 to threshold-1 are shown as "fewer than 6"
    pseudonym_key: str | None = None  # csc-export: CSC_PSEUDONYM_KEY or its file
    pseudonym_key_file: Path | None = None

    @property
    def users_path(self) -> Path:
        """Local accounts and failed sign-ins (SQLite)."""
        return self.auth_dir / "users.sqlite"

    @property
    def audit_path(self) -> Path:
        """The audit log (SQLite in WAL mode: every server process appends to it)."""
        return self.auth_dir / "audit.sqlite"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def _flag(name: str, default: bool) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0, not {raw!r}")


def _secret(name: str) -> tuple[str | None, Path | None]:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    value = os.environ.get(name) or None
    file = os.environ.get(f"{name}_FILE")
    return value, (Path(file).expanduser().resolve() if file else None)


def get_security_settings() -> SecuritySettings:
    """The dashboard's security settings, read now (see docs/security.md for each one)."""
    data = _path("CSC_DATA_DIR", REPO_ROOT / "data")
    auth_dir = _path("CSC_AUTH_DIR", data / "auth")
    secret_key, secret_key_file = _secret("CSC_SECRET_KEY")
    pseudonym_key, pseudonym_key_file = _secret("CSC_PSEUDONYM_KEY")
    oidc = None
    issuer = os.environ.get("CSC_OIDC_ISSUER")
    if issuer:
        client_secret, client_secret_file = _secret("CSC_OIDC_CLIENT_SECRET")
        if client_secret is None and client_secret_file is not None:
            client_secret = client_secret_file.read_text(encoding="utf-8").strip()
        oidc = OidcSettings(
            issuer=issuer.rstrip("/"),
            client_id=os.environ.get("CSC_OIDC_CLIENT_ID") or "",
            client_secret=client_secret or "",
            roles_file=_path("CSC_OIDC_ROLES_FILE", auth_dir / "oidc-roles.toml"),
            scopes=os.environ.get("CSC_OIDC_SCOPES") or "openid profile email",
            label=os.environ.get("CSC_OIDC_LABEL") or "Sign in with your council account",
        )
    return SecuritySettings(
        auth_dir=auth_dir,
        secret_key=secret_key,
        secret_key_file=secret_key_file or auth_dir / "secret_key",
        demo=_flag("CSC_DEMO", False),
        oidc=oidc,
        session_idle_minutes=_int("CSC_SESSION_IDLE_MINUTES", 30),
        session_max_hours=_int("CSC_SESSION_MAX_HOURS", 12),
        cookie_secure=_flag("CSC_COOKIE_SECURE", True),
        trusted_proxies=_int("CSC_TRUSTED_PROXIES", 0),
        login_max_failures=_int("CSC_LOGIN_MAX_FAILURES", 5),
        login_window_minutes=_int("CSC_LOGIN_WINDOW_MINUTES", 15),
        client_max_failures=_int("CSC_LOGIN_CLIENT_MAX_FAILURES", 20),
        audit_retention_days=_int("CSC_AUDIT_RETENTION_DAYS", 730),
        suppression_threshold=_int("CSC_SUPPRESSION_THRESHOLD", 6),
        pseudonym_key=pseudonym_key,
        pseudonym_key_file=pseudonym_key_file,
    )


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be 1 or more, not {value}")
    return value
