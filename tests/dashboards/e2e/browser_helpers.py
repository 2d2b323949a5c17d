"""What the e2e tests wait on, and signing in (a module of its own, not conftest: tests
import it by name)."""

from __future__ import annotations

from auth_helpers import PASSWORD


def browser_sign_in(page, username: str, password: str = PASSWORD, *, go: bool = True) -> None:
    """Sign in through the real sign-in page, as a person does (``go=False``: on the
    sign-in page the browser was sent to)."""
    if go:
        page.goto("/login")
    page.get_by_label("Account name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def wait_until_drawn(page) -> None:
    """Dash idle, a heading shown, every chart and grid drawn (no waiting on time)."""
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_function(
        """() => !document.querySelector('[data-dash-is-loading="true"]')
              && [...document.querySelectorAll('.chart')]
                   .every(c => c.querySelector('.main-svg'))
              && [...document.querySelectorAll('img.sparkline')].every(i => i.complete)
              && [...document.querySelectorAll('.data-grid > [id]')]
                   .every(g => g.querySelector('.ag-root-wrapper'))
              && document.querySelector('#shell-freshness').textContent.trim() !== ''"""
    )
