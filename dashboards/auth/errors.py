"""The refusals: raised by ``dashboards.data`` and ``require_role``; the app turns them
into a 403 (a callback or download) or a "not in your scope" page (a page)."""

from __future__ import annotations


class NotAllowed(PermissionError):
    """The principal's role or scope does not allow this (it was audited)."""

    def __init__(
        self,
        message: str,
        *,
        what: str,
        la: str | None = None,
        district: str | None = None,
        child: str | None = None,
    ):
        super().__init__(message)
        self.what, self.la, self.district, self.child = what, la, district, child


class NotSignedIn(NotAllowed):
    """Nobody is signed in (outside a signed-in request and any ``acting_as``)."""
