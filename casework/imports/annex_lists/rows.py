"""Turn Annex A sheet cells into the importer's case-list values: bindings of columns, cell
cleaning and the digests that read a fact two lists both give only once.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from dataclasses import dataclass, field

from casework.imports import values
from casework.imports.annex_lists.layouts import (
    ListSpec,
    key,
)
from casework.imports.columns import PERSONAL_IDENTIFIER_PATTERNS
from casework.imports.problems import CellError

_PII = re.compile("|".join(PERSONAL_IDENTIFIER_PATTERNS))


_LETTER_PREFIX = re.compile(r"^[a-z]\d?\)\s+")  # D2I's ordering prefix: "a) Male", "p1) 5D: LA services"
_PERSON_NAME = re.compile(r"^[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’.-]*)+$")
_FORMULA_ESCAPE = ("'=", "'+", "'-", "'@")
_ROW_REF = re.compile(r"\brow (\d+)")


@dataclass
class Binding:
    """One list sheet: which of its columns hold which field, and the user's spelling of each."""

    index: int
    title: str
    spec: ListSpec
    positions: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # per slot: the importer's column label -> the user's header
    columns: list[dict[str, str]] = field(default_factory=list)
    facts: list = field(default_factory=list)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def place(self, slot: int, column: str | None) -> str | None:
        if column is None:
            return None
        if slot < len(self.columns):
            return self.columns[slot].get(column, column)
        return column


def _text(cell: object) -> str:
    result = values.text(cell)
    if result[:2] in _FORMULA_ESCAPE:  # our exporter writes formula-like text as '=…
        result = result[1:]
    return result


def _category(cell: object) -> object:
    if not isinstance(cell, str):
        return cell
    result = _LETTER_PREFIX.sub("", _text(cell))
    folded = result.lower()
    if folded in ("not stated/recorded", "not stated / recorded"):
        return "not known"
    if folded == "neither":
        return "other"
    return result


def _in_area(cell: object) -> object:
    result = _category(cell)
    if isinstance(result, str):
        folded = key(result)
        if folded in ("in", "inside", "within", "inarea", "insidela", "inla", "inborough", "inside la"):
            return "yes"
        if folded in ("out", "outside", "outofarea", "outsidela", "outofla", "outofborough"):
            return "no"
    return result


def _digest(parts: tuple) -> int:
    joined = "\x1f".join(parts)
    return int.from_bytes(hashlib.blake2b(joined.encode(), digest_size=8).digest(), "big")


def _date_key(cell: object) -> str:
    try:
        parsed = values.parse_date(cell)
    except CellError:
        return "?" + values.text(cell)
    return parsed.isoformat() if parsed else ""


class Digests:
    """A set of 64-bit digests in one flat array (open addressing): 16 to 32 bytes a fact, not ~70.

    This is the one structure that grows with the file: a digest for each distinct fact read.
    """

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._mask = 1023
        self._count = 0

    def add(self, digest: int) -> bool:
        """Add a digest; return True when it is new."""
        digest = digest or 1  # 0 marks an empty slot
        slots, mask = self._slots, self._mask
        index = digest & mask
        while (found := slots[index]) != 0:
            if found == digest:
                return False
            index = (index + 1) & mask
        slots[index] = digest
        self._count += 1
        if self._count * 2 > mask:
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._slots
        self._mask = mask = len(old) * 2 - 1
        self._slots = slots = array("Q", bytes(8 * (mask + 1)))
        for digest in old:
            if digest:
                index = digest & mask
                while slots[index]:
                    index = (index + 1) & mask
                slots[index] = digest

    def __len__(self) -> int:
        return self._count
