"""Pass 2 of an import: upsert the plan, set-wise, inside the caller's transaction.

Children are matched by child ID, episodes by (child, cohort, start), placements by (child, start)
and events by (child, kind, date, value); a record that already says the same thing is left alone,
so importing a file twice creates and changes nothing. A blank cell never overwrites a known value.
Writes go through django-simple-history's bulk helpers, so every change has its history row.
A plan staged in PostgreSQL (`staging.StagedPlan`) is written set-wise by `upsert.write_staged`,
with the same matching, counts and history.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from casework.imports.case_list import Plan
from casework.imports.progress import current as current_progress
from casework.imports.staging import StagedPlan
from casework.models import Child, Episode, Event, Placement

BATCH = 500


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class WriteCounts:
    by_type: dict[str, Counts] = field(default_factory=dict)

    def add(self, name: str) -> Counts:
        return self.by_type.setdefault(name, Counts())

    def total(self, attr: str) -> int:
        return sum(getattr(counts, attr) for counts in self.by_type.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(counts) for name, counts in self.by_type.items()}


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _save(model, new: list, changed: list, fields: Iterable[str], user) -> None:
    if new:
        bulk_create_with_history(new, model, batch_size=BATCH, default_user=user)
    if changed:
        bulk_update_with_history(changed, model, list(fields), batch_size=BATCH, default_user=user)


def write_plan(plan: Plan | StagedPlan, *, user=None, source: str = "") -> WriteCounts:
    """Write the plan; the caller holds the transaction. Return what was created/updated/unchanged."""
    progress = current_progress()
    if progress is not None:
        progress.saving()
    if isinstance(plan, StagedPlan):
        from casework.imports.upsert import write_staged

        return write_staged(plan, user=user, source=source)
    counts = WriteCounts()
    pks = _write_children(plan, counts.add("children"), user)
    _write_episodes(plan, pks, counts.add("episodes"), user)
    _write_placements(plan, pks, counts.add("placements"), user)
    _write_events(plan, pks, counts.add("events"), user, source)
    return counts


CHILD_UPDATABLE = ("birth_year", "birth_month", "gender", "ethnicity", "disability", "uasc")


def _child_values(fields: dict) -> dict:
    result = {name: fields[name] for name in ("gender", "ethnicity", "disability", "uasc") if name in fields}
    if "birth" in fields:
        result["birth_year"], result["birth_month"] = fields["birth"]
    return result


def _write_children(plan: Plan, counts: Counts, user) -> dict[str, int]:
    ids = list(plan.children)
    existing: dict[str, Child] = {}
    for chunk in _chunks(ids):
        existing.update({child.child_id: child for child in Child.objects.filter(child_id__in=chunk)})
    new, changed = [], []
    for child_id, planned in plan.children.items():
        wanted = _child_values(planned["fields"])
        child = existing.get(child_id)
        if child is None:
            new.append(Child(child_id=child_id, **wanted))
            counts.created += 1
        elif any(getattr(child, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(child, name, value)
            changed.append(child)
            counts.updated += 1
        else:
            counts.unchanged += 1
    _save(Child, new, changed, CHILD_UPDATABLE, user)
    pks = {child_id: child.pk for child_id, child in existing.items()}
    for chunk in _chunks([child.child_id for child in new]):
        pks.update(dict(Child.objects.filter(child_id__in=chunk).values_list("child_id", "pk")))
    return pks


def _existing(model, pks: dict[str, int], key) -> dict[tuple, object]:
    found: dict[tuple, object] = {}
    for chunk in _chunks(sorted(set(pks.values()))):
        for record in model.objects.filter(child_id__in=chunk):
            found[key(record)] = record
    return found


def _upsert(model, records: dict[tuple, dict], existing: dict, make_key, build, fields, counts, user):
    new, changed = [], []
    for planned_key, planned in records.items():
        key = make_key(planned_key)
        record = existing.get(key)
        given = {name: planned[name] for name in fields if planned.get(name) not in (None, "")}
        if record is None:
            new.append(build(planned_key, planned))
            counts.created += 1
        elif any(getattr(record, name) != value for name, value in given.items()):
            for name, value in given.items():
                setattr(record, name, value)
            changed.append(record)
            counts.updated += 1
        else:
            counts.unchanged += 1
    _save(model, new, changed, fields, user)


def _write_episodes(plan: Plan, pks: dict[str, int], counts: Counts, user) -> None:
    existing = _existing(Episode, pks, lambda e: (e.child_id, e.cohort, e.start_on))
    _upsert(
        Episode,
        plan.episodes,
        existing,
        lambda k: (pks[k[0]], k[1], k[2]),
        lambda k, p: Episode(
            child_id=pks[k[0]], cohort=k[1], start_on=k[2], end_on=p["end_on"], legal_status=p["legal_status"]
        ),
        ("end_on", "legal_status"),
        counts,
        user,
    )


def _write_placements(plan: Plan, pks: dict[str, int], counts: Counts, user) -> None:
    existing = _existing(Placement, pks, lambda p: (p.child_id, p.start_on))
    _upsert(
        Placement,
        plan.placements,
        existing,
        lambda k: (pks[k[0]], k[1]),
        lambda k, p: Placement(
            child_id=pks[k[0]],
            start_on=k[1],
            placement_type=p["placement_type"],
            in_area=p["in_area"],
            end_on=p["end_on"],
        ),
        ("placement_type", "in_area", "end_on"),
        counts,
        user,
    )


def _write_events(plan: Plan, pks: dict[str, int], counts: Counts, user, source: str) -> None:
    existing = _existing(Event, pks, lambda e: (e.child_id, e.kind, e.occurred_on, e.value))
    new = []
    for (child_id, kind, occurred_on, value), row in plan.events.items():
        if (pks[child_id], kind, occurred_on, value) in existing:
            counts.unchanged += 1
            continue
        new.append(
            Event(
                child_id=pks[child_id],
                kind=kind,
                occurred_on=occurred_on,
                value=value,
                source_row=f"{source} row {row}"[:200],
            )
        )
        counts.created += 1
    _save(Event, new, [], (), user)
