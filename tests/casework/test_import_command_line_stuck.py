"""A command-line import that dies does not stay "running" for ever.

`import_cases` holds its run's PostgreSQL advisory lock while it imports; the every-minute sweeper
fails a running command-line run whose lock nobody holds (its process is gone). Ctrl-C or a crash
marks the run failed on the spot. The lock tests need PostgreSQL: skipped without it on a developer
machine, failed under CI=true. The others run anywhere.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.casegen import write_csv
from casework import services
from casework.models import Child, ImportRun
from tests.casework.conftest import FILES, casework_table_counts

ROOT = Path(__file__).resolve().parents[2]
ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("The import lock tests must run in CI: DATABASE_URL is not PostgreSQL")
        pytest.skip("advisory locks are PostgreSQL's: set DATABASE_URL to run these")


@pytest.fixture
def other_session(postgresql):
    """A second database session, as the import_cases process would have."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    other.autocommit = True
    yield other
    other.close()


def _lock(session, run_id: int, *, take: bool = True) -> bool:
    with session.cursor() as cursor:
        function = "pg_try_advisory_lock" if take else "pg_advisory_unlock"
        cursor.execute(f"SELECT {function}(%s, %s)", [services.IMPORT_LOCK_CLASS, run_id])
        return cursor.fetchone()[0]


def _command_line_run(started_at: dt.datetime | None = None) -> ImportRun:
    """A run as import_cases records it: no stored file, running."""
    return ImportRun.objects.create(
        file_name="big.csv", status=ImportRun.Status.RUNNING, started_at=started_at or timezone.now()
    )


def _web_run(started_at: dt.datetime) -> ImportRun:
    run = ImportRun(
        file_name="good.csv", status=ImportRun.Status.RUNNING, started_at=started_at, enqueued_at=started_at
    )
    run.file.save("good.csv", ContentFile((FILES / "good.csv").read_bytes()), save=False)
    run.file_size = run.file.size
    run.save()
    return run


def _command(*args) -> int:
    try:
        call_command("import_cases", *args)
    except SystemExit as exit_:
        return exit_.code
    return 0


# --- Anywhere (SQLite or PostgreSQL) ----------------------------------------------------------------


@pytest.mark.django_db
def test_ctrl_c_during_an_import_marks_its_run_failed_and_saves_nothing(monkeypatch):
    def interrupted(*args, **kwargs):
        Child.objects.create(child_id="HALFWAY")
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "write_plan", interrupted)
    before = casework_table_counts()

    with pytest.raises(KeyboardInterrupt):
        services.cases_import(path=FILES / "good.csv")

    assert casework_table_counts() == before
    run = ImportRun.objects.get()
    assert (run.status, run.error) == (ImportRun.Status.FAILED, services.COMMAND_INTERRUPTED)
    assert run.finished_at is not None
    latest = run.history.latest()
    assert (latest.status, latest.history_change_reason) == (
        ImportRun.Status.FAILED,
        "Stopped with Ctrl-C: marked failed by the import command",
    )


@pytest.mark.django_db
def test_import_cases_stopped_with_ctrl_c_says_so_and_exits_130(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "write_plan", interrupted)

    assert _command(str(FILES / "good.csv")) == 130

    assert capsys.readouterr().err == "Stopped before the import finished. Nothing was saved.\n"
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert Child.objects.count() == 0


@pytest.mark.django_db
def test_ctrl_c_after_the_run_finished_leaves_it_as_it_ended(monkeypatch):
    handle = services._import_handle

    def finished_then_interrupted(**kwargs):
        handle(**kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "_import_handle", finished_then_interrupted)

    with pytest.raises(KeyboardInterrupt):
        services.cases_import(path=FILES / "good.csv")

    run = ImportRun.objects.get()
    assert (run.status, run.error) == (ImportRun.Status.SUCCEEDED, "")
    assert Child.objects.count() == 4


@pytest.mark.django_db
def test_ctrl_c_while_the_success_is_being_saved_saves_neither_the_records_nor_the_success(monkeypatch):
    """The run's success is saved in the records' transaction: stopped there, both roll back."""
    record = services._record

    def recorded_then_interrupted(run, result):
        record(run, result)
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "_record", recorded_then_interrupted)

    with pytest.raises(KeyboardInterrupt):
        services.cases_import(path=FILES / "good.csv")

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and run.error == services.COMMAND_INTERRUPTED
    assert Child.objects.count() == 0


