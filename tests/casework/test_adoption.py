"""Adoption (Annex A list 10) and adopters (list 11): model, events, export, import, demo, access."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.imports import values
from casework.models import AdopterHousehold, Event
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import ChildFactory, EventFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
D = dt.date


# -- the model ------------------------------------------------------------------------------------


def test_reference_is_trimmed_and_upper_cased_and_unique():
    AdopterHousehold.objects.create(reference="  ad-0001 ")
    assert AdopterHousehold.objects.get().reference == "AD-0001"
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AdopterHousehold.objects.create(reference="AD-0001")


def test_clean_refuses_dates_out_of_order_naming_the_field():
    household = AdopterHousehold(
        reference="AD1",
        enquiry_on=D(2025, 5, 1),
        stage_one_on=D(2025, 6, 1),
        stage_two_on=D(2025, 5, 20),  # before stage 1
        approved_on=D(2025, 9, 1),
        closed_on=D(2025, 8, 1),  # before approval
    )
    with pytest.raises(ValidationError) as caught:
        household.full_clean()
    errors = caught.value.message_dict
    assert set(errors) == {"stage_two_on", "closed_on"}
    assert errors["stage_two_on"] == [
        "The stage 2 start date (20/05/2025) is before the stage 1 start date (01/06/2025); "
        "a household's steps happen in order"
    ]
    assert errors["closed_on"] == [
        "The closure date (01/08/2025) is before the approval date (01/09/2025); "
        "a household's record closes after its last step"
    ]


def test_clean_accepts_dates_in_order_with_gaps_and_same_day_steps():
    household = AdopterHousehold(
        reference="ad2",
        enquiry_on=D(2025, 5, 1),
        registration_on=D(2025, 5, 1),
        stage_two_on=D(2025, 8, 1),
        approved_on=D(2025, 12, 1),
        children_approved_for=2,
        household_type=AdopterHousehold.HouseholdType.COUPLE,
    )
    household.full_clean()
    assert household.reference == "AD2"


def test_a_reason_without_a_closure_date_is_refused():
    household = AdopterHousehold(reference="AD3", enquiry_on=D(2025, 5, 1), closed_reason="withdrew")
    with pytest.raises(ValidationError) as caught:
        household.full_clean()
    assert list(caught.value.message_dict) == ["closed_on"]


def test_history_keeps_each_change_with_the_user():
    user = make_user(roles.PERFORMANCE_MANAGER)
    household = AdopterHousehold(reference="AD4", enquiry_on=D(2025, 5, 1))
    household._history_user = user
    household.save()
    household.approved_on = D(2025, 11, 1)
    household._history_user = user
    household.save()
    history = list(household.history.order_by("history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].approved_on == D(2025, 11, 1) and history[-1].history_user == user


# -- adoption events --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "kind"),
    [
        ("adoption_decision", "adoption_decision"),
        ("Should be placed for adoption", "adoption_decision"),
        ("Placement order", "placement_order"),
        ("placed with adopters", "placed_for_adoption"),
        ("Adopted", "adoption_order"),
        ("Decision reversed", "adoption_decision_reversed"),
    ],
)
def test_the_importer_reads_the_adoption_event_types(spelling, kind):
    assert values.parse_event_kind(spelling) == kind


def test_the_child_page_shows_the_adoption_journey(client_for):
    child = ChildFactory(child_id="C900")
    EventFactory(child=child, kind=Event.Kind.ADOPTION_DECISION, occurred_on=D(2025, 6, 2), value="")
    EventFactory(child=child, kind=Event.Kind.ADOPTION_ORDER, occurred_on=D(2026, 1, 5), value="")
    response = client_for(roles.PERFORMANCE_MANAGER).get(
        reverse("casework:child-detail", kwargs={"pk": child.pk})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Decision: should be placed for adoption" in page
    assert "Adoption order granted (adopted)" in page


# -- access ---------------------------------------------------------------------------------------


def _admin_urls(household: AdopterHousehold) -> list[str]:
    return [
        reverse("admin:casework_adopterhousehold_changelist"),
        reverse("admin:casework_adopterhousehold_add"),
        reverse("admin:casework_adopterhousehold_change", args=[household.pk]),
        reverse("admin:casework_adopterhousehold_history", args=[household.pk]),
        reverse("admin:casework_adopterhousehold_delete", args=[household.pk]),
    ]


def test_board_members_never_reach_adopters(client):
    from django.contrib.auth.models import Group, Permission

    household = AdopterHousehold.objects.create(reference="AD5")
    board = Group.objects.get(name=roles.BOARD_MEMBER)
    assert not board.permissions.filter(content_type__app_label="casework").exists()
    member = make_user(roles.BOARD_MEMBER)
    client.force_login(member)
    for url in _admin_urls(household):  # not staff: sent to the admin sign-in
        assert client.get(url).status_code == 302, url
    member.is_staff = True  # even a board member made staff by mistake holds no permission here
    member.save()
    for url in _admin_urls(household):
        assert client.get(url).status_code == 403, url
    # The roles that see casework see adopters too.
    for role in (roles.PERFORMANCE_MANAGER, roles.DCS, roles.ADMINISTRATOR):
        codenames = set(
            Permission.objects.filter(group__name=role, content_type__model="adopterhousehold").values_list(
                "codename", flat=True
            )
        )
        assert "view_adopterhousehold" in codenames, role


def test_an_administrator_can_open_the_adopter_admin(client):
    admin = make_user(roles.ADMINISTRATOR)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    household = AdopterHousehold.objects.create(reference="AD6")
    for url in _admin_urls(household):
        assert client.get(url).status_code == 200, url


# -- export ---------------------------------------------------------------------------------------


def _sheet(path, title) -> tuple[list, list[list]]:
    from openpyxl import load_workbook

    header, *rows = [list(row) for row in load_workbook(path)[title].iter_rows(values_only=True)]
    return header, rows


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


def test_list_10_holds_adopted_waiting_and_reversed_children_in_the_12_months(tmp_path):
    from casework.annex_a import annex_a_write

    year_ago = TODAY - dt.timedelta(days=365)

    def journey(child_id, **steps):
        child = ChildFactory(child_id=child_id)
        for kind, day in steps.items():
            EventFactory(child=child, kind=kind, occurred_on=day, value="")
        return child

    journey(
        "ADOPTED",
        adoption_decision=D(2024, 6, 1),
        placement_order=D(2024, 9, 1),
        placed_for_adoption=D(2025, 4, 1),
        adoption_order=D(2025, 12, 1),
    )
    journey("WAITING", adoption_decision=D(2023, 1, 10))  # long ago, still waiting: in
    journey("REVERSED", adoption_decision=D(2023, 2, 1), adoption_decision_reversed=TODAY)  # on the day
    journey("EDGE-IN", adoption_decision=D(2020, 1, 1), adoption_order=year_ago + dt.timedelta(days=1))
    journey("EDGE-OUT", adoption_decision=D(2020, 1, 1), adoption_order=year_ago)  # 12 months and a day
    journey("OLD-REVERSAL", adoption_decision=D(2020, 1, 1), adoption_decision_reversed=D(2021, 1, 1))
    journey("LATER", adoption_decision=TODAY + dt.timedelta(days=1))  # after the day: not yet
    annex_a_write(as_of=TODAY, out=tmp_path / "a.xlsx")
    header, rows = _sheet(tmp_path / "a.xlsx", "List 10 Adoption")
    assert header[-5:] == [
        "Adoption decision",
        "Placement order",
        "Placed for adoption",
        "Adoption order",
        "Decision reversed",
    ]
    by_child = {row[0]: [_day(v) for v in row[-5:]] for row in rows}
    assert set(by_child) == {"ADOPTED", "WAITING", "REVERSED", "EDGE-IN"}
    assert by_child["ADOPTED"] == [D(2024, 6, 1), D(2024, 9, 1), D(2025, 4, 1), D(2025, 12, 1), None]
    assert by_child["WAITING"] == [D(2023, 1, 10), None, None, None, None]
    assert by_child["REVERSED"][-1] == TODAY


def test_list_11_holds_households_in_contact_in_the_12_months_or_open(tmp_path):
    from casework.annex_a import annex_a_write

    year_ago = TODAY - dt.timedelta(days=365)
    AdopterHousehold.objects.create(
        reference="AD-NEW",
        household_type="couple",
        children_approved_for=2,
        enquiry_on=D(2025, 4, 1),
        registration_on=D(2025, 5, 1),
        stage_one_on=D(2025, 5, 10),
        stage_two_on=D(2025, 7, 1),
        approved_on=D(2025, 11, 20),
        matched_on=TODAY + dt.timedelta(days=3),  # after the day: blank
    )
    AdopterHousehold.objects.create(reference="AD-OPEN", enquiry_on=D(2022, 1, 5))  # open for years
    AdopterHousehold.objects.create(
        reference="AD-EDGE-IN", enquiry_on=D(2022, 1, 5), closed_on=year_ago + dt.timedelta(days=1)
    )
    AdopterHousehold.objects.create(
        reference="AD-EDGE-OUT", enquiry_on=D(2022, 1, 5), closed_on=year_ago, closed_reason="withdrew"
    )
    AdopterHousehold.objects.create(reference="AD-FUTURE", enquiry_on=TODAY + dt.timedelta(days=1))
    AdopterHousehold.objects.create(
        reference="AD-FORMULA", enquiry_on=D(2025, 9, 1), closed_on=D(2025, 10, 1), closed_reason="=1+1"
    )
    annex_a_write(as_of=TODAY, out=tmp_path / "a.xlsx")
    header, rows = _sheet(tmp_path / "a.xlsx", "List 11 Adopters")
    assert header[:4] == ["Adopter reference", "Household type", "Children approved for", "Enquiry date"]
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_ref) == {"AD-NEW", "AD-OPEN", "AD-EDGE-IN", "AD-FORMULA"}
    new = by_ref["AD-NEW"]
    assert new["Household type"] == "Couple" and new["Children approved for"] == 2
    assert _day(new["Approval date"]) == D(2025, 11, 20) and new["Matched date"] is None
    assert by_ref["AD-FORMULA"]["Closure reason"] == "'=1+1"


# -- demo -----------------------------------------------------------------------------------------


def _demo_users():
    return make_user(roles.AUDITOR), make_user(roles.PERFORMANCE_MANAGER)


def _snapshot(leaving_out=()):
    """The demo's cases, leaving out the given children (the adopted ones, whose journeys end early)."""
    from casework.models import Child, Episode, Placement

    children = Child.objects.exclude(child_id__in=leaving_out)
    return {
        "children": list(children.order_by("child_id").values_list("child_id", "gender", "birth_year")),
        "episodes": list(
            Episode.objects.filter(child__in=children)
            .order_by("child__child_id", "start_on")
            .values_list("child__child_id", "cohort", "start_on", "end_on")
        ),
        "placements": list(
            Placement.objects.filter(child__in=children)
            .order_by("child__child_id", "start_on")
            .values_list("child__child_id", "start_on", "end_on")
        ),
        "events": list(
            Event.objects.filter(child__in=children)
            .exclude(kind__in=ADOPTION_KINDS)
            .order_by("child__child_id", "occurred_on", "kind", "value")
            .values_list("child__child_id", "kind", "occurred_on", "value")
        ),
    }


