"""``csc-users``: accounts made, changed, reset and disabled from the command line, the
password from standard input (never an argument), every change audited; demo accounts
in demo mode only."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from dashboards.auth import cli
from dashboards.auth.auditlog import AuditLog
from dashboards.auth.users import UserStore
from pipelines.settings import get_security_settings


@pytest.fixture
def auth(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_AUTH_DIR", str(tmp_path / "auth"))
    monkeypatch.delenv("CSC_DEMO", raising=False)
    return tmp_path / "auth"


def run(argv: list[str], monkeypatch, password: str | None = None) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO("" if password is None else password + "\n"))
    return cli.main(argv)


def test_add_list_set_reset_disable_and_every_change_is_audited(auth, monkeypatch, capsys):
    args = [
        "add",
        "alice",
        "--role",
        "manager",
        "--la",
        "850",
        "--district",
        "Winchester",
        "--name",
        "Alice Smith",
    ]
    assert run(args, monkeypatch, "correct horse battery") == 0
    assert "Added alice: manager; 850; districts Winchester" in capsys.readouterr().out
    store = UserStore(auth / "users.sqlite")
    assert store.verify("alice", "correct horse battery", None).account is not None
    assert run(["set", "alice", "--role", "analyst", "--all-las"], monkeypatch) == 0
    assert store.get("alice").las is None and [r.value for r in store.get("alice").roles] == [
        "analyst"
    ]
    assert run(["reset", "alice"], monkeypatch, "a brand new passphrase") == 0
    assert store.verify("alice", "a brand new passphrase", None).account is not None
    assert run(["disable", "alice"], monkeypatch) == 0
    assert store.verify("alice", "a brand new passphrase", None).reason == "disabled"
    assert run(["list"], monkeypatch) == 0
    assert "alice: analyst; every LA (disabled)" in capsys.readouterr().out
    log = AuditLog(auth / "audit.sqlite")
    assert [r["what"] for r in log.search(event="user_admin")][::-1] == [
        "add alice",
        "set alice",
        "reset alice",
        "disable alice",
    ]
    assert all(r["user"].startswith("os:") for r in log.search(event="user_admin"))


def test_a_password_is_never_a_command_line_argument(auth, monkeypatch, capsys):
    with pytest.raises(SystemExit):
        cli.main(["add", "bob", "--role", "board", "--la", "850", "--password", "hunter2hunter2"])
    assert "unrecognized arguments" in capsys.readouterr().err
    assert run(["add", "bob", "--role", "board", "--la", "850"], monkeypatch, None) == 2
    assert "no password on standard input" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "carol", "--role", "manager", "--la", "850"], "a manager needs their districts"),
        (["add", "carol", "--role", "board"], "give the LAs this account covers"),
        (["add", "Carol Smith", "--role", "board", "--la", "850"], "account name"),
        (["reset", "nobody"], "there is no account 'nobody'"),
    ],
)
def test_mistakes_are_refused_with_what_to_do(auth, monkeypatch, capsys, argv, message):
    assert run(argv, monkeypatch, "correct horse battery") == 2
    assert message in capsys.readouterr().err


def test_demo_accounts_only_in_demo_mode_and_their_printed_passwords_work(
    auth, monkeypatch, capsys
):
    assert run(["demo"], monkeypatch) == 2
    assert "demo mode only" in capsys.readouterr().err
    monkeypatch.setenv("CSC_DEMO", "1")
    assert run(["demo"], monkeypatch) == 0
    out = capsys.readouterr().out
    printed = dict(re.findall(r"^  \w+ +(demo-\w+) +(\S+) ", out, flags=re.M))
    assert set(printed) == {
        "demo-board",
        "demo-manager",
        "demo-analyst",
        "demo-engineer",
        "demo-admin",
    }
    store = UserStore(get_security_settings().users_path)
    for name, password in printed.items():
        assert store.verify(name, password, None).account is not None, name
    assert run(["demo"], monkeypatch) == 0  # a new start: new passwords, the old ones void
    again = dict(re.findall(r"^  \w+ +(demo-\w+) +(\S+) ", capsys.readouterr().out, flags=re.M))
    assert store.verify("demo-board", printed["demo-board"], None).account is None
    assert store.verify("demo-board", again["demo-board"], None).account is not None


def test_the_console_script_is_installed_and_reads_the_password_from_stdin(auth):
    done = subprocess.run(
        [
            str(__import__("pathlib").Path(sys.executable).with_name("csc-users")),
            "add",
            "dave",
            "--role",
            "engineer",
            "--all-las",
        ],
        input="correct horse battery\n",
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "CSC_AUTH_DIR": str(auth)},
    )
    assert done.returncode == 0, done.stderr
    assert "correct horse battery" not in done.stdout + done.stderr
