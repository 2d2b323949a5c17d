"""Which rule blocks an extract and which only flags it: the one place that says so.

**error**: the rule protects a figure on the board's dashboard. A failing row would make a
KPI wrong (counted twice, dropped, in the wrong month, age group or district), so the
extract is *not* loaded: the data loaded before stays, the dashboard keeps serving it and
says why. Each error carries the reason, naming the KPIs it protects (``spec/kpis.md``).

**warning**: the rule is about a column no KPI reads, or about a combination the KPIs
tolerate. The extract is loaded and published, and the rows are flagged for the data
engineer (``spec/kpis.md`` reading 17: a bad value in a column no KPI uses never removes
the row).

A rule of scope ``warehouse`` (it needs other extracts) must be a warning: it can never
block an extract. ``tests/expectations/test_registry.py`` keeps this file and the suites in
step: every rule has exactly one entry here and every entry names a rule.
"""

from __future__ import annotations

from typing import Literal

Severity = Literal["error", "warning"]

_UNUSED = "no KPI reads this column"
ID_SPLITS = "a malformed ID splits one child into two and reaches the child-level marts"
ID_UNUSED = "no KPI or mart reads this table; the row is flagged"

ERRORS: dict[str, str] = {
    # ----- header
    "CSC-HEADER-ID": "a child without an ID cannot be joined: every 903 KPI would drop the child",
    "CSC-HEADER-ID-FORMAT": ID_SPLITS + " (every 903 KPI, dim_children, the child timeline)",
    "INT32": "a child twice in the header is counted twice in every 903 KPI",
    "102": "DOB drives ages: statutory school age (PEPs), under-16 stability, care-leaver groups",
    "301": "a DOB after the year is impossible; every age-based KPI would misplace the child",
    # ----- episodes
    "CSC-EPISODES-ID": "an episode without a child cannot be counted in any looked-after KPI",
    "CSC-EPISODES-ID-FORMAT": ID_SPLITS + " (every looked-after KPI)",
    "INT03": "no header row means no DOB: age-based KPIs drop the child",
    "CSC-EPISODES-KEY": "a duplicated episode counts the child twice (cla_count, starts, ceased)",
    "CSC-EPISODES-DECOM": "DECOM defines 'looked after on d'; without it the episode is lost",
    "141": "an unreadable DECOM drops the episode from every looked-after KPI",
    "147": "an unreadable DEC makes an ended episode look open (cla_count too high)",
    "CSC-EPISODES-FUTURE": "a date after the extract date puts starts and endings in future months",
    "CSC-EPISODES-REQUIRED": "RNE (placements), LS (short breaks) and PLACE (stability) are read",
    "143": "RNE decides what is a new placement (placement_3plus_pct, long-term stability)",
    "144": "LS decides the V3/V4 short-break exclusion from every looked-after count",
    "146": "PLACE A3–A6 counts as stable in placement_long_term_pct",
    "148": "a DEC without REC (or REC without DEC) leaves it unclear whether care ended",
    "356": "an episode ending before it starts gives negative durations and wrong periods",
    "385": "a DEC after the year end counts a child as ceased in a month not yet reached",
    "501": "overlapping episodes count a child twice and break periods of care",
    "142": "an earlier episode left open keeps the child looked after twice over",
    "302": "care starting before birth breaks ages and the first period of care",
    # ----- reviews
    "CSC-REVIEWS-ID": "a review without a child cannot count towards reviews in date",
    "CSC-REVIEWS-ID-FORMAT": ID_SPLITS + " (cla_review_in_date_pct)",
    "CSC-REVIEWS-KEY": "a duplicated review would not change the due date but hides a data fault",
    "166": "an unreadable review date breaks cla_review_in_date_pct",
    "CSC-REVIEWS-FUTURE": "a future review makes an overdue child look in date",
    # ----- missing (903)
    "CSC-MISSING-ID": "a missing episode without a child is lost from missing_cla_pct",
    "CSC-MISSING-ID-FORMAT": ID_SPLITS + " (missing and RHI KPIs)",
    "INT04": "a missing episode of a child not in the header cannot be attributed",
    "CSC-MISSING-KEY": "a duplicated missing episode is counted twice in missing_episodes and RHIs",
    "564": "an episode without a start date is lost from missing_cla_pct",
    "565": "without MISSING the episode is neither M nor A: lost from every RHI KPI",
    "566": "without MISSING the episode is neither M nor A: lost from every RHI KPI",
    "1006": "RHI KPIs count M episodes and away_episodes counts A; other codes are lost",
    "1004": "a blank or unreadable start date drops the episode from missing_cla_pct",
    "1005": "MIS_END decides the month and when an RHI is due",
    "567": "an episode ending before it starts makes RHI timeliness meaningless",
    "570": "a start after the year end is impossible in this return",
    "CSC-MISSING-FUTURE": "a date after the extract date makes an RHI due in the future",
    "586": "a missing episode before birth is a wrong date that the KPIs would count",
    # ----- oc2
    "CSC-OC2-ID": "an OC2 row without a child cannot be counted in the health KPIs",
    "CSC-OC2-ID-FORMAT": ID_SPLITS + " (the health KPIs)",
    "INT33": "a child twice in OC2 is counted twice in the health KPIs",
    "CSC-OC2-HEALTH": "health_assessment_pct / dental_check_pct / immunisations_pct count flag 1",
    # ----- oc3
    "CSC-OC3-ID": "a care leaver without an ID cannot be counted in the care-leaver KPIs",
    "CSC-OC3-ID-FORMAT": ID_SPLITS + " (every cl_* KPI)",
    "INT34": "a care leaver twice in OC3 is counted twice in every cl_* KPI",
    "INT06": "a care leaver not in the header cannot be attributed to a district",
    "CSC-OC3-DOB": "the age group (17-18 / 19-21) of every cl_* KPI comes from the OC3 DOB",
    "131": "cl_in_touch_pct and the cohort (not DIED, not RHOM) read IN_TOUCH",
    "132": "cl_eet_pct and cl_neet_pct read ACTIV",
    "133": "cl_suitable_accom_pct reads ACCOM",
    "INT15": "cl_* KPIs take the age group from the OC3 DOB and ages from the header DOB",
    "CSC-OC3-REQUIRED": "a blank IN_TOUCH, ACTIV or ACCOM is neither in nor out of a cl_* KPI",
    # ----- teams
    "CSC-TEAMS-ID": "a team without an ID cannot carry its workers' cases to a district",
    "CSC-TEAMS-ID-FORMAT": "a malformed TEAM_ID matches no worker: its children fall out of their district",
    "CSC-TEAMS-KEY": "a team twice with two districts puts its children in two districts",
    "CSC-TEAMS-DISTRICT": "without a district the team's children fall out of the district totals",
    # ----- workers
    "CSC-WORKERS-ID": "a spell without a worker ID cannot hold cases (caseload KPIs)",
    "CSC-WORKERS-ID-FORMAT": "a malformed SW_ID matches no allocation: caseloads and districts go wrong",
    "CSC-WORKERS-KEY": "a duplicated spell doubles the worker's FTE (caseload_avg, agency_fte_pct)",
    "CSC-WORKERS-TEAM": "a worker with an unknown team sends children to no district",
    "CSC-WORKERS-TEAM-FORMAT": "a malformed TEAM_ID matches no team: the worker's children have no district",
    "CSC-WORKERS-ROLE": "ROLE 4/5 decides who is a case holder (every caseload KPI)",
    "CSC-WORKERS-FTE": "FTE is the denominator of caseload_avg and agency_fte_pct",
    "CSC-WORKERS-AGENCY": "agency_fte_pct counts AGENCY = Y",
    "CSC-WORKERS-START": "a spell without a start is never in post: its cases are lost",
    "CSC-WORKERS-END": "an unreadable END_DATE keeps a leaver in post (caseload KPIs)",
    "CSC-WORKERS-ORDER": "a spell ending before it starts is never in post",
    # ----- allocations
    "CSC-ALLOC-ID": "an allocation without a child cannot be counted (cla_unallocated, districts)",
    "CSC-ALLOC-ID-FORMAT": ID_SPLITS + " (cla_unallocated, districts, caseloads)",
    "CSC-ALLOC-KEY": "a duplicated allocation counts the case twice in the worker's caseload",
    "CSC-ALLOC-WORKER": "an allocation to an unknown worker puts the child in no district",
    "CSC-ALLOC-WORKER-FORMAT": "a malformed SW_ID matches no worker: the child is in no district",
    "CSC-ALLOC-START": "an allocation without a start is never open: the child looks unallocated",
    "CSC-ALLOC-END": "an unreadable end keeps a closed allocation open (caseloads, districts)",
    "CSC-ALLOC-ORDER": "an allocation ending before it starts is never open",
    # ----- missing from home
    "CSC-MFH-ID": "a missing episode without a child is lost from the 'home' RHI KPIs",
    "CSC-MFH-ID-FORMAT": ID_SPLITS + " (the 'home' RHI KPIs)",
    "CSC-MFH-KEY": "a duplicated episode is counted twice in the 'home' RHI KPIs",
    "CSC-MFH-MISSING": "RHI KPIs count M episodes; a blank or other code is lost",
    "CSC-MFH-MIS_START": "the episode cannot be joined to its return interview",
    "CSC-MFH-MIS_END": "MIS_END decides the month and when an RHI is due",
    "CSC-MFH-ORDER": "an episode ending before it starts makes RHI timeliness meaningless",
    "CSC-MFH-FUTURE": "a date after the extract date makes an RHI due in the future",
    # ----- return interviews
    "CSC-RHI-ID": "an interview without a child cannot be joined to its episode",
    "CSC-RHI-ID-FORMAT": "a malformed CHILD matches no missing episode: the interview counts for none",
    "CSC-RHI-KEY": "two interview rows for one episode count it twice in rhi_offered_pct",
    "CSC-RHI-MIS_START": "an interview that cannot be joined counts as 'not offered'",
    "CSC-RHI-OFFERED": "rhi_offered_pct counts OFFERED = Y",
    "CSC-RHI-ACCEPTED": "rhi_accepted_pct counts ACCEPTED = Y",
    "CSC-RHI-RHI_DATE": "rhi_within_72h_pct compares RHI_DATE with MIS_END",
    "CSC-RHI-FUTURE": "an interview after the extract date cannot have been held",
    # ----- peps
    "CSC-PEPS-ID": "a PEP without a child cannot count for pep_in_term_pct",
    "CSC-PEPS-ID-FORMAT": ID_SPLITS + " (the PEP KPIs)",
    "CSC-PEPS-KEY": "a duplicated PEP is counted twice in pep_quality_good_pct",
    "CSC-PEPS-DATE": "PEP_DATE decides the term (pep_in_term_pct) and initial PEP timeliness",
    "CSC-PEPS-FUTURE": "a PEP dated after the extract date cannot have been held",
    "CSC-PEPS-STATUS": "every PEP KPI counts only STATUS = COMPLETE",
    "CSC-PEPS-QUALITY": "pep_quality_good_pct counts QUALITY = GOOD among rated PEPs",
}

