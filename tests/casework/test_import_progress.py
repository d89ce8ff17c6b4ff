"""Progress of a background import: what the readers publish, where, and the panel the page polls."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.imports import case_list, progress, staging
from casework.imports.progress import ImportProgress, cache_key, read_progress, reporting
from casework.imports.reader import iter_rows
from casework.models import ImportRun
from casework.services import import_run_create, import_run_execute
from readiness import roles
from tests.factories.casework import ImportRunFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.postgresql("the staging path runs on PostgreSQL only")

HEADER = "child_id,cohort,episode_start,event_type,event_date\n"


def _csv(rows: int) -> bytes:
    lines = [f"C{n},cin,02/01/2024,visit,{1 + n % 28:02d}/02/2024\n" for n in range(rows)]
    return (HEADER + "".join(lines)).encode()


class Recorder:
    """Stands in for ImportProgress: remembers every call."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def checking(self, rows: int) -> None:
        self.calls.append(("checking", rows))

    def saving(self) -> None:
        self.calls.append(("saving",))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


EXPECTED_7_BY_3 = [("checking", 0), ("checking", 3), ("checking", 6), ("checking", 7)]


def test_in_memory_reader_reports_rows_read_at_the_start_every_n_rows_and_at_the_end(monkeypatch):
    monkeypatch.setattr(case_list, "PROGRESS_ROWS", 3)
    recorder = Recorder()
    plan, problems = case_list.read_case_list(iter_rows(io.BytesIO(_csv(7)), "csv"), progress=recorder)
    assert not problems and plan.rows == 7
    assert recorder.calls == EXPECTED_7_BY_3


