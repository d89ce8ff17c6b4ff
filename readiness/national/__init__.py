"""The national picture: Ofsted's published outcomes for every English local authority.

Aggregate, published data only (no child is ever named here), so board members may see it.
`national_import` reads the two reference CSVs from `../shared/data/` — real, messy data — and never
fails on a bad row or cell: it keeps what it can, and records each problem with its row number
and a reason in plain words on the `NationalImportRun`. Row numbers count the header as row 1, as a
spreadsheet does.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspections.working_days import working_days_between


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


# GOV.UK tag colours; the grade is always shown as text too.
GRADE_TAG_COLOURS = {
    Grade.OUTSTANDING: "green",
    Grade.GOOD: "turquoise",
    Grade.REQUIRES_IMPROVEMENT: "orange",
    Grade.INADEQUATE: "red",
}

JUDGEMENTS = (
    # field on PublishedInspection, CSV column, words for people
    ("overall", "overall_effectiveness_grade", "overall effectiveness"),
    ("leaders", "impact_of_leaders_grade", "impact of leaders"),
    ("help_and_protection", "help_and_protection_grade", "help and protection"),
    ("in_care", "in_care_grade", "children in care"),
    ("care_leavers", "care_leavers_grade", "care leavers"),
)


class LocalAuthority(models.Model):
    """An English local authority with children's services, from the lookup file."""

    urn = models.CharField("Ofsted URN", max_length=20, unique=True)
    la_code_old = models.CharField("old LA code", max_length=10, blank=True, help_text="For example 301.")
    la_code = models.CharField("LA code", max_length=12, blank=True, help_text="For example E09000002.")
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=60, blank=True)
    population_0_25 = models.PositiveIntegerField("population aged 0 to 25", null=True, blank=True)
    la_type = models.CharField("type", max_length=40, blank=True, help_text="For example London Borough.")
    stat_neighbours = models.JSONField(
        "statistical neighbours",
        default=list,
        blank=True,
        help_text="New LA codes of the ten most similar authorities, most similar first.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class PublishedInspection(models.Model):
    """One published Ofsted report on a local authority's children's services."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="inspections")
    report_url = models.URLField("report link", max_length=300, unique=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    framework = models.CharField(max_length=80, blank=True, help_text="Short or standard, as published.")
    inspector = models.CharField("lead inspector", max_length=120, blank=True)
    started_on = models.DateField("on site from", null=True, blank=True)
    ended_on = models.DateField("on site until", null=True, blank=True)
    # Null means the report gave no grade we could use; the import run says why.
    overall = models.CharField(
        "overall effectiveness", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    leaders = models.CharField(
        "impact of leaders", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    help_and_protection = models.CharField(
        "help and protection", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    in_care = models.CharField(
        "children in care", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    care_leavers = models.CharField(
        "care leavers", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    publication_lag = models.IntegerField(
        "publication lag (working days)",
        null=True,
        blank=True,
        help_text="Working days from the last day on site to publication.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "local_authority__name"]
        indexes = [models.Index(fields=["local_authority", "published_on"], name="pubinsp_la_published")]

    def __str__(self) -> str:
        when = f"{self.published_on:%-d %b %Y}" if self.published_on else "undated"
        return f"{self.local_authority} ({when})"

    @property
    def year(self) -> int | None:
        return self.published_on.year if self.published_on else None

    def grades(self) -> list[tuple[str, str]]:
        """Return (judgement words, grade code) for the five judgements, in report order."""
        return [(words.capitalize(), getattr(self, name)) for name, _, words in JUDGEMENTS]


class NationalImportRun(models.Model):
    """One run of `national_import`: which files, what was kept, and every row or cell left out."""

    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="national_imports",
        help_text="Empty when run from the command line.",
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcomes_file_name = models.CharField(max_length=255)
    outcomes_sha256 = models.CharField(max_length=64)
    lookup_file_name = models.CharField(max_length=255)
    lookup_sha256 = models.CharField(max_length=64)
    authorities_imported = models.PositiveIntegerField(default=0)
    authorities_skipped = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField("inspections imported", default=0)
    skipped = models.PositiveIntegerField("inspection rows skipped", default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list, blank=True, help_text='Each {"file": ..., "row": ..., "reason": ...}.'
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"National import {self.pk} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def problem_count(self) -> int:
        return len(self.problems)


class HomeAuthority(models.Model):
    """Which real local authority this council is: one row at most (id 1)."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    borrowed_for_demo = models.BooleanField(
        default=False, help_text="The fictional demo council borrows this authority's published history."
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "home authority"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="homeauthority_single_row")]

    def __str__(self) -> str:
        return f"This council is {self.local_authority}"


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------

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


