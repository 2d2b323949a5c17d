"""Component ids, namespaced per page so that ids never collide across pages.

Pattern-matching ids (dicts) are built by the small functions at the bottom.
"""

from __future__ import annotations

# ##### Shell (every page)
SHELL_URL = "shell-url"  # full reload when the LA changes
LA_SELECT = "shell-la-select"
LA_SELECT_WRAPPER = "shell-la-select-wrapper"
FRESHNESS = "shell-freshness"
NAV_LINK = "shell-nav-link"  # pattern type; index = page path

# ##### Grids (pattern types; index = grid name)
GRID = "grid"
GRID_EXPORT = "grid-export"

# ##### Scorecard (/)
SCORECARD_DOWNLOAD_BUTTON = "scorecard-download-button"
SCORECARD_DOWNLOAD = "scorecard-download"
SCORECARD_LA = "scorecard-la"

# ##### Missing and return home interviews (/missing)
MISSING_URL = "missing-url"
MISSING_LA = "missing-la"
MISSING_DISTRICT = "missing-district"
MISSING_BREAKDOWN = "missing-breakdown"
MISSING_KPI = "missing-kpi"
MISSING_START = "missing-start"
MISSING_END = "missing-end"
MISSING_MESSAGES = "missing-messages"
MISSING_TILES = "missing-tiles"
MISSING_TREND = "missing-trend"
MISSING_TREND_WRAPPER = "missing-trend-wrapper"
MISSING_TABLE_HEADING = "missing-table-heading"
MISSING_TABLE = "missing-by-period"

# ##### KPI page (/kpi/<kpi_id>)
KPI_URL = "kpi-url"
KPI_ID = "kpi-id"
KPI_REDIRECT = "kpi-redirect"
KPI_LA = "kpi-la"
KPI_DISTRICT = "kpi-district"
KPI_BREAKDOWN = "kpi-breakdown"
KPI_MESSAGES = "kpi-messages"
KPI_CONTENT = "kpi-content"
KPI_TREND = "kpi-trend"
KPI_RANKING = "kpi-ranking"
KPI_RANKING_TABLE = "kpi-districts"
KPI_PERIOD_TABLE = "kpi-by-period"

# ##### KPI dictionary (/dictionary)
DICTIONARY_TABLE = "kpi-dictionary"

# ##### RHI action list (/actions/rhi)
ACTIONS_URL = "actions-url"
ACTIONS_LA = "actions-la"
ACTIONS_DISTRICT = "actions-district"
ACTIONS_CONTENT = "actions-content"
ACTIONS_MESSAGES = "actions-messages"
ACTIONS_TABLE = "rhi-action-list"


def grid(name: str) -> dict[str, str]:
    """Id of the AG Grid called ``name`` (also its CSV file name)."""
    return {"type": GRID, "index": name}


def grid_export(name: str) -> dict[str, str]:
    """Id of the "Download CSV" button of the grid called ``name``."""
    return {"type": GRID_EXPORT, "index": name}


def nav_link(path: str) -> dict[str, str]:
    return {"type": NAV_LINK, "index": path}


#: Dash Pages' own ``dcc.Location`` (``dash.page_container``); the router reads it.
PAGES_LOCATION = "_pages_location"
NAVBAR_TOGGLER = "shell-navbar-toggler"
NAVBAR_COLLAPSE = "shell-navbar-collapse"
