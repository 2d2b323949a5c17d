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
SIGN_OUT_FORM = "shell-sign-out"
SIGN_OUT_TOKEN = "shell-sign-out-token"

# ##### Grids (pattern types; index = grid name)
GRID = "grid"
GRID_EXPORT = "grid-export"
GRID_EXCEL = "grid-excel"
GRID_DOWNLOAD = "grid-download"

# ##### Scorecard (/)
SCORECARD_DOWNLOAD_BUTTON = "scorecard-download-button"
SCORECARD_EXCEL_BUTTON = "scorecard-excel-button"
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
KPI_NOT_KNOWN = "kpi-not-known"  # placement location: "location not known" beside the figure
KPI_PLACEMENT_CHART = "kpi-placement-chart"
KPI_PLACEMENT_TABLE = "kpi-placement-bands"
KPI_DISTRICT_CHART = "kpi-district-chart"
KPI_DISTRICT_CHART_STATE = "kpi-district-chart-state"

# ##### KPI dictionary (/dictionary)
DICTIONARY_TABLE = "kpi-dictionary"

# ##### RHI action list (/actions/rhi)
ACTIONS_URL = "actions-url"
ACTIONS_LA = "actions-la"
ACTIONS_DISTRICT = "actions-district"
ACTIONS_CONTENT = "actions-content"
ACTIONS_MESSAGES = "actions-messages"
ACTIONS_TABLE = "rhi-action-list"

# ##### Districts (/district) and one district (/district/<district>; managers)
DISTRICTS_TABLE = "districts-table"
DISTRICT_URL = "district-url"
DISTRICT_LA = "district-la"
DISTRICT_NAME = "district-name"
DISTRICT_PERIOD = "district-period"
DISTRICT_MESSAGES = "district-messages"
DISTRICT_CONTENT = "district-content"
DISTRICT_SPINE = "district-spine"
DISTRICT_KPI_TABLE = "district-kpis"
DISTRICT_TEAM_TABLE = "district-caseloads-by-team"
DISTRICT_WORKER_TABLE = "district-caseloads-by-worker"
DISTRICT_PLACEMENT_TABLE = "district-placement-locations"  # where its children live now
#: Grid names of the district's four action lists, by list.
DISTRICT_ACTION_TABLES = {
    "rhi": "district-rhi-outstanding",
    "pep": "district-pep-outstanding",
    "care_leavers": "district-care-leavers",
    "cla_unallocated": "district-cla-unallocated",
}

# ##### One child's timeline (/child/<child_id>; managers)
CHILD_TIMELINE = "child-timeline"
#: Grid names of the child's tables, by event type.
CHILD_TABLES = {
    "period_of_care": "child-periods-of-care",
    "placement": "child-placements",
    "allocation": "child-allocations",
    "missing": "child-missing-episodes",
    "pep": "child-peps",
    "review": "child-reviews",
}

# ##### Data quality (/data-quality; data engineers)
DQ_URL = "dq-url"
DQ_LA = "dq-la"
DQ_YEAR = "dq-year"
DQ_SEVERITY = "dq-severity"
DQ_RULE = "dq-rule"
DQ_FILE = "dq-file"
DQ_MESSAGES = "dq-messages"
DQ_CONTENT = "dq-content"
DQ_DOWNLOAD_CSV = "dq-download-csv"
DQ_DOWNLOAD_EXCEL = "dq-download-excel"
DQ_DOWNLOAD = "dq-download"
DQ_STATUS_TABLE = "dq-extract-status"
DQ_FRESHNESS_TABLE = "dq-freshness"
DQ_RULES_TABLE = "dq-issues-by-rule"
DQ_FILES_TABLE = "dq-issues-by-file"
DQ_CHILDREN_TABLE = "dq-issues-by-child"
DQ_ROWS_TABLE = "dq-failing-rows"
DQ_LANDING_TABLE = "dq-landing-problems"
DQ_VOLUME_TABLE = "dq-volume-checks"
DQ_DFE_EXTRACTS_TABLE = "dq-dfe-extracts"
DQ_DFE_RULES_TABLE = "dq-dfe-rules"
DQ_DFE_ROWS_TABLE = "dq-dfe-rows"
DQ_DFE_TREND = "dq-dfe-trend"


# ##### Administrators (/admin/audit, /admin/users)
ADMIN_AUDIT_URL = "admin-audit-url"
ADMIN_AUDIT_USER = "admin-audit-user"
ADMIN_AUDIT_EVENT = "admin-audit-event"
ADMIN_AUDIT_RESULT = "admin-audit-result"
ADMIN_AUDIT_LA = "admin-audit-la"
ADMIN_AUDIT_CHILD = "admin-audit-child"
ADMIN_AUDIT_SINCE = "admin-audit-since"
ADMIN_AUDIT_UNTIL = "admin-audit-until"
ADMIN_AUDIT_MESSAGES = "admin-audit-messages"
ADMIN_AUDIT_CONTENT = "admin-audit-content"
ADMIN_AUDIT_TABLE = "audit-log"
ADMIN_USERS_TABLE = "accounts"


def grid(name: str) -> dict[str, str]:
    """Id of the AG Grid called ``name`` (also its CSV file name)."""
    return {"type": GRID, "index": name}


def grid_export(name: str) -> dict[str, str]:
    """Id of the "Download CSV" button of the grid called ``name``."""
    return {"type": GRID_EXPORT, "index": name}


def grid_excel(name: str) -> dict[str, str]:
    """Id of the "Download Excel" button of the grid called ``name``."""
    return {"type": GRID_EXCEL, "index": name}


def grid_download(name: str) -> dict[str, str]:
    """Id of the ``dcc.Download`` that sends the grid's Excel file (``<name>.xlsx``)."""
    return {"type": GRID_DOWNLOAD, "index": name}


def nav_link(path: str) -> dict[str, str]:
    return {"type": NAV_LINK, "index": path}


#: Dash Pages' own ``dcc.Location`` (``dash.page_container``); the router reads it.
PAGES_LOCATION = "_pages_location"
NAVBAR_TOGGLER = "shell-navbar-toggler"
NAVBAR_COLLAPSE = "shell-navbar-collapse"

# The board's working memory on the KPI page (views/board_memory.py), the Partners page
# and the board summary (views/partners.py, views/board.py).
BOARD_SECTION = "board-section"
BOARD_KEY = "board-key"
BOARD_MESSAGE = "board-message"
BOARD_COMMENT_TEXT = "board-comment-text"
BOARD_COMMENT_SEEN = "board-comment-seen"
BOARD_COMMENT_SAVE = "board-comment-save"
BOARD_ACTION_ASKED = "board-action-asked"
BOARD_ACTION_PARTNER = "board-action-partner"
BOARD_ACTION_OWNER = "board-action-owner"
BOARD_ACTION_DUE = "board-action-due"
BOARD_ACTION_SAVE = "board-action-save"
BOARD_UPDATE_ACTION = "board-update-action"
BOARD_UPDATE_STATUS = "board-update-status"
BOARD_UPDATE_NOTE = "board-update-note"
BOARD_UPDATE_DUE = "board-update-due"
BOARD_UPDATE_SAVE = "board-update-save"
BOARD_TABLE = "board-actions"
BOARD_MEETING_DATE = "board-meeting-date"
BOARD_MEETING_SAVE = "board-meeting-save"
BOARD_MEETING_MESSAGE = "board-meeting-message"
BOARD_PAGE_LA = "board-page-la"
PARTNERS_LA = "partners-la"
