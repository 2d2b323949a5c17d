"""Outcomes: OC2 (health and SDQ at 31 March), OC3 (care leavers), young mothers.

OC3 (rules 131–133, domain.md §1.3 and §4(c)): most care leavers are in touch; EET is
~65 % at 17–18 and ~55 % at 19–21 (England: ~38 % NEET at 19–21); accommodation is mostly
suitable (…1), some unsuitable (…2), ``0`` when not in touch. DIED and RHOM get ACTIV 0
and ACCOM 0; no Staying Put (Z) at 17 and no foyer (T) before 19 (rule 347 reads the age
at the start of the collection year, when an 18th birthday's young person was 17). A young person who died is reported
DIED once and not again. OC2: health assessment, dental check and immunisations 80–95 %
up to date; SDQ score for ages 4–16, otherwise an SDQ reason.
"""

from __future__ import annotations

import random

from pipelines.lib.codesets import accom_allowed
from pipelines.synth.care_tables import choose, table
from pipelines.synth.config import Timeline
from pipelines.synth.dates import NEVER, add_years, age_on, d
from pipelines.synth.model import Child

EET_17 = table({"F2": 30, "P2": 8, "F4": 10, "P4": 3, "F5": 22, "P5": 15, "F1": 4, "P1": 2})
EET_19 = table({"F1": 14, "P1": 3, "F2": 15, "P2": 6, "F4": 8, "P4": 2, "F5": 32, "P5": 20})
NEET = table({"G5": 60, "G4": 22, "G6": 18})
SUITABLE = {
    17: table({"B1": 25, "D1": 30, "E1": 15, "C1": 10, "K1": 5, "U1": 10, "Y1": 5}),
    18: table({"Z1": 25, "D1": 25, "U1": 20, "B1": 15, "E1": 10, "K1": 5}),
    19: table({"U1": 45, "B1": 15, "K1": 8, "D1": 8, "T1": 5, "Z1": 7, "E1": 5, "Y1": 5, "G1": 2}),
}
UNSUITABLE = table({"S2": 25, "W2": 12, "V2": 10, "X2": 10, "U2": 15, "B2": 10, "D2": 10, "K2": 8})
SDQ_REASONS = table({"SDQ2": 20, "SDQ3": 30, "SDQ4": 35, "SDQ5": 15})


class Outcomes:
    def __init__(self, rng: random.Random, timeline: Timeline) -> None:
        self.rng, self.timeline = rng, timeline

    # ------------------------------------------------------------------ OC3
    def care_leaver(self, child: Child) -> None:
        """OC3 values for each 17th–21st birthday in the years written, after care ended."""
        if child.care_leaver_from == NEVER:
            return
        rng, tl = self.rng, self.timeline
        engaged = rng.random() < 0.88
        drive = rng.gauss(0.0, 0.12) + (0.08 if child.uasc else 0.0)
        rhom = False
        reported_died = False
        for age in range(17, 22):
            birthday = add_years(child.dob, age)
            # a young person still in care on the birthday, or leaving care that day, is not
            # reported for it (rule 1016: care ending on or after the 17th/18th birthday)
            if birthday <= child.care_leaver_from or birthday < tl.first_day or birthday > tl.as_at:
                continue
            if reported_died:
                break
            if birthday >= child.died:
                child.oc3[age] = ("DIED", "0", "0")
                reported_died = True
                continue
            rhom = (rhom and rng.random() < 0.7) or rng.random() < 0.015
            if rhom:
                child.oc3[age] = ("RHOM", "0", "0")
                continue
            child.oc3[age] = self._oc3(age, engaged, drive, tl.year_index(birthday))

    def _oc3(self, age: int, engaged: bool, drive: float, year: int) -> tuple[str, str, str]:
        rng = self.rng
        roll = rng.random()
        nreq = 0.02 if age < 19 else 0.05
        if roll < nreq:
            touch = "NREQ"
        elif roll < nreq + 0.02:
            touch = "REFU"
        elif (not engaged and rng.random() < 0.7) or rng.random() < 0.03:
            touch = "NO"
        else:
            touch = "YES"
        p_eet = (0.73 if age < 19 else 0.63) + drive + 0.01 * year
        eet = EET_17 if age < 19 else EET_19
        if touch == "YES":
            activ = choose(rng, eet) if rng.random() < p_eet else choose(rng, NEET)
            accom = self._accom(age, rng.random() < (0.9 if age < 19 else 0.86))
        elif touch == "NREQ":
            activ = choose(rng, eet) if rng.random() < 0.6 else "0"
            accom = self._accom(age, True) if rng.random() < 0.6 else "0"
        else:  # NO or REFU: mostly nothing known; sometimes a third party knows the activity
            activ = "0" if rng.random() < 0.85 else choose(rng, eet)
            accom = "0" if rng.random() < 0.85 else self._accom(age, rng.random() < 0.7)
        return touch, activ, accom

    def _accom(self, age: int, suitable: bool) -> str:
        rng = self.rng
        while True:
            code = choose(rng, SUITABLE[min(age, 19)] if suitable else UNSUITABLE)
            if accom_allowed(code, age):
                return code

    # ------------------------------------------------------------------ OC2
    def health(self, child: Child) -> None:
        """OC2 values for each final year in which the child had been looked after
        continuously for 12 months at 31 March (short breaks left out)."""
        rng = self.rng
        for year in self.timeline.years[:-1]:
            first, march = d(year, 4, 1), d(year + 1, 3, 31)
            if not any(
                p.start <= first and p.end > march for p in child.periods if not p.short_break
            ):
                continue
            age = age_on(child.dob, march)
            if age < 4 or age_on(child.dob, first) >= 17:
                score = "", ""  # no SDQ item under 4 at 31 March or 17+ at 1 April (188, 189)
            elif age <= 16 and rng.random() < 0.82:
                score = str(min(40, max(0, round(rng.gauss(14, 6.5))))), ""
            else:  # SDQ1: 17 by the assessment
                score = "", "SDQ1" if age > 16 else choose(rng, SDQ_REASONS)
            misuse = age >= 10 and rng.random() < 0.05
            received = ("1" if rng.random() < 0.6 else "0") if misuse else ""
            # INTERVENTION_OFFERED: blank once an intervention was received (rule 158)
            offered = "" if received in ("", "1") else ("1" if rng.random() < 0.7 else "0")
            child.oc2[year] = (
                *score,
                # CONVICTED: 10+ at 31 March only, blank below (rules 542, 543)
                ("1" if rng.random() < 0.03 else "0") if age >= 10 else "",
                ("1" if rng.random() < 0.9 else "0") if age < 5 else "",  # HEALTH_CHECK (under 5s)
                "1" if rng.random() < 0.86 else "0",  # IMMUNISATIONS
                "1" if rng.random() < 0.84 else "0",  # TEETH_CHECK
                "1" if rng.random() < 0.9 else "0",  # HEALTH_ASSESSMENT
                "1" if misuse else "0",  # SUBSTANCE_MISUSE
                received,  # INTERVENTION_RECEIVED
                offered,  # INTERVENTION_OFFERED
            )

    # ------------------------------------------------------------------ young mothers
    def motherhood(self, child: Child) -> None:
        """About 4 % of girls in care as teenagers have a child (MOTHER, MC_DOB)."""
        if child.sex != "F":
            return
        bday15 = add_years(child.dob, 15)
        if not any(p.end > bday15 for p in child.periods if not p.short_break):
            return
        if self.rng.random() < 0.04:
            child.mc_dob = bday15 + self.rng.randrange(180, 4 * 365)
