"""What the e2e tests wait on (a module of its own, not conftest: tests import it by name)."""

from __future__ import annotations


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
