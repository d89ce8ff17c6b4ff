"""Versions of the data and template behind the DCS page, for caching its blocks."""

from __future__ import annotations

import functools
import hashlib

# The tables behind the DCS page's blocks other than the indicators (app label, model). Each is
# tracked by simple_history, so every write to it adds a history row.
DCS_PAGE_SOURCES = (
    ("inspections", "Framework"),
    ("inspections", "JudgementArea"),
    ("inspections", "Grade"),
    ("inspections", "Inspection"),
    ("inspections", "Judgement"),
    ("inspections", "Milestone"),
    ("readiness", "ImprovementPlan"),
    ("readiness", "Priority"),
    ("readiness", "Action"),
    ("readiness", "ProgressUpdate"),
    ("casework", "CaseAudit"),
    # The case audits block counts open and overdue actions for children: marking one as done (or
    # reopening it) must show the same day.
    ("casework", "CaseAuditAction"),
)


@functools.cache
def _data_version_sql(sources: tuple[tuple[str, str], ...]) -> str:
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name
    columns = []
    for label, name in sources:
        try:
            history = apps.get_model(label, name).history.model
        except (LookupError, AttributeError):
            continue
        table, pk = quote(history._meta.db_table), quote(history._meta.pk.column)
        date = quote(history._meta.get_field("history_date").column)
        for column in (pk, date):
            # Names come from the models' own metadata, quoted; nothing from a request.
            columns.append(f"(SELECT {column} FROM {table} ORDER BY {pk} DESC LIMIT 1)")  # noqa: S608  # nosec B608
    return "SELECT " + ", ".join(columns)


def data_version(sources: tuple[tuple[str, str], ...] = DCS_PAGE_SOURCES) -> str:
    """A version of the data behind the DCS page, in one query whatever the data's size.

    It is made of the newest history row (id and time) of each source table, read backwards along
    the history tables' primary keys: any create, change or delete adds a history row and so gives a
    new version, and a cached block is never shown after the data under it changed.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_data_version_sql(sources))
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


@functools.cache
def _template_version() -> str:
    """The DCS page template's own version, so a deploy that changes it is never served old HTML
    from a shared cache."""
    from django.template.loader import get_template

    source = get_template("readiness/dashboard.html").template.source
    return hashlib.sha256(source.encode()).hexdigest()[:8]
