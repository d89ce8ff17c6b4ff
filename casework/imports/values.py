"""Read one cell: dates, month/year, yes/no and the category spellings councils' systems use.

Each function takes what the reader gives (text, or a date/number from a workbook) and returns a
clean value, or raises CellError with a message written for the person who made the file.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from casework.imports.problems import CellError
from casework.models import (
    FIRST_BIRTH_YEAR,
    LAST_BIRTH_YEAR,
    Child,
    Cohort,
    Event,
    Placement,
    normalise_child_id,
)

Cell = str | int | float | date | datetime | None

EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# Excel counts days from 30 December 1899 (its 1900 leap-year bug is absorbed by starting there).
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL_MIN = (EARLIEST_DATE - EXCEL_EPOCH).days
EXCEL_SERIAL_MAX = (LATEST_DATE - EXCEL_EPOCH).days
MAX_TEXT = 100
CHILD_ID_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_./-]{0,39}$")

DATE_HELP = "use dd/mm/yyyy, for example 07/03/2024"
MONTH_YEAR_HELP = "use mm/yyyy, for example 03/2015"
YES_NO_HELP = "use yes or no (also y/n, true/false, 1/0)"

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SERIAL = re.compile(r"^\d{1,7}(?:\.0+)?$")
_MY = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
_MONTH_WORD_YEAR = re.compile(r"^([a-z]+)\.?[\s-]+(\d{4})$")


def text(value: Cell) -> str:
    """Return a cell as trimmed text; whole numbers from a workbook lose their `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def short_text(value: Cell, *, limit: int = MAX_TEXT) -> str:
    result = text(value)
    if "\x00" in result:
        raise CellError("contains a hidden control character; retype the value")
    if len(result) > limit:
        raise CellError(f"is {len(result)} characters long; the most this column takes is {limit}")
    return result


def _show(value: Cell) -> str:
    shown = text(value)
    return f"'{shown[:40]}…'" if len(shown) > 40 else f"'{shown}'"


def _make_date(year: int, month: int, day: int, raw: Cell) -> date:
    if not 1 <= month <= 12:
        raise CellError(f"{_show(raw)} is not a real date: there is no month {month}; {DATE_HELP}")
    last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    if not 1 <= day <= last:
        month_name = calendar.month_name[month]
        raise CellError(f"{_show(raw)} is not a real date: {month_name} {year} has {last} days")
    return date(year, month, day)


def _in_range(result: date, raw: Cell) -> date:
    if not EARLIEST_DATE <= result <= LATEST_DATE:
        raise CellError(f"{_show(raw)} is outside the years {EARLIEST_DATE.year} to {LATEST_DATE.year}")
    return result


def parse_date(value: Cell) -> date | None:
    """Read dd/mm/yyyy, ISO yyyy-mm-dd or an Excel serial number; blank gives None."""
    if isinstance(value, datetime):
        return _in_range(value.date(), value)
    if isinstance(value, date):
        return _in_range(value, value)
    if isinstance(value, bool):
        raise CellError(f"{_show(value)} is not a date; {DATE_HELP}")
    if isinstance(value, int | float):
        return _from_serial(value, value)
    raw = text(value)
    if not raw:
        return None
    if match := _DMY.match(raw):
        day, month, year = (int(part) for part in match.groups())
        return _in_range(_make_date(year, month, day, raw), raw)
    if match := _ISO.match(raw):
        year, month, day = (int(part) for part in match.groups())
        return _in_range(_make_date(year, month, day, raw), raw)
    if _SERIAL.match(raw):
        return _from_serial(float(raw), raw)
    raise CellError(f"{_show(raw)} is not a date; {DATE_HELP}")


def _from_serial(number: float, raw: Cell) -> date:
    if number != number or not float(number).is_integer():  # NaN, or a time of day
        raise CellError(f"{_show(raw)} is not a date; {DATE_HELP}")
    if not EXCEL_SERIAL_MIN <= number <= EXCEL_SERIAL_MAX:
        raise CellError(f"{_show(raw)} is not a date; {DATE_HELP}")
    return EXCEL_EPOCH + timedelta(days=int(number))


def parse_month_year(value: Cell) -> tuple[int, int] | None:
    """Read a month and year of birth; a full date is cut down to its month and year.

    We never keep a full date of birth (data minimisation): only (year, month) leaves here.
    """
    raw = text(value)
    if not raw and not isinstance(value, int | float | date):
        return None
    if isinstance(raw, str) and (match := _MY.match(raw) or _YM.match(raw)):
        first, second = (int(part) for part in match.groups())
        month, year = (first, second) if match.re is _MY else (second, first)
    elif isinstance(raw, str) and (match := _MONTH_WORD_YEAR.match(raw.lower())):
        if match.group(1) not in _MONTH_NAMES:
            raise CellError(f"{_show(value)} is not a month and year; {MONTH_YEAR_HELP}")
        month, year = _MONTH_NAMES[match.group(1)], int(match.group(2))
    else:
        try:
            full = parse_date(value)
        except CellError:
            raise CellError(f"{_show(value)} is not a month and year; {MONTH_YEAR_HELP}") from None
        month, year = full.month, full.year
    if not 1 <= month <= 12:
        raise CellError(f"{_show(value)} is not a month and year: there is no month {month}")
    if not FIRST_BIRTH_YEAR <= year <= LAST_BIRTH_YEAR:
        raise CellError(f"{_show(value)} is not a plausible year of birth for a child or care leaver")
    return year, month


_YES = {"yes", "y", "true", "t", "1"}
_NO = {"no", "n", "false", "f", "0"}


def parse_yes_no(value: Cell) -> bool | None:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if not raw:
        return None
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(f"{_show(value)} is not yes or no; {YES_NO_HELP}")


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", value.lower()).strip()


def _lookup(value: Cell, table: dict[str, str], what: str, accepted: str) -> str | None:
    """Find a category by its code, its words, or a `code - words` pair such as `1 - Male`."""
    raw = text(value)
    if not raw:
        return None
    candidates = [_key(raw)]
    if match := re.match(r"^\s*([A-Za-z0-9]+)\s*[-–:]\s*(.+)$", raw):
        candidates += [_key(match.group(2)), _key(match.group(1))]
    for candidate in candidates:
        if candidate in table:
            return table[candidate]
    raise CellError(f"{_show(value)} is not a {what} we know; use {accepted}")


def _table(spec: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(alias): code for code, aliases in spec.items() for alias in (code, *aliases)}


GENDERS = _table(
    {
        Child.Gender.MALE: ("1", "m", "male", "boy"),
        Child.Gender.FEMALE: ("2", "f", "female", "girl"),
        Child.Gender.OTHER: ("other", "indeterminate", "x"),
        Child.Gender.UNKNOWN: ("0", "9", "u", "unknown", "not known", "not stated", "not recorded"),
    }
)

# DfE ethnicity codes (CIN census / SSDA903).
ETHNICITIES = _table(
    {
        "WBRI": ("white british",),
        "WIRI": ("white irish",),
        "WIRT": ("traveller of irish heritage",),
        "WOTH": ("any other white background",),
        "WROM": ("gypsy roma",),
        "MWBC": ("white and black caribbean",),
        "MWBA": ("white and black african",),
        "MWAS": ("white and asian",),
        "MOTH": ("any other mixed background",),
        "AIND": ("indian",),
        "APKN": ("pakistani",),
        "ABAN": ("bangladeshi",),
        "AOTH": ("any other asian background",),
        "BCRB": ("caribbean",),
        "BAFR": ("african",),
        "BOTH": ("any other black background",),
        "CHNE": ("chinese",),
        "OOTH": ("any other ethnic group",),
        "REFU": ("refused",),
        "NOBT": ("information not yet obtained", "not obtained"),
    }
)

COHORTS = _table(
    {
        Cohort.EARLY_HELP: ("eh", "early help"),
        Cohort.CHILD_IN_NEED: ("cin", "child in need", "children in need"),
        Cohort.CHILD_PROTECTION: ("cp", "cpp", "cp plan", "child protection plan", "child protection"),
        Cohort.LOOKED_AFTER: ("cla", "lac", "cic", "looked after", "child looked after", "child in care"),
        Cohort.CARE_LEAVER: ("cl", "care leaver", "care leavers"),
    }
)

EVENT_KINDS = _table(
    {
        Event.Kind.CONTACT: ("contact",),
        Event.Kind.REFERRAL: ("referral",),
        Event.Kind.ASSESSMENT_START: ("assessment start", "assessment started", "assessment"),
        Event.Kind.ASSESSMENT_COMPLETED: ("assessment completed", "assessment end", "assessment authorised"),
        Event.Kind.STRATEGY_DISCUSSION: ("strategy discussion", "strategy meeting", "strategy"),
        Event.Kind.SECTION_47: ("s47", "section 47", "section 47 enquiry"),
        Event.Kind.ICPC: ("icpc", "initial child protection conference", "initial cp conference"),
        Event.Kind.CP_REVIEW: ("cp review", "rcpc", "review child protection conference"),
        Event.Kind.CLA_REVIEW: ("cla review", "lac review", "looked after review", "iro review"),
        Event.Kind.VISIT: ("visit", "statutory visit"),
        Event.Kind.IHA: ("iha", "initial health assessment"),
        Event.Kind.RHA: ("rha", "review health assessment"),
        Event.Kind.PEP: ("pep", "personal education plan"),
        Event.Kind.MISSING_EPISODE: ("missing", "missing episode", "missing from care", "missing from home"),
        Event.Kind.RETURN_INTERVIEW: ("rhi", "return interview", "return home interview"),
        Event.Kind.CARE_LEAVER_CONTACT: ("care leaver contact", "in touch", "care leaver in touch"),
        Event.Kind.CARE_LEAVER_ACCOMMODATION: ("care leaver accommodation", "accommodation"),
        Event.Kind.CARE_LEAVER_EET: ("care leaver eet", "eet", "education employment or training"),
        Event.Kind.ALLOCATION: ("allocation", "allocated", "allocated worker", "case allocated"),
        Event.Kind.TEAM_ALLOCATION: (
            "team",
            "team allocation",
            "allocated team",
            "allocated to team",
            "allocated to a team",
            "responsible team",
            "team change",
        ),
        Event.Kind.CASE_SUPERVISION: (
            "case supervision",
            "supervision",
            "management oversight",
            "management oversight and supervision",
        ),
        Event.Kind.ICPC_GP: ("icpc gp", "gp at icpc", "gp attendance", "gp contribution", "gp report"),
        Event.Kind.PRIVATE_FOSTERING_NOTIFICATION: (
            "private fostering notification",
            "private fostering notified",
            "pf notification",
        ),
        Event.Kind.PRIVATE_FOSTERING_VISIT: ("private fostering visit", "pf visit"),
        Event.Kind.PRE_PROCEEDINGS_START: (
            "pre proceedings start",
            "pre proceedings started",
            "pre proceedings",
            "plo start",
            "plo",
            "public law outline",
        ),
        Event.Kind.PRE_PROCEEDINGS_END: ("pre proceedings end", "pre proceedings ended", "plo end"),
        Event.Kind.ADOPTION_DECISION: (
            "adoption decision",
            "should be placed for adoption",
            "sbpfa",
            "adm decision",
            "decision to place for adoption",
        ),
        Event.Kind.PLACEMENT_ORDER: ("placement order", "placement order granted"),
        Event.Kind.PLACED_FOR_ADOPTION: (
            "placed for adoption",
            "placed with adopters",
            "adoptive placement",
            "matched with adopters",
        ),
        Event.Kind.ADOPTION_ORDER: ("adoption order", "adopted", "adoption order granted"),
        Event.Kind.ADOPTION_DECISION_REVERSED: (
            "adoption decision reversed",
            "decision reversed",
            "no longer to be placed for adoption",
            "should no longer be placed for adoption",
        ),
    }
)

# Our placement types, with the SSDA903 placement codes that fall in each.
PLACEMENT_TYPES = _table(
    {
        Placement.Type.FOSTER: ("foster", "foster care", "fostering", "u4", "u5", "u6"),
        Placement.Type.CONNECTED_PERSON: (
            "connected person",
            "kinship",
            "family and friends",
            "u1",
            "u2",
            "u3",
        ),
        Placement.Type.CHILDRENS_HOME: ("childrens home", "children s home", "residential", "k2", "r1"),
        Placement.Type.SUPPORTED: ("supported", "supported accommodation", "independent living", "h5", "p2"),
        Placement.Type.WITH_PARENTS: ("with parents", "placed with parents", "p1"),
        Placement.Type.ADOPTION: ("adoption", "placed for adoption", "a3", "a4", "a5", "a6"),
        Placement.Type.RESIDENTIAL_SCHOOL: ("residential school", "s1"),
        Placement.Type.SECURE: ("secure", "secure unit", "k1", "r5"),
        Placement.Type.OTHER: ("other", "z1", "r2", "r3", "p3", "t0", "t1", "t2", "t3", "t4"),
    }
)
# Our own labels, as the Annex A export writes them on list 8 ("Foster placement"), read back.
PLACEMENT_TYPES.update({_key(label): code for code, label in Placement.Type.choices})


def parse_gender(value: Cell) -> str | None:
    return _lookup(value, GENDERS, "gender", "male, female, other or not known (or 1, 2, 0)")


def parse_ethnicity(value: Cell) -> str | None:
    return _lookup(value, ETHNICITIES, "DfE ethnicity code", "a DfE code such as WBRI, MWBA or NOBT")


def parse_cohort(value: Cell) -> str | None:
    return _lookup(value, COHORTS, "cohort", ", ".join(Cohort.values))


def parse_event_kind(value: Cell) -> str | None:
    return _lookup(
        value, EVENT_KINDS, "event type", "one listed in casework/imports/README.md, e.g. referral"
    )


def parse_placement_type(value: Cell) -> str | None:
    return _lookup(value, PLACEMENT_TYPES, "placement type", "foster, children's home, … or an SSDA903 code")


def parse_child_id(value: Cell) -> str:
    raw = text(value)
    if not raw:
        raise CellError("the child ID is missing; every row needs one")
    child_id = normalise_child_id(raw)
    if " " in child_id or "\t" in child_id:
        raise CellError(f"{_show(raw)} contains a space; a child ID is one word, for example C0012")
    if not CHILD_ID_PATTERN.match(child_id):
        raise CellError(
            f"{_show(raw)} is not a child ID; use up to 40 letters, digits and - _ . / (no names)"
        )
    return child_id