WARNINGS: dict[str, str] = {
    # ----- header
    "101": _UNUSED + " (SEX)",
    "351": "over-21s are outside every KPI's cohort; shown, not counted",
    "103": _UNUSED + " (ETHNIC)",
    "CSC-HEADER-ETHNIC": _UNUSED + " (ETHNIC)",
    "168": _UNUSED + " (UPN)",
    "CSC-HEADER-MOTHER": _UNUSED + " (MOTHER)",
    "CSC-HEADER-MC_DOB": _UNUSED + " (MC_DOB)",
    # ----- episodes
    "145": _UNUSED + " (CIN)",
    "178": _UNUSED + " (PLACE_PROVIDER)",
    "149": "REC is not read by the KPIs: periods are joined by dates (kpis.md reading 3)",
    "1009": _UNUSED + " (REASON_PLACE_CHANGE)",
    "353": "an episode before 1991 is outside every KPI window",
    "431": "periods of care are joined by dates whatever RNE says (kpis.md reading 3)",
    "432": "periods of care are joined by dates whatever RNE says (kpis.md reading 3)",
    "357": "the first episode's RNE does not change any KPI (periods start at the first DECOM)",
    "352": "an 18+ start is implausible but counted as recorded",
    "386": "REC is not read by the KPIs; the ending is counted by DEC",
    "387": "REC is not read by the KPIs; the ending is counted by DEC",
    "389": "REC is not read by the KPIs; the ending is counted by DEC",
    "380": "a temporary first placement is counted as a placement, as recorded",
    "381": "REC is not read by the KPIs; the ending is counted by DEC",
    "382": "short breaks are already excluded from the KPIs by LS",
    "408": "LS with A5/A6 does not change a KPI (A3–A6 count as stable whatever LS)",
    "445": "a legacy legal status in history does not change a KPI",
    "446": "a legacy legal status in history does not change a KPI",
    "217t": "P2 after October 2023 is a coding issue; the placement still counts",
    "527": _UNUSED + " (PLACE_PROVIDER)",
    "528": _UNUSED + " (PLACE_PROVIDER)",
    "529": _UNUSED + " (PLACE_PROVIDER)",
    "550": _UNUSED + " (PLACE_PROVIDER)",
    # ----- reviews
    "INT08": "reviews are counted through the child's episodes; an orphan is ignored",
    "167": _UNUSED + " (REVIEW_CODE)",
    "CSC-REVIEWS-DOB": _UNUSED + " (DOB is taken from the header)",
    # ----- missing
    "571": "an end date outside the year does not change the month it is counted in",
    "CSC-MISSING-DOB": _UNUSED + " (DOB is taken from the header)",
    # ----- oc2
    "INT05": "OC2 rows are counted as supplied; district attribution falls back",
    "180": _UNUSED + " (SDQ_SCORE)",
    "CSC-OC2-SDQ_REASON": _UNUSED + " (SDQ_REASON)",
    "181": "the flags no KPI reads; the three that KPIs read are CSC-OC2-HEALTH (error)",
    "CSC-OC2-DOB": _UNUSED + " (DOB is taken from the header)",
    # ----- oc3
    "344": "DIED and RHOM are outside the cohort, so ACTIV/ACCOM are not read",
    "345": "ACTIV/ACCOM 0 stay in the denominator by definition (kpis.md §C)",
    "391": "rows outside 17–21 are left out of the KPIs (kpis.md reading 11)",
    "347": "a foyer under 18 is a practice concern; suitability is counted as recorded",
    # ----- uasc, ad1, placed for adoption, previous permanence, sw episodes
    "CSC-UASC-ID": _UNUSED + " (uasc.csv)",
    "CSC-UASC-ID-FORMAT": ID_UNUSED + " (uasc.csv)",
    "CSC-UASC-KEY": _UNUSED + " (uasc.csv)",
    "104": _UNUSED + " (DUC)",
    "CSC-UASC-SEX": _UNUSED + " (SEX)",
    "CSC-UASC-DOB": _UNUSED + " (DOB)",
    "CSC-AD1-ID": _UNUSED + " (ad1.csv)",
    "CSC-AD1-ID-FORMAT": ID_UNUSED + " (ad1.csv)",
    "CSC-AD1-KEY": _UNUSED + " (ad1.csv)",
    "112": _UNUSED + " (DATE_INT)",
    "113": _UNUSED + " (DATE_MATCH)",
    "114": _UNUSED + " (FOSTER_CARE)",
    "CSC-AD1-NB_ADOPTR": _UNUSED + " (NB_ADOPTR)",
    "CSC-AD1-SEX_ADOPTR": _UNUSED + " (SEX_ADOPTR)",
    "CSC-AD1-LS_ADOPTR": _UNUSED + " (LS_ADOPTR)",
    "CSC-PFA-ID": _UNUSED + " (placed_for_adoption.csv)",
    "CSC-PFA-ID-FORMAT": ID_UNUSED + " (placed_for_adoption.csv)",
    "115": _UNUSED + " (DATE_PLACED)",
    "116": _UNUSED + " (DATE_PLACED_CEASED)",
    "119": _UNUSED + " (REASON_PLACED_CEASED)",
    "120": _UNUSED + " (REASON_PLACED_CEASED)",
    "CSC-PFA-ORDER": _UNUSED + " (DATE_PLACED_CEASED)",
    "CSC-PREVPERM-ID": _UNUSED + " (previous_permanence.csv)",
    "CSC-PREVPERM-ID-FORMAT": ID_UNUSED + " (previous_permanence.csv)",
    "CSC-PREVPERM-KEY": _UNUSED + " (previous_permanence.csv)",
    "CSC-PREVPERM-CODE": _UNUSED + " (PREV_PERM)",
    "CSC-PREVPERM-DATE": _UNUSED + " (DATE_PERM)",
    "CSC-SWE-ID": _UNUSED + " (sw_episodes.csv; caseloads use local allocations)",
    "CSC-SWE-ID-FORMAT": ID_UNUSED + " (sw_episodes.csv)",
    "CSC-SWE-SW_ID-FORMAT": ID_UNUSED + " (sw_episodes.csv)",
    "CSC-SWE-KEY": _UNUSED + " (sw_episodes.csv)",
    "SW02STG1": _UNUSED + " (SW_ID of sw_episodes.csv)",
    "SW03STG1": _UNUSED + " (sw_episodes.csv)",
    "SW04STG1": _UNUSED + " (SW_DECOM)",
    "CSC-SWE-SW_DEC": _UNUSED + " (SW_DEC)",
    "CSC-SWE-ORDER": _UNUSED + " (SW_DEC)",
    "SW13STG1": _UNUSED + " (SW_REASON)",
    # ----- local
    "CSC-TEAMS-SERVICE": _UNUSED + " (SERVICE)",
    "CSC-TEAMS-NAME": "TEAM_NAME is only a label on drill-downs",
    "CSC-ALLOC-CASE_TYPE": "district attribution uses every case type (kpis.md reading 6)",
    "CSC-MFH-DOB": _UNUSED + " (DOB)",
    "CSC-RHI-NOT-OFFERED": "rhi_accepted_pct only reads ACCEPTED where OFFERED = Y",
    "CSC-RHI-OFFERED_DATE": _UNUSED + " (OFFERED_DATE)",
    "CSC-RHI-ORDER": "an interview dated before the episode is counted as recorded",
    "CSC-RHI-MATCH": "cross-extract: an unmatched interview counts for no episode",
    "CSC-RHI-AFTER-END": "cross-extract: counted as recorded (within 72 hours)",
    "CSC-PEPS-TYPE": "the first COMPLETE PEP of either type counts (kpis.md reading 9)",
    "CSC-PEPS-IN-CARE": "cross-extract: a PEP outside care is simply not in any cohort",
}

