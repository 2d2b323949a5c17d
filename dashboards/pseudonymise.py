"""``csc-export``: a pseudonymised KPI-and-member extract of one LA, for sharing outside the
council (regional benchmarking, research) under a data-sharing agreement.

    CSC_PSEUDONYM_KEY_FILE=/etc/csc/pseudonym.key csc-export --la 850 [--out DIR]
        [--kpi cla_count --kpi ...] [--since 2024-04] [--disclosure-control]

It writes, into a new folder (mode 0700, files 0600; default
``data/exports/<la>-<time>/``):

- ``kpi_values.csv``: the LA's KPI values (LA total and districts, every breakdown and
  period), disclosure-controlled with ``--disclosure-control``;
- ``kpi_members.csv``: who is counted in each value, with each child's and worker's id
  replaced by an HMAC-SHA256 pseudonym;
- ``children.csv``: each child counted: pseudonym, sex, **month** of birth, ethnicity,
  district and care history (no UPN, no date of birth);
- ``manifest.json``: what is in it, the key's id (not the key), and what the recipient may
  and may not do with it.

The key is kept outside the repository and the export (``CSC_PSEUDONYM_KEY`` or the file
named by ``CSC_PSEUDONYM_KEY_FILE``, at least 32 characters, mode 0600); without one the
command refuses to run. Under one key the same child has the same pseudonym in every
extract, so a recipient can link this month's extract to last month's; nobody without the
key can go back from a pseudonym to the child. Rotating the key (docs/security.md) breaks
that link on purpose. Pseudonymised data is still personal data (ICO): share it only under
an agreement, and never with the key.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import hashlib
import hmac
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboards import disclosure
from dashboards.auth import auditlog, keys
from dashboards.auth.context import acting_as
from dashboards.auth.roles import Access, Principal, service
from pipelines.settings import REPO_ROOT, SecuritySettings, get_security_settings, get_settings

MIN_KEY_CHARS = 32
PSEUDONYM_HEX = 32  # 128 bits: no two of a council's children will share one
#: Columns of dim_children kept (besides the pseudonym and the month of birth).
CHILD_COLUMNS = [
    "sex",
    "ethnic",
    "district",
    "is_in_ssda903",
    "first_collection_year",
    "latest_collection_year",
    "periods_of_care",
    "is_looked_after_at_as_at",
    "age_at_as_at",
    "as_at_date",
]


class ExportError(RuntimeError):
    pass


@dataclass(frozen=True)
class Pseudonymiser:
    """HMAC-SHA256 under a secret key: the same value (of the same kind and LA) always
    gives the same pseudonym, and the pseudonym tells nothing without the key."""

    key: bytes

    @classmethod
    def from_settings(cls, settings: SecuritySettings) -> Pseudonymiser:
        value = settings.pseudonym_key
        if value is None and settings.pseudonym_key_file is not None:
            value = keys.read_secret_file(settings.pseudonym_key_file, "pseudonymisation key")
        if not value:
            raise ExportError(
                "no pseudonymisation key: set CSC_PSEUDONYM_KEY_FILE to a file (mode 0600) "
                "holding at least 32 random characters, e.g. `python3 -c 'import secrets; "
                "print(secrets.token_hex(32))' > key && chmod 600 key` (docs/security.md); "
                "keep it outside the repository and never send it with an extract"
            )
        if len(value) < MIN_KEY_CHARS:
            raise ExportError(
                f"the pseudonymisation key must have at least {MIN_KEY_CHARS} characters"
            )
        return cls(value.encode("utf-8"))

    def __call__(self, kind: str, la: str, value: object) -> str | None:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return None
        message = f"{kind}\x00{la}\x00{value}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]

    @property
    def key_id(self) -> str:
        """Names the key (which key made an extract), without revealing it."""
        return hmac.new(self.key, b"csc key id", hashlib.sha256).hexdigest()[:12]


def birth_month(value: object) -> str | None:
    """A date of birth generalised to its month: ``2012-05-17`` → ``"2012-05"``."""
    if value is None or pd.isna(value):
        return None
    return f"{pd.Timestamp(value):%Y-%m}"


def pseudonymise_members(members: pd.DataFrame, la: str, pseudo: Pseudonymiser) -> pd.DataFrame:
    out = members.copy()
    if "child" in out.columns:
        out["child"] = [pseudo("child", la, c) for c in out["child"]]
    if "sw_id" in out.columns:
        out["sw_id"] = [pseudo("worker", la, w) for w in out["sw_id"]]
    return out.rename(columns={"child": "child_pseudonym", "sw_id": "worker_pseudonym"})


def pseudonymise_children(children: pd.DataFrame, la: str, pseudo: Pseudonymiser) -> pd.DataFrame:
    out = pd.DataFrame({"child_pseudonym": [pseudo("child", la, c) for c in children["child"]]})
    dobs = children["dob"] if "dob" in children.columns else [None] * len(children)
    out["birth_month"] = [birth_month(d) for d in dobs]
    for column in CHILD_COLUMNS:
        if column in children.columns:
            out[column] = children[column].to_numpy()
    return out


def _write(folder: Path, name: str, frame: pd.DataFrame) -> int:
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        frame.to_csv(handle, index=False)
    return len(frame)


def export(
    la: str,
    out: Path,
    pseudo: Pseudonymiser,
    *,
    kpis: Sequence[str] = (),
    since: str | None = None,
    disclosure_control: bool = False,
    who: Principal | None = None,
) -> dict:
    """Write the extract of ``la`` into the new folder ``out``; its manifest."""
    from dashboards import data

    who = who or service(
        f"csc-export by {getpass.getuser()}", Access.AGGREGATES, Access.CHILD_LEVEL, las=[la]
    )
    with acting_as(who):
        if la not in data.las():
            raise ExportError(f"LA {la} is not in the published snapshot")
        values = data.kpi_table(la)
        members = data.kpi_members(la)
        children = data.children(la)
    if kpis:
        values = values[values["kpi_id"].isin(kpis)]
        members = members[members["kpi_id"].isin(kpis)] if not members.empty else members
    if since:
        start = pd.Timestamp(f"{since}-01")
        values = values[pd.to_datetime(values["period_end"]) >= start]
        if not members.empty:
            members = members[pd.to_datetime(members["period_end"]) >= start]
    if disclosure_control:
        values = disclosure.suppress_kpi_values(values, disclosure.threshold())
    counted = set(members["child"].dropna()) if "child" in members.columns else set()
    children = children[children["child"].isin(counted)] if counted else children.iloc[0:0]
    try:
        out.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        raise ExportError(f"{out} exists already: give a new folder") from None
    files = {
        "kpi_values.csv": _write(
            out, "kpi_values.csv", values.drop(columns=["la_code"], errors="ignore")
        ),
        "kpi_members.csv": _write(
            out, "kpi_members.csv", pseudonymise_members(members, la, pseudo)
        ),
        "children.csv": _write(out, "children.csv", pseudonymise_children(children, la, pseudo)),
    }
    manifest = {
        "la": la,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "created_by": getpass.getuser(),
        "key_id": pseudo.key_id,
        "pseudonyms": "HMAC-SHA256 of (kind, LA, id) under the council's key, first 128 bits",
        "dates_of_birth": "generalised to the month",
        "disclosure_control": disclosure_control,
        "kpis": list(kpis) or "all",
        "since": since,
        "files": files,
        "notice": (
            "Pseudonymised personal data (UK GDPR; ICO guidance on pseudonymisation): use "
            "only under the data-sharing agreement, do not try to re-identify anyone, do not "
            "link with other data beyond what the agreement allows, delete when it ends."
        ),
    }
    path = out / "manifest.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    with acting_as(who):
        auditlog.audit(
            "export",
            what="pseudonymised extract",
            la=la,
            rows=files["kpi_members.csv"],
            detail=f"{out} key {pseudo.key_id}",
            user=f"os:{getpass.getuser()}",
        )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csc-export", description=__doc__.splitlines()[0])
    parser.add_argument("--la", required=True, help="LA code, e.g. 850")
    parser.add_argument("--out", type=Path, help="a new folder (default data/exports/<la>-<time>)")
    parser.add_argument("--kpi", action="append", default=[], help="only these KPIs (repeat)")
    parser.add_argument("--since", help="only periods ending from this month (YYYY-MM)")
    parser.add_argument("--serving", type=Path, help="snapshot (default: the settings' one)")
    parser.add_argument(
        "--disclosure-control", action="store_true", help="suppress small counts in kpi_values"
    )
    args = parser.parse_args(argv)
    from dashboards import data

    settings = get_security_settings()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or REPO_ROOT / "data" / "exports" / f"{args.la}-{stamp}"
    auditlog.use_log(auditlog.AuditLog(settings.audit_path, settings.audit_retention_days))
    try:
        pseudo = Pseudonymiser.from_settings(settings)
        with data.use_snapshot(args.serving or get_settings().serving_path):
            manifest = export(
                args.la,
                out,
                pseudo,
                kpis=args.kpi,
                since=args.since,
                disclosure_control=args.disclosure_control,
            )
    except (ExportError, keys.KeyError_, data.NoSnapshot) as err:
        print(f"csc-export: {err}", file=sys.stderr)
        return 2
    finally:
        auditlog.use_log(None)
    rows = ", ".join(f"{name} {count:,} rows" for name, count in manifest["files"].items())
    print(
        f"Wrote {out} ({rows}; key {manifest['key_id']}). Pseudonymised data is still "
        "personal data: share it only under the agreement, never with the key."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
