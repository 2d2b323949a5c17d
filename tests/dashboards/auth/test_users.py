"""Local accounts: argon2id hashes, lockout after failed sign-ins (seen by every process),
disabling and resetting ending sessions."""

from __future__ import annotations

import sqlite3

import pytest

from dashboards.auth.users import UserError, UserStore

PASSWORD = "a long enough passphrase"


@pytest.fixture
def store(tmp_path):
    store = UserStore(
        tmp_path / "users.sqlite", max_failures=3, window_minutes=15, client_max_failures=5
    )
    store.add("alice", PASSWORD, ["manager"], ["850"], ["Winchester"], "Alice")
    return store


def test_passwords_are_stored_as_argon2id_hashes_only(store, tmp_path):
    with sqlite3.connect(tmp_path / "users.sqlite") as con:
        (hashed,) = con.execute("select password_hash from users").fetchone()
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert (tmp_path / "users.sqlite").stat().st_mode & 0o077 == 0


def test_a_right_password_signs_in_and_gives_the_accounts_principal(store):
    result = store.verify("Alice", PASSWORD, "10.0.0.1")
    assert result.reason is None and result.account.username == "alice"
    who = result.account.principal()
    assert who.get_id() == "local:alice:0" and store.principal_for(who.get_id()) == who


def test_repeated_failures_lock_the_account_even_with_the_right_password_then(store):
    for _ in range(3):
        assert store.verify("alice", "wrong password!", "10.0.0.1").reason == "bad_credentials"
    locked = store.verify("alice", PASSWORD, "10.0.0.1")
    assert locked.reason == "locked" and 1 <= locked.retry_after_minutes <= 15
    store.unlock("alice")
    assert store.verify("alice", PASSWORD, "10.0.0.1").account is not None


def test_unknown_names_are_counted_too_so_a_lock_says_nothing_about_who_exists(store):
    for _ in range(3):
        assert store.verify("nobody", PASSWORD, "10.0.0.2").reason == "bad_credentials"
    assert store.verify("nobody", PASSWORD, "10.0.0.2").reason == "locked"


def test_one_address_trying_many_names_is_blocked(store):
    for i in range(5):
        store.verify(f"guess{i}", "x" * 12, "10.9.9.9")
    assert store.verify("alice", PASSWORD, "10.9.9.9").reason == "client_blocked"
    assert store.verify("alice", PASSWORD, "10.0.0.3").account is not None  # others may


def test_failures_are_shared_by_every_process_through_the_file(store, tmp_path):
    other = UserStore(tmp_path / "users.sqlite", max_failures=3)  # as another worker
    for _ in range(3):
        other.verify("alice", "wrong password!", "10.0.0.4")
    assert store.verify("alice", PASSWORD, "10.0.0.5").reason == "locked"


def test_disabling_or_resetting_or_changing_access_ends_sessions(store):
    session = store.verify("alice", PASSWORD, None).account.principal().get_id()
    store.set_disabled("alice", True)
    assert store.principal_for(session) is None
    assert store.verify("alice", PASSWORD, None).reason == "disabled"
    store.set_disabled("alice", False)
    session = store.verify("alice", PASSWORD, None).account.principal().get_id()
    store.set_password("alice", "another long passphrase")
    assert store.principal_for(session) is None
    assert store.verify("alice", PASSWORD, None).reason == "bad_credentials"
    session = store.verify("alice", "another long passphrase", None).account.principal().get_id()
    store.set_access("alice", districts=["Havant"])
    assert store.principal_for(session) is None
    assert store.get("alice").districts == ("Havant",)


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("Bob Smith", PASSWORD, "account name"),
        ("bob", "short", "at least 12 characters"),
        ("bob", "bobbobbobbob".upper().lower(), None),
        ("alice", PASSWORD, "exists already"),
    ],
)
def test_bad_names_and_passwords_are_refused(store, name, password, message):
    if message is None:
        store.add(name, password, ["board"], ["850"])
        return
    with pytest.raises(UserError, match=message):
        store.add(name, password, ["board"], ["850"])


def test_the_password_may_not_be_the_account_name(store):
    with pytest.raises(UserError, match="not be the account name"):
        store.add("longusername1", "LongUserName1", ["board"], ["850"])
