"""Casework writes: imports. Keyword-only functions named <entity>_<action>."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePath
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from casework.imports.adopters import write_adopters
from casework.imports.case_list import read_case_list
from casework.imports.problems import FileRefused, Problem
from casework.imports.reader import check_file, read_rows
from casework.imports.staging import read_case_list_staged
from casework.imports.writer import write_plan
from casework.models import ImportRun

logger = logging.getLogger(__name__)

# Files above this size are imported by a Celery worker, so the page answers at once.
BACKGROUND_IMPORT_BYTES = 2 * 1024 * 1024
UNSENT_GRACE = dt.timedelta(minutes=1)
BROKER_DOWN_NOTE = (
    "Background work is unavailable at the moment. Your file has been saved and will be imported "
    "automatically when background work is back. You do not need to upload it again."
)
UNEXPECTED_FAILURE = (
    "The import stopped unexpectedly and nothing was saved. Try again; if it fails again, "
    "tell your system administrator (reference: import run {run_id})."
)
STOPPED_WITHOUT_FINISHING = (
    "This import stopped without finishing — probably the background worker was restarted. "
    "Nothing from this file was saved. Try again."
)
# The same for an import run from the command line (import_cases): no stored file, so no "Try again".
COMMAND_STOPPED_WITHOUT_FINISHING = (
    "This import stopped without finishing — probably the command running it was stopped or the "
    "server restarted. Nothing from this file was saved. Run the import command again."
)
COMMAND_INTERRUPTED = (
    "This import was stopped by the person running it, before it finished. Nothing from this file "
    "was saved. Run the import command again."
)
COMMAND_FAILED = (
    "The import stopped unexpectedly and nothing was saved. Run the import command again; if it fails "
    "again, tell your system administrator (reference: import run {run_id})."
)
# A worker kills a task at CELERY_TASK_TIME_LIMIT; past that plus this margin (retry countdowns,
# a busy worker picking up a redelivered message) nothing is still importing the run.
STUCK_RUNNING_MARGIN = dt.timedelta(minutes=5)
# A sent run no worker has started in this long had its message lost (or its worker is long gone).
STUCK_QUEUED_AFTER = dt.timedelta(minutes=30)
# The first key of the PostgreSQL advisory lock an import run holds while it imports (the run's id
# is the second), so no other lock in the database can collide with it.
IMPORT_LOCK_CLASS = 7_204
# How long an attempt waits for that lock before leaving the run to the attempt holding it. A worker
# killed mid-import keeps its lock only until PostgreSQL ends its session (its current statement,
# seconds); a live attempt holds it for the whole import.
IMPORT_LOCK_WAIT = dt.timedelta(seconds=30)


@dataclass
class ImportResult:
    """What an import did, or would do (dry run), and every problem that stopped it."""

    run_id: int | None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)  # Annex A sheets not read, with why
    dry_run: bool = False
    recorded: bool = field(default=False, repr=False)  # the run's outcome saved with the data

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def not_read(self) -> list[str]:
        """What the file held that was not imported, one sentence each (columns, then sheets)."""
        return [
            f"Column '{column}' is not one we import; it was ignored." for column in self.ignored_columns
        ] + [*self.skipped_sheets]

    def summary(self) -> str:
        """Return one plain sentence of counts, as the command prints it."""
        verb = "Checked (dry run, nothing saved)" if self.dry_run else "Imported"
        parts = ", ".join(
            f"{name} {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for name, c in self.counts.items()
        )
        return (
            f"{verb} {self.rows} row{'s' if self.rows != 1 else ''}: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged ({parts})."
        )


class _DryRun(Exception):
    """Raised to roll back a dry run after counting what it would have done (or a rejected file)."""


def sha256_of(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def uses_staging() -> bool:
    """PostgreSQL imports through a staging table (fast, flat memory); SQLite, the demo, in memory."""
    return connection.vendor == "postgresql"


def _import_handle(*, run: ImportRun, handle: BinaryIO, user=None) -> ImportResult:
    """Run both passes over an open file and record the outcome on the run."""
    if uses_staging():
        result = _import_staged(run=run, handle=handle, user=user)
    else:
        result = _import_in_memory(run=run, handle=handle, user=user)
    if not result.recorded:
        _record(run, result)
    return result


def _import_in_memory(*, run: ImportRun, handle: BinaryIO, user=None) -> ImportResult:
    """SQLite (the demo): read the whole file into a plan, then write it in one transaction."""
    result = ImportResult(run_id=run.pk, dry_run=run.dry_run)
    try:
        kind = check_file(handle, run.file_name)
        rows = read_rows(handle, kind)
        plan, problems = read_case_list(rows)
        rows.finish(plan, problems)  # Annex A lists: problems in sheet terms (annex_lists.py)
        result.skipped_sheets = rows.skipped_sheets
    except FileRefused as refused:
        plan, problems_list = None, refused.problems
        result.problems, result.problem_count = problems_list, len(problems_list)
    else:
        _note_read(result, plan, problems)
    if result.ok and plan is not None:
        try:
            with transaction.atomic():
                counts = write_plan(plan, user=user, source=run.file_name)
                _write_adopters(rows, counts, user)
                _note_counts(result, counts)
                if run.dry_run:
                    raise _DryRun
                _record(run, result)  # with the data: saved records never sit under "nothing saved"
                result.recorded = True
        except _DryRun:
            pass
    return result


def _import_staged(*, run: ImportRun, handle: BinaryIO, user=None) -> ImportResult:
    """PostgreSQL: stream the rows into a staging table, check, then upsert set-wise.

    Both passes share one transaction (the staging tables live in it): any problem, a dry run or a
    crash rolls back everything, staging included, so nothing is saved unless the whole file is good.
    """
    result = ImportResult(run_id=run.pk, dry_run=run.dry_run)
    try:
        kind = check_file(handle, run.file_name)
        with transaction.atomic():
            rows = read_rows(handle, kind)
            plan, problems = read_case_list_staged(rows)
            rows.finish(plan, problems)  # Annex A lists: problems in sheet terms (annex_lists.py)
            result.skipped_sheets = rows.skipped_sheets
            _note_read(result, plan, problems)
            if not result.ok:
                raise _DryRun  # roll back the staging tables
            counts = write_plan(plan, user=user, source=run.file_name)
            _write_adopters(rows, counts, user)
            _note_counts(result, counts)
            if run.dry_run:
                raise _DryRun
            _record(run, result)  # with the data: saved records never sit under "nothing saved"
            result.recorded = True
    except FileRefused as refused:
        result.rows, result.ignored_columns = 0, []
        result.problems, result.problem_count = refused.problems, len(refused.problems)
    except _DryRun:
        pass
    return result


def _write_adopters(rows, counts, user) -> None:
    """Annex A list 11: adopter households, upserted in the same transaction as the children."""
    annex = getattr(rows, "annex", None)
    if annex is not None and annex.adopters:
        write_adopters(annex.adopters, counts=counts.add("adopters"), user=user)


def _note_read(result: ImportResult, plan, problems) -> None:
    result.rows = plan.rows
    result.ignored_columns = plan.ignored_columns
    result.problems, result.problem_count = problems.items, problems.total


def _note_counts(result: ImportResult, counts) -> None:
    result.counts = counts.as_dict()
    result.created, result.updated, result.unchanged = (
        counts.total("created"),
        counts.total("updated"),
        counts.total("unchanged"),
    )


def _record(run: ImportRun, result: ImportResult) -> None:
    run.rows = result.rows
    run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
    run.counts = result.counts
    run.problems = [problem.as_dict() for problem in result.problems]
    run.problem_count = result.problem_count
    run.not_read = result.not_read
    run.status = ImportRun.Status.SUCCEEDED if result.ok else ImportRun.Status.FAILED
    run.error = ""
    run.finished_at = timezone.now()
    run.save()


def cases_import(
    *,
    path: str | Path | None = None,
    file: BinaryIO | None = None,
    filename: str | None = None,
    user=None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a case list (CSV or XLSX) all-or-nothing, recording an ImportRun.

    Give a `path`, or an open binary `file` with its `filename`. Raise OSError when the path
    cannot be opened; every problem with the file's content comes back in the result instead.
    """
    if (path is None) == (file is None):
        raise TypeError("Give exactly one of path or file.")
    if path is not None:
        with open(path, "rb") as handle:
            return cases_import(
                file=handle, filename=filename or PurePath(path).name, user=user, dry_run=dry_run
            )
    name = PurePath(filename or getattr(file, "name", "") or "upload").name
    with _command_line_run(
        user=user, file_name=name[:255], file_size=_size(file), sha256=sha256_of(file), dry_run=dry_run
    ) as run:
        return _import_handle(run=run, handle=file, user=user)


