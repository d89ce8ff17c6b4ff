"""What the per-list column layouts of an Annex A workbook are made of (fields, episodes,
placements, events, a list's spec, header keys), the messages, and the importer's own case-list
layout. The layouts themselves are in `lists.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Case-list rows are numbered sheet * SHEET_SPAN + sheet row * SLOTS + slot (slot 0: the child,
# then one slot per fact). An .xlsx sheet has at most 2**20 rows, so 31 sheets fit PostgreSQL's
# integer column in the staging table.
SLOTS = 64
SHEET_SPAN = (1 << 20) * SLOTS
MAX_SHEETS = 31

# The importer's own layout, spelled with its column labels (casework/imports/columns.py).
HEADER = (
    "Child ID",
    "Date of birth",
    "Gender",
    "Ethnicity",
    "Disability",
    "UASC",
    "Cohort",
    "Episode start",
    "Episode end",
    "Legal status",
    "Placement type",
    "Placement in area",
    "Placement start",
    "Placement end",
    "Event type",
    "Event date",
    "Event value",
)
WIDTH = len(HEADER)
CHILD_COLUMNS = ("Child ID", "Date of birth", "Gender", "Ethnicity", "Disability", "UASC")

NO_DATA_ROWS = "The workbook's list sheets have no data rows."
SKIPPED = "Sheet '{title}' was skipped: {reason}."
SKIP_UNKNOWN = "we could not tell which Annex A list it is; name it like 'List 3 Referrals' to import it"
SKIP_VALIDATION = "it lists the export's gaps, not case data"
SKIP_EMPTY = "it is empty"
WORKER_NAME = (
    "{value} looks like a person's name; give the worker's reference (for example SW042), never a name"
)
PERSONAL = (
    "'{shown}' looks like a personal identifier; we keep pseudonymous child IDs only, "
    "so delete this column and import again"
)
SAME_COLUMN = "'{shown}' is the same column as '{known}'; keep only one of them"
NEEDS_COLUMN = "this list needs a {names} column (also accepted: {aliases}); add it or rename the header"
MISSING_MAIN_DATE = "this date is missing; every row on this list needs one"
NO_REFERENCE = "the adopter reference is missing; every row needs one"
BAD_REFERENCE = "{shown} is not an adopter reference; use up to 40 letters, digits and - _ . / (no names)"
NO_REFERENCE_COLUMN = (
    "there is no adopter reference column; name one of the headers 'Adopter reference', 'Adopter ID'"
)
BAD_HOUSEHOLD = "{shown} is not a household type; use single or couple"
BAD_CHILDREN = "{shown} is not a number of children; use a whole number from 1 to 10"
LONG_REASON = "the reason is longer than 100 characters; shorten it"
ADOPTER_TWICE = "adopter {reference} is also on row {row} with different details; keep one row per household"
HOUSEHOLD_TYPES = {
    "single": "single",
    "singleadopter": "single",
    "1": "single",
    "couple": "couple",
    "coupleadopters": "couple",
    "joint": "couple",
    "jointadopters": "couple",
    "2": "couple",
}
NO_WORKER = {"unallocated", "not allocated", "no worker", "none"}


def key(text: object) -> str:
    """Fold a header or sheet name: case, spaces and punctuation never matter ("ChildUniqueID")."""
    return re.sub(r"[^a-z0-9]+", "", str(text if text is not None else "").lower())


@dataclass(frozen=True)
class Field:
    """A column of a list sheet: our exporter's header, and the other spellings we accept."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text, date, category, yes_no, in_area, worker, team, ignored


@dataclass(frozen=True)
class Episode:
    cohort: str
    start: str
    end: str | None = None
    legal: str | None = None


@dataclass(frozen=True)
class Placement:
    kind: str
    in_area: str
    start: str
    end: str | None = None


@dataclass(frozen=True)
class Event:
    """An event from a dated column; its value from the first of `value` the sheet has, or fixed.

    `dates` are tried cell by cell, first non-blank wins. `nfa` turns a yes/no column into the
    value "NFA" or "".
    """

    kind: str
    dates: tuple[str, ...]
    value: tuple[str, ...] = ()
    nfa: bool = False


@dataclass(frozen=True)
class ListSpec:
    number: int
    title: str
    words: tuple[str, ...]  # keys a sheet name may carry instead of the number
    fields: tuple[Field, ...] = ()
    facts: tuple = ()
    required: tuple[str, ...] = ()  # the list's main date: without its column the sheet is unusable
    distinctive: tuple[str, ...] = ()  # fields that tell this list apart from the others by headers
    skip: str = ""  # a reason: this list is never imported


def date_field(name: str, label: str, *aliases: str) -> Field:
    return Field(name, label, aliases, "date")


def ignored_field(name: str, label: str, *aliases: str) -> Field:
    return Field(name, label, aliases, "ignored")