@postgresql_only
def test_staging_reader_reports_rows_read_at_the_same_points(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(staging, "PROGRESS_ROWS", 3)
    recorder = Recorder()
    with transaction.atomic():
        plan, problems = staging.read_case_list_staged(
            iter_rows(io.BytesIO(_csv(7)), "csv"), progress=recorder
        )
        plan.drop()
    assert not problems and plan.rows == 7
    assert recorder.calls == EXPECTED_7_BY_3


def test_readers_report_to_the_progress_of_the_import_running_here(monkeypatch):
    monkeypatch.setattr(case_list, "PROGRESS_ROWS", 2)
    recorder = Recorder()
    with reporting(recorder):
        case_list.read_case_list(iter_rows(io.BytesIO(_csv(3)), "csv"))
    assert recorder.calls == [("checking", 0), ("checking", 2), ("checking", 3)]
    assert progress.current() is None  # and to nobody once it is over
    case_list.read_case_list(iter_rows(io.BytesIO(_csv(3)), "csv"))
    assert recorder.calls[-1] == ("checking", 3) and len(recorder.calls) == 3


def test_progress_publishes_rows_and_bytes_read_to_the_cache_by_run():
    handle = io.BytesIO(b"x" * 1000)
    handle.seek(420)
    ImportProgress(run_id=7, size=1000, handle=handle).checking(12_000)
    assert cache.get(cache_key(7)) == {"phase": "checking", "rows": 12_000, "bytes": 420, "size": 1000}
    assert read_progress(7) == {
        "phase": "checking",
        "rows": 12_000,
        "bytes": 420,
        "size": 1000,
        "percent": 42,
        "phase_words": "Checking rows",
    }
    ImportProgress(run_id=7, size=1000, handle=handle, rows=12_345).saving()
    assert read_progress(7)["phase_words"] == "Saving" and read_progress(7)["percent"] == 100
    assert read_progress(8) is None


def test_a_cache_that_is_down_never_stops_an_import(monkeypatch):
    class Broken:
        def set(self, *args, **kwargs):
            raise ConnectionError("redis is down")

        def get(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(progress, "cache", Broken())
    ImportProgress(run_id=1, size=10, handle=io.BytesIO(b"0123456789")).checking(5)
    assert read_progress(1) is None


def test_a_background_run_publishes_checking_then_saving_and_clears_at_the_end(
    monkeypatch, django_user_model
):
    published = []
    real_set = cache.set
    monkeypatch.setattr(case_list, "PROGRESS_ROWS", 4)
    monkeypatch.setattr(staging, "PROGRESS_ROWS", 4)

    def recording_set(key, value, *args, **kwargs):
        published.append((key, dict(value)))
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    user = django_user_model.objects.create(username="pm")
    content = _csv(10)
    run = import_run_create(upload=SimpleUploadedFile("cases.csv", content), user=user)
    result = import_run_execute(run_id=run.pk)
    assert result.ok
    assert {key for key, _ in published} == {cache_key(run.pk)}
    states = [(state["phase"], state["rows"]) for _, state in published]
    assert states == [("checking", 0), ("checking", 4), ("checking", 8), ("checking", 10), ("saving", 10)]
    assert all(state["size"] == len(content) for _, state in published)
    assert published[-2][1]["bytes"] == len(content)  # the whole file read
    assert cache.get(cache_key(run.pk)) is None  # the finished run's row says how it ended


# --- the panel the status page polls -----------------------------------------------------------


def _progress_url(run) -> str:
    return reverse("casework:import-progress", kwargs={"run_id": run.pk})


def test_progress_panel_shows_the_phase_a_progress_bar_and_rows_read(client_for):
    run = ImportRunFactory(status=ImportRun.Status.RUNNING, file_size=1000)
    handle = io.BytesIO(b"x" * 1000)
    handle.seek(420)
    ImportProgress(run_id=run.pk, size=1000, handle=handle).checking(12_000)
    response = client_for(roles.PERFORMANCE_MANAGER).get(_progress_url(run), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert "Checking rows" in html and "42% — 12,000 rows read" in html
    assert '<progress id="import-progress-bar"' in html and 'max="100" value="42"' in html
    assert f'hx-get="{_progress_url(run)}"' in html and 'hx-trigger="every 2s"' in html


def test_progress_panel_says_saving_once_every_row_is_read(client_for):
    run = ImportRunFactory(status=ImportRun.Status.RUNNING, file_size=1000)
    ImportProgress(run_id=run.pk, size=1000, rows=30_000).saving()
    html = client_for(roles.ADMINISTRATOR).get(_progress_url(run)).content.decode()
    assert "Saving" in html and "100% — 30,000 rows read" in html


def test_progress_panel_waits_for_a_queued_run(client_for):
    run = ImportRunFactory(status=ImportRun.Status.QUEUED)
    html = client_for(roles.PERFORMANCE_MANAGER).get(_progress_url(run)).content.decode()
    assert "Waiting to start" in html and "0% — 0 rows read" in html and "hx-get" in html


@pytest.mark.parametrize(
    ("status", "words"), [(ImportRun.Status.SUCCEEDED, "Finished"), (ImportRun.Status.FAILED, "Failed")]
)
def test_progress_panel_stops_polling_and_reloads_the_page_when_the_run_ends(client_for, status, words):
    run = ImportRunFactory(status=status, rows=1234)
    response = client_for(roles.PERFORMANCE_MANAGER).get(_progress_url(run), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response["HX-Refresh"] == "true"
    assert words in html and "1,234 rows read" in html and "hx-get" not in html


def test_status_page_of_a_running_import_polls_the_progress_panel(client_for):
    run = ImportRunFactory(status=ImportRun.Status.RUNNING, file_size=1000)
    ImportProgress(run_id=run.pk, size=1000, handle=io.BytesIO(b"x" * 1000), rows=500).checking(500)
    html = client_for(roles.PERFORMANCE_MANAGER).get(run.get_absolute_url()).content.decode()
    assert 'id="import-progress"' in html and f'hx-get="{_progress_url(run)}"' in html
    assert "htmx" in html and 'http-equiv="refresh"' in html  # the refresh only without JavaScript


def test_status_page_of_a_finished_import_shows_the_result_without_a_progress_bar(client_for):
    run = ImportRunFactory(status=ImportRun.Status.SUCCEEDED)
    html = client_for(roles.PERFORMANCE_MANAGER).get(run.get_absolute_url()).content.decode()
    assert 'id="import-progress"' not in html and "hx-get" not in html


@pytest.mark.parametrize("role", [roles.BOARD_MEMBER, roles.DCS, roles.AUDITOR, None])
def test_only_import_roles_see_the_progress_panel(client_for, role):
    run = ImportRunFactory(status=ImportRun.Status.RUNNING)
    assert client_for(role).get(_progress_url(run)).status_code == 403


def test_progress_panel_needs_sign_in(client):
    run = ImportRunFactory(status=ImportRun.Status.RUNNING)
    response = client.get(_progress_url(run))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
