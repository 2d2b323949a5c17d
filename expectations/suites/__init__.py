"""One module per suite; each exposes ``SUITE``. ``ALL_SUITES`` lists them for the gate."""

from expectations.suites.raw_ssda903_missing import SUITE as RAW_SSDA903_MISSING

ALL_SUITES = (RAW_SSDA903_MISSING,)
