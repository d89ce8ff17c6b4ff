"""Inspections pages: list, add and change with GOV.UK errors, detail tables, judgements, recommendations."""

import datetime as dt

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Inspection, Judgement, Recommendation
from readiness import roles
from tests.factories.inspections import (
    Ilacs2019Factory,
    InspectionFactory,
    MilestoneFactory,
    RecommendationFactory,
    framework,
)

pytestmark = pytest.mark.django_db

PM, DCS, AUD, BM = roles.PERFORMANCE_MANAGER, roles.DCS, roles.AUDITOR, roles.BOARD_MEMBER
RI, GOOD, INADEQUATE = "requires_improvement", "good", "inadequate"


@pytest.fixture
def pm(client_for):
    return client_for(PM)


def url(name, inspection=None, **kwargs):
    if inspection is not None:
        kwargs["inspection_pk"] = inspection.pk
    return reverse(f"inspections:{name}", kwargs=kwargs)


def date_fields(prefix, d):
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def inspection_post(**overrides):
    data = {
        "framework": str(framework("ilacs-2023").pk),
        "kind": Inspection.Kind.MOCK,
        "title": "Mock ILACS, June 2025",
        "lead_inspector": "Peer reviewer",
        **date_fields("notified_on", dt.date(2025, 6, 2)),
        **date_fields("onsite_start_on", dt.date(2025, 6, 9)),
        **date_fields("onsite_end_on", dt.date(2025, 6, 20)),
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------
# List
# ---------------------------------------------------------------------------


def test_empty_list_offers_to_add_an_inspection(pm):
    page = pm.get(url("inspection-list")).content.decode()
    assert "No inspections yet" in page
    assert url("inspection-create") in page


def test_auditor_sees_the_list_without_the_add_button(client_for):
    InspectionFactory(title="ILACS 2019 for auditors")
    page = client_for(AUD).get(url("inspection-list")).content.decode()
    assert "ILACS 2019 for auditors" in page
    assert url("inspection-create") not in page


def test_list_filters_by_kind_and_framework(pm):
    InspectionFactory(title="The real one", kind=Inspection.Kind.ACTUAL)
    InspectionFactory(title="The mock one", kind=Inspection.Kind.MOCK)
    Ilacs2019Factory(title="The 2019 one")
    page = pm.get(url("inspection-list"), {"kind": "mock"}).content.decode()
    assert "The mock one" in page and "The real one" not in page
    page = pm.get(url("inspection-list"), {"framework": "ilacs-2018"}).content.decode()
    assert "The 2019 one" in page and "The mock one" not in page
    page = pm.get(url("inspection-list"), {"kind": "peer_review"}).content.decode()
    assert "No inspections match" in page


def test_list_is_paginated_and_keeps_the_filter(pm):
    for n in range(30):
        InspectionFactory(title=f"Mock {n}", kind=Inspection.Kind.MOCK)
    page = pm.get(url("inspection-list"), {"kind": "mock"}).content.decode()
    assert "30 inspections" in page
    assert "kind=mock&amp;page=2" in page


# ---------------------------------------------------------------------------
# Add and change
# ---------------------------------------------------------------------------


def test_add_an_inspection_and_see_its_milestones(pm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = pm.post(url("inspection-create"), inspection_post())
    inspection = Inspection.objects.get(title="Mock ILACS, June 2025")
    assert response.status_code == 302
    assert response["Location"] == url("inspection-detail", inspection)
    assert inspection.onsite_end_on == dt.date(2025, 6, 20)
    assert inspection.history.first().history_user.username == "pm"
    page = pm.get(response["Location"]).content.decode()
    assert "Inspection added" in page
    assert inspection.milestones.exists()  # computed by the (eager) task on commit


def test_missing_fields_re_render_with_the_error_summary_and_the_input(pm):
    response = pm.post(url("inspection-create"), inspection_post(framework="", kind="", title=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add an inspection" in page
    assert "There is a problem" in page
    for message in ("Select the framework the inspection used", "Select what kind of inspection this is"):
        assert message in page
    assert "Enter a title for the inspection" in page
    assert 'value="Peer reviewer"' in page  # the user's input is kept
    assert 'name="onsite_end_on_0" value="20"' in page


def test_date_out_of_order_names_the_field(pm):
    data = inspection_post(**date_fields("onsite_end_on", dt.date(2025, 6, 6)))
    response = pm.post(url("inspection-create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The last on-site day must be the same as or after the first on-site day (9 Jun 2025)" in page
    assert 'href="#id_onsite_end_on"' in page
    assert not Inspection.objects.exists()


def test_half_typed_and_impossible_dates_are_named(pm):
    data = inspection_post(onsite_end_on_1="", published_on_0="31", published_on_1="2", published_on_2="2026")
    page = pm.post(url("inspection-create"), data).content.decode()
    assert "The last on-site day must include a month" in page
    assert "The publication date must be a real date" in page


def test_change_an_inspection(pm):
    inspection = Ilacs2019Factory()
    form = pm.get(url("inspection-update", inspection)).content.decode()
    assert 'name="published_on_2" value="2019"' in form
    data = inspection_post(framework=str(inspection.framework_id), title="Renamed", kind="actual")
    response = pm.post(url("inspection-update", inspection), data)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.title == "Renamed"
    assert inspection.published_on is None  # cleared fields are cleared


def test_published_before_received_is_refused_on_change(pm):
    inspection = Ilacs2019Factory()
    data = {
        **inspection_post(framework=str(inspection.framework_id), kind="actual"),
        **date_fields("final_report_received_on", dt.date(2025, 7, 10)),
        **date_fields("published_on", dt.date(2025, 7, 1)),
    }
    page = pm.post(url("inspection-update", inspection), data).content.decode()
    assert "The publication date must be the same as or after the date the final report was received" in page


def test_dcs_can_view_but_not_change_or_add(client_for):
    inspection = Ilacs2019Factory()
    dcs = client_for(DCS)
    assert dcs.get(url("inspection-detail", inspection)).status_code == 200
    assert dcs.get(url("inspection-update", inspection)).status_code == 403
    assert dcs.post(url("inspection-update", inspection), inspection_post()).status_code == 403
    assert dcs.post(url("inspection-create"), inspection_post()).status_code == 403
    assert dcs.post(url("judgement-record", inspection), {}).status_code == 403


def test_board_member_gets_403_on_every_inspections_page(client_for):
    inspection = Ilacs2019Factory()
    recommendation = RecommendationFactory(inspection=inspection)
    milestone = MilestoneFactory(inspection=inspection)
    board = client_for(BM)
    pages = [
        url("inspection-list"),
        url("inspection-create"),
        url("inspection-detail", inspection),
        url("inspection-update", inspection),
        url("inspection-delete", inspection),
        url("judgement-record", inspection),
        url("recommendation-create", inspection),
        url("recommendation-update", inspection, recommendation_pk=recommendation.pk),
        url("recommendation-delete", inspection, recommendation_pk=recommendation.pk),
        url("milestone-override", inspection, milestone_pk=milestone.pk),
    ]
    for page in pages:
        assert board.get(page).status_code == 403, page
        assert board.post(page, {}).status_code == 403, page
    move = url("recommendation-move", inspection, recommendation_pk=recommendation.pk, direction="up")
    assert board.post(move).status_code == 403


# ---------------------------------------------------------------------------
# Detail
# ---------------------------------------------------------------------------


def test_detail_shows_judgements_milestones_and_recommendations_in_order(client_for):
    inspection = Ilacs2019Factory(title="ILACS 2019")
    services.judgements_record(inspection=inspection, grades={"overall": RI, "leaders": RI})
    services.milestones_compute(inspection=inspection)
    services.recommendation_create(inspection=inspection, text="Second one.", order=2)
    services.recommendation_create(inspection=inspection, text="First one.", order=1)
    page = client_for(AUD).get(url("inspection-detail", inspection)).content.decode()
    assert '<th scope="col" class="govuk-table__header govuk-!-width-two-thirds">Judgement</th>' in page
    assert "Overall effectiveness" in page and "Requires improvement" in page
    assert "Not judged" in page  # the areas not graded yet
    assert "70 working days after final report received on Wed 27 Mar 2019" in page
    assert "skips Good Friday" in page
    assert "Typically around" in page  # observed practice is never 'due'
    assert page.index("First one.") < page.index("Second one.")
    assert "Record judgements" not in page  # auditors only read


def test_observed_milestones_are_not_worded_as_due(client_for):
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    observed = inspection.milestones.get(code="publication")
    page = client_for(PM).get(url("inspection-detail", inspection)).content.decode()
    row = page[page.index(observed.name) : page.index("</tr>", page.index(observed.name))]
    assert "Typically around" in row and "Due " not in row


def test_history_of_earlier_inspections_side_by_side_by_area_code(pm):
    sif = InspectionFactory(
        framework=framework("sif-2013"), title="SIF 2014", onsite_start_on=dt.date(2014, 3, 3)
    )
    sif_grades = {"overall": INADEQUATE, "help_and_protection": INADEQUATE}
    services.judgements_record(inspection=sif, grades=sif_grades)
    sif.refresh_from_db()
    ilacs = Ilacs2019Factory()
    services.judgements_record(inspection=ilacs, grades={"overall": GOOD, "help_and_protection": GOOD})
    mock = InspectionFactory(
        framework=framework("ilacs-2026"), kind=Inspection.Kind.MOCK, onsite_start_on=dt.date(2026, 5, 4)
    )
    page = pm.get(url("inspection-detail", ilacs)).content.decode()
    history = page[page.index('id="history"') :]
    assert "SIF, Mar 2014" in history and "This inspection (ILACS 2018, Feb 2019)" in history
    row = history[history.index("help and protection") :]
    row = row[: row.index("</tr>")]
    assert "Inadequate" in row and "Good" in row  # matched by area code across frameworks
    # A later mock inspection sees both earlier actual inspections, not itself.
    page = pm.get(url("inspection-detail", mock)).content.decode()
    history = page[page.index('id="history"') :]
    assert "SIF, Mar 2014" in history and "ILACS 2018, Feb 2019" in history
    assert "This inspection" not in history


# ---------------------------------------------------------------------------
# Judgements
# ---------------------------------------------------------------------------


def grades_post(**grades):
    return {f"grade_{code}": grade for code, grade in grades.items()}


def test_sif_overall_good_with_an_inadequate_key_judgement_is_refused(pm):
    inspection = InspectionFactory(framework=framework("sif-2013"))
    data = grades_post(overall=GOOD, help_and_protection=INADEQUATE, children_in_care=GOOD, leaders=GOOD)
    response = pm.post(url("judgement-record", inspection), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and "There is a problem" in page
    assert "Overall effectiveness cannot be better than inadequate because" in page
    assert 'href="#id_grade_overall"' in page
    assert '<option value="inadequate" selected>' in page  # the user's choices are kept
    assert not Judgement.objects.exists()


def test_ilacs_2026_is_recorded_without_an_overall_judgement(pm):
    inspection = InspectionFactory(framework=framework("ilacs-2026"))
    form = pm.get(url("judgement-record", inspection)).content.decode()
    assert 'name="grade_overall"' not in form
    assert "no overall effectiveness judgement" in form
    data = grades_post(leaders=GOOD, help_and_protection=GOOD, children_in_care=RI, care_leavers=INADEQUATE)
    data["rationale_care_leavers"] = "Too many care leavers out of touch."
    response = pm.post(url("judgement-record", inspection), data)
    assert response.status_code == 302
    assert inspection.grades() == {
        "leaders": GOOD,
        "help_and_protection": GOOD,
        "children_in_care": RI,
        "care_leavers": INADEQUATE,
    }
    assert Judgement.objects.get(area__code="care_leavers").rationale == "Too many care leavers out of touch."


def test_ilacs_warning_is_shown_as_warning_text_after_saving(pm):
    inspection = Ilacs2019Factory()
    data = grades_post(overall=GOOD, leaders=GOOD, help_and_protection=INADEQUATE, children_in_care=GOOD)
    response = pm.post(url("judgement-record", inspection), data, follow=True)
    page = response.content.decode()
    assert "Judgements saved. Check the warning below." in page
    assert 'class="govuk-warning-text"' in page
    assert "has no\nwritten limiting rule" in page or "has no written limiting rule" in page


def test_clearing_a_grade_removes_the_judgement(pm):
    inspection = Ilacs2019Factory()
    services.judgements_record(inspection=inspection, grades={"overall": RI, "leaders": RI})
    form = pm.get(url("judgement-record", inspection)).content.decode()
    assert '<option value="requires_improvement" selected>' in form
    pm.post(url("judgement-record", inspection), grades_post(overall=RI, leaders=""))
    assert inspection.grades() == {"overall": RI}


# ---------------------------------------------------------------------------
# Recommendations, milestones, delete
# ---------------------------------------------------------------------------


def test_add_change_move_and_delete_recommendations(pm):
    inspection = Ilacs2019Factory()
    add = url("recommendation-create", inspection)
    page = pm.post(add, {"text": ""}).content.decode()
    assert "Enter the recommendation" in page and "<title>Error: " in page
    pm.post(add, {"text": "Improve early help.", "area": "help_and_protection"})
    pm.post(add, {"text": "Strengthen oversight.", "area": "leaders", "is_priority_action": "on"})
    first, second = inspection.recommendations.order_by("order")
    assert (first.order, second.order, second.is_priority_action) == (1, 2, True)

    pm.post(
        url("recommendation-update", inspection, recommendation_pk=first.pk),
        {"text": "Improve early help quickly.", "area": ""},
    )
    first.refresh_from_db()
    assert first.text == "Improve early help quickly." and first.area is None

    pm.post(url("recommendation-move", inspection, recommendation_pk=second.pk, direction="up"))
    assert list(inspection.recommendations.order_by("order").values_list("text", flat=True)) == [
        "Strengthen oversight.",
        "Improve early help quickly.",
    ]
    delete = url("recommendation-delete", inspection, recommendation_pk=second.pk)
    confirm = pm.get(delete).content.decode()
    assert "Are you sure you want to delete recommendation 1?" in confirm
    assert "Strengthen oversight." in confirm
    pm.post(delete)
    remaining = Recommendation.objects.get()
    assert (remaining.text, remaining.order) == ("Improve early help quickly.", 1)


def test_move_is_post_only(pm):
    recommendation = RecommendationFactory()
    move = url(
        "recommendation-move", recommendation.inspection, recommendation_pk=recommendation.pk, direction="up"
    )
    assert pm.get(move).status_code == 405


def test_milestone_override_needs_a_date_and_a_reason(pm):
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    milestone = inspection.milestones.get(code="action_plan")
    override = url("milestone-override", inspection, milestone_pk=milestone.pk)
    page = pm.post(override, {}).content.decode()
    assert "Enter the new date" in page and "Enter the reason for changing the date" in page
    new_date = dt.date(2019, 7, 16)
    response = pm.post(override, {**date_fields("due_on", new_date), "reason": "Extension agreed"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.override_due_on, milestone.override_reason) == (new_date, "Extension agreed")
    page = pm.get(url("inspection-detail", inspection)).content.decode()
    assert "Due 16 Jul 2019 (worked out as 9 Jul 2019)" in page


def test_delete_an_inspection_after_confirming(pm):
    inspection = Ilacs2019Factory(title="Delete me")
    RecommendationFactory(inspection=inspection)
    confirm = pm.get(url("inspection-delete", inspection)).content.decode()
    assert "Are you sure you want to delete this inspection?" in confirm
    response = pm.post(url("inspection-delete", inspection), follow=True)
    assert "&#x27;Delete me&#x27; deleted" in response.content.decode()
    assert not Inspection.objects.exists() and not Recommendation.objects.exists()
