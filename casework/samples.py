"""Audit sample composition: rules as data, and a pure check that explains every broken rule.

`sample_check(rows, rule)` needs no database: the inspection team's list can be checked before the
children are imported. The web form and `manage.py check_sample` both call it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import BinaryIO

SAMPLE_HEADER = ("child_id", "cohort", "out_of_borough")

# Composition rules. Each cohort has a noun (singular, plural) for the messages and its bounds.
SAMPLE_RULES: dict[str, dict] = {
    "sif-18": {
        "name": "SIF",
        "source": "Ofsted SIF handbook (2013–2017): the 18 cases the council audits, chosen by inspectors",
        "total": 18,
        "cohorts": {
            "help_and_protection": {
                "exactly": 6,
                "noun": ("child in need of help and protection", "children in need of help and protection"),
                "short": "help and protection",
            },
            "looked_after": {
                "exactly": 10,
                "out_of_borough_at_least": 2,
                "noun": ("looked-after child", "looked-after children"),
                "short": "looked after",
            },
            "care_leaver": {
                "exactly": 2,
                "noun": ("care leaver", "care leavers"),
                "short": "care leavers",
            },
        },
    },
}
SAMPLE_RULES["rolling-monthly"] = {
    "name": "rolling monthly",
    "source": "Our own rule: at least two children from each main cohort every month",
    "total": None,
    "cohorts": {
        "help_and_protection": {
            "at_least": 2,
            "noun": ("child in need of help and protection", "children in need of help and protection"),
            "short": "help and protection",
        },
        "looked_after": {
            "at_least": 2,
            "noun": ("looked-after child", "looked-after children"),
            "short": "looked after",
        },
        "care_leaver": {"at_least": 2, "noun": ("care leaver", "care leavers"), "short": "care leavers"},
    },
}
SAMPLE_RULES["open"] = {
    "name": "open",
    "source": "No fixed composition: tracked, sampled, thematic and multi-agency samples",
    "total": None,
    "cohorts": {
        "help_and_protection": {
            "noun": ("child in need of help and protection", "children in need of help and protection"),
            "short": "help and protection",
        },
        "looked_after": {"noun": ("looked-after child", "looked-after children"), "short": "looked after"},
        "care_leaver": {"noun": ("care leaver", "care leavers"), "short": "care leavers"},
        "early_help": {"noun": ("child in early help", "children in early help"), "short": "early help"},
    },
}
DEFAULT_RULE = "sif-18"
# The rule each kind of sample is checked against unless another is chosen.
KIND_RULES = {
    "inspection_audit": "sif-18",
    "rolling_monthly": "rolling-monthly",
    "tracked": "open",
    "sampled": "open",
    "thematic": "open",
    "multi_agency": "open",
}


def rule_summary(code: str | None) -> str:
    """Say a composition rule in words, for the sample page: "SIF: 18 children: exactly 6 …"."""
    rule = SAMPLE_RULES.get(code or "")
    if rule is None:
        return "None" if not code else f"{code} (a rule this version does not know)"
    parts = []
    for spec in rule["cohorts"].values():
        plural = spec["noun"][1]
        if "exactly" in spec:
            part = f"exactly {spec['exactly']} {plural}"
        elif "at_least" in spec:
            part = f"at least {spec['at_least']} {plural}"
        else:
            continue
        if spec.get("out_of_borough_at_least"):
            part += f" (at least {spec['out_of_borough_at_least']} placed outside the council's area)"
        parts.append(part)
    name = rule["name"][:1].upper() + rule["name"][1:]
    if rule["total"]:
        name += f", {rule['total']} children"
    if not parts:
        return f"{name}: any children, in any mix of cohorts"
    return f"{name}: {', '.join(parts)}; no child twice"


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}

EMPTY = "The file is empty; it needs the header child_id,cohort,out_of_borough and one row per child."
NOT_UTF8 = "The file is not UTF-8 text; in Excel choose Save as, then 'CSV UTF-8 (Comma delimited)'."


def _count_words(count: int, noun: tuple[str, str]) -> str:
    verb = "is" if count == 1 else "are"
    return f"There {verb} {count} {noun[0] if count == 1 else noun[1]}"


def _rows_list(numbers: list[int]) -> str:
    shown = [str(n) for n in numbers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _times(count: int) -> str:
    return {2: "twice", 3: "three times"}.get(count, f"{count} times")


def sample_check(rows: Iterable[Mapping[str, object]], rule: str | Mapping = DEFAULT_RULE) -> list[str]:
    """Return one plain sentence per broken rule; an empty list means the sample is valid.

    `rows` are mappings with child_id, cohort and out_of_borough; a `row` key, when present, is the
    row number the user sees (otherwise the first row is taken to be row 2, under a header).
    """
    spec = SAMPLE_RULES[rule] if isinstance(rule, str) else rule
    cohorts = spec["cohorts"]
    problems: list[str] = []
    seen: dict[str, list[int]] = defaultdict(list)
    counts: dict[str, int] = dict.fromkeys(cohorts, 0)
    out_of_borough: dict[str, int] = dict.fromkeys(cohorts, 0)
    total = 0
    for position, row in enumerate(rows, start=2):
        number = int(row.get("row") or position)
        child_id = str(row.get("child_id") or "").strip().upper()
        cohort = str(row.get("cohort") or "").strip().lower()
        away_raw = str(row.get("out_of_borough") or "").strip()
        total += 1
        if not child_id:
            problems.append(f"row {number}, column child_id: the child ID is missing")
        else:
            seen[child_id].append(number)
        if cohort not in cohorts:
            shown = f"'{cohort}' is not a cohort" if cohort else "the cohort is missing"
            problems.append(f"row {number}, column cohort: {shown}; use {_or_list(list(cohorts))}")
        away = away_raw.lower()
        if away and away not in _YES | _NO:
            problems.append(
                f"row {number}, column out_of_borough: '{away_raw}' is not yes or no; "
                "use yes, no, y, n, true, false, 1 or 0"
            )
        elif not away and "out_of_borough_at_least" in cohorts.get(cohort, {}):
            problems.append(
                f"row {number}, column out_of_borough: say yes or no for a {cohorts[cohort]['noun'][0]}"
            )
        if cohort in cohorts:
            counts[cohort] += 1
            out_of_borough[cohort] += away in _YES
    if total == 0:
        return [EMPTY]
    for child_id, numbers in seen.items():
        if len(numbers) > 1:
            problems.append(f"Child {child_id} appears {_times(len(numbers))} (rows {_rows_list(numbers)}).")
    name = spec["name"]
    for cohort, bounds in cohorts.items():
        count = counts[cohort]
        if "exactly" in bounds and count != bounds["exactly"]:
            problems.append(
                f"{_count_words(count, bounds['noun'])}; the {name} sample needs exactly {bounds['exactly']}."
            )
        if "at_least" in bounds and count < bounds["at_least"]:
            at_least = bounds["at_least"]
            problems.append(
                f"{_count_words(count, bounds['noun'])}; the {name} sample needs at least {at_least}."
            )
        least = bounds.get("out_of_borough_at_least")
        if least is not None and out_of_borough[cohort] < least:
            away_count = out_of_borough[cohort]
            noun = bounds["noun"][0] if away_count == 1 else bounds["noun"][1]
            verb = "is" if away_count == 1 else "are"
            problems.append(
                f"Only {away_count} {noun} {verb} placed out of borough; "
                f"the {name} sample needs at least {least}."
            )
    if spec.get("total") is not None and total != spec["total"]:
        children = f"There is {total} child" if total == 1 else f"There are {total} children"
        problems.append(f"{children} in the file; the {name} sample needs exactly {spec['total']}.")
    return problems


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def sample_summary(rows: Iterable[Mapping[str, object]], rule: str | Mapping = DEFAULT_RULE) -> str:
    """Return the one-line description of a valid sample."""
    spec = SAMPLE_RULES[rule] if isinstance(rule, str) else rule
    rows = list(rows)
    parts = []
    for cohort, bounds in spec["cohorts"].items():
        members = [r for r in rows if str(r.get("cohort") or "").strip().lower() == cohort]
        part = f"{len(members)} {bounds['short']}"
        if "out_of_borough_at_least" in bounds:
            away = sum(str(r.get("out_of_borough") or "").strip().lower() in _YES for r in members)
            part += f" of whom {away} out of borough"
        parts.append(part)
    return f"Sample is valid: {len(rows)} children ({', '.join(parts)})."


def sample_read_csv(handle: BinaryIO) -> tuple[list[dict], list[str]]:
    """Read a sample CSV (BOM and CRLF welcome); return its rows (with row numbers) and header problems."""
    raw = handle.read()
    if not raw.strip(codecs.BOM_UTF8 + b" \r\n\t,"):
        return [], [EMPTY]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [NOT_UTF8]
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[dict] = []
    for number, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip().lower().replace(" ", "_") for cell in cells]
            missing = [name for name in SAMPLE_HEADER if name not in header]
            if missing:
                names = _or_list(missing).replace(" or ", " and ")
                verb = "is" if len(missing) == 1 else "are"
                return [], [
                    f"row {number}: the header must be {','.join(SAMPLE_HEADER)}; {names} {verb} missing"
                ]
            continue
        row = {
            name: cells[header.index(name)] if header.index(name) < len(cells) else ""
            for name in SAMPLE_HEADER
        }
        row["row"] = number
        rows.append(row)
    if not rows:
        return [], [EMPTY]
    return rows, []


def parse_yes_no(raw: object) -> bool:
    """Read a checked out_of_borough cell (sample_check has already refused anything else)."""
    return str(raw or "").strip().lower() in _YES


def draw_stratified(
    population: Iterable[tuple[str, str]],
    *,
    seed: int,
    size: int,
    minimum_per_stratum: int = 0,
    strata_order: Iterable[str] | None = None,
) -> list[tuple[str, str]]:
    """Draw `size` (child ID, cohort) pairs, stratified by cohort, reproducibly from `seed`.

    Strata get places in proportion to their size (largest remainders), but never fewer than
    `minimum_per_stratum` nor more than they hold. The population is sorted first, so the same seed
    and the same set of children give the same list whatever order the database returned them in.
    """
    import random

    strata: dict[str, list[str]] = defaultdict(list)
    for child_id, cohort in sorted(set(population)):
        strata[cohort].append(child_id)
    order = [c for c in (strata_order or sorted(strata)) if c in strata]
    order += [c for c in sorted(strata) if c not in order]
    total = sum(len(ids) for ids in strata.values())
    if not total or size <= 0:
        return []
    size = min(size, total)
    places = {c: min(len(strata[c]), minimum_per_stratum) for c in order}
    remaining = size - sum(places.values())
    if remaining > 0:
        shares = {c: size * len(strata[c]) / total for c in order}
        extra = {c: max(0, min(int(shares[c]) - places[c], len(strata[c]) - places[c])) for c in order}
        for c in order:
            take = min(extra[c], remaining)
            places[c] += take
            remaining -= take
        # Largest remainders first, then any stratum with children left, in a fixed order.
        for c in sorted(order, key=lambda c: (-(shares[c] - int(shares[c])), order.index(c))):
            if remaining <= 0:
                break
            if places[c] < len(strata[c]):
                places[c] += 1
                remaining -= 1
        for c in order:
            while remaining > 0 and places[c] < len(strata[c]):
                places[c] += 1
                remaining -= 1
    rng = random.Random(seed)  # noqa: S311 - reproducibility, not secrecy, is the point  # nosec B311
    drawn: list[tuple[str, str]] = []
    for c in order:
        drawn += [(child_id, c) for child_id in rng.sample(strata[c], places[c])]
    return drawn