ADOPTION_KINDS = (
    "adoption_decision",
    "placement_order",
    "placed_for_adoption",
    "adoption_order",
    "adoption_decision_reversed",
)


def test_the_demo_adds_adoption_journeys_and_adopters_and_leaves_the_rest_as_it_was():
    import random

    from casework import demo
    from tests.casework.conftest import casework_table_counts

    _demo_users()
    demo.seed(rng=random.Random(5), scale=1, today=TODAY)
    adoption = list(
        Event.objects.filter(kind__in=ADOPTION_KINDS)
        .order_by("child__child_id", "occurred_on", "kind")
        .values_list("child__child_id", "kind", "occurred_on")
    )
    households = list(
        AdopterHousehold.objects.values_list("reference", "enquiry_on", "approved_on", "closed_on")
    )
    children = {child_id for child_id, _, _ in adoption}
    assert 15 <= len(children) <= 25
    year_ago = TODAY - dt.timedelta(days=365)
    adopted_recently = {c for c, kind, day in adoption if kind == "adoption_order" and day > year_ago}
    reversed_ = {c for c, kind, _ in adoption if kind == "adoption_decision_reversed"}
    waiting = children - {
        c for c, kind, _ in adoption if kind in ("adoption_order", "adoption_decision_reversed")
    }
    assert len(adopted_recently) >= 5 and len(reversed_) == 1 and len(waiting) >= 5
    assert all(day <= TODAY for _, _, day in adoption)
    assert 30 <= len(households) <= 50
    for household in AdopterHousehold.objects.all():
        household.full_clean()  # every demo household's steps are in order
    assert any(h[3] for h in households) and any(h[2] for h in households)
    assert AdopterHousehold.history.count() == len(households)

    # A second run adds nothing.
    counts = casework_table_counts()
    assert demo.seed(rng=random.Random(5), scale=1, today=TODAY) == {
        "children": 0,
        "audits": 0,
        "adoption": 0,
    }
    assert casework_table_counts() == counts and AdopterHousehold.objects.count() == len(households)


