"""Each Annex A list's columns: the common columns every child list starts with, all eleven lists
(their own columns are in `lists_front_door.py` and `lists_services.py`), and the header aliases
they accept — the data behind `sheets.py` and `reader.py`. What they are made of is in `layouts.py`.
"""

from __future__ import annotations

from casework.imports.annex_lists.layouts import Field, ListSpec, key
from casework.imports.annex_lists.lists_front_door import FRONT_DOOR_LISTS
from casework.imports.annex_lists.lists_services import SERVICE_LISTS

COMMON = (
    Field(
        "child_id",
        "Child ID",
        (
            "Child unique ID",
            "Child ref",
            "Child reference",
            "Person ID",
            "LA child ID",
            "Child ID number",
            "ID",
        ),
    ),
    Field("gender", "Gender", ("Sex", "Gender sex"), "category"),
    Field("ethnicity", "Ethnicity", ("Ethnic origin", "Ethnicity code"), "category"),
    Field(
        "date_of_birth",
        "Date of birth (month/year)",
        ("Date of birth", "DOB", "Month of birth", "Month and year of birth", "Birth date"),
    ),
    Field(
        "age",
        "Age at last birthday",
        ("Age", "Age of child", "Age of child (years)", "Age in years", "Age (years)"),
        "ignored",
    ),
    Field("disability", "Disability", ("Disabled", "Has disability", "Disability (Y/N)"), "category"),
    Field(
        "uasc",
        "UASC",
        ("Unaccompanied asylum seeking child", "UASC status", "Asylum seeker"),
        "category",
    ),
    Field("team", "Team", ("Allocated team", "Responsible team", "Team name"), "team"),
    Field(
        "team_date",
        "Team date",
        (
            "Date allocated to team",
            "Team allocation date",
            "Date of team allocation",
            "Team start date",
            "Team from",
        ),
        "date",
    ),
    Field(
        "worker",
        "Worker",
        (
            "Allocated worker",
            "Assigned worker",
            "Social worker",
            "Worker reference",
            "Worker ID",
            "Allocated worker ID",
            "Allocated worker reference",
            "Allocated social worker",
        ),
        "worker",
    ),
    Field(
        "allocation_date",
        "Allocation date",
        ("Date allocated", "Allocated on", "Date of allocation", "Worker allocated date"),
        "date",
    ),
)


COMMON_LABELS = {item.name: item.label for item in COMMON}


def date_field(name: str, label: str, *aliases: str) -> Field:
    return Field(name, label, aliases, "date")


def ignored_field(name: str, label: str, *aliases: str) -> Field:
    return Field(name, label, aliases, "ignored")


LISTS: tuple[ListSpec, ...] = (*FRONT_DOOR_LISTS, *SERVICE_LISTS)
ADOPTERS = 11
BY_NUMBER = {spec.number: spec for spec in LISTS}


def _aliases(spec: ListSpec) -> dict[str, Field]:
    table: dict[str, Field] = {}
    for item in (*COMMON, *spec.fields) if spec.number != ADOPTERS else spec.fields:
        for spelling in (item.name, item.label, *item.aliases):
            table.setdefault(key(spelling), item)
    return table


ALIASES = {spec.number: _aliases(spec) for spec in LISTS if not spec.skip}
