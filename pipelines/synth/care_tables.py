"""The rates behind periods of care (all assumptions; see docs/synthetic-data.md).

Weights need not sum to 1. Age bands: baby (<1), young (1–4), child (5–9), teen (10–15),
older (16–17); UASC and disabled children have their own mixes.
"""

from __future__ import annotations

import bisect
import random
from typing import TypeAlias

Weights: TypeAlias = tuple[tuple[str, ...], tuple[float, ...]]


def table(weights: dict[str, float]) -> Weights:
    """Prepare a weight table for :func:`choose` (cumulative weights)."""
    total, cum = 0.0, []
    for w in weights.values():
        total += w
        cum.append(total)
    return tuple(weights), tuple(cum)


def choose(rng: random.Random, weights: Weights | dict[str, float]) -> str:
    keys, cum = table(weights) if isinstance(weights, dict) else weights
    return keys[bisect.bisect_right(cum, rng.random() * cum[-1])]


def age_band(age: float) -> str:
    if age < 1:
        return "baby"
    if age < 5:
        return "young"
    if age < 10:
        return "child"
    if age < 16:
        return "teen"
    return "older"


#: Age of children starting to be looked after (England 2024 shape; UASC drawn separately).
START_AGE = table({"baby": 20, "young": 14, "child": 15, "teen": 34, "older": 17})

#: How a period ends, by age band at the start.
EXITS = {
    "baby": table({"adopt": 30, "sgo": 22, "home": 30, "to18": 12, "cao": 3, "other": 3}),
    "young": table({"adopt": 14, "sgo": 20, "home": 42, "to18": 18, "cao": 3, "other": 3}),
    "child": table({"sgo": 10, "home": 42, "to18": 38, "cao": 5, "other": 5}),
    "teen": table({"home": 42, "to18": 32, "leave": 10, "cao": 3, "other": 8, "remand": 3}),
    "older": table({"home": 25, "to18": 57, "leave": 10, "other": 4, "remand": 4}),
    "uasc": table({"to18": 80, "transfer": 8, "age": 4, "lost": 4, "leave": 4}),
    "disabled": table({"home": 25, "to18": 65, "sgo": 5, "other": 5}),
}

#: First legal status by band (L1/L2 become C1 or V2 within days; C1 becomes C2 or E1).
FIRST_LS = {
    "baby": table({"C1": 65, "V2": 22, "L2": 8, "L1": 5}),
    "young": table({"C1": 62, "V2": 25, "L2": 6, "L1": 7}),
    "adopt": table({"C1": 80, "V2": 15, "L2": 5}),
    "child": table({"C1": 55, "V2": 35, "L1": 10}),
    "teen": table({"V2": 57, "C1": 35, "L1": 8}),
    "older": table({"V2": 85, "C1": 12, "L1": 3}),
    "uasc": table({"V2": 1}),
    "disabled": table({"V2": 60, "C1": 40}),
}

#: First placement by band ("SA" = supported accommodation, "Z" = other, from 2025-26).
FIRST_PLACE = {
    "baby": table({"U6": 50, "U3": 15, "U5": 8, "R3": 10, "U4": 5, "P1": 4}),
    "adopt": table({"U5": 25, "U6": 65, "U3": 10}),
    "young": table({"U6": 70, "U3": 20, "K2": 2, "U4": 5, "R3": 3}),
    "child": table({"U6": 70, "U3": 17, "K2": 8, "U4": 5}),
    "teen": table({"U6": 55, "U3": 11, "K2": 25, "K1": 2, "U4": 4, "P1": 2, "Z": 1}),
    "older": table({"SA": 35, "U6": 35, "K2": 16, "U3": 8, "K1": 1, "P3": 1, "R5": 1, "Z": 3}),
    "uasc_young": table({"U6": 75, "K2": 15, "U4": 10}),
    "uasc": table({"SA": 55, "U6": 35, "K2": 10}),
    "disabled": table({"U6": 45, "K2": 30, "S1": 10, "R1": 5, "U4": 10}),
    "remand": table({"U6": 50, "K2": 40, "K1": 10}),
}

#: Where an unplanned move goes, by age band at the move.
MOVE_TO = {
    "baby": table({"U6": 80, "U3": 15, "U4": 5}),
    "young": table({"U6": 75, "U3": 15, "U4": 10}),
    "child": table({"U6": 70, "U3": 10, "U4": 10, "K2": 10}),
    "teen": table({"U6": 55, "K2": 30, "U3": 6, "K1": 2, "R2": 1, "S1": 2, "Z": 4}),
    "older": table({"SA": 45, "U6": 25, "K2": 22, "U3": 3, "R5": 1, "Z": 4}),
}

#: Unplanned placement moves per year, by age band (×1.8 in the first 6 months, ×0.15 once
#: in a long-term or adoptive placement). Tuned so that ~10 % of children looked after
#: have 3+ placements in 12 months and ~70 % of long-stayers under 16 are stable.
MOVE_RATE = {"baby": 0.22, "young": 0.25, "child": 0.28, "teen": 0.55, "older": 0.65}

CIN_WEIGHTS = table({"N1": 62, "N3": 3, "N4": 8, "N5": 14, "N6": 2, "N7": 0.3, "N8": 8})

REC_HOME = table({"E4A": 75, "E4B": 15, "E13": 10})
REC_LEAVE = table({"E5": 50, "E6": 15, "E4A": 20, "E13": 10, "E8": 5})
REC_OTHER = table({"E13": 40, "E3": 30, "E8": 15, "E9": 8, "E16": 5, "E2": 2})
REC_TO18_FOSTER = table({"E17": 35, "E5": 25, "E8": 15, "E4A": 10, "E6": 5, "E13": 10})
REC_TO18_OTHER = table({"E5": 50, "E6": 10, "E8": 20, "E4A": 12, "E13": 8})

REASONS_YOUNG = table({"CARPL": 70, "CREQO": 10, "LAREQ": 8, "STAND": 3, "ALLEG": 2, "OTHER": 7})
REASONS_TEEN = table(
    {
        "CARPL": 30,
        "CREQB": 20,
        "CHILD": 12,
        "CREQO": 8,
        "LAREQ": 8,
        "STAND": 4,
        "ALLEG": 4,
        "CLOSE": 3,
        "APPRR": 1,
        "CUSTOD": 1,
        "OTHER": 9,
    }
)