@contextmanager
def _command_line_run(**fields):
    """Record a running run with no stored file and yield it; fail it if the import does not end.

    On PostgreSQL the process holds the run's advisory lock for as long as it imports, taken in the
    transaction that creates the run, so nobody sees the run running without its lock: the stuck
    sweeper fails a running command-line run whose lock is free, as its process is gone (kill -9,
    a restart). Ctrl-C or a crash marks the run failed here, unless it already finished.
    """
    with transaction.atomic():
        run = ImportRun.objects.create(status=ImportRun.Status.RUNNING, started_at=timezone.now(), **fields)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [IMPORT_LOCK_CLASS, run.pk])
    try:
        yield run
    except (KeyboardInterrupt, Exception) as stopped:
        if isinstance(stopped, KeyboardInterrupt):
            error, reason = COMMAND_INTERRUPTED, "Stopped with Ctrl-C"
        else:  # raised on below, so the command shows the traceback
            error, reason = COMMAND_FAILED.format(run_id=run.pk), "Crashed"
        try:  # the import rolled back already; a run that finished first is left as it is
            _fail_if_unchanged(
                run.pk,
                status=ImportRun.Status.RUNNING,
                started_at=run.started_at,
                enqueued_at=None,
                error=error,
                reason=f"{reason}: marked failed by the import command",
            )
        except DatabaseError:  # the connection is gone: on PostgreSQL the sweeper fails the run
            logger.warning("Import run %s: could not mark it failed; the connection was lost", run.pk)
        raise
    finally:
        if connection.vendor == "postgresql":
            _release_import_lock(run.pk)


