"""The "who changed what" helper (inspections/history.py) and its table component."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from inspections.history import NO_CHANGES, Source, change_history, change_history_of
from inspections.models import Inspection, Recommendation
from tests.conftest import make_user
from tests.factories.inspections import InspectionFactory, RecommendationFactory, framework

pytestmark = pytest.mark.django_db


def save_as(obj, user, reason: str = ""):
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


@pytest.fixture
def user():
    user = make_user(None, "pat")
    user.first_name, user.last_name = "Pat", "Jones"
    user.save()
    return user


def test_changed_fields_in_words_with_verbose_names_choice_labels_and_house_dates(user):
    inspection = InspectionFactory(title="Mock visit", notified_on=dt.date(2026, 3, 3))
    inspection.notified_on = dt.date(2026, 3, 10)
    inspection.kind = Inspection.Kind.MOCK
    inspection.onsite_start_on = dt.date(2026, 3, 16)
    save_as(inspection, user)

    history = change_history(inspection)

    assert history.total == 2 and not history.truncated
    latest = history.rows[0]
    assert latest.type == "Changed" and latest.who == user and latest.who_name == "Pat Jones"
    assert latest.changes == [
        "Kind: Inspection → Mock inspection",
        "Notified: 3 Mar 2026 → 10 Mar 2026",
        "First on-site day: (blank) → 16 Mar 2026",
    ]
    assert history.rows[1].type == "Created" and history.rows[1].changes == []


def test_labels_rename_fields_and_exclude_leaves_them_out(user):
    inspection = InspectionFactory(notified_on=dt.date(2026, 3, 3), lead_inspector="A")
    inspection.notified_on = dt.date(2026, 3, 10)
    inspection.lead_inspector = "B"
    save_as(inspection, user)

    history = change_history(inspection, labels={"notified_on": "Date notified"}, exclude={"lead_inspector"})

    assert history.rows[0].changes == ["Date notified: 3 Mar 2026 → 10 Mar 2026"]


def test_foreign_keys_by_their_name_and_booleans_as_yes_or_no(user):
    inspection = InspectionFactory(framework=framework("ilacs-2023"))
    inspection.framework = framework("ilacs-2018")
    save_as(inspection, user)
    recommendation = RecommendationFactory(inspection=inspection, is_priority_action=False)
    recommendation.is_priority_action = True
    save_as(recommendation, user)

    [framework_change] = change_history(inspection).rows[0].changes
    assert framework_change == f"Framework: {framework('ilacs-2023')} → {framework('ilacs-2018')}"
    assert change_history(recommendation).rows[0].changes == ["Area for priority action: No → Yes"]


def test_reason_is_kept_and_a_change_by_no_one_is_the_system(user):
    inspection = InspectionFactory(title="Before")
    inspection.title = "After"
    save_as(inspection, user, reason="Title agreed with Ofsted")

    latest, created = change_history(inspection).rows
    assert latest.reason == "Title agreed with Ofsted"
    assert latest.changes == ["Title: Before → After"]
    assert created.who is None and created.who_name == "System"


def test_created_and_deleted_rows_of_several_records_named_by_describe(user):
    inspection = InspectionFactory()
    first = RecommendationFactory(inspection=inspection, order=1, text="Improve supervision.")
    second = RecommendationFactory(inspection=inspection, order=2, text="Improve visits.")
    second._history_user = user
    second.delete()
    source = Source(
        Recommendation.history.filter(inspection_id=inspection.pk),
        exclude={"inspection"},
        describe=lambda record: f"Recommendation {record.order}",
        initial=True,
    )

    history = change_history_of([source])

    assert [(row.record, row.type) for row in history.rows] == [
        ("Recommendation 2", "Deleted"),
        ("Recommendation 2", "Created"),
        ("Recommendation 1", "Created"),
    ]
    deleted, created_second, created_first = history.rows
    assert deleted.who == user and deleted.changes == []
    # A created row lists the first values, blanks left out.
    assert created_first.changes == ["Order: 1", "Text: Improve supervision.", "Area for priority action: No"]
    assert first.pk != second.pk


def test_long_free_text_is_cut(user):
    inspection = InspectionFactory(notes="")
    inspection.notes = "word " * 100
    save_as(inspection, user)

    [change] = change_history(inspection).rows[0].changes
    assert change.startswith("Notes: (blank) → word word") and change.endswith("…")
    assert len(change) < 250


def test_limit_keeps_the_latest_and_says_how_many_there_are(user):
    inspection = InspectionFactory(lead_inspector="0")
    for n in range(1, 61):
        inspection.lead_inspector = str(n)
        save_as(inspection, user)

    history = change_history(inspection)

    assert len(history.rows) == 50 and history.total == 61 and history.truncated
    assert history.showing == "Showing the latest 50 of 61 changes."
    assert history.rows[0].changes == ["Lead inspector: 59 → 60"]
    # The oldest row shown still compares with its own previous version, which is not shown.
    assert history.rows[-1].changes == ["Lead inspector: 10 → 11"]


def test_queries_are_bounded_whatever_the_number_of_rows(user, django_assert_max_num_queries):
    inspection = InspectionFactory(lead_inspector="0", framework=framework("ilacs-2023"))
    for n in range(1, 120):
        inspection.lead_inspector = str(n)
        inspection.framework = framework("ilacs-2018" if n % 2 else "ilacs-2023")
        save_as(inspection, make_user(None, f"user{n}") if n < 60 else user)
    recommendations = RecommendationFactory.create_batch(30, inspection=inspection)
    for recommendation in recommendations:
        recommendation.is_priority_action = True
        save_as(recommendation, user)

    with django_assert_max_num_queries(2):
        history = change_history(inspection)
        [row.who_name for row in history.rows]
    assert history.total == 120 and len(history.rows) == 50

    several = [
        Source(Inspection.history.filter(id=inspection.pk)),
        Source(Recommendation.history.filter(inspection_id=inspection.pk), exclude={"inspection"}),
    ]
    with django_assert_max_num_queries(4):
        history = change_history_of(several, limit=40)
        [row.who_name for row in history.rows]
    assert history.total == 120 + 60 and len(history.rows) == 40
    assert {row.changes[0] for row in history.rows[:30]} == {"Area for priority action: No → Yes"}


def test_component_shows_rows_the_empty_state_and_the_limit_text(user):
    inspection = InspectionFactory(title="Before")
    inspection.title = "After"
    save_as(inspection, user, reason="Agreed")

    html = render_to_string(
        "components/change_history.html", {"history": change_history(inspection), "heading": "Changes"}
    )
    assert '<h2 class="govuk-heading-m" id="changes-heading">Changes</h2>' in html
    assert '<caption class="govuk-table__caption govuk-visually-hidden">' in html
    assert "Pat Jones" in html and "Title: Before → After" in html and "Reason: Agreed" in html
    assert "Showing the latest" not in html and NO_CHANGES not in html

    empty = change_history_of([Source(Recommendation.history.none())])
    html = render_to_string("components/change_history.html", {"history": empty})
    assert NO_CHANGES in html and "<table" not in html

    for n in range(3):
        inspection.title = f"Title {n}"
        save_as(inspection, user)
    html = render_to_string(
        "components/change_history.html", {"history": change_history(inspection, limit=2)}
    )
    assert "Showing the latest 2 of 5 changes." in html


def test_component_escapes_what_it_shows(user):
    inspection = InspectionFactory(title="Before")
    inspection.title = '<script>alert("x")</script>'
    save_as(inspection, user)

    html = render_to_string("components/change_history.html", {"history": change_history(inspection)})
    assert "<script>" not in html and "&lt;script&gt;" in html
