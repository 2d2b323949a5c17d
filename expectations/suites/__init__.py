"""One module per table of the data contract; each exposes ``SUITE``. ``ALL_SUITES`` lists them."""

from expectations.suites.raw_local_allocations import SUITE as RAW_LOCAL_ALLOCATIONS
from expectations.suites.raw_local_missing_from_home import SUITE as RAW_LOCAL_MISSING_FROM_HOME
from expectations.suites.raw_local_peps import SUITE as RAW_LOCAL_PEPS
from expectations.suites.raw_local_return_interviews import SUITE as RAW_LOCAL_RETURN_INTERVIEWS
from expectations.suites.raw_local_teams import SUITE as RAW_LOCAL_TEAMS
from expectations.suites.raw_local_workers import SUITE as RAW_LOCAL_WORKERS
from expectations.suites.raw_ssda903_ad1 import SUITE as RAW_SSDA903_AD1
from expectations.suites.raw_ssda903_episodes import SUITE as RAW_SSDA903_EPISODES
from expectations.suites.raw_ssda903_header import SUITE as RAW_SSDA903_HEADER
from expectations.suites.raw_ssda903_missing import SUITE as RAW_SSDA903_MISSING
from expectations.suites.raw_ssda903_oc2 import SUITE as RAW_SSDA903_OC2
from expectations.suites.raw_ssda903_oc3 import SUITE as RAW_SSDA903_OC3
from expectations.suites.raw_ssda903_placed_for_adoption import (
    SUITE as RAW_SSDA903_PLACED_FOR_ADOPTION,
)
from expectations.suites.raw_ssda903_previous_permanence import (
    SUITE as RAW_SSDA903_PREVIOUS_PERMANENCE,
)
from expectations.suites.raw_ssda903_reviews import SUITE as RAW_SSDA903_REVIEWS
from expectations.suites.raw_ssda903_sw_episodes import SUITE as RAW_SSDA903_SW_EPISODES
from expectations.suites.raw_ssda903_uasc import SUITE as RAW_SSDA903_UASC

#: In the order of the data contract.
ALL_SUITES = (
    RAW_SSDA903_HEADER,
    RAW_SSDA903_EPISODES,
    RAW_SSDA903_REVIEWS,
    RAW_SSDA903_MISSING,
    RAW_SSDA903_OC2,
    RAW_SSDA903_OC3,
    RAW_SSDA903_UASC,
    RAW_SSDA903_AD1,
    RAW_SSDA903_PLACED_FOR_ADOPTION,
    RAW_SSDA903_PREVIOUS_PERMANENCE,
    RAW_SSDA903_SW_EPISODES,
    RAW_LOCAL_TEAMS,
    RAW_LOCAL_WORKERS,
    RAW_LOCAL_ALLOCATIONS,
    RAW_LOCAL_MISSING_FROM_HOME,
    RAW_LOCAL_RETURN_INTERVIEWS,
    RAW_LOCAL_PEPS,
)
SUITES_BY_TABLE = {s.table_name: s for s in ALL_SUITES}
ALL_RULES = tuple(r for s in ALL_SUITES for r in s.rules)
