import pytest
from django.contrib.auth.models import Group

from readiness import roles

pytestmark = pytest.mark.django_db


def test_migrations_create_every_role():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_NAMES)


def test_board_member_holds_no_child_level_permission():
    board = Group.objects.get(name=roles.BOARD_MEMBER)
    apps = set(board.permissions.values_list("content_type__app_label", flat=True))
    assert apps.isdisjoint(roles.CHILD_LEVEL_APPS)
    assert board.permissions.filter(codename="view_board_pages").exists()


def test_nobody_can_edit_history():
    for group in Group.objects.all():
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert not {c for c in codenames if c.startswith(("change_historical", "delete_historical"))}


def test_auditor_sees_children_but_not_system_status():
    auditor = Group.objects.get(name=roles.AUDITOR)
    codenames = set(auditor.permissions.values_list("codename", flat=True))
    assert "view_child_record" in codenames
    assert "view_system_status" not in codenames


def test_board_pattern_that_would_leak_child_data_is_refused(monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, roles.BOARD_MEMBER, ("casework.view_*",))
    with pytest.raises(RuntimeError, match="child-level"):
        roles.permission_keys_for(roles.BOARD_MEMBER, ["casework.view_child"])


def test_negative_pattern_removes_an_earlier_grant():
    keys = ["readiness.view_dashboard", "readiness.view_system_status"]
    granted = roles.permission_keys_for(roles.PERFORMANCE_MANAGER, keys)
    assert granted == {"readiness.view_dashboard"}
