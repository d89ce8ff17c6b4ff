"""Generate case-list CSV rows in the layout casework/imports/README.md documents.

One row per event, four events per child on average, so 100,000 rows are about 25,000 children
(a large county's Annex A, reliability.md B1). Every row is valid and distinct; the same seed gives
the same file. `bad_last=True` makes only the last row invalid (an impossible date).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "child_id",
    "date_of_birth",
    "gender",
    "ethnicity",
    "disability",
    "uasc",
    "cohort",
    "episode_start",
    "episode_end",
    "legal_status",
    "placement_type",
    "placement_in_area",
    "placement_start",
    "placement_end",
    "event_type",
    "event_date",
    "event_value",
]
GENDERS = ["male", "female", "M", "F", "1", "2", "not known"]
ETHNICITIES = ["WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "AIND", "APKN", "BAFR", "BCRB", "CHNE", "OOTH", "NOBT"]
COHORT_EVENTS = {
    "early_help": ["contact", "visit"],
    "child_in_need": ["contact", "referral", "assessment_start", "assessment_completed", "visit"],
    "child_protection": ["strategy_discussion", "section_47", "icpc", "cp_review", "visit"],
    "looked_after": ["cla_review", "visit", "iha", "rha", "pep", "missing_episode", "return_interview"],
    "care_leaver": ["care_leaver_contact", "care_leaver_accommodation", "care_leaver_eet", "visit"],
}
COHORTS = list(COHORT_EVENTS)
COHORT_WEIGHTS = [10, 55, 10, 18, 7]  # roughly the national mix of open cases
PLACEMENTS = ["foster", "connected_person", "childrens_home", "supported", "with_parents", "U1", "K2", "R1"]
VALUES = ["", "", "", "NFA", "CIN plan", "suitable", "completed"]
BAD_DATE = "31/02/2024"  # the import must refuse an impossible date


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def iter_rows(
    n: int, *, prefix: str = "BENCH", seed: int = 2026, bad_last: bool = False
) -> Iterator[list[str]]:
    """Yield `n` data rows (no header) for children `{prefix}000001`…; all valid unless bad_last."""
    rng = random.Random(seed)
    produced = 0
    child = 0
    first = date(2022, 1, 3)
    while produced < n:
        child += 1
        child_id = f"{prefix}{child:06d}"
        birth_year = rng.randint(2006, 2023)
        birth = f"{rng.randint(1, 12):02d}/{birth_year}"
        gender = rng.choice(GENDERS)
        ethnicity = rng.choice(ETHNICITIES)
        disability = rng.choice(["no", "no", "no", "yes"])
        uasc = "yes" if rng.random() < 0.03 else "no"
        cohort = rng.choices(COHORTS, COHORT_WEIGHTS)[0]
        start = first + timedelta(days=rng.randrange(900))
        end = _d(start + timedelta(days=rng.randint(120, 400))) if rng.random() < 0.25 else ""
        legal = rng.choice(["C2", "V2", "J2"]) if cohort == "looked_after" else ""
        placement = ["", "", "", ""]
        if cohort == "looked_after":
            placement = [rng.choice(PLACEMENTS), rng.choice(["yes", "no"]), _d(start), ""]
        kinds = COHORT_EVENTS[cohort]
        events = rng.randint(2, 6)
        for index in range(events):
            if produced >= n:
                return
            occurred = start + timedelta(days=7 * index + rng.randrange(7))
            row = [
                child_id,
                birth,
                gender,
                ethnicity,
                disability,
                uasc,
                cohort,
                _d(start),
                end,
                legal,
                *placement,
                kinds[index % len(kinds)],
                _d(occurred),
                rng.choice(VALUES),
            ]
            produced += 1
            if bad_last and produced == n:
                row[HEADER.index("event_date")] = BAD_DATE
            yield row


def csv_text(n: int, **kwargs) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(iter_rows(n, **kwargs))
    return buffer.getvalue()


def write_csv(path: Path, n: int, **kwargs) -> Path:
    """Write a header and `n` rows to `path` (streamed, so 100k rows use little memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for row in iter_rows(n, **kwargs):
            writer.writerow(row)
    return path
