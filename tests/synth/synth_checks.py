"""Independent checks of a landing folder against the data contract and DfE 903 rules.

Nothing here imports the generator: the checks read the CSV files as a council's files
would be read, using only the contract module and the code sets. Each ``check_*``
function returns a list of problems (empty when the data are valid).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from pipelines.lib import codesets as cs
from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES, table_spec

DATE_RE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
SHORT_BREAKS = {"V3", "V4"}


@cache
def day(text: str) -> int:
    """dd/mm/yyyy -> ordinal; ValueError if not a real date in that format."""
    if not DATE_RE.match(text):
        raise ValueError(f"not dd/mm/yyyy: {text!r}")
    return date(int(text[6:]), int(text[3:5]), int(text[:2])).toordinal()


def add_years(ordinal: int, years: int) -> int:
    d = date.fromordinal(ordinal)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:
        return date(d.year + years, 3, 1).toordinal()


@cache
def _april(year: int) -> int:
    return date(year, 4, 1).toordinal()


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [dict(zip(header, row, strict=True)) for row in reader]


@dataclass
class Extract903:
    la: str
    year: int
    extract_date: int
    folder: Path
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return _april(self.year)

    @property
    def coverage_end(self) -> int:
        return min(self.extract_date, date(self.year + 1, 3, 31).toordinal())

    @property
    def is_final(self) -> bool:
        return self.coverage_end == date(self.year + 1, 3, 31).toordinal()


@dataclass
class LaData:
    la: str
    extracts: list[Extract903]
    local: dict[int, dict[str, list[dict[str, str]]]]  # snapshot day -> table -> rows

    def latest_per_year(self) -> list[Extract903]:
        best: dict[int, Extract903] = {}
        for ex in self.extracts:
            if ex.year not in best or ex.extract_date > best[ex.year].extract_date:
                best[ex.year] = ex
        return [best[y] for y in sorted(best)]

    @property
    def latest_local(self) -> dict[str, list[dict[str, str]]]:
        return self.local[max(self.local)]


def load(root: Path, la: str) -> LaData:
    extracts = []
    for year_dir in sorted((root / la / "ssda903").iterdir()):
        for extract_dir in sorted(year_dir.iterdir()):
            ex = Extract903(
                la,
                cs.year_start(year_dir.name),
                date.fromisoformat(extract_dir.name).toordinal(),
                extract_dir,
            )
            for path in sorted(extract_dir.glob("*.csv")):
                ex.tables[path.stem] = read_csv(path)[1]
            extracts.append(ex)
    local = {}
    for snap in sorted((root / la / "local").iterdir()):
        local[date.fromisoformat(snap.name).toordinal()] = {
            p.stem: read_csv(p)[1] for p in sorted(snap.glob("*.csv"))
        }
    return LaData(la, extracts, local)


# ---------------------------------------------------------------------------- layout


def check_layout(root: Path) -> list[str]:
    """Folder names, file names, exact headers, '\\n' line ends, UTF-8 without BOM."""
    problems = []
    for la_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if not re.fullmatch(r"\d{3}", la_dir.name):
            problems.append(f"bad LA folder {la_dir}")
        if sorted(p.name for p in la_dir.iterdir()) != ["local", "ssda903"]:
            problems.append(f"{la_dir}: expected local/ and ssda903/")
        for year_dir in (la_dir / "ssda903").iterdir():
            if cs.year_label(cs.year_start(year_dir.name)) != year_dir.name:
                problems.append(f"bad collection year folder {year_dir}")
            for extract_dir in year_dir.iterdir():
                date.fromisoformat(extract_dir.name)
                names = {p.stem for p in extract_dir.iterdir()}
                for spec in SSDA903_TABLES:
                    if spec.required_file and spec.name not in names:
                        problems.append(f"{extract_dir}: required {spec.file_name} missing")
                problems += _check_files(extract_dir, "ssda903")
        for snap in (la_dir / "local").iterdir():
            date.fromisoformat(snap.name)
            if {p.stem for p in snap.iterdir()} != {s.name for s in LOCAL_TABLES}:
                problems.append(f"{snap}: local tables incomplete")
            problems += _check_files(snap, "local")
    return problems


def _check_files(folder: Path, source: str) -> list[str]:
    problems = []
    for path in folder.iterdir():
        spec = table_spec(source, path.stem)
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
            problems.append(f"{path}: BOM or \\r line ends")
        text = raw.decode("utf-8")
        if text.split("\n", 1)[0] != ",".join(spec.columns):
            problems.append(f"{path}: header is not the contract's column order")
        if not text.endswith("\n"):
            problems.append(f"{path}: no final newline")
    return problems


# ---------------------------------------------------------------------------- 903 rules


@cache
def valid_codes(year: int) -> dict[str, frozenset[str]]:
    return {col: cs.codes(col, year) for col in cs.CODED_COLUMNS}


def check_values(
    rows: list[dict[str, str]], date_columns: tuple[str, ...], year: int, last_day: int, where: str
) -> list[str]:
    """Every date a real dd/mm/yyyy date no later than ``last_day`` (but DUC, the 18th
    birthday, given in advance: rule 205B); every code valid."""
    problems = []
    valid = valid_codes(year)
    coded = [c for c in (rows[0] if rows else ()) if c in valid]
    for i, row in enumerate(rows):
        for col in date_columns:
            if row[col]:
                try:
                    if day(row[col]) > last_day and col != "DUC":
                        problems.append(f"{where} line {i + 2}: {col} {row[col]} after coverage")
                except ValueError as error:
                    problems.append(f"{where} line {i + 2}: {error}")
        for col in coded:
            value = row[col]
            if value and value not in valid[col]:
                problems.append(f"{where} line {i + 2}: {col}={value} not valid in {year}")
    return problems


def check_extract(ex: Extract903) -> list[str]:
    """Codes, dates, coverage, episode chains and table membership of one 903 extract."""
    problems: list[str] = []
    add = problems.append
    cover, year = ex.coverage_end, ex.year
    for name, rows in ex.tables.items():
        spec = table_spec("ssda903", name)
        problems += check_values(rows, spec.date_columns, year, cover, f"{ex.la} {year} {name}")
    header = {r["CHILD"]: r for r in ex.tables["header"]}
    if len(header) != len(ex.tables["header"]):
        add("header: CHILD not unique")
    for r in header.values():
        if not cs.upn_valid(r["UPN"]) or not _upn_ok(r["UPN"]):
            add(f"header: bad UPN {r['UPN']}")
        if r["SEX"] not in ("2", "F") and (r["MOTHER"] or r["MC_DOB"]):
            add(f"header: MOTHER for a boy {r['CHILD']}")
        if r["MOTHER"] == "1" and not r["MC_DOB"]:
            add(f"header: mother without MC_DOB {r['CHILD']}")
    problems += _check_episodes(ex, header)
    in_episodes = {r["CHILD"] for r in ex.tables["episodes"]}
    in_oc3 = {r["CHILD"] for r in ex.tables["oc3"]}
    if set(header) != in_episodes | in_oc3:
        add(
            f"{year}: header is not episodes ∪ oc3 ({len(set(header) ^ (in_episodes | in_oc3))} differ)"
        )
    for r in ex.tables["reviews"]:
        if not ex.start <= day(r["REVIEW"]) <= cover:
            add(f"review outside the year {r}")
        age = _age(day(r["DOB"]), day(r["REVIEW"]))
        if (age < 4) != (r["REVIEW_CODE"] == "PN0"):
            add(f"review code {r['REVIEW_CODE']} at age {age}")
    open_at_cover = _open_at(ex, cover)
    for r in ex.tables["missing"]:
        start = day(r["MIS_START"])
        if r["MIS_END"] and day(r["MIS_END"]) < start:
            add(f"missing ends before it starts {r}")
        if not r["MIS_END"] and r["CHILD"] not in open_at_cover:
            add(f"missing still open but child not looked after at coverage end {r}")
        if r["MIS_END"] and day(r["MIS_END"]) < ex.start:
            add(f"missing episode ended before the year {r}")
    for r in ex.tables["oc3"]:
        dob = day(r["DOB"])
        ages = [k for k in range(17, 22) if ex.start <= add_years(dob, k) <= cover]
        if len(ages) != 1:
            add(f"oc3 without a 17th–21st birthday in the year: {r}")
        elif r["IN_TOUCH"] in ("DIED", "RHOM") and (r["ACTIV"], r["ACCOM"]) != ("0", "0"):
            add(f"oc3 DIED/RHOM with activity or accommodation {r}")
        elif ages[0] < 18 and not cs.accom_allowed(r["ACCOM"], ages[0]):
            add(f"oc3 accommodation {r['ACCOM']} at 17")
        elif r["ACCOM"][0] == "T" and _age(dob, ex.start) < 18:
            add(f"oc3 foyer for a care leaver under 18 at the start of the year (rule 347) {r}")
    if "oc2" in ex.tables and not ex.is_final:
        add("oc2 in an in-year extract")
    if "sw_episodes" in ex.tables and year < cs.SW_EPISODES_FROM:
        add("sw_episodes before 2023-24")
    open_now = _open_at(ex, cover)
    for r in ex.tables.get("sw_episodes", ()):
        if not r["SW_ID"].startswith("SW") or r["CHILD"] not in header or not r["SW_REASON"]:
            add(f"sw_episodes row incomplete (SW03STG1) {r}")
        if not r["SW_DEC"] and r["CHILD"] not in open_now:
            add(f"sw_episode open for a child not looked after at coverage end {r}")
    for r in ex.tables.get("uasc", ()):
        if r["DUC"] and day(r["DUC"]) < ex.start:
            add(f"uasc DUC before the year (rule 104) {r}")
        if r["DUC"] != r["DOB"][:6] + str(int(r["DOB"][6:]) + 18) and r["DOB"][:5] != "29/02":
            add(f"uasc DUC is not the 18th birthday (rules 205B, 304) {r}")
    for r in ex.tables.get("previous_permanence", ()):
        if r["DATE_PERM"] and not re.fullmatch(r"(\d{2}|ZZ)/(\d{2}|ZZ)/\d{4}", r["DATE_PERM"]):
            add(f"DATE_PERM not dd/mm/yyyy with ZZ {r}")
    for name in (
        "reviews",
        "missing",
        "oc2",
        "oc3",
        "uasc",
        "ad1",
        "placed_for_adoption",
        "previous_permanence",
        "sw_episodes",
    ):
        for r in ex.tables.get(name, ()):
            if r["CHILD"] not in header or header[r["CHILD"]]["DOB"] != r["DOB"]:
                add(f"{name}: child not in header or DOB differs {r['CHILD']}")
    for r in ex.tables.get("uasc", ()):
        if header[r["CHILD"]]["SEX"] != r["SEX"]:
            add(f"uasc SEX differs {r['CHILD']}")
    return problems


def _upn_ok(upn: str) -> bool:
    """The DfE check letter, computed here independently of the code sets."""
    if upn in ("UN1", "UN2", "UN3", "UN4", "UN5"):
        return True
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        return False
    total = sum(
        w * (int(c) if c.isdigit() else letters.index(c))
        for w, c in zip(range(2, 14), upn[1:], strict=True)
    )
    return letters[total % 23] == upn[0]


def _age(dob: int, on: int) -> int:
    a, b = date.fromordinal(dob), date.fromordinal(on)
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def _open_at(ex: Extract903, when: int) -> set[str]:
    return {r["CHILD"] for r in ex.tables["episodes"] if day(r["DECOM"]) <= when and not r["DEC"]}


def _check_episodes(ex: Extract903, header: dict[str, dict[str, str]]) -> list[str]:
    problems: list[str] = []
    add = problems.append
    by_child: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in ex.tables["episodes"]:
        by_child[r["CHILD"]].append(r)
    for child, eps in by_child.items():
        eps.sort(key=lambda r: day(r["DECOM"]))
        dob = day(header[child]["DOB"]) if child in header else 0
        for i, e in enumerate(eps):
            decom = day(e["DECOM"])
            dec = day(e["DEC"]) if e["DEC"] else None
            if decom <= dob:
                add(f"DECOM not after DOB {child}")
            if dec is not None and dec <= decom:
                add(f"DEC not after DECOM {child} {e['DECOM']}")
            if dec is not None and dec < ex.start:
                add(f"episode ended before the year {child}")
            if bool(e["DEC"]) != bool(e["REC"]):
                add(f"DEC and REC not both filled {child} {e['DECOM']}")
            if not cs.place_allowed(
                e["PLACE"],
                date.fromordinal(decom),
                date.fromordinal(dec) if dec else None,
                ex.year,
                date.fromordinal(ex.coverage_end),
            ):
                add(f"{ex.year} PLACE {e['PLACE']} not allowed {child} {e['DECOM']}")
            if not cs.provider_allowed(e["PLACE"], e["PLACE_PROVIDER"], ex.year):
                add(f"{ex.year} provider {e['PLACE_PROVIDER']} with {e['PLACE']} {child}")
            problems += _urn(e, ex, child, _placed_until(eps, i))
            if e["PLACE"] in cs.TEMPORARY_PLACE and (
                e["RNE"] not in ("P", "B") or e["REC"] not in ("X1", "")
            ):
                add(
                    f"temporary placement starts or ends a period (rules 380/381) {child} {e['DECOM']}"
                )
            nxt = eps[i + 1] if i + 1 < len(eps) else None
            if nxt is None:
                if e["REC"] == "X1":
                    add(f"X1 but no next episode {child} {e['DECOM']}")
                continue
            if dec is None:
                add(f"open episode is not the last {child}")
                continue
            next_start = day(nxt["DECOM"])
            if next_start < dec:
                add(f"episodes overlap {child} {e['DECOM']}")
            if (e["REC"] == "X1") != (next_start == dec):
                add(f"X1 iff next starts on DEC broken {child} {e['DECOM']}")
            if e["REC"] != "X1":
                if nxt["RNE"] != "S":
                    add(f"new period does not start with RNE S {child} {nxt['DECOM']}")
                continue
            problems += _rne(child, e, nxt)
            temp = cs.TEMPORARY_PLACE
            need_reason = (
                nxt["RNE"] in "PBTU" and e["PLACE"] not in temp and nxt["PLACE"] not in temp
            )
            if need_reason != bool(e["REASON_PLACE_CHANGE"]):
                add(f"REASON_PLACE_CHANGE (rules 225/226) {child} {e['DECOM']}")
        if eps[0]["RNE"] != "S" and day(eps[0]["DECOM"]) >= ex.start:
            # a period that starts inside the year starts with S; continuing ones may not
            pass
    return problems


def _placed_until(eps: list[dict[str, str]], i: int) -> int | None:
    """End of the placement episode ``i`` is part of (None while it is open): the
    following episodes with the same placement, URN, postcode and provider are the same."""
    same = ("PLACE", "URN", "PL_POST", "PLACE_PROVIDER")
    while i + 1 < len(eps) and all(eps[i][c] == eps[i + 1][c] for c in same):
        i += 1
    return day(eps[i]["DEC"]) if eps[i]["DEC"] else None


def _urn(e: dict[str, str], ex: Extract903, child: str, until: int | None) -> list[str]:
    """Rules 218/222/230/242: an Ofsted URN for placements that have one (H5 placements
    from 28 Oct 2023), none (``XXXXXXX``; blank from 2025-26) for the others, none for short
    breaks."""
    urn, place = e["URN"], e["PLACE"]
    if e["LS"] in SHORT_BREAKS:
        return [] if urn == "" else [f"URN {urn} on a short break {child}"]
    h5_urn = place == "H5" and ex.year >= 2023 and (until is None or until >= H5_URN_FROM)
    if place in cs.NO_URN_PLACE and not h5_urn:
        expected = {"" if ex.year >= 2025 else cs.URN_NOT_APPLICABLE}
    else:
        expected = None
    if expected is not None and urn not in expected:
        return [f"{ex.year} URN {urn!r} with {place} {child}"]
    if expected is None and urn in ("", cs.URN_NOT_APPLICABLE):
        return [f"{ex.year} no URN with {place} {child}"]
    return []


H5_URN_FROM = date(2023, 10, 28).toordinal()


def _rne(child: str, prev: dict[str, str], nxt: dict[str, str]) -> list[str]:
    """Rule 143 and rules 434–436: the reason for a new episode matches what changed."""
    same_place = all(prev[c] == nxt[c] for c in ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER"))
    ls_changed = prev["LS"] != nxt["LS"]
    rne = nxt["RNE"]
    ok = {
        "S": False,
        "L": ls_changed and same_place,
        "P": not ls_changed and not same_place,
        "T": not ls_changed and prev["PLACE"] != nxt["PLACE"],
        "B": ls_changed and not same_place,
        "U": ls_changed and prev["PLACE"] != nxt["PLACE"],
    }[rne]
    return [] if ok else [f"RNE {rne} does not match the change {child} {nxt['DECOM']}"]
