"""A small serving snapshot written by hand, and apps pointed at it.

Two LAs. LA 850 has four districts and every kind of KPI; LA 851 has two districts, two
KPIs, and its latest delivery was rejected. Months run from January 2024 to February
2025; February 2025 is partial (measured as at the extract date, 14 February 2025).

Figures the tests rely on (LA 850, district ALL unless said):

- rhi_offered_pct, all: Feb 2025 18/20 = 90.0 (target 90, tolerance 5 → green),
  Jan 2025 17/20 = 85.0, Feb 2024 16/20 = 80.0; Winchester Feb 2025 5/10 = 50.0;
  Basingstoke and Deane Feb 2025 9/10 = 90.0; care Feb 2025 12/15 = 80.0.
- rhi_accepted_pct: Winchester Feb 2025 no cases (0 offered).
- rhi_within_72h_pct, all: Feb 2025 no cases; England comparator 63.0 (2024).
- missing_cla_pct (lower; 'all' only): Feb 2025 11.5 (target 10, tolerance 2 → amber),
  Jan 2025 12.0, Feb 2024 11.5.
- caseload_avg (lower, ratio): Feb 2025 22.0 (target 18, tolerance 2 → red), Jan 21.0.
- cla_count (info): Feb 2025 1,000, Jan 2025 990.
- pep_in_term_pct (term): not supplied.
- cl_eet_pct (year; headline 17-21): 2024-25 62.0 (target 60 → green), 2023-24 55.0;
  England comparator blank for 2024 and 2023 → "not published".

The managers' tables (districts, caseloads by worker, the four action lists, children and
a child's timeline) and their figures are in manager_fixture.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from auth_helpers import add_accounts, principal, security_settings, signed_in
from dash_helpers import DashCallbacks
from manager_fixture import add_manager_tables
from status_fixture import build_status

from dashboards import data
from dashboards.auth import acting_as

EXTRACT_DATE = dt.date(2025, 2, 14)
MONTHS = [dt.date(2024 + (m // 12), m % 12 + 1, 1) for m in range(14)]  # Jan 2024 .. Feb 2025
DISTRICTS_850 = ["ALL", "Basingstoke and Deane", "Winchester", "County", "Unallocated"]
DISTRICTS_851 = ["ALL", "North", "South"]
RHI_KPIS = ["rhi_offered_pct", "rhi_accepted_pct", "rhi_within_72h_pct"]
COUNT_KPIS = ["missing_episodes", "away_episodes"]

CATALOGUE = [
    # kpi_id, name, area, polarity, unit, frequency, breakdowns, decimals, sort_order
    ("rhi_offered_pct", "RHI offered", "Missing and RHI", "higher", "percent", "month", "all|care|home", 1, 10),
    ("rhi_accepted_pct", "RHI taken up", "Missing and RHI", "higher", "percent", "month", "all|care|home", 1, 20),
    ("rhi_within_72h_pct", "RHI held within 72 hours", "Missing and RHI", "higher", "percent", "month", "all|care|home", 1, 30),
    ("missing_episodes", "Missing episodes ended in the month", "Missing and RHI", "info", "count", "month", "all|care|home", 0, 40),
    ("away_episodes", "Away episodes ended in the month", "Missing and RHI", "info", "count", "month", "all|care|home", 0, 50),
    ("missing_cla_pct", "Children looked after who went missing", "Missing and RHI", "lower", "percent", "month", "all", 1, 60),
    ("pep_in_term_pct", "PEP completed this term", "Education", "higher", "percent", "term", "all", 1, 70),
    ("cl_eet_pct", "Care leavers in education, employment or training", "Care leavers", "higher", "percent", "year", "17-18|19-21|17-21", 1, 80),
    ("caseload_avg", "Average caseload per case-holding FTE", "Workforce", "lower", "ratio", "month", "all", 1, 90),
    ("cla_count", "Children looked after", "Children looked after", "info", "count", "month", "all", 0, 100),
]  # fmt: skip

TARGETS = [
    ("rhi_offered_pct", 90.0, 5.0),
    ("rhi_accepted_pct", 80.0, 5.0),
    ("rhi_within_72h_pct", 70.0, 10.0),
    ("missing_cla_pct", 10.0, 2.0),
    ("caseload_avg", 18.0, 2.0),
    ("cl_eet_pct", 60.0, 5.0),
]

COMPARATORS = [  # the seed's columns: kpi_id, breakdown, comparator, year, value, source
    ("rhi_within_72h_pct", "all", "England", 2024, 63.0, "Missing People FOI report 2023-24"),
    ("rhi_within_72h_pct", "all", "South East", 2024, None, "not published"),
    ("missing_cla_pct", "all", "England", 2018, 11.0, "Coram"),
    ("cl_eet_pct", "17-21", "England", 2023, None, "not published"),
    ("cl_eet_pct", "17-21", "England", 2024, None, "not published"),
    ("cl_eet_pct", "19-21", "England", 2022, 52.0, "EES"),
]


def month_end(start: dt.date) -> dt.date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def _row(la, district, breakdown, ptype, start, end, partial, kpi, num, den, status=None):
    if status is None:
        status = "no_cases" if den == 0 else "ok"
    if status == "not_supplied":
        value = None
    elif den is None:
        value = num
    else:
        value = None if den == 0 else 100.0 * num / den if kpi.endswith("_pct") else num / den
    return (la, district, breakdown, ptype, start, end, partial, kpi, num, den, value, status)


def _monthly(la, districts, kpis, breakdowns, overrides):
    rows = []
    for i, start in enumerate(MONTHS):
        partial = i == len(MONTHS) - 1
        end = EXTRACT_DATE if partial else month_end(start)
        key_month = f"{start:%Y-%m}"
        for d_i, district in enumerate(districts):
            for b_i, breakdown in enumerate(breakdowns):
                for kpi in kpis:
                    if kpi in COUNT_KPIS or kpi == "cla_count":
                        num, den = 5 + (i % 4) + d_i + b_i, None
                    elif kpi == "caseload_avg":
                        num, den = 150.0 + 10 * (i % 3) + d_i, 10.0
                    else:
                        num, den = 10 + ((i + d_i + b_i) % 6), 20
                    num, den, *status = overrides.get(
                        (district, breakdown, kpi, key_month), (num, den)
                    )
                    rows.append(
                        _row(la, district, breakdown, "month", start, end, partial, kpi, num, den,
                             *status)
                    )  # fmt: skip
    return rows


OVERRIDES_850 = {
    ("ALL", "all", "rhi_offered_pct", "2025-02"): (18, 20),
    ("ALL", "all", "rhi_offered_pct", "2025-01"): (17, 20),
    ("ALL", "all", "rhi_offered_pct", "2024-02"): (16, 20),
    ("Winchester", "all", "rhi_offered_pct", "2025-02"): (5, 10),
    ("Basingstoke and Deane", "all", "rhi_offered_pct", "2025-02"): (9, 10),
    ("ALL", "care", "rhi_offered_pct", "2025-02"): (12, 15),
    ("Winchester", "all", "rhi_accepted_pct", "2025-02"): (0, 0),
    ("ALL", "all", "rhi_within_72h_pct", "2025-02"): (0, 0),
    ("ALL", "all", "missing_cla_pct", "2025-02"): (23, 200),
    ("ALL", "all", "missing_cla_pct", "2025-01"): (24, 200),
    ("ALL", "all", "missing_cla_pct", "2024-02"): (23, 200),
    ("ALL", "all", "caseload_avg", "2025-02"): (220.0, 10.0),
    ("ALL", "all", "caseload_avg", "2025-01"): (210.0, 10.0),
    ("ALL", "all", "cla_count", "2025-02"): (1000, None),
    ("ALL", "all", "cla_count", "2025-01"): (990, None),
}


def kpi_value_rows() -> list[tuple]:
    rows = _monthly(
        "850", DISTRICTS_850, RHI_KPIS + COUNT_KPIS, ["all", "care", "home"], OVERRIDES_850
    )
    rows += _monthly(
        "850",
        DISTRICTS_850,
        ["missing_cla_pct", "caseload_avg", "cla_count"],
        ["all"],
        OVERRIDES_850,
    )
    rows += _monthly(
        "851", DISTRICTS_851, ["rhi_offered_pct", "missing_episodes"], ["all", "care", "home"], {}
    )
    for district in DISTRICTS_850:
        for start, end, partial in [
            (dt.date(2024, 9, 1), dt.date(2024, 12, 31), False),
            (dt.date(2025, 1, 1), EXTRACT_DATE, True),
        ]:
            rows.append(
                _row(
                    "850",
                    district,
                    "all",
                    "term",
                    start,
                    end,
                    partial,
                    "pep_in_term_pct",
                    None,
                    None,
                    "not_supplied",
                )
            )
        for breakdown in ["17-18", "19-21", "17-21"]:
            for start, end, partial, num in [
                (dt.date(2023, 4, 1), dt.date(2024, 3, 31), False, 55),
                (dt.date(2024, 4, 1), EXTRACT_DATE, True, 62),
            ]:
                rows.append(
                    _row(
                        "850",
                        district,
                        breakdown,
                        "year",
                        start,
                        end,
                        partial,
                        "cl_eet_pct",
                        num,
                        100,
                    )
                )
    return rows  # fmt: skip


def build_snapshot(path: Path) -> Path:
    """Write the snapshot described in this module's docstring to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        for schema in ("marts", "reference", "meta"):
            con.execute(f"create schema {schema}")
        con.execute(
            "create table marts.kpi_values (la_code varchar, district varchar, breakdown varchar, "
            "period_type varchar, period_start date, period_end date, is_partial boolean, "
            "kpi_id varchar, numerator double, denominator double, value double, status varchar)"
        )
        kpi_frame = pd.DataFrame(kpi_value_rows())  # noqa: F841 (read by DuckDB by name)
        # One insert from a frame: executemany of ~6,000 rows takes seconds.
        con.execute("insert into marts.kpi_values select * from kpi_frame")
        con.execute(
            "create table marts.kpi_catalogue (kpi_id varchar, name varchar, area varchar, "
            "description varchar, numerator varchar, denominator varchar, polarity varchar, "
            "unit varchar, frequency varchar, source varchar, breakdowns varchar, "
            "decimals integer, sort_order integer)"
        )
        con.executemany(
            "insert into marts.kpi_catalogue values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (k, n, a, f"What {n} measures.", f"numerator of {k}", f"denominator of {k}",
                 p, u, f, "903 and local", b, d, s)
                for k, n, a, p, u, f, b, d, s in CATALOGUE
            ],
        )  # fmt: skip
        con.execute(
            "create table reference.targets (kpi_id varchar, target double, tolerance double, "
            "threshold double, set_by varchar, notes varchar)"
        )
        con.executemany(
            "insert into reference.targets values (?, ?, ?, null, 'Board', null)",
            [list(t) for t in TARGETS],
        )
        con.execute(
            "create table reference.comparators (kpi_id varchar, breakdown varchar, "
            "comparator varchar, year integer, value double, source varchar)"
        )
        con.executemany(
            "insert into reference.comparators values (?, ?, ?, ?, ?, ?)",
            [list(c) for c in COMPARATORS],
        )
        con.execute(
            "create table marts.action_rhi_outstanding (la_code varchar, as_at_date date, "
            "child varchar, source varchar, mis_start date, mis_end date, "
            "days_since_return integer, district varchar, sw_id varchar, team_id varchar, "
            "team_name varchar, district_at_return varchar, has_rhi_record boolean, "
            "offered varchar, accepted varchar, is_offered boolean, is_accepted boolean)"
        )
        con.executemany(
            "insert into marts.action_rhi_outstanding values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("850", EXTRACT_DATE, "C001", "care", dt.date(2025, 1, 30), dt.date(2025, 2, 1), 13, "Winchester", "SW10", "T1", "Winchester CIC", "Winchester", True, "Y", "N", True, False),
                ("850", EXTRACT_DATE, "C002", "home", dt.date(2025, 2, 4), dt.date(2025, 2, 5), 9, "Basingstoke and Deane", "SW11", "T2", "Basingstoke CIC", "Basingstoke and Deane", False, None, None, False, False),
                ("851", dt.date(2025, 1, 31), "P001", "care", dt.date(2025, 1, 19), dt.date(2025, 1, 20), 11, "North", "SW90", "T9", "North", "North", False, None, None, False, False),
            ],
        )  # fmt: skip
        con.execute(
            "create table meta.publish_info as select timestamp '2025-02-15 06:30:00' "
            "as published_at, 'run-1' as run_id"
        )
        con.execute(
            "create table meta.extract_files (la_code varchar, source varchar, "
            "collection_year varchar, extract_date date, table_name varchar, source_file varchar, "
            "row_count integer, is_supplied boolean, fingerprint varchar, loaded_at timestamp)"
        )
        con.executemany(
            "insert into meta.extract_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("850", "ssda903", "2024-25", EXTRACT_DATE, "episodes", "850/ssda903/2024-25/2025-02-14/episodes.csv", 10, True, "f1", dt.datetime(2025, 2, 15, 5)),
                ("850", "local", None, EXTRACT_DATE, "peps", None, 0, False, None, dt.datetime(2025, 2, 15, 5)),
                ("850", "ssda903", "2023-24", dt.date(2024, 6, 30), "episodes", "850/ssda903/2023-24/2024-06-30/episodes.csv", 9, True, "f0", dt.datetime(2024, 7, 1, 5)),
                ("851", "ssda903", "2024-25", dt.date(2025, 1, 31), "episodes", "851/ssda903/2024-25/2025-01-31/episodes.csv", 8, True, "f2", dt.datetime(2025, 2, 1, 5)),
            ],
        )  # fmt: skip
        con.execute(
            "create table meta.load_events (run_id varchar, loaded_at timestamp, la_code varchar, "
            "source varchar, collection_year varchar, extract_date date, table_name varchar, "
            "source_file varchar, outcome varchar, message varchar, row_count integer)"
        )
        con.executemany(
            "insert into meta.load_events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("r0", dt.datetime(2025, 1, 10, 5), "850", "ssda903", "2024-25", dt.date(2025, 1, 9), None, "850/ssda903/2024-25/2025-01-09/episodes.csv", "rejected", "bad date in DECOM", None),
                ("r1", dt.datetime(2025, 2, 15, 5), "850", "ssda903", "2024-25", EXTRACT_DATE, None, "850/ssda903/2024-25/2025-02-14", "loaded", "", 10),
                ("r1", dt.datetime(2025, 2, 1, 5), "851", "ssda903", "2024-25", dt.date(2025, 1, 31), None, "851/ssda903/2024-25/2025-01-31", "loaded", "", 8),
                ("r2", dt.datetime(2025, 2, 15, 5), "851", "ssda903", "2024-25", EXTRACT_DATE, None, "851/ssda903/2024-25/2025-02-14/episodes.csv", "rejected", "required column DECOM is missing", None),
            ],
        )  # fmt: skip
        add_manager_tables(con)  # the district and child pages (manager_fixture)
        add_board_tables(con)  # LA names and partners (issue 15)
    return path


