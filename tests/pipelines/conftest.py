"""Helpers to write small landing folders by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,M,01/01/2010,WBRI,UN1,,\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    "C1,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n"
)
MISSING = "CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/01/2010,M,01/06/2024,02/06/2024\n"
OC3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
REQUIRED_903 = {"header": HEADER, "episodes": EPISODES, "missing": MISSING, "oc3": OC3}


class Landing:
    """A landing folder under tmp_path, with complete minimal 903 extracts on demand."""

    missing_csv = MISSING

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    def extract_903(self, la: str, year: str, date: str, **overrides: str | bytes | None) -> Path:
        """A complete 903 extract; ``table=None`` leaves a file out, a string replaces it."""
        folder = f"{la}/ssda903/{year}/{date}"
        tables = {**REQUIRED_903, **overrides}
        for name, content in tables.items():
            if content is not None:
                self.write(f"{folder}/{name}.csv", content)
        return self.root / folder


@pytest.fixture
def landing(tmp_path: Path) -> Landing:
    return Landing(tmp_path / "landing")