def _upsert(model, lookup: dict, values: dict, counts: dict) -> models.Model:
    """Create or update one row, saving (and so writing history) only when something changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts["created"] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return obj


def _import_lookup(rows: list[dict], problems: _Problems) -> tuple[dict[str, LocalAuthority], dict, int]:
    """Upsert the local authorities; return them by URN, a name index, and the rows skipped."""
    label = "lookup"
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    by_new = {row.get("la_code_new", ""): row for row in rows if row.get("la_code_new")}
    by_old = {row.get("la_code", ""): row for row in rows if row.get("la_code")}
    seen: set[str] = set()
    skipped = 0
    kept: dict[str, LocalAuthority] = {}
    names: dict[str, LocalAuthority] = {}
    for number, row in enumerate(rows, start=2):
        urn, name = row.get("urn", ""), row.get("local_authority_ons_name", "")
        if not urn or not name:
            problems.add(label, number, "no Ofsted URN or no name — skipped")
            skipped += 1
            continue
        if len(urn) > 20 or len(name) > 120:
            problems.add(label, number, "the URN or the name is far too long to be real — skipped")
            skipped += 1
            continue
        if urn in seen:
            problems.add(label, number, f"URN {urn} appears more than once — skipped")
            skipped += 1
            continue
        seen.add(urn)
        population_text = row.get("ons_population_0-25", "").replace(",", "")
        population = int(population_text) if population_text.isdigit() else None
        if not population_text:
            problems.add(label, number, f"{name} has no population aged 0 to 25 — kept without it")
        elif population is None:
            problems.add(
                label, number, f"population '{population_text}' is not a whole number — kept without it"
            )
        elif population > MAX_POPULATION:
            problems.add(label, number, f"population {population} is too large to be real — kept without it")
            population = None
        if not row.get("ons_la_type"):
            problems.add(label, number, f"{name} has no authority type — kept without it")
        neighbours = _neighbours(row, number, by_new, by_old, problems)
        values = {
            # Cut to the column sizes so one odd cell cannot fail the whole import on PostgreSQL.
            "la_code_old": row.get("la_code", "")[:10],
            "la_code": row.get("la_code_new", "")[:12],
            "name": name,
            "region": row.get("region_name", "")[:60],
            "population_0_25": population,
            "la_type": row.get("ons_la_type", "")[:40],
            "stat_neighbours": neighbours,
        }
        authority = _upsert(LocalAuthority, {"urn": urn}, values, counts)
        kept[urn] = authority
        aliases = [name, row.get("ltla23nm", ""), row.get("utla23nm", "")]
        aliases += row.get("also_known_as", "").strip("[]").split(",")
        for alias in aliases:
            if alias.strip():
                names.setdefault(_normal_name(alias), authority)
    return kept, names, skipped


def _neighbours(row: dict, number: int, by_new: dict, by_old: dict, problems: _Problems) -> list[str]:
    """Return the neighbours' new codes; a retired new code is matched through the old-code list."""
    new_codes = [code.strip() for code in row.get("stat_neighbours_la_code", "").split(",") if code.strip()]
    old_codes = [code.strip() for code in row.get("stat_neighbours", "").split(",")]
    resolved = []
    for position, code in enumerate(new_codes):
        if code in by_new:
            resolved.append(code)
            continue
        old = old_codes[position] if position < len(old_codes) else ""
        if old in by_old and by_old[old].get("la_code_new"):
            match = by_old[old]
            resolved.append(match["la_code_new"])
            problems.add(
                "lookup",
                number,
                f"statistical neighbour {code} is not in the lookup; matched by old code {old} to "
                f"{match['local_authority_ons_name']} ({match['la_code_new']})",
            )
        else:
            problems.add("lookup", number, f"statistical neighbour {code} is not in the lookup — left out")
    if not new_codes:
        problems.add("lookup", number, "no statistical neighbours are listed")
    return resolved