#: Partners and who is accountable for which KPI (the seeds partners, kpi_accountability).
PARTNERS = [
    ("rhi_provider", "RHI Provider Ltd", "commissioned service", "Return home interviews."),
    ("virtual_school", "Virtual School", "education partner", "PEPs."),
    ("cs_workforce", "Social work workforce", "council service", "Caseloads."),
]
ACCOUNTABLE = {  # kpi_id -> (partner_id, owner role); the others have none
    "rhi_offered_pct": ("rhi_provider", "RHI contract manager"),
    "rhi_accepted_pct": ("rhi_provider", "RHI contract manager"),
    "rhi_within_72h_pct": ("rhi_provider", "RHI contract manager"),
    "pep_in_term_pct": ("virtual_school", "Virtual School Head"),
    "caseload_avg": ("cs_workforce", "Principal Social Worker"),
}


def add_board_tables(con: duckdb.DuckDBPyConnection) -> None:
    """LA names (reference.la_ons_codes: 850 Hampshire, 851 Portsmouth; 852 has none, so
    pages call it "LA 852"), partners, and the catalogue's accountable partner."""
    con.execute(
        "create table reference.la_ons_codes as select * from (values "
        "('850', 'Hampshire', 'E10000014', 'Counties'), "
        "('851', 'Portsmouth', 'E06000044', 'Unitary Authorities')) "
        "t(la_code, la_name, ons_code, la_type)"
    )
    con.execute(
        "create table reference.partners (partner_id varchar, name varchar, kind varchar, "
        "description varchar)"
    )
    con.executemany("insert into reference.partners values (?, ?, ?, ?)", PARTNERS)
    for column in ("partner_id", "partner_name", "owner_role"):
        con.execute(f"alter table marts.kpi_catalogue add column {column} varchar")
    names = {p[0]: p[1] for p in PARTNERS}
    for kpi_id, (partner, owner) in ACCOUNTABLE.items():
        con.execute(
            "update marts.kpi_catalogue set partner_id = ?, partner_name = ?, owner_role = ? "
            "where kpi_id = ?",
            [partner, names[partner], owner, kpi_id],
        )


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The snapshot, with the ingest step's ``status.duckdb`` beside it (status_fixture)."""
    path = build_snapshot(tmp_path_factory.mktemp("serving") / "serving.duckdb")
    build_status(path.with_name("status.duckdb"))
    return path


