"""`national_import`: upsert the lookup and the published outcomes, keeping what it can and saying why.

Never fails on a bad row or cell: each problem is recorded with its row number (the header is row 1,
as in a spreadsheet) and a reason in plain words on the `NationalImportRun`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone

from inspections.working_days import working_days_between
from readiness.national.models import JUDGEMENTS, LocalAuthority, NationalImportRun, PublishedInspection
from readiness.national.parsing import (
    _DATE,
    KNOWN_FRAMEWORKS,
    LOOKUP_REQUIRED,
    MAX_POPULATION,
    OUTCOMES_REQUIRED,
    _missing_columns,
    _normal_name,
    _Problems,
    _read_csv,
    parse_grade,
    parse_uk_date,
)


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