def _find_authority(row: dict, by_urn: dict, by_name: dict) -> LocalAuthority | None:
    return by_urn.get(row.get("urn", "")) or by_name.get(_normal_name(row.get("local_authority", "")))


def _outcome_values(row: dict, number: int, problems: _Problems) -> dict:
    """Turn one outcomes row into field values, reporting each cell that could not be used."""
    notes = _Problems()
    values = _outcome_cells(row, number, notes)
    readable = ("started_on", "ended_on", "framework", *(name for name, _, _ in JUDGEMENTS))
    if not any(values[name] for name in readable):
        # Many pre-2018 (SIF) reports: one line says it better than seven.
        problems.add(
            "outcomes",
            number,
            "only the report link and publication date could be read (no framework, on-site dates or "
            "grades: an older report the scraper could not parse) — kept without them",
        )
        notes.items = [item for item in notes.items if "publication date" in item["reason"]]
    problems.items.extend(notes.items)
    return values


def _outcome_cells(row: dict, number: int, problems: _Problems) -> dict:
    label = "outcomes"
    values: dict = {}
    for name, column, words in (
        ("published_on", "publication_date", "publication date"),
        ("started_on", "inspection_start_date", "on-site start date"),
        ("ended_on", "inspection_end_date", "on-site end date"),
    ):
        try:
            values[name] = parse_uk_date(row.get(column, ""))
        except ValueError:
            values[name] = None
            problems.add(
                label, number, f"{words} '{row.get(column)}' is not a real dd/mm/yyyy date — kept without it"
            )
    if not row.get("publication_date"):
        problems.add(label, number, "publication date is empty — kept without it")
    framework = row.get("inspection_framework", "")
    if not row.get("inspection_start_date") and not row.get("inspection_end_date"):
        what = "framework and on-site dates are" if not framework else "on-site dates are"
        problems.add(label, number, f"{what} empty (the scraper could not read them) — kept without them")
    elif not framework:
        problems.add(label, number, "framework is empty — kept without it")

    if framework.lower() in KNOWN_FRAMEWORKS:
        values["framework"] = KNOWN_FRAMEWORKS[framework.lower()]
    elif _DATE.match(framework):
        values["framework"] = ""
        problems.add(
            label,
            number,
            f"framework column holds a date ('{framework}'), not short or standard "
            "— kept without a framework",
        )
    elif framework:
        values["framework"] = framework[:80]
        problems.add(label, number, f"framework is '{framework}', not short or standard — kept as written")
    else:
        values["framework"] = ""
    values["inspector"] = row.get("inspector_name", "")[:120]

    # One line per kind of fault, naming every judgement it hit, so a row reads as one story.
    faults: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, column, words in JUDGEMENTS:
        code, note = parse_grade(row.get(column, ""))
        values[name] = code
        if note:
            faults[(row.get(column, ""), note)].append(words)
    for (raw, note), judgements in faults.items():
        listed = _and_list(judgements)
        if raw and note.startswith("read as"):
            problems.add(label, number, f"{listed} is '{raw}' — {note}")
        elif raw:
            verb = "is" if len(judgements) == 1 else "are"
            kept = "kept without it" if len(judgements) == 1 else "kept without them"
            problems.add(label, number, f"{listed} {verb} '{raw}' ({note}) — {kept}")
        else:
            kept = "kept without it" if len(judgements) == 1 else "kept without them"
            problems.add(label, number, f"{listed}: no grade ({note}) — {kept}")

    values["publication_lag"] = None
    start, end, published = values["started_on"], values["ended_on"], values["published_on"]
    if start and end and end < start:
        problems.add(
            label,
            number,
            f"on-site end {end:%d/%m/%Y} is before the start {start:%d/%m/%Y} "
            "— no publication lag worked out",
        )
    elif end and published:
        if published < end:
            problems.add(
                label,
                number,
                f"published {published:%d/%m/%Y}, before the inspection ended {end:%d/%m/%Y} "
                "— no publication lag worked out",
            )
        else:
            values["publication_lag"] = working_days_between(end, published)
    return values