@pytest.fixture
def use_snapshot(snapshot: Path) -> Iterator[Path]:
    """Read the fixture snapshot in data.* calls made outside an app, as the analyst (who
    may read everything: the scope rules have tests of their own)."""
    with data.use_snapshot(snapshot), acting_as(principal("analyst")):
        yield snapshot


@pytest.fixture(scope="session", autouse=True)
def auth_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Accounts, session key and audit log of every app a test builds, in a temp folder
    (an app built from the environment's settings would otherwise use data/auth)."""
    path = tmp_path_factory.mktemp("auth")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CSC_AUTH_DIR", str(path))
        env.delenv("CSC_DEMO", raising=False)
        yield path


@pytest.fixture(scope="session", autouse=True)
def _board_store_outside_the_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Apps and scripts that are not given a board store use an empty one in a temporary
    folder, never the repository's data/board (CSC_BOARD_PATH, read by the settings)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CSC_BOARD_PATH", str(tmp_path_factory.mktemp("board") / "board.sqlite3"))
        yield


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """argon2id with light parameters (8 MiB, one pass) in this process: the same
    algorithm and code, a hundredth of the cost (the tests check thousands of passwords;
    production keeps argon2-cffi's RFC 9106 defaults, 64 MiB and three passes)."""
    from argon2 import PasswordHasher

    from dashboards.auth import users

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8192))
        yield