@pytest.mark.django_db
def test_a_crash_during_a_command_line_import_marks_its_run_failed(monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "write_plan", crash)

    with pytest.raises(RuntimeError):
        services.cases_import(path=FILES / "good.csv")

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.error == services.COMMAND_FAILED.format(run_id=run.pk)
    assert "Run the import command again" in run.error


def test_the_stopped_message_is_plain_and_says_to_run_the_command_again():
    message = services.COMMAND_STOPPED_WITHOUT_FINISHING
    assert message.startswith("This import stopped without finishing")
    assert "Nothing from this file was saved." in message
    assert message.endswith("Run the import command again.")
    assert "Try again" not in message  # a command-line run has no stored file to try again


@pytest.mark.django_db
def test_on_sqlite_the_sweeper_leaves_command_line_runs_alone():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite (the demo) only: PostgreSQL tells a dead import by its lock")
    run = _command_line_run(started_at=timezone.now() - ONE_DAY)

    assert services.import_runs_fail_stuck(now=timezone.now() + ONE_DAY) == []

    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING


# --- PostgreSQL: the run's lock ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_command_line_run_whose_lock_nobody_holds_is_failed_with_a_plain_reason_and_history(
    postgresql,
):
    run = _command_line_run()  # just started: the sweeper does not wait for a time limit
    rows_before = run.history.count()

    assert services.import_runs_fail_stuck() == [run.pk]

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.finished_at is not None
    assert run.error == services.COMMAND_STOPPED_WITHOUT_FINISHING
    assert run.history.count() == rows_before + 1
    latest = run.history.latest()
    assert (latest.history_type, latest.status, latest.history_change_reason) == (
        "~",
        ImportRun.Status.FAILED,
        "Command-line import no longer running: marked failed by the sweeper",
    )
    assert services.import_runs_fail_stuck() == []  # once


@pytest.mark.django_db
def test_a_command_line_run_whose_lock_is_held_is_left_alone_however_long_it_runs(other_session):
    run = _command_line_run(started_at=timezone.now() - ONE_DAY)
    assert _lock(other_session, run.pk)  # the import_cases process, alive

    assert services.import_runs_fail_stuck(now=timezone.now() + ONE_DAY) == []
    run.refresh_from_db()
    assert (run.status, run.error) == (ImportRun.Status.RUNNING, "")
    assert _lock(other_session, run.pk, take=False)  # the sweeper gave nothing back of the holder's

    other_session.close()  # the process dies: its session, and the lock, end with it
    assert services.import_runs_fail_stuck() == [run.pk]


@pytest.mark.django_db
def test_the_sweeper_gives_back_the_lock_it_tests(other_session):
    run = _command_line_run()
    services.import_runs_fail_stuck()
    assert _lock(other_session, run.pk)  # free for anyone: the sweep released it at once


@pytest.mark.django_db
def test_web_runs_keep_the_time_rule_whether_or_not_their_lock_is_held(postgresql):
    started = timezone.now()
    waiting = _web_run(started)  # no lock: its redelivered message may be waiting for a worker
    past_limit = (
        dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        + services.STUCK_RUNNING_MARGIN
        + dt.timedelta(seconds=1)
    )

    assert services.import_runs_fail_stuck(now=started + dt.timedelta(minutes=1)) == []
    waiting.refresh_from_db()
    assert waiting.status == ImportRun.Status.RUNNING

    assert services.import_runs_fail_stuck(now=started + past_limit) == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.error == services.STOPPED_WITHOUT_FINISHING  # the worker's message, not the command's


@pytest.mark.django_db
def test_a_command_line_run_that_finishes_during_the_sweep_is_left_as_it_ended(postgresql, monkeypatch):
    run = _command_line_run()
    lock_free = services._import_lock_free

    def finishes_then_releases(run_id):
        # import_cases records its outcome, then gives the lock back, just before the sweep tests it.
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.SUCCEEDED, finished_at=timezone.now()
        )
        return lock_free(run_id)

    monkeypatch.setattr(services, "_import_lock_free", finishes_then_releases)

    assert services.import_runs_fail_stuck() == []
    run.refresh_from_db()
    assert (run.status, run.error) == (ImportRun.Status.SUCCEEDED, "")