def _size(handle: BinaryIO) -> int:
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    return size


def import_run_create(*, upload: UploadedFile, user, dry_run: bool = False) -> ImportRun:
    """Store an uploaded file under a random name and record a queued run for it."""
    run = ImportRun(
        user=user,
        file_name=PurePath(upload.name or "upload").name[:255],
        file_size=upload.size or 0,
        sha256=sha256_of(upload),
        dry_run=dry_run,
        status=ImportRun.Status.QUEUED,
    )
    run.file.save(upload.name or "upload", upload, save=False)
    run.save()
    return run


def import_run_start(*, run: ImportRun) -> ImportResult | None:
    """Import a stored run now when it is small; otherwise hand it to a worker after commit."""
    if run.file_size > BACKGROUND_IMPORT_BYTES:
        transaction.on_commit(partial(import_run_enqueue, run_id=run.pk))
        return None
    return import_run_execute(run_id=run.pk)


def import_run_enqueue(*, run_id: int) -> bool:
    """Send the import task; when the broker is down keep the run queued with a note. Return sent.

    The sweeper (`import_runs_requeue_unsent`, every minute) sends it once the broker is back.
    """
    from casework.tasks import cases_import_run

    try:
        cases_import_run.delay(run_id)
    except BrokerUnavailable:
        logger.warning("Broker unreachable; import run %s stays queued for the sweeper", run_id)
        _set_queue_state(run_id, note=BROKER_DOWN_NOTE, enqueued_at=None)
        return False
    except Exception:
        # Only reachable when tasks run in-process (no REDIS_URL) with eager propagation, where
        # Celery calls neither on_failure nor retries: record the failure so the page offers
        # "Try again", and keep the request itself from failing.
        logger.exception("Import run %s failed while running in-process", run_id)
        import_run_mark_failed(run_id=run_id, error=UNEXPECTED_FAILURE.format(run_id=run_id))
        return True
    _set_queue_state(run_id, note="", enqueued_at=timezone.now())
    return True


def _set_queue_state(run_id: int, *, note: str, enqueued_at) -> None:
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or run.status != ImportRun.Status.QUEUED:
        return  # a worker already took it (or it finished in-process): leave its state alone
    run.note, run.enqueued_at = note, enqueued_at
    run.save(update_fields=["note", "enqueued_at"])  # never the status a worker may be writing


