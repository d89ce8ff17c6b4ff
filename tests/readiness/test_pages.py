import pytest
from django.urls import reverse

from readiness import roles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (roles.DCS, "readiness:dashboard"),
        (roles.PERFORMANCE_MANAGER, "readiness:dashboard"),
        (roles.AUDITOR, "casework:child-list"),
        (roles.BOARD_MEMBER, "readiness:board-home"),
    ],
)
def test_home_sends_each_role_to_its_start_page(client_for, role, landing):
    response = client_for(role).get(reverse("readiness:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


def test_a_user_without_a_role_is_told_to_ask_for_one(client_for):
    response = client_for(None).get(reverse("readiness:home"))
    assert response.status_code == 200
    assert b"You do not have a role yet" in response.content


def test_error_pages_use_the_service_layout(client_for):
    response = client_for(roles.AUDITOR).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-header" in response.content


def test_server_error_page_shows_no_details(rf):
    from readiness.views.errors import server_error_view

    response = server_error_view(rf.get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"Traceback" not in response.content


def test_accessibility_statement_is_public(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert b"Accessibility statement" in response.content


def test_seed_demo_is_repeatable_prints_credentials_and_leaves_a_board_summary(
    capsys, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from readiness.models import Report

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    call_command("seed_demo")
    report = Report.objects.get(kind=Report.Kind.BOARD_SUMMARY)  # asked for once, not twice
    assert report.status == Report.Status.READY
    assert report.pages >= 1
    out = capsys.readouterr().out
    assert "northmoor-demo-2026" in out
    assert User.objects.filter(username__in=["pm", "dcs", "auditor", "board", "admin"]).count() == 5
    assert User.objects.get(username="board").groups.get().name == roles.BOARD_MEMBER