def test_the_demo_without_its_adoption_step_is_the_same_demo():
    import random

    from casework import demo
    from casework.models import Child, Sample

    _demo_users()
    demo.seed(rng=random.Random(5), scale=0.05, today=TODAY)
    adopted = set(Event.objects.filter(kind="adoption_order").values_list("child__child_id", flat=True))
    with_adoption = _snapshot(leaving_out=adopted)
    assert adopted and Event.objects.filter(kind__in=ADOPTION_KINDS).exists()
    Sample.objects.all().delete()
    Child.objects.all().delete()
    AdopterHousehold.objects.all().delete()
    AdopterHousehold.objects.create(reference=f"{demo.ADOPTER_PREFIX}9999")  # the step is skipped
    demo.seed(rng=random.Random(5), scale=0.05, today=TODAY)
    assert not Event.objects.filter(kind__in=ADOPTION_KINDS).exists()
    assert _snapshot(leaving_out=adopted) == with_adoption
    assert _snapshot() != _snapshot(leaving_out=adopted)  # the comparison covers the other children


def test_demo_adopted_children_live_with_their_adopters_and_leave_care_on_the_order():
    import random

    from casework import demo
    from casework.models import Cohort, Episode, Placement, SampleMember

    _demo_users()
    demo.seed(rng=random.Random(5), scale=0.5, today=TODAY)
    orders = dict(Event.objects.filter(kind="adoption_order").values_list("child_id", "occurred_on"))
    placed = dict(Event.objects.filter(kind="placed_for_adoption").values_list("child_id", "occurred_on"))
    assert len(orders) >= 4
    for child_pk, order in orders.items():
        care = Episode.objects.filter(child_id=child_pk, cohort=Cohort.LOOKED_AFTER)
        assert not care.filter(end_on__isnull=True).exists()
        assert care.filter(end_on=order).exists()
        assert not Placement.objects.filter(child_id=child_pk, end_on__isnull=True).exists()
        home = Placement.objects.filter(child_id=child_pk).latest("start_on")
        assert (home.placement_type, home.start_on, home.end_on) == (
            Placement.Type.ADOPTION,
            placed[child_pk],
            order,
        )
        assert not Event.objects.filter(child_id=child_pk, occurred_on__gt=order).exists()
        assert Episode.history.filter(child_id=child_pk, history_type="~").exists()  # kept in history
    # Children waiting for adoption are still in care; the audit sample's children are not adopted.
    waiting = set(Event.objects.filter(kind="adoption_decision").values_list("child_id", flat=True)) - set(
        orders
    )
    assert all(
        Episode.objects.filter(child_id=pk, cohort=Cohort.LOOKED_AFTER, end_on__isnull=True).exists()
        for pk in waiting
    )
    sampled = set(SampleMember.objects.values_list("child_id", flat=True))
    assert sampled and not sampled & set(
        Event.objects.filter(kind__in=ADOPTION_KINDS).values_list("child_id", flat=True)
    )