@pytest.fixture(scope="session")
def security(auth_dir: Path):
    """Sign-in settings of the test apps: accounts and the audit log in a temp folder."""
    return security_settings(auth_dir)


@pytest.fixture(scope="session")
def make_app(security):
    """``make_app(serving_path)``: another app, with the test accounts."""
    from dashboards.app import create_app

    def make(serving_path: Path):
        app = create_app(serving_path=serving_path, security=security)
        add_accounts(app)
        return app

    return make


@pytest.fixture(scope="session")
def app(snapshot: Path, make_app, tmp_path_factory: pytest.TempPathFactory):
    """The app on the fixture snapshot, with the test accounts (auth_helpers.ACCOUNTS) and
    an empty board store of its own (tests that write use ``board``)."""
    from dashboards.board.store import BOARD_PATH_KEY

    app = make_app(snapshot)
    app.server.config[BOARD_PATH_KEY] = str(tmp_path_factory.mktemp("app-board") / "b.sqlite3")
    return app


@pytest.fixture
def board(app, tmp_path: Path) -> Iterator[Path]:
    """A fresh board store for one test (the app's is put back after)."""
    from dashboards.board.store import BOARD_PATH_KEY

    before = app.server.config[BOARD_PATH_KEY]
    path = tmp_path / "board" / "board.sqlite3"
    app.server.config[BOARD_PATH_KEY] = str(path)
    yield path
    app.server.config[BOARD_PATH_KEY] = before


@pytest.fixture
def client(app):
    """A test client signed in as the analyst (through the sign-in form, once a run)."""
    return signed_in(app, "analyst")


@pytest.fixture
def anonymous(app):
    """A test client nobody signed in with."""
    return app.server.test_client()


@pytest.fixture(scope="session")
def empty_app(tmp_path_factory: pytest.TempPathFactory, make_app):
    """An app whose snapshot has not been published yet."""
    return make_app(tmp_path_factory.mktemp("unpublished") / "serving.duckdb")


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The app served on a free port in a thread (for the browser tests)."""
    from dashboards.boardpack import serve_app

    with serve_app(app) as url:
        yield url


@pytest.fixture
def callbacks(client) -> DashCallbacks:
    return DashCallbacks(client)