WARNINGS.update(
    {
        # One DOB / SEX per child across the tables of an extract (DfE INT rules): the KPIs
        # read the header's DOB and SEX only, except OC3's DOB (INT15, an error above).
        "INT11": _UNUSED + " (DOB of ad1.csv; the header's is read)",
        "INT12": _UNUSED + " (DOB of placed_for_adoption.csv; the header's is read)",
        "INT13": _UNUSED + " (DOB of missing.csv; the header's is read)",
        "INT14": _UNUSED + " (DOB of oc2.csv; the header's is read)",
        "INT16": _UNUSED + " (DOB of previous_permanence.csv; the header's is read)",
        "INT17": _UNUSED + " (DOB of reviews.csv; the header's is read)",
        "INT18": _UNUSED + " (DOB of uasc.csv; the header's is read)",
        "INT21": _UNUSED + " (SEX)",
        "CSC-SWE-DOB": _UNUSED + " (DOB of sw_episodes.csv; the header's is read)",
        # IDs across years: looked at after loading, on every year of the LA; warnings only
        # (a rule that needs other extracts never blocks one).
        "CSC-HEADER-ID-SHAPE": "cross-extract: a renumbered case system counts children twice",
        "CSC-HEADER-ID-GAP": "cross-extract: a reused or changed ID joins two children",
        "CSC-HEADER-ID-CHANGED": "cross-extract: one child under two IDs is counted twice",
    }
)