# -- import, list by list ---------------------------------------------------------------------------

LIST_10 = "List 10 Adoption"
LIST_11 = "List 11 Adopters"


def _workbook(path, sheets):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def _sheets(changes=None):
    """A council's lists 8, 10 and 11 (D2I's spellings on 10 and 11); changes: {(sheet, row, col): v}."""
    sheets = {
        "List 8 Children in care": [
            ["Child ID", "Gender", "Date started to be looked after", "Legal status"],
            ["B001", "Female", "04/08/2023", "C2"],
        ],
        LIST_10: [
            [
                "ChildUniqueID",
                "Gender",
                "Date of decision that child should be placed for adoption",
                "Date of placement order",
                "Date placed for adoption",
                "Date of adoption order",
                "Date of decision that child should no longer be placed for adoption",
                "Reason why child no longer placed for adoption",
            ],
            ["B001", "b) Female", "01/02/2024", "10/05/2024", dt.datetime(2024, 11, 1), "20/06/2025", "", ""],
            ["B002", "Male", "15/03/2025", "", "", "", "01/12/2025", "Needs changed"],
        ],
        LIST_11: [
            [
                "Individual adopter identifier",
                "Household type",
                "Date of initial enquiry",
                "Date stage 1 started",
                "Date stage 2 started",
                "Date application approved",
                "Number of children approved for",
                "Date of leaving adoption process",
                "Reason for leaving adoption process",
                "Adopter ethnicity",
            ],
            [" ad-101 ", "Couple", "03/04/2025", "01/05/2025", "01/07/2025", "20/11/2025", 2, "", "", "WBRI"],
            ["AD-102", "single", "10/06/2025", "", "", "", "", "01/08/2025", "withdrew", ""],
        ],
    }
    for (title, row, column), value in (changes or {}).items():
        sheets[title][row - 1][column] = value
    return sheets


