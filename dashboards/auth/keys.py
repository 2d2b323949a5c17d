"""The key that signs session cookies: ``CSC_SECRET_KEY``, else the file
``CSC_SECRET_KEY_FILE`` (default ``<auth dir>/secret_key``), made on first run with
mode 0600. Every server process reads the same file, so a session signed by one gunicorn
worker is good in the other; deleting the file (and restarting) signs everybody out."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

MIN_KEY_CHARS = 32


class KeyError_(RuntimeError):
    """A key is missing, too short or unreadable (the message says which and where)."""


def read_secret_file(path: Path, what: str) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise KeyError_(f"{what}: cannot read {path}: {err.strerror}") from None
    if path.stat().st_mode & 0o077:
        raise KeyError_(f"{what}: {path} can be read by other users: chmod 600 {path}")
    return value


def session_key(value: str | None, path: Path) -> str:
    """The session key from ``value``, else from ``path`` (created if missing)."""
    if value:
        if len(value) < MIN_KEY_CHARS:
            raise KeyError_(f"CSC_SECRET_KEY must have at least {MIN_KEY_CHARS} characters")
        return value
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another worker is writing it this very moment
            key = read_secret_file(path, "session key")
            if key:
                break
            time.sleep(0.05)
    else:
        key = secrets.token_hex(32)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
    if len(key) < MIN_KEY_CHARS:
        raise KeyError_(f"session key: {path} holds fewer than {MIN_KEY_CHARS} characters")
    return key