@pytest.mark.django_db
def test_a_command_line_import_holds_its_runs_lock_while_it_imports_and_gives_it_back(
    other_session, monkeypatch
):
    write_plan = services.write_plan
    held = []

    def write_and_look(plan, **kwargs):
        run_id = ImportRun.objects.get().pk
        held.append(not _lock(other_session, run_id))
        return write_plan(plan, **kwargs)

    monkeypatch.setattr(services, "write_plan", write_and_look)

    result = services.cases_import(path=FILES / "good.csv")

    assert result.ok and held == [True]
    assert _lock(other_session, result.run_id)  # given back when the import ended


@pytest.mark.django_db
def test_a_crashed_command_line_import_gives_its_lock_back(other_session, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "write_plan", crash)
    with pytest.raises(RuntimeError):
        services.cases_import(path=FILES / "good.csv")

    assert _lock(other_session, ImportRun.objects.get().pk)


# --- PostgreSQL: a real import_cases process, killed ------------------------------------------------


def _command_env() -> dict:
    """import_cases run against this test database."""
    params = connection.settings_dict
    user = params["USER"] or "postgres"
    auth = f"{user}:{params['PASSWORD']}@" if params["PASSWORD"] else f"{user}@"
    url = f"postgres://{auth}{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "ERROR"}
    env.setdefault("SECRET_KEY", "command-line-import-test-secret-key-0123456789abcdef")
    return env


def _wait_for(condition, *, seconds: float, what: str):
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        if value := condition():
            return value
        time.sleep(0.1)
    pytest.fail(f"Gave up after {seconds} s waiting for {what}")


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    """A case list import_cases takes several seconds over (150,000 rows), generated once."""
    return write_csv(tmp_path_factory.mktemp("big") / "big.csv", 150_000, prefix="KILLED", seed=7204)


def _start_import_cases(path: Path) -> tuple[subprocess.Popen, ImportRun]:
    """Start import_cases in its own process; return it and its run once the run shows running."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "import_cases", str(path)],
        cwd=ROOT,
        env=_command_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # A shell without job control starts background jobs ignoring Ctrl-C; a terminal does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        run = _wait_for(
            lambda: ImportRun.objects.filter(file_name=path.name, status=ImportRun.Status.RUNNING).first(),
            seconds=15,
            what="import_cases to record its run as running",
        )
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        raise
    return process, run


@pytest.mark.django_db(transaction=True)  # the command is another process: commits are real
def test_an_import_cases_process_killed_mid_import_is_failed_by_the_sweeper(postgresql, big_csv):
    process, run = _start_import_cases(big_csv)
    try:
        assert services.import_runs_fail_stuck(now=timezone.now() + ONE_DAY) == []  # alive: left alone
        assert process.poll() is None, "the import finished before it could be killed"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # kill -9: no except, no finally runs in the command
        process.communicate(timeout=30)

    # PostgreSQL ends the dead session (and its lock) once it notices the client is gone.
    assert _wait_for(services.import_runs_fail_stuck, seconds=15, what="the sweeper to fail the run") == [
        run.pk
    ]
    run.refresh_from_db()
    assert (run.status, run.error) == (ImportRun.Status.FAILED, services.COMMAND_STOPPED_WITHOUT_FINISHING)
    assert Child.objects.count() == 0 and Child.history.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_import_cases_process_stopped_with_ctrl_c_marks_its_run_failed_itself(postgresql, big_csv):
    process, run = _start_import_cases(big_csv)
    time.sleep(0.5)  # into the rows
    assert process.poll() is None, "the import finished before it could be stopped"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)

    assert process.returncode == 130, err
    assert err.endswith("Stopped before the import finished. Nothing was saved.\n")
    run.refresh_from_db()
    assert (run.status, run.error) == (ImportRun.Status.FAILED, services.COMMAND_INTERRUPTED)
    assert Child.objects.count() == 0 and Child.history.count() == 0
    assert services.import_runs_fail_stuck() == []  # nothing left for the sweeper
