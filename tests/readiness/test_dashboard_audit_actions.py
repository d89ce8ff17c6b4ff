"""The DCS page's case audits block counts the actions for children from audits: open and overdue,
council-wide, for those who may see case audits, with a link to the list's Overdue view."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import audit_actions as action_services
from casework.models import CaseAudit, CaseAuditAction
from casework.selectors import AUDIT_ACTION_VIEWS
from readiness import roles
from readiness.dashboards.selectors.audits import audit_action_counts
from readiness.dashboards.selectors.versioning import data_version
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory
from tests.readiness.test_dashboard import _count_queries, _demo_like

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("readiness:dashboard")
OVERDUE_URL = f"{reverse('casework:audit-action-list')}?show=overdue"
TODAY = timezone.localdate()  # the page counts overdue against the real date
LINE = "Actions for children from audits: {open} open, {overdue} overdue."


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _audit(child_id: str) -> CaseAudit:
    auditor = User.objects.get_or_create(username="audit-person")[0]
    audit = CaseAuditFactory(
        auditor=auditor, status=CaseAudit.Status.IN_PROGRESS, member__child__child_id=child_id
    )
    started = timezone.now() - dt.timedelta(days=90)
    CaseAudit.objects.filter(pk=audit.pk).update(started_at=started, created_at=started)
    audit.refresh_from_db()
    return audit


def _action(audit: CaseAudit, due_on: dt.date, **done) -> CaseAuditAction:
    return CaseAuditAction.objects.create(
        audit=audit, text="Visit the child at home", owner="Team manager", due_on=due_on, **done
    )


@pytest.fixture
def actions():
    """Two overdue and one not yet due, open; one overdue but done. On two children's audits."""
    first, second = _audit("C-DASH-1"), _audit("C-DASH-2")
    return {
        "overdue": _action(first, TODAY - dt.timedelta(days=3)),
        "overdue_2": _action(second, TODAY - dt.timedelta(days=1)),
        "not_due": _action(second, TODAY),
        "done": _action(
            first,
            TODAY - dt.timedelta(days=10),
            done_on=TODAY - dt.timedelta(days=2),
            done_note="Visited",
            done_by=first.auditor,
        ),
    }


def _viewer_without_case_audits() -> User:
    """Someone who may see the DCS page but not case audits (no role gives that today)."""
    user = User.objects.create_user(username="viewer", password="x")  # noqa: S106
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="readiness", codename="view_dashboard")
    )
    return user


def test_the_counts_are_one_query_over_every_action(actions, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = audit_action_counts(today=TODAY)
    assert (counts.available, counts.open, counts.overdue) == (True, 3, 2)
    assert counts.overdue_url == OVERDUE_URL


def test_the_link_is_to_a_view_the_action_list_offers():
    assert "overdue" in AUDIT_ACTION_VIEWS
    assert audit_action_counts(today=TODAY).overdue_url.endswith("?show=overdue")


@pytest.mark.parametrize("role", [roles.DCS, roles.PERFORMANCE_MANAGER, roles.ADMINISTRATOR])
def test_the_case_audits_block_shows_the_counts_and_links_to_the_overdue_view(actions, role):
    html = _signed_in(make_user(role)).get(DASHBOARD).content.decode()

    assert LINE.format(open=3, overdue=2) in html
    assert f'href="{OVERDUE_URL}"' in html
    assert (
        html.index('id="audits"') < html.index(LINE.format(open=3, overdue=2)) < html.index('id="deadlines"')
    )


def test_no_child_id_is_on_the_page(actions):
    html = _signed_in(make_user(roles.DCS)).get(DASHBOARD).content.decode()

    assert LINE.format(open=3, overdue=2) in html
    assert "C-DASH-1" not in html and "C-DASH-2" not in html
    assert "Visit the child at home" not in html and "Team manager" not in html


def test_with_no_actions_the_counts_are_nought(client_for):
    html = client_for(roles.DCS).get(DASHBOARD).content.decode()

    assert LINE.format(open=0, overdue=0) in html


@pytest.mark.parametrize("first", ["dcs", "viewer"])
def test_only_those_who_may_see_case_audits_get_the_counts_whichever_rendered_the_page_first(actions, first):
    """The page's rendered blocks are cached and shared: the permission is part of the key."""
    dcs, viewer = _signed_in(make_user(roles.DCS)), _signed_in(_viewer_without_case_audits())
    order = [dcs, viewer] if first == "dcs" else [viewer, dcs]
    pages = {id(client): client.get(DASHBOARD) for client in order}

    assert pages[id(viewer)].status_code == 200
    viewer_html = pages[id(viewer)].content.decode()
    assert "Actions for children from audits" not in viewer_html
    assert OVERDUE_URL not in viewer_html
    assert "Case audits: grades and moderation" in viewer_html  # the rest of the block stays
    assert LINE.format(open=3, overdue=2) in pages[id(dcs)].content.decode()


def test_board_members_still_get_no_dcs_page(actions, client_for):
    assert client_for(roles.BOARD_MEMBER).get(DASHBOARD).status_code == 403


def test_marking_an_action_as_done_shows_the_same_day(actions, client_for):
    dcs = client_for(roles.DCS)
    assert LINE.format(open=3, overdue=2) in dcs.get(DASHBOARD).content.decode()
    before = data_version()

    pm = make_user(roles.PERFORMANCE_MANAGER)
    action_services.audit_action_complete(
        action=actions["overdue"], user=pm, done_on=TODAY, note="Visited; child seen alone"
    )

    assert data_version() != before
    assert LINE.format(open=2, overdue=1) in dcs.get(DASHBOARD).content.decode()


def test_reopening_an_action_shows_the_same_day(actions, client_for):
    dcs = client_for(roles.DCS)
    assert LINE.format(open=3, overdue=2) in dcs.get(DASHBOARD).content.decode()

    action_services.audit_action_reopen(
        action=actions["done"], user=make_user(roles.PERFORMANCE_MANAGER), reason="Not done after all"
    )

    assert LINE.format(open=4, overdue=3) in dcs.get(DASHBOARD).content.decode()


def test_the_query_count_does_not_grow_with_actions(client_for, django_assert_max_num_queries):
    signed_in = client_for(roles.DCS)
    _demo_like(size=1)
    without = _count_queries(signed_in)
    for n in range(6):
        _action(_audit(f"C-MANY-{n}"), TODAY - dt.timedelta(days=n))
    with_actions = _count_queries(signed_in)
    assert with_actions == without
    signed_in.get(DASHBOARD)  # warm the day's cache
    with CaptureQueriesContext(connection) as warm:
        assert LINE.format(open=6, overdue=5) in signed_in.get(DASHBOARD).content.decode()
    with django_assert_max_num_queries(15):
        signed_in.get(DASHBOARD)
    assert len(warm) <= 15
