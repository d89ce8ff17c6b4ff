"""Celery tasks of casework. Thin: an id in, one service call."""

from celery import shared_task


@shared_task(name="casework.cases_import_run", ignore_result=True)
def cases_import_run(run_id: int) -> None:
    """Import a stored case-list file; a run that already finished is left alone (idempotent)."""
    from casework.services import import_run_execute

    import_run_execute(run_id=run_id)
