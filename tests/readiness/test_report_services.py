"""Reports end to end in-process: request → task → PDF file, failures, retries, the sweeper, the command.

WeasyPrint is never mocked. Until inspections and plans provide data, the machinery is exercised
through a small real builder (`working_builder`) that renders a real template.
"""

import io
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import execute_from_command_line
from django.db import OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError
from pypdf import PdfReader

from readiness import roles
from readiness.models import Report
from readiness.reports import builders
from readiness.reports.builders import BUILDERS, ReportContent, ReportDataError
from readiness.reports.services import (
    BROKER_DOWN_NOTE,
    NOT_ALLOWED_KIND,
    REQUEUE_QUEUED_AFTER,
    UNEXPECTED_FAILURE,
    report_request,
    report_retry,
    reports_requeue_stale,
)
from readiness.tasks import report_render
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

BOARD = Report.Kind.BOARD_SUMMARY
PLAN = Report.Kind.IMPROVEMENT_PLAN
TIMELINE = Report.Kind.INSPECTION_TIMELINE


def install_working_builder(settings, tmp_path, monkeypatch, kind=BOARD) -> list[dict]:
    """Replace one kind's builder by a real one over a real template; return its calls."""
    folder = tmp_path / "templates" / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "test_report.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h2>Judgements</h2><p>{{ text }}</p>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path / "templates"]}
    ]
    calls: list[dict] = []

    def build(parameters):
        calls.append(parameters)
        return ReportContent(
            "pdf/test_report.html", {"text": parameters.get("text", "All good")}, "Board summary", False
        )

    monkeypatch.setitem(BUILDERS, kind, build)
    return calls


@pytest.fixture
def working_builder(settings, tmp_path, monkeypatch):
    return install_working_builder(settings, tmp_path, monkeypatch)


@pytest.fixture
def pm(db):
    return make_user(roles.PERFORMANCE_MANAGER)


@pytest.fixture
def board(db):
    return make_user(roles.BOARD_MEMBER)


def _report_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "reports"
    return sorted(folder.iterdir()) if folder.exists() else []


