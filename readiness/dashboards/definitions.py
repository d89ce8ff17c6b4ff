"""The indicators, as data. `load_indicators` makes the table match this list (idempotent).

Targets are the council's own (there is no national target for most); statutory timescales are from
domain.md §6. An indicator whose `source` is blank has no data source yet and the pages say so (none
is blank today: tests/readiness/test_indicator_sources.py fails if one is).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

CASEWORK = "casework.indicators."
OURS = "readiness.dashboards.sources."

HIGHER, LOWER = "higher_is_better", "lower_is_better"
PERCENT, COUNT, NUMBER = "percent", "count", "number"


def _pct(code, name, timescale, source, area, *, target=90, red=75, polarity=HIGHER, national=False):
    return {
        "code": code,
        "name": name,
        "timescale": timescale,
        "unit": PERCENT,
        "target": target,
        "amber_threshold": target,
        "red_threshold": red,
        "polarity": polarity,
        "source": source,
        "area_code": area,
        "is_national_measure": national,
    }


def _count(code, name, source, area, *, notes=""):
    return {
        "code": code,
        "name": name,
        "timescale": "",
        "unit": COUNT,
        "target": None,
        "amber_threshold": None,
        "red_threshold": None,
        "polarity": LOWER,
        "source": source,
        "area_code": area,
        "is_national_measure": False,
        "notes": notes,
    }


HP, CIC, CL, LEAD = "help_and_protection", "children_in_care", "care_leavers", "leaders"

INDICATORS: list[dict] = [
    # Statutory timescales, measured by casework from the children's dated events.
    _pct(
        "assessments_45wd",
        "Assessments completed within 45 working days",
        "45 working days from referral",
        CASEWORK + "assessments_within_45_days",
        HP,
        target=90,
        red=80,
        national=True,
    ),
    _pct(
        "icpc_15wd",
        "Initial child protection conferences within 15 working days",
        "15 working days from the strategy discussion",
        CASEWORK + "icpc_within_15_days",
        HP,
        target=85,
        red=70,
        national=True,
    ),
    _pct(
        "cp_visits",
        "Children on a child protection plan visited in timescale",
        "Every 10 working days (local standard)",
        CASEWORK + "cp_visits_every_10_days",
        HP,
        target=90,
        red=80,
    ),
    _pct(
        "cla_visits",
        "Children in care visited in timescale",
        "Within 1 week of placement, then 6-weekly in its first year, 3-monthly after (reg 28)",
        CASEWORK + "cla_visits_in_timescale",
        CIC,
        target=90,
        red=80,
    ),
    _pct(
        "iha_20wd",
        "Initial health assessments within 20 working days",
        "20 working days from coming into care",
        CASEWORK + "iha_within_20_days",
        CIC,
        target=90,
        red=70,
    ),
    _pct(
        "first_cla_review_20wd",
        "First looked-after reviews within 20 working days",
        "20 working days from coming into care",
        CASEWORK + "first_review_within_20_days",
        CIC,
        target=95,
        red=85,
    ),
    _pct(
        "pep_in_time",
        "Personal education plans started within 10 working days",
        "10 working days from coming into care",
        CASEWORK + "pep_within_10_days",
        CIC,
        target=95,
        red=85,
    ),
    _pct(
        "return_interviews_72h",
        "Return home interviews within 72 hours",
        "72 hours from return (national average 63% in 2023-24)",
        CASEWORK + "return_interviews_within_72_hours",
        CIC,
        target=80,
        red=63,
    ),
    _pct(
        "police_protection",
        "Children entering care through police protection",
        "Share of children who came into care in the last six months",
        OURS + "entered_care_police_protection",
        CIC,
        target=10,
        red=20,
        polarity=LOWER,
    ),
    {
        **_pct(
            "gp_at_icpc",
            "GP attendance or report at initial child protection conferences",
            "Conferences in the last six months; no GP record counts as not evidenced",
            CASEWORK + "gp_at_icpc",
            HP,
            target=80,
            red=60,
        ),
        "notes": "The GP's contribution is recorded on the conference day as attended, report or none. "
        "A conference with no GP record counts as not evidenced.",
    },
    # Care leavers aged 17 to 21 on the day (the DfE measures them around the 17th to 21st
    # birthdays; casework.indicators documents the rolling reading used here).
    _pct(
        "care_leavers_in_touch",
        "Care leavers in touch",
        "Aged 17 to 21: a contact in the last 8 weeks",
        CASEWORK + "care_leavers_in_touch",
        CL,
        target=95,
        red=85,
        national=True,
    ),
    _pct(
        "care_leavers_suitable_accommodation",
        "Care leavers in suitable accommodation (no bed and breakfast)",
        "Aged 17 to 21: latest accommodation record in the last year",
        CASEWORK + "care_leavers_suitable_accommodation",
        CL,
        target=90,
        red=80,
        national=True,
    ),
    _pct(
        "care_leavers_eet",
        "Care leavers in education, employment or training",
        "Aged 17 to 21: latest record in the last year",
        CASEWORK + "care_leavers_in_eet",
        CL,
        target=60,
        red=50,
        national=True,
    ),
    # What leaders watch: oversight, workforce and quality.
    {
        **_pct(
            "private_fostering",
            "Private fostering arrangements with statutory visits in timescale",
            "First visit within 7 days of notification, then every 6 weeks in the first year",
            CASEWORK + "private_fostering_in_timescale",
            HP,
            target=90,
            red=75,
        ),
        "notes": "Arrangements notified in the last 12 months whose visits so far are all in timescale "
        "(Children (Private Arrangements for Fostering) Regulations 2005). The end of an arrangement "
        "is not recorded, so each counts for 12 months from its notification.",
    },
    _pct(
        "pre_proceedings_16_weeks",
        "Children in pre-proceedings for more than 16 weeks",
        "Public Law Outline: 16 weeks (112 days); share of children in pre-proceedings on the day",
        CASEWORK + "pre_proceedings_over_16_weeks",
        CIC,
        target=10,
        red=25,
        polarity=LOWER,
    ),
    {
        **_count(
            "caseload_per_worker",
            "Average caseload per social worker",
            CASEWORK + "caseload_per_worker",
            LEAD,
            notes="Children open to social care on the day (child in need, protection plan, looked after, "
            "care leaver), each counted for the worker of their latest allocation, divided by the number "
            "of those workers. Children with no allocated worker are not in the average; the casework "
            "selector reports how many there are.",
        ),
        "timescale": "Children per allocated worker on the day (no statutory cap)",
        "unit": NUMBER,
        "target": 18,
        "amber_threshold": 18,
        "red_threshold": 22,
    },
    _pct(
        "supervision_in_timescale",
        "Children's cases supervised in timescale",
        "Case supervision recorded in the last month (local standard), cases open a month or more",
        CASEWORK + "case_supervision_in_timescale",
        LEAD,
        target=90,
        red=75,
    ),
    _pct(
        "audits_good_or_better",
        "Case audits graded good or better",
        "Audits in the last six months",
        OURS + "audits_good_or_better",
        LEAD,
        target=80,
        red=60,
    ),
    _pct(
        "audit_moderation_agreement",
        "Moderators agreeing the auditor's grade",
        "Audits in the last six months",
        OURS + "audit_moderation_agreement",
        LEAD,
        target=80,
        red=60,
    ),
    # Open cases by cohort: context, not targets.
    _count("open_early_help", "Children open to early help", OURS + "open_early_help", HP),
    _count("open_child_in_need", "Children in need", OURS + "open_child_in_need", HP),
    _count(
        "open_child_protection", "Children on a child protection plan", OURS + "open_child_protection", HP
    ),
    _count("open_looked_after", "Children in care", OURS + "open_looked_after", CIC),
    _count("open_care_leavers", "Care leavers", OURS + "open_care_leaver", CL),
]

FIELDS = (
    "name",
    "timescale",
    "unit",
    "target",
    "amber_threshold",
    "red_threshold",
    "polarity",
    "source",
    "area_code",
    "is_national_measure",
    "notes",
)


def _value(definition: dict, field: str):
    value = definition.get(field, "" if field in ("notes", "timescale", "source", "area_code") else None)
    if field in ("target", "amber_threshold", "red_threshold") and value is not None:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return value


@transaction.atomic
def indicators_load(definitions: list[dict] | None = None) -> tuple[int, int, int]:
    """Create or update the indicators one row at a time (history records each change).

    Return (created, updated, unchanged). Indicators not in the list are left alone: their
    snapshots are history.
    """
    from readiness.dashboards.models import Indicator

    created = updated = unchanged = 0
    for order, definition in enumerate(definitions or INDICATORS, start=1):
        wanted = {field: _value(definition, field) for field in FIELDS} | {"order": order}
        indicator = Indicator.objects.filter(code=definition["code"]).first()
        if indicator is None:
            indicator = Indicator(code=definition["code"], **wanted)
            indicator.full_clean()
            indicator.save()
            created += 1
            continue
        if all(getattr(indicator, field) == value for field, value in wanted.items()):
            unchanged += 1
            continue
        for field, value in wanted.items():
            setattr(indicator, field, value)
        indicator.full_clean()
        indicator.save()
        updated += 1
    if created or updated:
        from django.core.cache import cache
        from django.utils import timezone

        from readiness.dashboards.services import dashboard_cache_key

        cache.delete(dashboard_cache_key(timezone.localdate()))  # pages show the new definitions now
    return created, updated, unchanged
