"""The import pages: upload, error summary, problems CSV, history, background runs and retry."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Child, ImportRun
from readiness import roles
from tests.casework.conftest import FILES, casework_table_counts
from tests.factories.casework import (
    ChildFactory,
    EpisodeFactory,
    EventFactory,
    ImportRunFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


def _upload(name, content=None, **data):
    content = (FILES / name).read_bytes() if content is None else content
    return {"file": SimpleUploadedFile(name, content), **data}


def test_import_page_imports_a_good_file_and_shows_the_counts(client_for, settings):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    response = pm.post(reverse("casework:import"), _upload("good.csv"), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "good.csv imported: 20 records created, 0 updated, 0 unchanged." in text
    run = ImportRun.objects.get()
    assert run.status == "succeeded" and run.user.username == "pm"
    assert Child.objects.count() == 4
    assert Child.history.filter(history_user=run.user).count() == 4
    # Stored under a random name, not the user's file name.
    assert run.file.name.startswith("imports/") and "good" not in run.file.name
    assert (settings.MEDIA_ROOT / run.file.name).exists()


def test_import_page_dry_run_shows_what_would_change_and_saves_nothing(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    response = pm.post(reverse("casework:import"), _upload("good.csv", dry_run="on"), follow=True)
    assert "good.csv has no problems. Importing it would create 20 records" in response.content.decode()
    assert Child.objects.count() == 0


def test_import_page_shows_every_problem_in_an_error_summary_and_saves_nothing(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    before = casework_table_counts()
    response = pm.post(reverse("casework:import"), _upload("impossible_date.csv", dry_run="on"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Import case data" in html
    assert 'class="govuk-error-summary"' in html
    assert "Row 3, event_date: &#x27;31/02/2024&#x27; is not a real date: February 2024 has 29 days" in html
    assert "Nothing was saved" in html
    run = ImportRun.objects.get()
    assert reverse("casework:import-problems", kwargs={"run_id": run.pk}) in html
    assert "Download the full list of problems (CSV)" in html
    dry_run_input = re.search(r'<input[^>]*name="dry_run"[^>]*>', html).group(0)
    assert "checked" in dry_run_input  # the user's choice survives the error
    assert casework_table_counts() == before


def test_import_page_caps_the_list_at_100_and_counts_the_rest(client_for):
    lines = ["child_id,event_type,event_date"] + [f"C{n},referral,31/02/2024" for n in range(150)]
    pm = client_for(roles.PERFORMANCE_MANAGER)
    response = pm.post(reverse("casework:import"), _upload("many.csv", "\n".join(lines).encode()))
    html = response.content.decode()
    assert html.count("is not a real date") == 100
    assert "And 50 more problems, listed in the download." in html


def test_problems_csv_lists_every_problem_with_formulas_neutralised(client_for):
    run = ImportRunFactory(
        status="failed",
        problem_count=2,
        problems=[
            {"row": 2, "column": "gender", "message": "'=HYPERLINK(1)' is not a gender we know"},
            {"row": None, "column": None, "message": "-the file"},
        ],
    )
    response = client_for(roles.PERFORMANCE_MANAGER).get(
        reverse("casework:import-problems", kwargs={"run_id": run.pk})
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="import-{run.pk}-problems.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["row", "column", "problem"],
        ["2", "gender", "'=HYPERLINK(1)' is not a gender we know"],
        ["", "", "'-the file"],
    ]


def test_import_form_refuses_a_missing_or_wrong_type_of_file(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    html = pm.post(reverse("casework:import"), {}).content.decode()
    assert "Select a CSV or Excel file" in html and "<title>Error: " in html
    html = pm.post(reverse("casework:import"), _upload("cases.pdf", b"%PDF-1.4")).content.decode()
    assert "The selected file must be a CSV or an Excel workbook (.xlsx)" in html
    html = pm.post(reverse("casework:import"), _upload("zero_bytes.csv")).content.decode()
    assert "The selected file is empty" in html
    assert ImportRun.objects.count() == 0


def test_import_page_refuses_a_png_renamed_xlsx_with_a_clear_message(client_for):
    html = (
        client_for(roles.PERFORMANCE_MANAGER)
        .post(reverse("casework:import"), _upload("picture.xlsx"))
        .content.decode()
    )
    assert "&#x27;picture.xlsx&#x27; is not an Excel workbook" in html
    assert Child.objects.count() == 0


def test_big_file_is_imported_by_the_worker_after_commit(
    client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("casework.services.BACKGROUND_IMPORT_BYTES", 10)
    pm = client_for(roles.PERFORMANCE_MANAGER)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = pm.post(reverse("casework:import"), _upload("good.csv"))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.status == "queued" and len(callbacks) == 1
    page = pm.get(run.get_absolute_url()).content.decode()
    assert "This file is being imported" in page and 'http-equiv="refresh"' in page
    callbacks[0]()  # the worker runs (eagerly in tests)
    run.refresh_from_db()
    assert run.status == "succeeded" and Child.objects.count() == 4


def test_failed_run_shows_the_error_and_try_again_imports_it(client_for, monkeypatch):
    from casework import services

    real = services.write_plan
    monkeypatch.setattr(services, "write_plan", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("lost")))
    pm = client_for(roles.PERFORMANCE_MANAGER)
    response = pm.post(reverse("casework:import"), _upload("good.csv"), follow=True)
    run = ImportRun.objects.get()
    assert run.status == "failed" and "stopped unexpectedly" in run.error
    assert Child.objects.count() == 0
    html = response.content.decode()
    assert "The import stopped unexpectedly and nothing was saved" in html and "Try again" in html
    monkeypatch.setattr(services, "write_plan", real)
    retry_url = reverse("casework:import-retry", kwargs={"run_id": run.pk})
    assert "Try again" in pm.get(retry_url).content.decode()
    response = pm.post(retry_url, follow=True)
    run.refresh_from_db()
    assert run.status == "succeeded" and Child.objects.count() == 4
    assert "good.csv imported: 20 records created" in response.content.decode()


def test_a_failed_command_line_run_says_why_without_a_try_again_button(client_for):
    from casework import services

    run = ImportRun.objects.create(
        file_name="annex-a.csv", status="failed", error=services.COMMAND_STOPPED_WITHOUT_FINISHING
    )
    html = client_for(roles.PERFORMANCE_MANAGER).get(run.get_absolute_url()).content.decode()
    assert "This import stopped without finishing" in html
    # No file was stored, so there is nothing to try again from the page.
    assert reverse("casework:import-retry", kwargs={"run_id": run.pk}) not in html


def test_import_list_shows_each_run(client_for):
    ImportRunFactory(file_name="march.csv")
    html = client_for(roles.PERFORMANCE_MANAGER).get(reverse("casework:import-list")).content.decode()
    assert "march.csv" in html and "Succeeded" in html and "Command line" in html


@pytest.mark.parametrize("role", [roles.BOARD_MEMBER, roles.DCS, roles.AUDITOR, None])
def test_only_import_roles_reach_the_import_pages(client_for, role):
    run = ImportRunFactory(status="failed", error="x")
    signed_in = client_for(role)
    for name, kwargs in [
        ("casework:import", {}),
        ("casework:import-list", {}),
        ("casework:import-detail", {"run_id": run.pk}),
        ("casework:import-problems", {"run_id": run.pk}),
        ("casework:import-retry", {"run_id": run.pk}),
    ]:
        assert signed_in.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    response = signed_in.post(reverse("casework:import"), _upload("good.csv"))
    assert response.status_code == 403
    assert signed_in.post(reverse("casework:import-retry", kwargs={"run_id": run.pk})).status_code == 403
    assert Child.objects.count() == 0


def test_board_member_gets_403_on_every_casework_url(client_for):
    from django.urls import get_resolver

    from casework.indicator_views import REGISTRY

    child = ChildFactory()
    run = ImportRunFactory()
    board = client_for(roles.BOARD_MEMBER)
    casework = get_resolver().namespace_dict["casework"][1]
    names = [p.name for p in casework.url_patterns]
    assert len(names) >= 7
    for pattern in casework.url_patterns:
        ids = {
            "pk": child.pk,
            "run_id": run.pk,
            "sample_pk": 1,
            "audit_pk": 1,
            "escalation_pk": 1,
            "audit_action_pk": 1,
            "selector_code": next(iter(REGISTRY)),
        }
        kwargs = {key: ids[key] for key in pattern.pattern.converters}
        url = reverse(f"casework:{pattern.name}", kwargs=kwargs)
        assert board.get(url).status_code == 403, url
        assert board.post(url).status_code == 403, url


def test_child_page_shows_the_journey_in_date_order(client_for):
    import datetime

    child = ChildFactory(child_id="C0042")
    EpisodeFactory(child=child, cohort="looked_after", start_on=datetime.date(2024, 1, 5), legal_status="C2")
    PlacementFactory(child=child, start_on=datetime.date(2024, 1, 6), in_area=False)
    EventFactory(child=child, kind="iha", occurred_on=datetime.date(2024, 2, 1))
    EventFactory(child=child, kind="referral", occurred_on=datetime.date(2024, 1, 2), value="NFA")
    html = client_for(roles.AUDITOR).get(child.get_absolute_url()).content.decode()
    journey = html[html.index('data-testid="timeline"') :]
    order = [journey.index(text) for text in ("2 Jan 2024", "5 Jan 2024", "6 Jan 2024", "1 Feb 2024")]
    assert order == sorted(order)
    assert "Initial health assessment" in html and "Out of the council&#x27;s area" in html
    assert "Looked after started" in html and "NFA" in html
