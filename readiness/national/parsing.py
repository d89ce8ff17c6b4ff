"""Reading the two reference CSVs: columns, cells, dates, grades and the problems list."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from readiness.national.models import Grade

LOOKUP_REQUIRED = ("urn", "la_code_new", "local_authority_ons_name")
OUTCOMES_REQUIRED = ("urn", "local_authority", "inspection_link", "publication_date")

MAX_POPULATION = 5_000_000  # larger than any English authority's under-26s; also fits the column
KNOWN_FRAMEWORKS = {"short": "short", "standard": "standard"}

# Parser notes the scraper writes instead of a grade, and what they mean in plain words.
GRADE_NOTES = {
    "inspection_pre_dates_judgement": "the report predates that judgement",
    "not_reported_post_reform": "Ofsted stopped giving it from April 2026",
    "data_unreadable": "the scraper could not read it",
    "": "the cell is empty",
}

_GRADE_WORDS = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "inadequate": Grade.INADEQUATE,
}
_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$")


@dataclass
class _Problems:
    items: list[dict] = field(default_factory=list)

    def add(self, file: str, row: int, reason: str) -> None:
        self.items.append({"file": file, "row": row, "reason": f"row {row}: {reason}"})


def parse_uk_date(text: str) -> date | None:
    """Read dd/mm/yy or dd/mm/yyyy; raise ValueError when it is not a real date. Empty is None."""
    if not text or not text.strip():
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    day, month, year = (int(part) for part in match.groups())
    if len(match.group(3)) == 2:
        year += 2000  # the published ILACS/SIF era starts in 2013
    return date(year, month, day)


def parse_grade(text: str) -> tuple[str | None, str | None]:
    """Return (grade code or None, note). The note says why a non-empty cell was not a clean grade."""
    words = " ".join((text or "").strip().lower().split())
    if words in _GRADE_WORDS:
        return _GRADE_WORDS[words], None
    if words.startswith("to ") and words[3:] in _GRADE_WORDS:
        return _GRADE_WORDS[words[3:]], f"read as {_GRADE_WORDS[words[3:]].label.lower()}"
    if words in GRADE_NOTES:
        return None, GRADE_NOTES[words]
    return None, "it is not one of outstanding, good, requires improvement or inadequate"


def _normal_name(text: str) -> str:
    words = text.lower().replace("&", " and ").replace(".", " ").replace(",", " ")
    words = re.sub(r"\bcity of\b", " ", words)
    return " ".join(words.split())


def _read_csv(path: Path, label: str, problems: _Problems) -> tuple[list[dict], str, list[str]]:
    """Return the rows, the file's SHA-256 and its header; BOM-safe, and never raises on content."""
    raw = Path(path).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        problems.add(label, 1, "the file is not UTF-8, so it was read as Windows-1252")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows: list[dict] = []
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
        reader.fieldnames = header
        for row in reader:
            rows.append({key: (value or "").strip() for key, value in row.items() if key})
    except csv.Error as exc:
        header = header if rows else []
        problems.add(
            label, len(rows) + 2, f"the file cannot be read from here on ({exc}) — the rest is skipped"
        )
    return rows, digest, header


def _missing_columns(header: list[str], required: tuple[str, ...], label: str, problems: _Problems) -> bool:
    missing = [name for name in required if name not in header]
    if missing:
        problems.add(
            label, 1, f"the header has no {', '.join(missing)} column — nothing imported from this file"
        )
    return bool(missing)
