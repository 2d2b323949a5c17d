"""``csc-users``: the dashboard's local accounts (for installs without single sign-on).

    csc-users add alice --role manager --la 850 --district Winchester --name "Alice Smith"
    csc-users add bob --role analyst --all-las
    csc-users set alice --role manager --role admin --district Winchester --district Havant
    csc-users reset alice          # a new password; unlocks the account, ends its sessions
    csc-users disable alice        # (enable alice) ends its sessions at once
    csc-users unlock alice         # forget its failed sign-ins
    csc-users list

A password is read from the terminal (asked twice) or, when standard input is not a
terminal, from its first line (``printf '%s\\n' "$PW" | csc-users reset alice``); never
from the command line, where other users and the shell history would see it. Accounts
live in ``<auth dir>/users.sqlite`` (``CSC_AUTH_DIR``, default ``data/auth``), outside the
repository; every change is written to the audit log.

``csc-users demo`` (``make demo`` runs it; only with ``CSC_DEMO=1``) makes one account per
role with a new random password each time, and prints them.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from collections.abc import Sequence

from dashboards.auth import auditlog
from dashboards.auth.roles import ROLE_TEXT, Access, Role, service
from dashboards.auth.users import Account, UserError, UserStore
from pipelines.settings import SecuritySettings, get_security_settings, get_settings

DEMO_PREFIX = "demo-"


class CliError(RuntimeError):
    pass


def read_password(prompt: str = "Password") -> str:
    """From the terminal (twice), else the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"{prompt}: ")
        if getpass.getpass(f"{prompt} again: ") != first:
            raise CliError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CliError("no password on standard input (give it on the first line)")
    return line.rstrip("\r\n")


def _store(settings: SecuritySettings) -> UserStore:
    return UserStore(
        settings.users_path,
        max_failures=settings.login_max_failures,
        window_minutes=settings.login_window_minutes,
        client_max_failures=settings.client_max_failures,
    )


def _scope(args: argparse.Namespace) -> list[str] | str | None:
    if args.all_las and args.la:
        raise CliError("give --la or --all-las, not both")
    if args.all_las:
        return None
    return args.la or "keep"


def _describe(account: Account) -> str:
    las = "every LA" if account.las is None else ", ".join(account.las) or "no LA"
    roles = ", ".join(r.value for r in account.roles)
    districts = f"; districts {', '.join(account.districts)}" if account.districts else ""
    state = " (disabled)" if account.disabled else ""
    return f"{account.username}: {roles}; {las}{districts}{state}"


def _check_manager(roles: Sequence[Role], districts: Sequence[str] | None) -> None:
    if Role.MANAGER in roles and not districts:
        raise CliError("a manager needs their districts: --district NAME (repeat for more)")


def _audit(what: str, detail: str) -> None:
    auditlog.audit("user_admin", what=what, detail=detail, user=f"os:{getpass.getuser()}")


def cmd_add(args: argparse.Namespace, store: UserStore) -> str:
    las = _scope(args)
    if las == "keep":
        raise CliError("give the LAs this account covers: --la CODE (repeat) or --all-las")
    roles = [Role(r) for r in args.role]
    _check_manager(roles, args.district)
    account = store.add(
        args.name,
        read_password(),
        args.role,
        las,
        args.district,  # type: ignore[arg-type]
        args.display_name or "",
    )
    _audit(f"add {account.username}", _describe(account))
    return f"Added {_describe(account)}"


def cmd_set(args: argparse.Namespace, store: UserStore) -> str:
    current = store.get(args.name)
    if current is None:
        raise CliError(f"there is no account {args.name!r}")
    roles = [Role(r) for r in args.role] if args.role else list(current.roles)
    districts = args.district if args.district else list(current.districts)
    _check_manager(roles, districts)
    account = store.set_access(
        args.name,
        roles=args.role or None,
        las=_scope(args),
        # districts belong to a manager's grant: gone with the manager role
        districts=args.district or ("keep" if Role.MANAGER in roles else None),
        display_name=args.display_name,
    )
    _audit(f"set {account.username}", _describe(account))
    return f"Changed {_describe(account)} (its sessions have ended)"


def cmd_reset(args: argparse.Namespace, store: UserStore) -> str:
    if store.get(args.name) is None:
        raise CliError(f"there is no account {args.name!r}")
    account = store.set_password(args.name, read_password("New password"))
    _audit(f"reset {account.username}", "new password; unlocked; sessions ended")
    return f"New password for {account.username}; unlocked; its sessions have ended"


def cmd_disable(args: argparse.Namespace, store: UserStore) -> str:
    account = store.set_disabled(args.name, args.command == "disable")
    _audit(f"{args.command} {account.username}", _describe(account))
    return f"{args.command.capitalize()}d {account.username}"


def cmd_unlock(args: argparse.Namespace, store: UserStore) -> str:
    if store.get(args.name) is None:
        raise CliError(f"there is no account {args.name!r}")
    store.unlock(args.name)
    _audit(f"unlock {args.name}", "failed sign-ins forgotten")
    return f"Unlocked {args.name}"