def test_lists_10_and_11_import_into_adoption_events_and_households(tmp_path):
    from casework.services import cases_import

    user = make_user(roles.PERFORMANCE_MANAGER)
    path = _workbook(tmp_path / "annex.xlsx", _sheets())
    result = cases_import(path=path, user=user)
    assert result.ok, [str(p) for p in result.problems]
    assert result.skipped_sheets == []
    assert result.rows == 5
    journeys = set(Event.objects.values_list("child__child_id", "kind", "occurred_on", "value"))
    assert journeys == {
        ("B001", "adoption_decision", D(2024, 2, 1), ""),
        ("B001", "placement_order", D(2024, 5, 10), ""),
        ("B001", "placed_for_adoption", D(2024, 11, 1), ""),
        ("B001", "adoption_order", D(2025, 6, 20), ""),
        ("B002", "adoption_decision", D(2025, 3, 15), ""),
        ("B002", "adoption_decision_reversed", D(2025, 12, 1), ""),
    }
    households = {h.reference: h for h in AdopterHousehold.objects.all()}
    assert set(households) == {"AD-101", "AD-102"}
    first = households["AD-101"]
    assert (first.household_type, first.children_approved_for, first.approved_on) == (
        "couple",
        2,
        D(2025, 11, 20),
    )
    assert (households["AD-102"].closed_on, households["AD-102"].closed_reason) == (D(2025, 8, 1), "withdrew")
    assert {h.history_user for h in AdopterHousehold.history.all()} == {user}
    assert result.counts["adopters"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert any(c.startswith("Adopter ethnicity (List 11 Adopters") for c in result.ignored_columns)

    again = cases_import(path=path, user=user)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert again.counts["adopters"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert AdopterHousehold.history.count() == 2

    # A later file moves a household on: one update, and a blank cell keeps what we hold.
    later = _sheets(
        {(LIST_11, 2, 2): "", (LIST_11, 2, 7): "01/02/2026", (LIST_11, 2, 8): "chose another agency"}
    )
    moved = cases_import(path=_workbook(tmp_path / "later.xlsx", later), user=user)
    assert moved.ok, [str(p) for p in moved.problems]
    assert moved.counts["adopters"] == {"created": 0, "updated": 1, "unchanged": 1}
    household = AdopterHousehold.objects.get(reference="AD-101")
    assert (household.enquiry_on, household.closed_on, household.closed_reason) == (
        D(2025, 4, 3),
        D(2026, 2, 1),
        "chose another agency",
    )
    assert [h.history_type for h in household.history.order_by("history_id")] == ["+", "~"]


def test_a_bad_date_on_list_11_names_sheet_row_and_column_and_saves_nothing(tmp_path, capsys):
    from django.core.management import call_command

    from casework.models import Child, ImportRun
    from tests.casework.conftest import casework_table_counts

    path = _workbook(tmp_path / "annex.xlsx", _sheets({(LIST_11, 3, 2): "31/02/2025"}))
    with pytest.raises(SystemExit) as exited:
        call_command("import_cases", str(path))
    assert exited.value.code == 1
    out = capsys.readouterr()
    assert (
        "List 11 Adopters, row 3, column \"Date of initial enquiry\": '31/02/2025' is not a real date"
        in out.out + out.err
    )
    assert Child.objects.count() == 0 and AdopterHousehold.objects.count() == 0
    assert sum(casework_table_counts().values()) == 0
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_list_11_rows_are_checked_cell_by_cell(tmp_path):
    from casework.services import cases_import

    sheets = _sheets(
        {
            (LIST_11, 2, 4): "01/03/2025",  # stage 2 before stage 1
            (LIST_11, 3, 0): "Jane Smith",  # a name, not a reference
            (LIST_11, 3, 1): "triple",
        }
    )
    sheets[LIST_11].append(["AD-103", "", "", "", "", "", 12, "", "", ""])
    sheets[LIST_11].append(
        ["AD-101", "Couple", "03/04/2025", "", "", "", "", "", "", ""]
    )  # twice, differently
    result = cases_import(path=_workbook(tmp_path / "annex.xlsx", sheets))
    assert [str(p) for p in result.problems] == [
        'List 11 Adopters, row 2, column "Date stage 2 started": The stage 2 start date (01/03/2025) is '
        "before the stage 1 start date (01/05/2025); a household's steps happen in order",
        "List 11 Adopters, row 3, column \"Individual adopter identifier\": 'Jane Smith' is not an adopter "
        "reference; use up to 40 letters, digits and - _ . / (no names)",
        "List 11 Adopters, row 3, column \"Household type\": 'triple' is not a household type; "
        "use single or couple",
        "List 11 Adopters, row 4, column \"Number of children approved for\": '12' is not a number of "
        "children; use a whole number from 1 to 10",
    ]
    assert AdopterHousehold.objects.count() == 0 and Event.objects.count() == 0


def test_list_11_refuses_a_name_column_and_dates_out_of_order_with_what_we_hold(tmp_path):
    from casework.services import cases_import

    sheets = _sheets()
    sheets[LIST_11][0][-1] = "Adopter name"
    result = cases_import(path=_workbook(tmp_path / "a.xlsx", sheets))
    assert [str(p) for p in result.problems] == [
        "List 11 Adopters, row 1, column \"Adopter name\": 'Adopter name' looks like a personal identifier; "
        "we keep pseudonymous child IDs only, so delete this column and import again"
    ]
    AdopterHousehold.objects.create(reference="AD-102", enquiry_on=D(2025, 6, 10), stage_two_on=D(2025, 9, 1))
    result = cases_import(path=_workbook(tmp_path / "b.xlsx", _sheets()))
    assert [str(p) for p in result.problems] == [
        'List 11 Adopters, row 3, column "Date of leaving adoption process": The closure date (01/08/2025) '
        "is before the stage 2 start date (01/09/2025); a household's record closes after its last step "
        "(the earlier date is the one we already hold for AD-102)"
    ]
    assert AdopterHousehold.objects.get().closed_on is None


def test_one_household_twice_with_different_details_is_a_problem_and_identical_rows_are_read_once(tmp_path):
    from casework.services import cases_import

    sheets = _sheets()
    sheets[LIST_11].append(list(sheets[LIST_11][2]))  # AD-102 again, the same
    sheets[LIST_11].append(["ad-101", "Single", "03/04/2025", "", "", "", "", "", "", ""])
    result = cases_import(path=_workbook(tmp_path / "a.xlsx", sheets))
    assert [str(p) for p in result.problems] == [
        'List 11 Adopters, row 5, column "Individual adopter identifier": adopter AD-101 is also on row 2 '
        "with different details; keep one row per household"
    ]
