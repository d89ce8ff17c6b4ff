"""Statutory timescale indicators, computed from Events with inspections.working_days.

Each selector reads what it needs in one or two `values_list` queries and does the matching in
Python, so the cost does not grow with per-child queries. Each returns an `Indicator`: numerator,
denominator, percentage and the children behind it (`children()` / `missed()`), which callers show
only to roles holding `casework.view_child_record`.

Counting convention (domain.md §4.1): "within N working days of X" means on or before the N-th
working day after X, X being day 0. The period is (as_of − look_back, as_of].

The selectors live in submodules by responsibility (`base`, `timescales`, `looked_after`,
`care_leavers`, `workforce`); this package re-exports them, so dotted source paths such as
"casework.indicators.assessments_within_45_days" keep resolving.
"""

from casework.indicators.base import (
    DEFAULT_LOOK_BACK_DAYS,
    Indicator,
)
from casework.indicators.care_leavers import (
    CARE_LEAVER_AGES,
    EET,
    IN_TOUCH_DAYS,
    LATEST_RECORD_DAYS,
    NOT_EET,
    NOT_IN_TOUCH,
    NOT_KNOWN,
    ON_THE_DAY_INDICATORS,
    UNSUITABLE,
    age_on,
    care_leavers_in_eet,
    care_leavers_in_touch,
    care_leavers_suitable_accommodation,
    is_in_eet,
    is_in_touch,
    is_suitable_accommodation,
)
from casework.indicators.looked_after import (
    FIRST_VISIT_DAYS,
    FIRST_YEAR_VISIT_DAYS,
    LATER_VISIT_MONTHS,
    cla_visits_in_timescale,
    visit_due_on,
)
from casework.indicators.timescales import (
    ALL_INDICATORS,
    assessments_within_45_days,
    cp_visits_every_10_days,
    first_review_within_20_days,
    icpc_within_15_days,
    iha_within_20_days,
    iha_within_28_days,
    indicator_list,
    pep_within_10_days,
    pep_within_20_days,
    return_interviews_within_72_hours,
)
from casework.indicators.workforce import (
    ALLOCATED_COHORTS,
    PRE_PROCEEDINGS_DAYS,
    PRIVATE_FOSTERING_FIRST_VISIT_DAYS,
    PRIVATE_FOSTERING_LOOK_BACK_DAYS,
    PRIVATE_FOSTERING_VISIT_DAYS,
    SUPERVISED_COHORTS,
    UNALLOCATED,
    WORKFORCE_INDICATORS,
    Caseload,
    case_supervision_in_timescale,
    caseload_per_worker,
    gp_at_icpc,
    gp_contribution,
    pre_proceedings_over_16_weeks,
    private_fostering_in_timescale,
    private_fostering_visits_ok,
    worker_reference,
)

__all__ = [
    "ALLOCATED_COHORTS",
    "ALL_INDICATORS",
    "CARE_LEAVER_AGES",
    "Caseload",
    "DEFAULT_LOOK_BACK_DAYS",
    "EET",
    "FIRST_VISIT_DAYS",
    "FIRST_YEAR_VISIT_DAYS",
    "IN_TOUCH_DAYS",
    "Indicator",
    "LATER_VISIT_MONTHS",
    "LATEST_RECORD_DAYS",
    "NOT_EET",
    "NOT_IN_TOUCH",
    "NOT_KNOWN",
    "ON_THE_DAY_INDICATORS",
    "PRE_PROCEEDINGS_DAYS",
    "PRIVATE_FOSTERING_FIRST_VISIT_DAYS",
    "PRIVATE_FOSTERING_LOOK_BACK_DAYS",
    "PRIVATE_FOSTERING_VISIT_DAYS",
    "SUPERVISED_COHORTS",
    "UNALLOCATED",
    "UNSUITABLE",
    "WORKFORCE_INDICATORS",
    "age_on",
    "assessments_within_45_days",
    "care_leavers_in_eet",
    "care_leavers_in_touch",
    "care_leavers_suitable_accommodation",
    "case_supervision_in_timescale",
    "caseload_per_worker",
    "cla_visits_in_timescale",
    "cp_visits_every_10_days",
    "first_review_within_20_days",
    "gp_at_icpc",
    "gp_contribution",
    "icpc_within_15_days",
    "iha_within_20_days",
    "iha_within_28_days",
    "indicator_list",
    "is_in_eet",
    "is_in_touch",
    "is_suitable_accommodation",
    "pep_within_10_days",
    "pep_within_20_days",
    "pre_proceedings_over_16_weeks",
    "private_fostering_in_timescale",
    "private_fostering_visits_ok",
    "return_interviews_within_72_hours",
    "visit_due_on",
    "worker_reference",
]
