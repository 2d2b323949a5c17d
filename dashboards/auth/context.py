"""Who the current read is for: the signed-in user of this request, or the principal a
block of code acts as (``acting_as``: the warm-up, the board pack, commands, tests)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import flask

from dashboards.auth.roles import Principal

#: ``flask.g`` attribute holding the signed-in principal of a request.
G_PRINCIPAL = "csc_principal"
_acting: ContextVar[Principal | None] = ContextVar("csc_acting_as", default=None)


def current_principal() -> Principal | None:
    """The principal of an enclosing ``acting_as`` block, else of this request (None when
    nobody is signed in, or outside any request)."""
    acting = _acting.get()
    if acting is not None:
        return acting
    if flask.has_request_context():
        return getattr(flask.g, G_PRINCIPAL, None)
    return None


@contextlib.contextmanager
def acting_as(principal: Principal) -> Iterator[Principal]:
    """Read as ``principal`` inside the block (whatever the request's user)."""
    token = _acting.set(principal)
    try:
        yield principal
    finally:
        _acting.reset(token)
