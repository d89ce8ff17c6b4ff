"""Celery tasks of casework. Thin: an id in, one service call."""

from celery import Task, shared_task
from django.db import OperationalError as DatabaseOperationalError


class ImportTask(Task):
    """Mark the run failed, with "Try again", once the task gives up on a lost or locked database."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from casework.services import UNEXPECTED_FAILURE, import_run_mark_failed

        run_id = args[0] if args else kwargs["run_id"]
        import_run_mark_failed(run_id=run_id, error=UNEXPECTED_FAILURE.format(run_id=run_id))


@shared_task(
    base=ImportTask,
    name="casework.cases_import_run",
    ignore_result=True,
    # Only a lost or locked database is worth waiting for (the import is one transaction, so
    # nothing was saved); a bad file or a bug fails the run at once, visibly, with "Try again".
    autoretry_for=(DatabaseOperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
)
def cases_import_run(run_id: int) -> None:
    """Import a stored case-list file; a run that already finished is left alone (idempotent)."""
    from casework.services import import_run_execute

    import_run_execute(run_id=run_id, retry_transient=True)


@shared_task(name="casework.import_runs_requeue_unsent", ignore_result=True)
def import_runs_requeue_unsent() -> None:
    """Send the imports that were uploaded while the broker was down."""
    from casework.services import import_runs_requeue_unsent as sweep

    sweep()


@shared_task(name="casework.import_runs_fail_stuck", ignore_result=True)
def import_runs_fail_stuck() -> None:
    """Mark failed the imports a lost message, a dead worker or a killed import_cases left unfinished."""
    from casework.services import import_runs_fail_stuck as sweep

    sweep()