def _pdf_text(report: Report) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_report_request_enqueues_only_after_commit(
    pm, working_builder, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(report_render, "delay", lambda report_id: sent.append(report_id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = report_request(kind=BOARD, parameters={}, user=pm)
        assert sent == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == [report.pk]


@transaction.atomic
def _request_then_fail(user):
    report_request(kind=BOARD, parameters={}, user=user)
    raise RuntimeError("roll back")


def test_report_request_inside_a_rolled_back_transaction_enqueues_nothing(
    pm, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(report_render, "delay", lambda report_id: sent.append(report_id))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError, match="roll back"):
            _request_then_fail(pm)
    assert callbacks == [] and sent == []
    assert not Report.objects.exists()


def test_report_request_renders_a_pdf_and_stores_it(
    pm, working_builder, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(kind=BOARD, parameters={}, user=pm)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    assert report.pages == 1 and report.attempts == 1
    assert report.file.name.startswith("reports/") and report.file.name.endswith(".pdf")
    assert report.size_bytes == report.file.size
    assert report.started_at <= report.finished_at
    assert report.title == "Board summary"
    assert "All good" in _pdf_text(report)
    assert [r.status for r in report.history.order_by("history_id")][-1] == Report.Status.READY


def test_report_render_twice_leaves_one_file_and_renders_once(pm, working_builder, settings):
    report = Report.objects.create(kind=BOARD, requested_by=pm)
    report_render.apply(args=[report.pk])
    first = Report.objects.get(pk=report.pk)
    report_render.apply(args=[report.pk])
    second = Report.objects.get(pk=report.pk)
    assert first.status == second.status == Report.Status.READY
    assert second.file.name == first.file.name and second.attempts == 1
    assert len(working_builder) == 1
    assert len(_report_files(settings)) == 1


def test_redelivered_running_report_is_rendered_again_once(pm, working_builder, settings):
    """A worker died mid-render: the broker redelivers, the report is taken over, one file remains."""
    report = Report.objects.create(kind=BOARD, requested_by=pm, status=Report.Status.RUNNING, attempts=1)
    report_render.apply(args=[report.pk])
    report_render.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.attempts == 2
    assert len(_report_files(settings)) == 1


def test_two_parallel_renders_keep_only_the_first_file(pm, working_builder, settings):
    from readiness.reports.services import report_render_run, report_start

    report = Report.objects.create(kind=BOARD, requested_by=pm)
    started = report_start(report_id=report.pk)
    report_render_run(report=started)
    again = report_render_run(report=started)
    assert again.status == Report.Status.READY
    assert len(_report_files(settings)) == 1


def test_report_without_data_fails_with_a_plain_reason_and_try_again_works(
    pm, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(kind=PLAN, parameters={}, user=pm)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == builders.NO_PLAN
    assert report.file.name in ("", None)

    install_working_builder(settings, tmp_path, monkeypatch, kind=PLAN)
    with django_capture_on_commit_callbacks(execute=True):
        report_retry(report=report, user=pm)
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.error == ""
    assert report.attempts == 2


def test_unexpected_error_fails_with_a_generic_message_naming_the_report(pm, monkeypatch):
    def broken(parameters):
        raise KeyError("secret internal detail")

    monkeypatch.setitem(BUILDERS, BOARD, broken)
    report = Report.objects.create(kind=BOARD, requested_by=pm)
    report_render.apply(args=[report.pk], throw=False)  # as on a worker: on_failure runs
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == UNEXPECTED_FAILURE.format(id=report.pk)
    assert "secret" not in report.error


def test_transient_database_error_is_retried_then_succeeds(pm, working_builder, monkeypatch):
    real = BUILDERS[BOARD]
    failures = [OperationalError("database is locked")]

    def flaky(parameters):
        if failures:
            raise failures.pop()
        return real(parameters)

    monkeypatch.setitem(BUILDERS, BOARD, flaky)
    report = Report.objects.create(kind=BOARD, requested_by=pm)
    report_render.apply(args=[report.pk], throw=False)  # as on a worker: retries run
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.attempts == 2


def test_transient_database_error_that_persists_ends_failed(pm, monkeypatch):
    def locked(parameters):
        raise OperationalError("database is locked")

    monkeypatch.setitem(BUILDERS, BOARD, locked)
    # Like a worker: exceptions are handled by Celery (retries, then on_failure), not raised here.
    conf = report_render.app.conf
    old, conf.task_eager_propagates = conf.task_eager_propagates, False
    report = Report.objects.create(kind=BOARD, requested_by=pm)
    try:
        report_render.apply(args=[report.pk])
    finally:
        conf.task_eager_propagates = old
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and report.attempts == 4  # first try + 3 retries
    assert report.error == UNEXPECTED_FAILURE.format(id=report.pk)


def test_in_process_render_failure_is_recorded_even_when_celery_propagates(
    pm, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(parameters):
        raise KeyError("boom")

    monkeypatch.setitem(BUILDERS, BOARD, broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(kind=BOARD, parameters={}, user=pm)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED


def test_task_retries_only_transient_errors():
    assert report_render.autoretry_for == (OperationalError,)
    assert report_render.acks_late is True and report_render.reject_on_worker_lost is True
    assert report_render.retry_backoff and report_render.max_retries == 3


def test_failed_report_retry_needs_a_failed_report(pm, working_builder):
    report = Report.objects.create(kind=BOARD, requested_by=pm, status=Report.Status.READY)
    with pytest.raises(ValidationError):
        report_retry(report=report, user=pm)


def test_broker_unreachable_keeps_the_report_queued_with_a_note_and_the_sweeper_sends_it_later(
    pm, working_builder, monkeypatch, django_capture_on_commit_callbacks
):
    def down(report_id):
        raise BrokerOperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(report_render, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(kind=BOARD, parameters={}, user=pm)
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
    assert report.note == BROKER_DOWN_NOTE and report.enqueued_at is None

    later = timezone.now() + timezone.timedelta(minutes=2)
    assert reports_requeue_stale(now=later) == []  # still down: nothing sent, nothing lost
    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED

    monkeypatch.undo()
    install_working_builder(*working_builder_args(monkeypatch))
    assert reports_requeue_stale(now=later) == [report.pk]
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.note == ""


def working_builder_args(monkeypatch):
    from django.conf import settings

    return settings, settings.MEDIA_ROOT.parent, monkeypatch


def test_sweeper_leaves_recently_sent_reports_alone_and_resends_old_ones(pm, monkeypatch):
    sent = []
    monkeypatch.setattr(report_render, "delay", lambda report_id: sent.append(report_id))
    now = timezone.now()
    fresh = Report.objects.create(kind=BOARD, requested_by=pm, enqueued_at=now)
    old = Report.objects.create(kind=BOARD, requested_by=pm, enqueued_at=now - REQUEUE_QUEUED_AFTER * 2)
    just_saved = Report.objects.create(kind=BOARD, requested_by=pm, requested_at=now)
    Report.objects.create(
        kind=BOARD, requested_by=pm, status=Report.Status.READY, enqueued_at=now - REQUEUE_QUEUED_AFTER * 2
    )
    assert reports_requeue_stale(now=now) == [old.pk]
    assert sent == [old.pk]
    assert fresh.pk not in sent and just_saved.pk not in sent


def test_board_member_may_request_board_summaries_only(board, working_builder):
    assert report_request(kind=BOARD, parameters={}, user=board).status == Report.Status.QUEUED
    for kind in (PLAN, TIMELINE):
        with pytest.raises(ValidationError) as caught:
            report_request(kind=kind, parameters={}, user=board)
        assert caught.value.message_dict == {"kind": [NOT_ALLOWED_KIND]}


@pytest.mark.parametrize(
    ("kind", "parameters", "message"),
    [
        (PLAN, {}, builders.NO_PLAN),
        (TIMELINE, {}, builders.NO_INSPECTION),
        (BOARD, {}, builders.NOTHING_FOR_BOARD),
        (TIMELINE, {"inspection": "abc"}, "Inspection must be a whole number, not 'abc'."),
    ],
)
def test_builders_without_data_raise_a_sentence_the_user_can_act_on(kind, parameters, message):
    with pytest.raises(ReportDataError) as caught:
        BUILDERS[kind](parameters)
    assert str(caught.value) == message


def _run_command(monkeypatch, *args) -> int:
    # run_from_argv closes connections when done; keep the test's transaction open.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    monkeypatch.setattr(sys, "argv", ["manage.py", "render_report", *args])
    try:
        execute_from_command_line(sys.argv)
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_render_report_command_writes_the_pdf_and_exits_0(working_builder, tmp_path, monkeypatch, capsys):
    out = tmp_path / "summary.pdf"
    assert _run_command(monkeypatch, "board-summary", "--out", str(out)) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1 and "All good" in reader.pages[0].extract_text()
    assert f"Wrote {out}" in capsys.readouterr().out
    report = Report.objects.get()
    assert report.status == Report.Status.READY and report.requested_by is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["improvement-plan", "--plan", "4"], builders.NO_PLAN_WITH_ID.format(id=4)),
        (["inspection-timeline"], builders.NO_INSPECTION),
    ],
)
def test_render_report_command_exits_1_with_the_error_on_stderr(tmp_path, monkeypatch, capsys, args, message):
    out = tmp_path / "x.pdf"
    assert _run_command(monkeypatch, *args, "--out", str(out)) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()
    assert Report.objects.get().status == Report.Status.FAILED


def test_render_report_command_rejects_an_unknown_kind(tmp_path, monkeypatch, capsys):
    assert _run_command(monkeypatch, "annual-report", "--out", str(tmp_path / "x.pdf")) == 2
    assert "invalid choice" in capsys.readouterr().err
