"""Pass 2 on PostgreSQL: upsert the staged records set-wise, writing their history rows too.

Raw SQL, not QuerySet.update()/bulk_*(): each statement changes a whole record type at once and,
in the same statement (a data-modifying WITH), inserts one django-simple-history row per record it
created ('+') or changed ('~'), stamped with the importing user and the import's time — the rows
`bulk_create_with_history`/`bulk_update_with_history` would write, so the audit trail (who changed
what, reliability check 16) is the same as on the in-memory path. A record that already says what
the file says is not touched and gets no history row. Matching and "a blank cell never overwrites"
are as in `writer.py`; the caller holds the transaction.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from casework.imports.staging import CHILD, EPISODE, EVENT, PLACEMENT, StagedPlan
from casework.models import Child, Episode, Event, Placement


def _history(model) -> tuple[str, str]:
    """Return (historical table, its tracked columns) for a model."""
    historical = model.history.model
    columns = ", ".join(connection.ops.quote_name(f.column) for f in historical.tracked_fields)
    return historical._meta.db_table, columns


def _with_history(model, change: str, history_type: str) -> str:
    """Wrap a data-modifying statement (RETURNING the row) so that it also writes history rows."""
    table, columns = _history(model)
    # Identifiers are the models' own; every value is a parameter.
    return f"""WITH changed AS ({change} RETURNING x.*),
        history AS (
            INSERT INTO {table}
                ({columns}, history_date, history_change_reason, history_type, history_user_id)
            SELECT {columns}, %(now)s, NULL, '{history_type}', %(user)s FROM changed
            RETURNING 1
        )
        SELECT count(*) FROM history"""  # noqa: S608  # nosec B608


def _count(cursor, sql: str, params: dict) -> int:
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def _total(cursor, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table name  # nosec B608
    return cursor.fetchone()[0]


CHILD_UPDATE = """UPDATE casework_child x SET
        birth_year = COALESCE(s.birth_year, x.birth_year),
        birth_month = COALESCE(s.birth_month, x.birth_month),
        gender = COALESCE(s.gender, x.gender),
        ethnicity = COALESCE(s.ethnicity, x.ethnicity),
        disability = COALESCE(s.disability, x.disability),
        uasc = COALESCE(s.uasc, x.uasc)
    FROM (
        SELECT child_id, gender, ethnicity, disability, uasc,
        birth / 100 AS birth_year, mod(birth, 100) AS birth_month FROM casework_import_child
    ) s
    WHERE x.child_id = s.child_id AND (
        (s.gender IS NOT NULL AND s.gender <> x.gender)
        OR (s.ethnicity IS NOT NULL AND s.ethnicity <> x.ethnicity)
        OR (s.disability IS NOT NULL AND s.disability IS DISTINCT FROM x.disability)
        OR (s.uasc IS NOT NULL AND s.uasc <> x.uasc)
        OR (s.birth_year IS NOT NULL AND (s.birth_year IS DISTINCT FROM x.birth_year
            OR s.birth_month IS DISTINCT FROM x.birth_month)))"""

# New children get the model's defaults for what the file leaves blank.
CHILD_INSERT = """INSERT INTO casework_child AS x
        (child_id, birth_year, birth_month, gender, ethnicity, disability, uasc, created_at)
    SELECT s.child_id, s.birth_year, s.birth_month, COALESCE(s.gender, %(gender)s), COALESCE(s.ethnicity, ''),
        s.disability, COALESCE(s.uasc, false), %(now)s
    FROM (
        SELECT child_id, gender, ethnicity, disability, uasc,
        birth / 100 AS birth_year, mod(birth, 100) AS birth_month FROM casework_import_child
    ) s
    WHERE NOT EXISTS (SELECT 1 FROM casework_child y WHERE y.child_id = s.child_id)"""

EPISODE_UPDATE = """UPDATE casework_episode x SET
        end_on = COALESCE(s.end_on, x.end_on),
        legal_status = COALESCE(s.legal_status, x.legal_status)
    FROM (
        SELECT c.id AS child_pk, e.cohort, e.start_on, e.end_on, e.legal_status
        FROM casework_import_episode e JOIN casework_child c ON c.child_id = e.child_id
    ) s
    WHERE x.child_id = s.child_pk AND x.cohort = s.cohort AND x.start_on = s.start_on AND (
        (s.end_on IS NOT NULL AND s.end_on IS DISTINCT FROM x.end_on)
        OR (s.legal_status IS NOT NULL AND s.legal_status <> x.legal_status))"""

EPISODE_INSERT = """INSERT INTO casework_episode AS x
        (child_id, cohort, start_on, end_on, legal_status)
    SELECT s.child_pk, s.cohort, s.start_on, s.end_on, COALESCE(s.legal_status, '')
    FROM (
        SELECT c.id AS child_pk, e.cohort, e.start_on, e.end_on, e.legal_status
        FROM casework_import_episode e JOIN casework_child c ON c.child_id = e.child_id
    ) s
    WHERE NOT EXISTS (SELECT 1 FROM casework_episode y
        WHERE y.child_id = s.child_pk AND y.cohort = s.cohort AND y.start_on = s.start_on)"""

PLACEMENT_UPDATE = """UPDATE casework_placement x SET
        placement_type = s.placement_type,
        in_area = s.in_area,
        end_on = COALESCE(s.end_on, x.end_on)
    FROM (
        SELECT c.id AS child_pk, p.start_on, p.placement_type, p.in_area, p.end_on
        FROM casework_import_placement p JOIN casework_child c ON c.child_id = p.child_id
    ) s
    WHERE x.child_id = s.child_pk AND x.start_on = s.start_on AND (
        s.placement_type <> x.placement_type OR s.in_area <> x.in_area
        OR (s.end_on IS NOT NULL AND s.end_on IS DISTINCT FROM x.end_on))"""

PLACEMENT_INSERT = """INSERT INTO casework_placement AS x
        (child_id, start_on, placement_type, in_area, end_on)
    SELECT s.child_pk, s.start_on, s.placement_type, s.in_area, s.end_on
    FROM (
        SELECT c.id AS child_pk, p.start_on, p.placement_type, p.in_area, p.end_on
        FROM casework_import_placement p JOIN casework_child c ON c.child_id = p.child_id
    ) s
    WHERE NOT EXISTS (SELECT 1 FROM casework_placement y
        WHERE y.child_id = s.child_pk AND y.start_on = s.start_on)"""

EVENT_INSERT = """INSERT INTO casework_event AS x (child_id, kind, occurred_on, value, source_row)
    SELECT c.id, e.kind, e.occurred_on, e.value, left(%(source)s || ' row ' || e.row, 200)
    FROM casework_import_event e JOIN casework_child c ON c.child_id = e.child_id
    WHERE NOT EXISTS (SELECT 1 FROM casework_event y WHERE y.child_id = c.id AND y.kind = e.kind
        AND y.occurred_on = e.occurred_on AND y.value = e.value)"""


def write_staged(plan: StagedPlan, *, user=None, source: str = ""):
    """Write the staged records; return the same counts as writer.write_plan."""
    from casework.imports.writer import WriteCounts

    counts = WriteCounts()
    params = {
        "now": timezone.now(),
        "user": getattr(user, "pk", None),
        "source": source,
        "gender": Child._meta.get_field("gender").get_default(),
    }
    steps = (
        ("children", Child, CHILD_UPDATE, CHILD_INSERT, CHILD),
        ("episodes", Episode, EPISODE_UPDATE, EPISODE_INSERT, EPISODE),
        ("placements", Placement, PLACEMENT_UPDATE, PLACEMENT_INSERT, PLACEMENT),
        ("events", Event, None, EVENT_INSERT, EVENT),
    )
    with connection.cursor() as cursor:
        for name, model, update, insert, table in steps:
            tally = counts.add(name)
            if update:
                tally.updated = _count(cursor, _with_history(model, update, "~"), params)
            tally.created = _count(cursor, _with_history(model, insert, "+"), params)
            tally.unchanged = _total(cursor, table) - tally.created - tally.updated
    plan.drop()
    return counts
