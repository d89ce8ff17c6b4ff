"""The columns of the case list, the header spellings we accept, and the ones we refuse.

Headers are matched leniently: case, spaces, underscores and punctuation do not matter
("Child ID", "child_id" and "CHILD UNIQUE ID" are one column). A column that looks like a personal
identifier (a name, an address, an NHS number…) is refused: we keep pseudonymous IDs only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.imports.problems import Problem


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "child_id",
        "Child ID",
        ("child unique id", "child ref", "child reference", "person id", "la child id", "id", "child"),
        required=True,
    ),
    Column(
        "date_of_birth",
        "Date of birth",
        ("dob", "birth date", "month of birth", "month and year of birth", "birth month"),
    ),
    Column("gender", "Gender", ("sex", "gender sex")),
    Column("ethnicity", "Ethnicity", ("ethnic origin", "ethnicity code")),
    Column("disability", "Disability", ("disabled", "has disability")),
    Column("uasc", "UASC", ("unaccompanied asylum seeking child", "uasc status", "asylum seeker")),
    Column("cohort", "Cohort", ("case type", "service", "category", "list")),
    Column("episode_start", "Episode start", ("episode start date", "start date", "cohort start")),
    Column("episode_end", "Episode end", ("episode end date", "end date", "cohort end")),
    Column("legal_status", "Legal status", ("legal status code",)),
    Column("placement_type", "Placement type", ("placement", "placement type code")),
    Column(
        "placement_in_area",
        "Placement in area",
        ("in area", "placed in area", "in borough", "placement in borough", "in la area"),
    ),
    Column("placement_start", "Placement start", ("placement start date",)),
    Column("placement_end", "Placement end", ("placement end date",)),
    Column("event_type", "Event type", ("event", "event kind", "activity", "activity type")),
    Column("event_date", "Event date", ("date", "activity date", "event on")),
    Column("event_value", "Event value", ("outcome", "value", "event outcome", "result")),
)
BY_NAME = {column.name: column for column in COLUMNS}

# Columns that only make sense together: if the first is present the others must be too.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("cohort", "episode_start"),
    ("placement_type", "placement_in_area", "placement_start"),
    ("event_type", "event_date"),
)

# Headers that name or locate a person. Checked after the allowlist, so "child_id" and
# "date_of_birth" (reduced to month and year) are fine but "Full name" or "Postcode" are not.
PERSONAL_IDENTIFIER_PATTERNS = (
    r"\bname\b",
    r"\bnames\b",
    r"forename",
    r"surname",
    r"first ?name",
    r"last ?name",
    r"full ?name",
    r"family ?name",
    r"given ?name",
    r"middle ?name",
    r"\baddress",
    r"post ?code",
    r"\bzip\b",
    r"\bnhs\b",
    r"national insurance",
    r"\bni (number|no)\b",
    r"\bupn\b",
    r"unique pupil",
    r"phone",
    r"mobile",
    r"e ?mail",
    r"\bdob full\b",
    r"full (date of birth|dob)",
    r"exact (dob|date)",
    r"\bparent",
    r"\bmother",
    r"\bfather",
    r"\bcarer name",
    r"\bschool name",
)
_PII = re.compile("|".join(PERSONAL_IDENTIFIER_PATTERNS))


def header_key(value: object) -> str:
    """Return a header with case, spaces, underscores and punctuation folded away."""
    text = str(value if value is not None else "").strip().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


_ALIASES: dict[str, str] = {}
for _column in COLUMNS:
    for _spelling in (_column.name, _column.label, *_column.aliases):
        _ALIASES[header_key(_spelling)] = _column.name


@dataclass
class HeaderMap:
    """Where each known column sits, the user's own spelling of it, and what was ignored."""

    index: dict[str, int]
    labels: dict[str, str]
    ignored: list[str]

    def label(self, name: str) -> str:
        return self.labels.get(name, BY_NAME[name].label)


def header_map(cells: list[object]) -> tuple[HeaderMap, list[Problem]]:
    """Match a header row; return the map and every problem with it (row 1)."""
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for position, cell in enumerate(cells):
        shown = str(cell if cell is not None else "").strip()
        key = header_key(shown)
        if not key:
            continue
        name = _ALIASES.get(key)
        if name is None:
            if _PII.search(key):
                problems.append(
                    Problem(
                        f"'{shown}' looks like a personal identifier; we keep pseudonymous child IDs only, "
                        "so delete this column and import again",
                        row=1,
                        column=shown,
                    )
                )
            else:
                ignored.append(shown)
            continue
        if name in index:
            problems.append(
                Problem(
                    f"'{shown}' is the same column as '{labels[name]}'; keep only one of them",
                    row=1,
                    column=shown,
                )
            )
            continue
        index[name] = position
        labels[name] = shown
    for column in COLUMNS:
        if column.required and column.name not in index:
            spellings = ", ".join(f"'{s}'" for s in (column.label, column.name, *column.aliases[:2]))
            problems.append(
                Problem(f"there is no {column.label} column; name one of the headers {spellings}", row=1)
            )
    for group in GROUPS:
        present = [name for name in group if name in index]
        if present and len(present) < len(group):
            for name in group:
                if name not in index:
                    problems.append(
                        Problem(
                            f"there is a {BY_NAME[present[0]].label} column but no {BY_NAME[name].label} "
                            "column; add it",
                            row=1,
                        )
                    )
    return HeaderMap(index=index, labels=labels, ignored=ignored), problems