def _and_list(items: list[str]) -> str:
    text = items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
    return text[0].upper() + text[1:]


def national_import(*, outcomes_path: Path | str, lookup_path: Path | str, user=None) -> NationalImportRun:
    """Upsert the lookup and the published outcomes in one transaction; report every unusable row.

    Idempotent: the same files again change no row and write no history. Raises only when a file
    cannot be opened (the command checks that first).
    """
    problems = _Problems()
    outcomes_path, lookup_path = Path(outcomes_path), Path(lookup_path)
    lookup_rows, lookup_sha, lookup_header = _read_csv(lookup_path, "lookup", problems)
    outcome_rows, outcomes_sha, outcomes_header = _read_csv(outcomes_path, "outcomes", problems)
    run = NationalImportRun(
        run_by=user if user is not None and user.is_authenticated else None,
        outcomes_file_name=outcomes_path.name,
        outcomes_sha256=outcomes_sha,
        lookup_file_name=lookup_path.name,
        lookup_sha256=lookup_sha,
    )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        by_urn: dict[str, LocalAuthority] = {}
        by_name: dict[str, LocalAuthority] = {}
        if not _missing_columns(lookup_header, LOOKUP_REQUIRED, "lookup", problems):
            by_urn, by_name, run.authorities_skipped = _import_lookup(lookup_rows, problems)
        else:
            run.authorities_skipped = len(lookup_rows)
        run.authorities_imported = len(by_urn)
        # Authorities from an earlier lookup still count when a newer one leaves them out.
        for authority in LocalAuthority.objects.exclude(urn__in=list(by_urn)):
            by_urn.setdefault(authority.urn, authority)
            by_name.setdefault(_normal_name(authority.name), authority)

        if _missing_columns(outcomes_header, OUTCOMES_REQUIRED, "outcomes", problems):
            run.skipped = len(outcome_rows)
        else:
            first_row_for_link: dict[str, int] = {}
            for number, row in enumerate(outcome_rows, start=2):
                authority = _find_authority(row, by_urn, by_name)
                link = row.get("inspection_link", "")
                if authority is None:
                    problems.add(
                        "outcomes",
                        number,
                        f"local authority '{row.get('local_authority', '')}' "
                        f"(URN {row.get('urn') or 'empty'}) "
                        "is not in the lookup — skipped",
                    )
                    run.skipped += 1
                    continue
                if not link.startswith(("http://", "https://")):
                    problems.add(
                        "outcomes",
                        number,
                        "no report link, so the row cannot be matched again later — skipped",
                    )
                    run.skipped += 1
                    continue
                if link in first_row_for_link:
                    problems.add(
                        "outcomes", number, f"same report link as row {first_row_for_link[link]} — skipped"
                    )
                    run.skipped += 1
                    continue
                first_row_for_link[link] = number
                values = _outcome_values(row, number, problems)
                values["local_authority"] = authority
                _upsert(PublishedInspection, {"report_url": link[:300]}, values, counts)
                run.imported += 1
        run.created, run.updated, run.unchanged = counts["created"], counts["updated"], counts["unchanged"]
        run.problems = problems.items
        run.finished_at = timezone.now()
        run.save()
    return run


# ---------------------------------------------------------------------------------------------
# Selectors for the pages
# ---------------------------------------------------------------------------------------------


def home_authority_get() -> HomeAuthority | None:
    return HomeAuthority.objects.select_related("local_authority").filter(pk=1).first()