def import_runs_requeue_unsent(*, now: dt.datetime | None = None) -> list[int]:
    """Send the queued imports no broker ever took (saved while it was down); return the ids sent.

    Only runs never sent are sent again, so one import can never run twice at once.
    """
    now = now or timezone.now()
    ids = list(
        ImportRun.objects.filter(
            status=ImportRun.Status.QUEUED, enqueued_at__isnull=True, created_at__lt=now - UNSENT_GRACE
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = []
    for run_id in ids:
        if not import_run_enqueue(run_id=run_id):
            break  # the broker is still down: the next sweep tries again
        sent.append(run_id)
    return sent


@contextmanager
def _import_lock(run_id: int):
    """Yield whether this attempt may import the run: no other attempt is importing it now.

    Two attempts at one run can overlap: a message redelivered while its first worker is still busy,
    or "Try again" on a run the stuck sweeper failed whose first message then arrives. On PostgreSQL
    each attempt holds a session advisory lock on the run while it imports; a second attempt waits
    up to IMPORT_LOCK_WAIT for it, then leaves the run to the first. A worker that dies loses its
    session and with it the lock, so its redelivered message gets the lock and imports the run
    (a live first attempt's message finds the run finished). SQLite (the demo) runs one at a time.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    give_up = time.monotonic() + IMPORT_LOCK_WAIT.total_seconds()
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK_CLASS, run_id])
            taken = cursor.fetchone()[0]
            if taken or time.monotonic() >= give_up:
                break
            time.sleep(0.5)
    try:
        yield taken
    finally:
        if taken:
            _release_import_lock(run_id)


def _release_import_lock(run_id: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK_CLASS, run_id])
    except DatabaseError:  # the connection is gone, and the lock with it
        logger.warning("Import run %s: could not release its lock; the connection was lost", run_id)


def _import_lock_free(run_id: int) -> bool:
    """Whether no session holds the run's lock (PostgreSQL), testing it by taking it and giving it back.

    This session's own lock counts as free: never ask from the process that is importing the run.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK_CLASS, run_id])
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK_CLASS, run_id])
    return free


def import_run_execute(*, run_id: int, retry_transient: bool = False) -> ImportResult | None:
    """Import a stored run's file; idempotent: a run that already finished is left alone.

    With `retry_transient` (the Celery task), a lost or locked database is raised for the task to
    retry with backoff (nothing was saved: the import is one transaction); the task marks the run
    failed once it gives up. Anything else fails the run at once with "Try again". An attempt that
    finds another attempt importing the same run leaves it to that one (`_import_lock`).
    """
    with _import_lock(run_id) as ours:
        if not ours:
            logger.warning("Import run %s is being imported by another attempt; this one leaves it", run_id)
            return None
        return _import_run_execute(run_id=run_id, retry_transient=retry_transient)


def _import_run_execute(*, run_id: int, retry_transient: bool) -> ImportResult | None:
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        if run.is_finished:
            return None
        run.status = ImportRun.Status.RUNNING
        run.started_at = timezone.now()  # each attempt: the stuck sweeper measures from here
        run.note = ""  # whatever it was waiting for, it is not waiting now
        run.save(update_fields=["status", "started_at", "note"])
    from casework.imports.progress import ImportProgress, clear_progress, reporting

    try:
        # The status page shows a progress bar from what the readers publish (imports/progress.py).
        with run.file.open("rb") as handle, reporting(ImportProgress(run.pk, run.file_size, handle)):
            return _import_handle(run=run, handle=handle, user=run.user)
    except DatabaseOperationalError:
        if retry_transient:
            logger.warning("Import run %s hit a database error; the task will try again", run_id)
            raise
        logger.exception("Import run %s failed", run_id)
        import_run_mark_failed(run_id=run_id, error=UNEXPECTED_FAILURE.format(run_id=run_id))
        return None
    except Exception:  # any crash: nothing was saved (pass 2 is atomic); show it and offer a retry
        logger.exception("Import run %s failed", run_id)
        import_run_mark_failed(run_id=run_id, error=UNEXPECTED_FAILURE.format(run_id=run_id))
        return None
    finally:
        clear_progress(run_id)  # the finished run's own row says how it ended


def import_runs_fail_stuck(*, now: dt.datetime | None = None) -> list[int]:
    """Mark failed the runs a lost message, a dead worker or a dead command left behind; return ids.

    Web runs (a stored file, which "Try again" can repeat): running past the task's hard time limit
    plus a margin, or sent and not started for STUCK_QUEUED_AFTER; either way no worker will finish
    it, and the page would poll for ever. Runs never sent are left to `import_runs_requeue_unsent`.
    Command-line runs (no stored file, no time limit): see `_fail_dead_command_line_runs`.
    """
    return sorted(_fail_stuck_web_runs(now=now or timezone.now()) + _fail_dead_command_line_runs())