# The DfE rules that guard a column a KPI reads (issue 13): episode dates and chaining, the
# short-break legal statuses, placement changes, missing periods against care, the OC2
# health cohort and the OC3 care-leaver cohort. Each has a csc-synth defect kind it must
# catch (pipelines/synth/rule_defects.py, tests/synth/test_rule_defects.py).
ERRORS.update(
    {
        # ----- episodes: dates and chaining (cla_count, cla_starts, cla_ceased, placements)
        "354": "an episode starting after 31 March puts a start and a child looked after "
        "into a month of next year's return",
        "355": "a zero-day episode counts as a placement in placement_3plus_pct",
        "388": "REC X1 without a next episode that day (or a next episode after another REC) "
        "splits or joins periods of care: cla_starts and cla_ceased",
        "433": "a continuation that does not start the day the last episode ended is a new "
        "period by its dates: cla_starts and cla_ceased count one that RNE says is not",
        "434": "RNE decides what is a new placement: an L episode whose placement changed "
        "hides a move from placement_3plus_pct and placement_long_term_pct",
        "435": "RNE decides what is a new placement: a P or T episode where nothing moved "
        "counts a move that did not happen (placement_3plus_pct, placement_long_term_pct)",
        "436": "RNE decides what is a new placement: a B or U episode where the placement did "
        "not change counts a move that did not happen",
        "437": "an episode after death or an adult age assessment counts a child looked after "
        "who is not (cla_count, cla_starts)",
        # ----- legal status: short breaks (V3/V4) are left out of every looked-after count
        "365": "a 'short break' of more than 17 days takes a looked-after child out of "
        "cla_count and every looked-after KPI (the V3/V4 exclusion)",
        "367": "more than 75 days of 'short breaks' in a year take a looked-after child out "
        "of cla_count and every looked-after KPI",
        "384": "a long-term foster placement coded as a short break takes the child out of "
        "cla_count and placement_long_term_pct",
        # ----- missing periods against care (missing_cla_pct, RHI KPIs)
        "574": "overlapping missing periods count one absence twice (missing_episodes, every "
        "RHI denominator)",
        "575": "a missing period left open after its placement ended never becomes due: lost "
        "from every RHI KPI",
        "577": "a missing period outside its period of care is counted for a child not looked "
        "after (missing_cla_pct, RHI KPIs 'from care')",
        "578": "a missing period starting after care ended counts a child who was not looked "
        "after in missing_cla_pct",
        "581": "a missing period starting before care began counts a child who was not looked "
        "after in missing_cla_pct",
        # ----- OC2: the health cohort and its items (health_assessment_pct, dental, immunisations)
        "182": "a partly completed OC2 row is counted in the health KPIs' denominators with "
        "blank items, which count as not done",
        "544": "a conviction recorded with health items blank: the child counts as not "
        "assessed, not checked, not immunised",
        "547": "health promotion recorded with health items blank: the child counts as not "
        "assessed, not checked, not immunised",
        "190": "an OC2 row for a child outside the 12-month cohort inflates every health "
        "KPI's denominator",
        "191": "a child of the 12-month cohort with no OC2 row (or blank items) is missing "
        "from, or counted as not done in, every health KPI",
        # ----- OC3: the care-leaver cohort (every cl_* KPI)
        "153": "a partly completed OC3 row is in the cl_* cohort with a blank item, neither in "
        "nor out of its KPI",
        "1000": "a young person who died in care is counted in the cl_* cohort",
        "1007": "a 17- or 18-year-old still looked after on the birthday is not a care leaver: "
        "counted in the cl_* cohort by mistake",
        "1016": "a 17- or 18-year-old who left care after the birthday is not a care leaver "
        "at it: counted in the cl_* cohort by mistake",
    }
)

SEVERITY: dict[str, Severity] = {
    **dict.fromkeys(ERRORS, "error"),
    **dict.fromkeys(WARNINGS, "warning"),
}


def severity_of(code: str) -> Severity:
    """The severity of rule ``code``; KeyError names a rule missing from this file."""
    try:
        return SEVERITY[code]
    except KeyError:
        raise KeyError(f"rule {code} has no severity in expectations/severity.py") from None


def reason_of(code: str) -> str:
    return ERRORS.get(code) or WARNINGS.get(code, "")