def cmd_list(_args: argparse.Namespace, store: UserStore) -> str:
    accounts = store.accounts()
    if not accounts:
        return "No accounts yet: csc-users add NAME --role ROLE --la CODE"
    lines = []
    for a in accounts:
        seen = a.last_sign_in_at or "never signed in"
        locked = store.failures(username=a.username)
        extra = f"; {locked} failed sign-ins lately" if locked else ""
        lines.append(f"{_describe(a)}; last sign-in {seen}{extra}")
    return "\n".join(lines)


def _demo_scope() -> tuple[list[str], str | None]:
    """(LAs of the published snapshot, the first LA's first named district)."""
    from dashboards import data
    from dashboards.auth.context import acting_as

    try:
        with (
            data.use_snapshot(get_settings().serving_path),
            acting_as(service("csc-users demo", Access.AGGREGATES)),
        ):
            las = data.las()
            districts = data.districts(las[0]) if las else []
    except data.NoSnapshot:
        return [], None
    named = [d for d in districts if d not in data.TRAILING_DISTRICTS]
    return las, (named[0] if named else None)


def demo_accounts(settings: SecuritySettings, store: UserStore) -> list[tuple[Role, str, str, str]]:
    """Make (or reset) one demo account per role: (role, account, password, scope)."""
    if not settings.demo:
        raise CliError(
            "demo accounts are made in demo mode only (CSC_DEMO=1, as `make demo` sets it); "
            "a production install never has default accounts"
        )
    las, district = _demo_scope()
    first = las[:1] or None
    plan = {
        Role.BOARD: (first, None),
        Role.MANAGER: (first, [district] if district else ["Winchester"]),
        Role.ANALYST: (None, None),
        Role.ENGINEER: (None, None),
        Role.ADMIN: (None, None),
    }
    made = []
    for role, (role_las, districts) in plan.items():
        name = f"{DEMO_PREFIX}{role.value}"
        password = secrets.token_urlsafe(12)
        if store.get(name) is None:
            store.add(name, password, [role.value], role_las, districts, f"Demo {role.value}")
        else:
            store.set_access(name, roles=[role.value], las=role_las, districts=districts)
            store.set_password(name, password)
            store.set_disabled(name, False)
        where = "every LA" if role_las is None else f"LA {', '.join(role_las)}"
        if role == Role.ADMIN:
            where = "accounts and the audit log"
        if districts:
            where += f": {', '.join(districts)}"
        made.append((role, name, password, where))
    _audit("demo accounts", ", ".join(f"{DEMO_PREFIX}{r.value}" for r in plan))
    return made


def cmd_demo(_args: argparse.Namespace, store: UserStore, settings: SecuritySettings) -> str:
    made = demo_accounts(settings, store)
    lines = [
        "Demo accounts (demo mode: synthetic data, this computer only; new passwords at every "
        "`make demo`):",
        "",
        f"  {'role':<9} {'account':<15} {'password':<18} sees",
    ]
    for role, name, password, where in made:
        lines.append(f"  {role.value:<9} {name:<15} {password:<18} {where}")
    lines += ["", *(f"  {r.value}: {ROLE_TEXT[r]}" for r, *_ in made)]
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="csc-users",
        description="Local accounts of the dashboard (passwords from the terminal or stdin).",
    )
    sub = p.add_subparsers(dest="command", required=True)
    roles = [r.value for r in Role]

    def scoped(command: argparse.ArgumentParser) -> None:
        command.add_argument("--role", action="append", choices=roles, help="repeat for more")
        command.add_argument("--la", action="append", help="LA code (repeat for more)")
        command.add_argument("--all-las", action="store_true", help="every LA")
        command.add_argument("--district", action="append", help="a manager's district")
        command.add_argument("--name", dest="display_name", help="the person's name")

    add = sub.add_parser("add", help="a new account (password from the terminal or stdin)")
    add.add_argument("name")
    scoped(add)
    change = sub.add_parser("set", help="change an account's roles, LAs or districts")
    change.add_argument("name")
    scoped(change)
    for name, text in (
        ("reset", "a new password (from the terminal or stdin)"),
        ("disable", "stop an account signing in (ends its sessions)"),
        ("enable", "let a disabled account sign in again"),
        ("unlock", "forget an account's failed sign-ins"),
    ):
        sub.add_parser(name, help=text).add_argument("name")
    sub.add_parser("list", help="every account, its roles and scope")
    sub.add_parser("demo", help="demo mode only: one account per role, passwords printed")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "add" and not args.role:
        print("csc-users: give at least one --role", file=sys.stderr)
        return 2
    settings = get_security_settings()
    store = _store(settings)
    auditlog.use_log(auditlog.AuditLog(settings.audit_path, settings.audit_retention_days))
    commands = {
        "add": cmd_add,
        "set": cmd_set,
        "reset": cmd_reset,
        "disable": cmd_disable,
        "enable": cmd_disable,
        "unlock": cmd_unlock,
        "list": cmd_list,
    }
    try:
        if args.command == "demo":
            out = cmd_demo(args, store, settings)
        else:
            out = commands[args.command](args, store)
    except (CliError, UserError) as err:
        print(f"csc-users: {err}", file=sys.stderr)
        return 2
    finally:
        auditlog.use_log(None)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