def _fail_stuck_web_runs(*, now: dt.datetime) -> list[int]:
    running_before = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - STUCK_RUNNING_MARGIN
    running = Q(status=ImportRun.Status.RUNNING) & (
        Q(started_at__lt=running_before)
        # Runs started before started_at was recorded: fall back on when they were uploaded.
        | Q(started_at__isnull=True, created_at__lt=running_before)
    )
    queued = Q(status=ImportRun.Status.QUEUED, enqueued_at__lt=now - STUCK_QUEUED_AFTER)
    seen = (
        ImportRun.objects.exclude(file="")
        .filter(running | queued)
        .order_by("pk")
        .values_list("pk", "status", "started_at", "enqueued_at")
    )
    return [
        run_id
        for run_id, status, started_at, enqueued_at in list(seen)
        if _fail_if_unchanged(run_id, status=status, started_at=started_at, enqueued_at=enqueued_at)
    ]


def _fail_dead_command_line_runs() -> list[int]:
    """Fail the running command-line runs whose process is gone: nobody holds the run's lock.

    A live `import_cases` holds its run's advisory lock from before the run shows as running until
    it ends (`_command_line_run`); a process killed with kill -9, or on a machine that restarted,
    loses its session and the lock with it. Web runs never get this test: a redelivered message may
    be waiting for a worker, and failing its run early would make that redelivery do nothing.
    SQLite (the demo) has no advisory locks, so there a live import cannot be told from a dead one:
    command-line runs are left alone.
    """
    if connection.vendor != "postgresql":
        return []
    seen = (
        ImportRun.objects.filter(file="", status=ImportRun.Status.RUNNING)
        .order_by("pk")
        .values_list("pk", "started_at", "enqueued_at")
    )
    return [
        run_id
        for run_id, started_at, enqueued_at in list(seen)
        if _import_lock_free(run_id)
        and _fail_if_unchanged(
            run_id,
            status=ImportRun.Status.RUNNING,
            started_at=started_at,
            enqueued_at=enqueued_at,
            error=COMMAND_STOPPED_WITHOUT_FINISHING,
            reason="Command-line import no longer running: marked failed by the sweeper",
        )
    ]


def _fail_if_unchanged(
    run_id: int, *, status: str, started_at, enqueued_at, error: str = "", reason: str = ""
) -> bool:
    """Mark the run failed only if it is still as the sweep saw it; return whether it was.

    A run that finished, started again or was re-sent since keeps its state. The row is locked and
    saved (not a queryset update()), so history records the change.
    """
    from casework.imports.progress import clear_progress

    with transaction.atomic():
        run = (
            ImportRun.objects.select_for_update()
            .filter(pk=run_id, status=status, started_at=started_at, enqueued_at=enqueued_at)
            .first()
        )
        if run is None:
            return False
        run.status = ImportRun.Status.FAILED
        run.error = error or STOPPED_WITHOUT_FINISHING
        run.note = ""
        run.finished_at = timezone.now()
        run._change_reason = reason or f"Stuck {status}: marked failed by the sweeper"
        run.save()
        # A retry starts its progress bar from nothing, not from where this attempt stopped.
        transaction.on_commit(partial(clear_progress, run_id))
    logger.warning("Import run %s: %s", run_id, run._change_reason)
    return True


def import_run_mark_failed(*, run_id: int, error: str) -> None:
    run = ImportRun.objects.get(pk=run_id)
    run.status = ImportRun.Status.FAILED
    run.error = error
    run.finished_at = timezone.now()
    run.save()


def import_run_retry(*, run: ImportRun) -> ImportResult | None:
    """Start a failed run again from its stored file."""
    run.status = ImportRun.Status.QUEUED
    run.error = ""
    run.problems = []
    run.problem_count = 0
    run.started_at = run.finished_at = None
    if run.enqueued_at is not None:
        # Keep a sent run's send time set, so the unsent sweeper never sends it a second time, but
        # restart its clock, so the stuck sweeper does not fail it before the new message is sent.
        run.enqueued_at = timezone.now()
    run.save()
    return import_run_start(run=run)
