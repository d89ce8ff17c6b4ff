"""Page titles start with what the h1 says (GOV.UK: the title matches the main heading)."""

import re

import pytest
from django.urls import reverse

from readiness import roles
from tests.factories.inspections import Ilacs2019Factory

pytestmark = pytest.mark.django_db


def test_the_judgements_page_title_matches_its_heading(client_for):
    inspection = Ilacs2019Factory()
    html = (
        client_for(roles.PERFORMANCE_MANAGER)
        .get(reverse("inspections:judgement-record", args=[inspection.pk]))
        .content.decode()
    )
    title = re.search(r"<title>\s*(.*?)\s*</title>", html, re.S).group(1)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    assert h1 == "Record the judgements"
    assert title.startswith(f"{h1} – ")


def test_the_two_milestone_date_links_say_which_date_they_change(client_for):
    from inspections.services import milestones_compute

    inspection = Ilacs2019Factory()
    milestones_compute(inspection=inspection)
    milestone = inspection.milestones.filter(rule__isnull=False).exclude(status="observed").first()
    milestone.done_on = milestone.effective_due_on
    milestone.save()
    html = (
        client_for(roles.PERFORMANCE_MANAGER)
        .get(reverse("inspections:inspection-detail", args=[inspection.pk]))
        .content.decode()
    )
    assert "Change date done" not in html and ">Change date<" not in html
    assert f'Change due date<span class="govuk-visually-hidden"> of {milestone.name}</span>' in html
    assert f'Change when it was done<span class="govuk-visually-hidden">: {milestone.name}</span>' in html


@pytest.mark.parametrize(
    ("name", "heading"),
    [("dailynote-create", "Add a daily note"), ("dailynote-update", "Change the daily note")],
)
def test_on_site_log_form_titles_match_their_headings(client_for, name, heading):
    from inspections.models import DailyNote

    inspection = Ilacs2019Factory()
    kwargs = {"inspection_pk": inspection.pk}
    if name.endswith("update"):
        kwargs["entry_pk"] = DailyNote.objects.create(inspection=inspection, text="Day one went well").pk
    html = (
        client_for(roles.PERFORMANCE_MANAGER)
        .get(reverse(f"inspections:{name}", kwargs=kwargs))
        .content.decode()
    )
    title = re.search(r"<title>\s*(.*?)\s*</title>", html, re.S).group(1)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    assert h1 == heading
    assert title.startswith(f"{h1} – ")
