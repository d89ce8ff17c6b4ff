"""Who changed what: the rows of a record's change history, read from django-simple-history.

Every domain model keeps history with the acting user (and, for some, a reason). This turns those
history rows into what a page shows: when, who, created/changed/deleted, and each field that changed
in words ("Due date: 3 Mar 2026 → 10 Mar 2026"), with verbose names, choice labels, Yes/No and the
related record's name. It lives in the bottom layer so that every app's pages can use it; the table
is `templates/components/change_history.html`.

Queries are bounded whatever the number of rows: one per source (the latest `limit` rows, with the
users and foreign keys joined and the total counted by a window function), and one more only when
some shown row's previous version is older than the rows shown.

Never give these rows to a board-facing page or PDF: a child-level record's history carries its
free text (tests/test_change_history_pages.py checks the board's pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Window
from django.utils import timezone
from django.utils.text import capfirst

DEFAULT_LIMIT = 50
CREATED, CHANGED, DELETED = "Created", "Changed", "Deleted"
HISTORY_TYPES = {"+": CREATED, "~": CHANGED, "-": DELETED}
BLANK = "(blank)"
GONE = "(no longer recorded)"
YES, NO = "Yes", "No"
ARROW = " → "
# Long free text is cut in the table; the record's own page shows it in full.
TEXT_SHOWN = 200
NO_CHANGES = "No changes recorded yet."
SHOWING = "Showing the latest {shown} of {total} changes."


@dataclass(frozen=True)
class ChangeRow:
    """One history row: when, who (a user or None for the system), what kind, and what changed."""

    when: dt.datetime
    who: Any
    type: str
    changes: list[str]
    reason: str = ""
    record: str = ""  # which record the row is about, in a table that covers several

    @property
    def who_name(self) -> str:
        if self.who is None:
            return "System"
        return self.who.get_full_name() or self.who.get_username()


@dataclass(frozen=True)
class ChangeHistory:
    """The latest rows (newest first) and how many there are in all."""

    rows: list[ChangeRow]
    total: int
    limit: int = DEFAULT_LIMIT

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)

    @property
    def showing(self) -> str:
        return SHOWING.format(shown=len(self.rows), total=self.total) if self.truncated else ""

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Source:
    """History rows of one model for one table: of one record, or of several (a child's placements).

    `records` is a filtered historical queryset (`obj.history.all()`,
    `Placement.history.filter(child_id=...)`). `describe` names the record of a row (from the
    historical row alone: only `select_related` fields may be read, or it costs a query a row).
    `initial` lists the first values on a "Created" row, for records whose creation says little
    by itself (an answer with its grade).
    """

    records: QuerySet
    labels: Mapping[str, str] = field(default_factory=dict)
    exclude: Collection[str] = ()
    describe: Callable[[Any], str] | None = None
    initial: bool = False
    select_related: Sequence[str] = ()


def change_history(
    obj, *, limit: int = DEFAULT_LIMIT, labels: Mapping[str, str] | None = None, exclude: Collection[str] = ()
) -> ChangeHistory:
    """Return the latest `limit` changes of `obj` (a model with `history`), newest first.

    `labels` renames fields ({"notified_on": "Date notified"}); `exclude` leaves fields out. Fields
    that cannot be edited (the id, `created_at`, `updated_at`) are always left out.
    """
    return change_history_of([Source(obj.history.all(), labels=labels or {}, exclude=exclude)], limit=limit)


def change_history_of(sources: Iterable[Source], *, limit: int = DEFAULT_LIMIT) -> ChangeHistory:
    """Return the latest `limit` changes across several sources, newest first, and their total."""
    keyed: list[tuple[tuple, ChangeRow]] = []
    total = 0
    for index, source in enumerate(sources):
        count, rows = _source_rows(source, limit=limit, index=index)
        total += count
        keyed += rows
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return ChangeHistory(rows=[row for _, row in keyed[:limit]], total=total, limit=limit)


def _tracked(model, exclude: Collection[str]) -> list:
    return [
        f
        for f in model.tracked_fields
        if f.editable and not f.primary_key and f.name not in exclude and not f.many_to_many
    ]


def _source_rows(source: Source, *, limit: int, index: int) -> tuple[int, list[tuple[tuple, ChangeRow]]]:
    model = source.records.model
    fields = _tracked(model, source.exclude)
    joined = [f.name for f in fields if f.many_to_one or f.one_to_one]
    related = ["history_user", *joined, *source.select_related]
    history_pk = model._meta.pk.name
    window = list(
        source.records.select_related(*related)
        .annotate(history_total=Window(Count(history_pk)))
        .order_by("-history_date", f"-{history_pk}")[:limit]
    )
    if not window:
        return 0, []
    total = window[0].history_total
    object_pk = model.instance_type._meta.pk.attname
    previous = _previous_versions(model, window, object_pk=object_pk, related=joined)

    rows = []
    for record in window:
        before = previous.get(record.pk)
        if record.history_type == "~" and before is not None:
            changes = [
                f"{_label(f, source.labels)}: {_shown(before, f)}{ARROW}{_shown(record, f)}"
                for f in fields
                if getattr(before, f.attname) != getattr(record, f.attname)
            ]
        elif record.history_type == "+" and source.initial:
            changes = [
                f"{_label(f, source.labels)}: {_shown(record, f)}"
                for f in fields
                if getattr(record, f.attname) not in (None, "")
            ]
        else:
            changes = []
        row = ChangeRow(
            when=record.history_date,
            who=record.history_user,
            type=HISTORY_TYPES[record.history_type],
            changes=changes,
            reason=record.history_change_reason or "",
            record=source.describe(record) if source.describe else "",
        )
        rows.append(((record.history_date, -index, record.pk), row))
    return total, rows


def _previous_versions(model, window: list, *, object_pk: str, related: list[str]) -> dict[int, Any]:
    """Map each row's history id to the row before it of the same record (at most one more query).

    The window is the newest slice, so a row's previous version is the next older row of the same
    record in it, unless that row is the oldest of its record shown: those are read together.
    """
    previous: dict[int, Any] = {}
    newer: dict[Any, Any] = {}  # record id -> its oldest row seen so far (walking newest to oldest)
    for record in window:
        key = getattr(record, object_pk)
        if key in newer:
            previous[newer[key].pk] = record
        newer[key] = record
    boundary = [record for record in newer.values() if record.history_type != "+"]
    if not boundary:
        return previous
    history_pk = model._meta.pk.name
    older = (
        model.objects.filter(**{object_pk: OuterRef(object_pk)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), **{f"{history_pk}__lt": OuterRef(history_pk)})
        )
        .order_by("-history_date", f"-{history_pk}")
        .values(history_pk)[:1]
    )
    wanted = model.objects.filter(pk__in=[r.pk for r in boundary]).annotate(before=Subquery(older))
    found = {
        getattr(record, object_pk): record
        for record in model.objects.select_related(*related).filter(pk__in=wanted.values("before"))
    }
    for record in boundary:
        before = found.get(getattr(record, object_pk))
        if before is not None:
            previous[record.pk] = before
    return previous


def _label(f, labels: Mapping[str, str]) -> str:
    return labels.get(f.name) or capfirst(str(f.verbose_name))


def format_date(value: dt.date) -> str:
    """The house style for a date in running text: 3 Mar 2026."""
    return f"{value.day} {value:%b %Y}"


def _shown(record, f) -> str:
    """One field's value of one history row, as words."""
    value = getattr(record, f.attname)
    if value is None or value == "":
        return BLANK
    if f.many_to_one or f.one_to_one:
        try:
            target = getattr(record, f.name)
        except ObjectDoesNotExist:
            target = None
        return GONE if target is None else str(target)
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{format_date(moment)} {moment:%H:%M}"
    if isinstance(value, dt.date):
        return format_date(value)
    text = " ".join(str(value).split())
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1].rstrip() + "…"


__all__ = [
    "NO_CHANGES",
    "SHOWING",
    "ChangeHistory",
    "ChangeRow",
    "Source",
    "change_history",
    "change_history_of",
    "format_date",
]
