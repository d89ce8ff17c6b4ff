"""Report pages: who may ask for which report, progress polling, download, failure and "Try again"."""

import io

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerOperationalError
from pypdf import PdfReader

from readiness import roles
from readiness.models import Report
from readiness.reports import builders
from readiness.reports.services import BROKER_DOWN_NOTE
from readiness.tasks import report_render
from readiness.views.reports import REQUESTED_MESSAGE, download_name
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

BOARD = Report.Kind.BOARD_SUMMARY
PLAN = Report.Kind.IMPROVEMENT_PLAN
TIMELINE = Report.Kind.INSPECTION_TIMELINE


@pytest.fixture
def working_builder(settings, tmp_path, monkeypatch):
    from tests.readiness.test_report_services import install_working_builder

    return install_working_builder(settings, tmp_path, monkeypatch)


def _signed_in(client, role):
    user = make_user(role)
    client.force_login(user)
    return user


def _request(client, kind, capture):
    with capture(execute=True):
        return client.post(reverse("readiness:report-request"), {"kind": kind})


def test_board_member_requests_and_downloads_a_board_summary(
    client, working_builder, django_capture_on_commit_callbacks
):
    _signed_in(client, roles.BOARD_MEMBER)
    response = _request(client, BOARD, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url())
    assert REQUESTED_MESSAGE in page.content.decode()
    assert "Download the PDF" in page.content.decode()

    download = client.get(reverse("readiness:report-download", kwargs={"report_id": report.pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "no-store"
    assert download["Content-Disposition"] == f'attachment; filename="{download_name(report)}"'
    assert download_name(report).startswith("northmoor-council-board-summary-")
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_board_member_is_offered_and_may_post_board_summaries_only(client, working_builder):
    _signed_in(client, roles.BOARD_MEMBER)
    form = client.get(reverse("readiness:report-request")).content.decode()
    assert 'value="board-summary"' in form
    assert 'value="improvement-plan"' not in form and 'value="inspection-timeline"' not in form
    for kind in (PLAN, TIMELINE):
        response = client.post(reverse("readiness:report-request"), {"kind": kind})
        assert response.status_code == 200
        assert "Select the report you want" in response.content.decode()
    assert not Report.objects.exists()


def test_board_member_cannot_see_other_kinds_of_report(client):
    pm = make_user(roles.PERFORMANCE_MANAGER)
    plan = Report.objects.create(kind=PLAN, requested_by=pm, status=Report.Status.FAILED, error="x")
    board_summary = Report.objects.create(kind=BOARD, requested_by=pm)
    _signed_in(client, roles.BOARD_MEMBER)
    listing = client.get(reverse("readiness:report-list")).content.decode()
    assert f"Board summary {board_summary.pk}" in listing and "Improvement plan" not in listing
    for name in ("report-detail", "report-status", "report-download"):
        assert client.get(reverse(f"readiness:{name}", kwargs={"report_id": plan.pk})).status_code == 404
    assert client.post(reverse("readiness:report-retry", kwargs={"report_id": plan.pk})).status_code == 404
    assert Report.objects.get(pk=plan.pk).status == Report.Status.FAILED


def test_performance_manager_may_request_every_kind(client):
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    form = client.get(reverse("readiness:report-request")).content.decode()
    for kind in Report.Kind.values:
        assert f'value="{kind}"' in form


def test_empty_choice_shows_the_error_summary_and_title_prefix(client):
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    page = client.post(reverse("readiness:report-request"), {}).content.decode()
    assert "<title>Error: Which report do you want? – " in page
    assert "govuk-error-summary" in page and "Select the report you want" in page


def test_pending_report_page_polls_its_status_partial_with_htmx_and_no_inline_script(client):
    user = _signed_in(client, roles.DCS)
    report = Report.objects.create(kind=TIMELINE, requested_by=user, status=Report.Status.RUNNING)
    page = client.get(report.get_absolute_url()).content.decode()
    status_url = reverse("readiness:report-status", kwargs={"report_id": report.pk})
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 2s"' in page
    assert "<script>" not in page and "<script " in page
    for tag in page.split("<script")[1:]:
        assert 'src="' in tag.split(">")[0], tag[:80]
        assert tag.split(">", 1)[1].startswith("</script")

    partial = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'id="report-status"' in partial and "every 2s" in partial

    report.status = Report.Status.READY
    report.save()
    partial = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial  # polling stops once the report is done


def test_failed_report_shows_the_error_and_try_again_makes_it(
    client, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    _request(client, TIMELINE, django_capture_on_commit_callbacks)  # no inspection recorded yet
    report = Report.objects.get()
    page = client.get(report.get_absolute_url()).content.decode()
    assert report.status == Report.Status.FAILED
    assert builders.NO_INSPECTION in page and "Try again" in page
    assert (
        client.get(reverse("readiness:report-download", kwargs={"report_id": report.pk})).status_code == 404
    )

    from tests.readiness.test_report_services import install_working_builder

    install_working_builder(settings, tmp_path, monkeypatch, kind=TIMELINE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("readiness:report-retry", kwargs={"report_id": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.attempts == 2


def test_try_again_only_answers_post(client):
    user = _signed_in(client, roles.PERFORMANCE_MANAGER)
    report = Report.objects.create(kind=PLAN, requested_by=user, status=Report.Status.FAILED)
    assert client.get(reverse("readiness:report-retry", kwargs={"report_id": report.pk})).status_code == 405


def test_broker_unreachable_says_so_plainly_and_the_report_persists(
    client, working_builder, monkeypatch, django_capture_on_commit_callbacks
):
    def down(report_id):
        raise BrokerOperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(report_render, "delay", down)
    _signed_in(client, roles.BOARD_MEMBER)
    # The request's on_commit hand-over runs as on a real commit, then the redirect is followed.
    # (This was a transaction=True test with serialized_rollback, whose restore of the roles clashed
    # with the roles post_migrate re-creates after an earlier transactional test's flush.)
    with django_capture_on_commit_callbacks(execute=True) as handed_over:
        posted = client.post(reverse("readiness:report-request"), {"kind": BOARD})
    assert posted.status_code == 302 and handed_over
    response = client.get(posted["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert BROKER_DOWN_NOTE in page
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED and report.note == BROKER_DOWN_NOTE
    assert "hx-trigger" in page  # keeps polling: the sweeper sends it when the broker is back
