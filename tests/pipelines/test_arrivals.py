"""The landing sensor's view: each new extract is reported once, and not while copying."""

from __future__ import annotations

import json
import os
import time

from pipelines.lib.arrivals import find_arrivals

LATER = time.time() + 3600  # an hour from now: every folder has settled


def test_first_look_reports_the_newest_extract_of_each_la_source_and_year(landing):
    landing.extract_903("850", "2024-25", "2024-09-30")
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.extract_903("851", "2023-24", "2024-05-31")
    landing.write("850/local/2024-10-31/teams.csv", "TEAM_ID,TEAM_NAME,DISTRICT,SERVICE\n")
    arrivals = find_arrivals(landing.root, None, now=LATER)
    assert [e.label for e in arrivals.new] == [
        "850/local/2024-10-31",
        "850/ssda903/2024-25/2024-10-31",
        "851/ssda903/2023-24/2024-05-31",
    ]
    assert json.loads(arrivals.cursor) == {
        "850/local": "2024-10-31",
        "850/ssda903/2024-25": "2024-10-31",
        "851/ssda903/2023-24": "2024-05-31",
    }


def test_nothing_new_after_the_cursor_and_a_new_month_is_reported_once(landing):
    landing.extract_903("850", "2024-25", "2024-10-31")
    first = find_arrivals(landing.root, None, now=LATER)
    assert find_arrivals(landing.root, first.cursor, now=LATER).new == []
    landing.extract_903("850", "2024-25", "2024-11-30")
    second = find_arrivals(landing.root, first.cursor, now=LATER)
    assert [e.label for e in second.new] == ["850/ssda903/2024-25/2024-11-30"]
    assert find_arrivals(landing.root, second.cursor, now=LATER).new == []


def test_an_extract_still_being_copied_waits_and_the_cursor_does_not_move(landing):
    landing.extract_903("850", "2024-25", "2024-10-31")
    arrivals = find_arrivals(landing.root, None, settle_seconds=60, now=time.time())
    assert arrivals.new == []
    assert [e.label for e in arrivals.settling] == ["850/ssda903/2024-25/2024-10-31"]
    assert json.loads(arrivals.cursor) == {}


def test_an_older_extract_dropped_in_later_does_not_trigger_a_run(landing):
    landing.extract_903("850", "2024-25", "2024-10-31")
    cursor = find_arrivals(landing.root, None, now=LATER).cursor
    landing.extract_903("850", "2024-25", "2024-08-31")
    assert find_arrivals(landing.root, cursor, now=LATER).new == []


def _age(folder, seconds: float) -> None:
    when = time.time() - seconds
    for p in [folder, *folder.iterdir()]:
        os.utime(p, (when, when))


def test_an_la_waits_as_a_whole_while_one_of_its_extracts_is_still_being_copied(landing):
    _age(landing.extract_903("850", "2024-25", "2024-10-31"), 3600)
    _age(landing.extract_903("851", "2024-25", "2024-10-31"), 3600)
    landing.write("850/local/2024-10-31/teams.csv", "TEAM_ID,TEAM_NAME,DISTRICT,SERVICE\n")

    arrivals = find_arrivals(landing.root, None, settle_seconds=60)

    assert {la: [e.label for e in es] for la, es in arrivals.by_la().items()} == {
        "851": ["851/ssda903/2024-25/2024-10-31"]
    }
    assert [e.label for e in arrivals.settling] == [
        "850/local/2024-10-31",
        "850/ssda903/2024-25/2024-10-31",
    ]
    assert json.loads(arrivals.cursor) == {"851/ssda903/2024-25": "2024-10-31"}
    later = find_arrivals(landing.root, arrivals.cursor, now=LATER)
    assert {la: [e.label for e in es] for la, es in later.by_la().items()} == {
        "850": ["850/local/2024-10-31", "850/ssda903/2024-25/2024-10-31"]
    }
