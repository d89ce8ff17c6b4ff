"""Recognise an Annex A list sheet: by its name, else by its headers."""

from __future__ import annotations

import re

from casework.imports import values
from casework.imports.annex_lists.layouts import (
    ListSpec,
    key,
)
from casework.imports.annex_lists.lists import (
    ADOPTERS,
    ALIASES,
    BY_NUMBER,
    COMMON,
    LISTS,
)
from casework.imports.problems import CellError

_LIST_NUMBER = re.compile(r"(?:^|[^a-z0-9])(?:list|l)\s*[-_.:#]?\s*(\d{1,2})(?!\d)")


# Headers only our own case-list layout has: a first sheet with one of them is a plain case list.
CASE_LIST_KEYS = {"eventtype", "eventdate", "cohort", "episodestart", "casetype"}


def allocation_supported() -> bool:
    """Whether the importer takes `allocation` events yet (the event kind is new)."""
    try:
        return values.parse_event_kind("allocation") == "allocation"
    except CellError:
        return False


def identify(name: str, header: list[object] | None) -> ListSpec | None:
    """Which list a sheet is: by the number in its name, by words in its name, else by its headers."""
    folded = str(name).lower()
    if match := _LIST_NUMBER.search(folded):
        return BY_NUMBER.get(int(match.group(1)))
    name_key, words = key(name), re.findall(r"[a-z0-9]+", folded)
    found: list[tuple[int, int, ListSpec]] = []
    for spec in LISTS:
        for word in spec.words:
            if len(word) <= 3 and word in words:  # "CIN", "CLA", "EH": only as a word of their own
                found.append((name_key.find(word), -len(word), spec))
            elif len(word) > 3 and word in name_key:
                found.append((name_key.find(word), -len(word), spec))
    if found:
        return min(found, key=lambda item: item[:2])[2]  # the words that come first in the name
    if not header:
        return None
    keys = {key(cell) for cell in header if cell not in (None, "")}
    adopter_keys = {k for k, item in ALIASES[ADOPTERS].items() if item.name == "reference"}
    if keys & adopter_keys and not keys & {key(a) for a in ("Child ID", *COMMON[0].aliases)}:
        return BY_NUMBER[ADOPTERS]
    found = []
    for spec in LISTS:
        if spec.skip or not spec.distinctive or spec.number == ADOPTERS:
            continue
        table = ALIASES[spec.number]
        hits = {table[k].name for k in keys if k in table and table[k].name in spec.distinctive}
        if hits and ("child_id" in {table[k].name for k in keys if k in table}):
            found.append(spec)
    return found[0] if len(found) == 1 else None