def home_authority_set(
    *, local_authority: LocalAuthority, user=None, borrowed_for_demo: bool = False
) -> HomeAuthority:
    """Record which real local authority this council is (replacing any earlier choice)."""
    home = HomeAuthority.objects.filter(pk=1).first() or HomeAuthority(pk=1)
    home.local_authority = local_authority
    home.borrowed_for_demo = borrowed_for_demo
    home.chosen_by = user if user is not None and getattr(user, "is_authenticated", False) else None
    home.chosen_at = timezone.now()
    home.full_clean()
    home.save()
    return home


def authority_history(*, authority: LocalAuthority) -> list[PublishedInspection]:
    return list(authority.inspections.order_by("-published_on", "-pk"))


def latest_graded(*, authorities) -> dict[int, PublishedInspection]:
    """Return each authority's latest report that has at least one grade, by authority id."""
    graded = (
        PublishedInspection.objects.filter(local_authority__in=authorities)
        .exclude(overall=None, leaders=None, help_and_protection=None, in_care=None, care_leavers=None)
        .order_by("local_authority_id", "-published_on", "-pk")
    )
    latest: dict[int, PublishedInspection] = {}
    for inspection in graded:
        latest.setdefault(inspection.local_authority_id, inspection)
    return latest


@dataclass(frozen=True)
class NeighbourRow:
    authority: LocalAuthority
    latest: PublishedInspection | None
    is_home: bool


def neighbour_comparison(*, authority: LocalAuthority) -> list[NeighbourRow]:
    """Return the authority then its statistical neighbours (lookup order), each with its latest report."""
    codes = list(authority.stat_neighbours)
    neighbours = {la.la_code: la for la in LocalAuthority.objects.filter(la_code__in=codes)}
    ordered = [authority] + [neighbours[code] for code in codes if code in neighbours]
    latest = latest_graded(authorities=ordered)
    return [NeighbourRow(la, latest.get(la.pk), la.pk == authority.pk) for la in ordered]


@dataclass(frozen=True)
class YearDistribution:
    year: int
    counts: dict[str, int]
    total: int

    def percent(self, grade: str) -> float:
        return 100 * self.counts[grade] / self.total if self.total else 0.0

    def cells(self) -> list[tuple[str, int, float]]:
        return [(grade, self.counts[grade], self.percent(grade)) for grade in Grade.values]


def grade_distribution_by_year() -> list[YearDistribution]:
    """Count overall effectiveness grades by year of publication (reports with an overall grade only)."""
    table: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Grade.values, 0))
    rows = PublishedInspection.objects.exclude(overall=None).exclude(published_on=None)
    for published_on, overall in rows.values_list("published_on", "overall"):
        table[published_on.year][overall] += 1
    return [YearDistribution(year, counts, sum(counts.values())) for year, counts in sorted(table.items())]


@dataclass(frozen=True)
class YearLag:
    year: int
    n: int
    median: float
    p25: float
    p75: float


def publication_lags_by_year() -> list[YearLag]:
    """Summarise working days from the end of on-site to publication, by year the inspection ended."""
    lags: dict[int, list[int]] = defaultdict(list)
    rows = PublishedInspection.objects.exclude(publication_lag=None).exclude(ended_on=None)
    for ended_on, lag in rows.values_list("ended_on", "publication_lag"):
        lags[ended_on.year].append(lag)
    result = []
    for year, values in sorted(lags.items()):
        values.sort()
        if len(values) >= 2:
            p25, _, p75 = statistics.quantiles(values, n=4, method="inclusive")
        else:
            p25 = p75 = float(values[0])
        result.append(YearLag(year, len(values), statistics.median(values), p25, p75))
    return result


def demo_home_candidate() -> LocalAuthority | None:
    """Pick, deterministically, the authority the demo council borrows: the first London Borough by name."""
    return (
        LocalAuthority.objects.filter(la_type="London Borough", inspections__isnull=False)
        .distinct()
        .order_by("name")
        .first()
    )
