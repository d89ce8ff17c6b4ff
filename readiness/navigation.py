"""Primary navigation: one table of (label, URL name, permission), filtered by the user's role.

After it, just before "Sign out", come the links about the user's own account (`ACCOUNT_ITEMS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import resolve, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Dashboard", "readiness:dashboard", "readiness.view_dashboard"),
    NavItem("Control room", "readiness:control-room", "readiness.view_dashboard"),
    NavItem("Readiness overview", "readiness:readiness-overview", "readiness.view_dashboard"),
    NavItem("Deadlines", "readiness:deadlines", "readiness.view_dashboard"),
    NavItem("Board", "readiness:board-home", "readiness.view_board_pages"),
    NavItem("Children", "casework:child-list", "casework.view_child_record"),
    NavItem("Audits", "casework:audit-list", "casework.view_caseaudit"),
    NavItem("Inspections", "inspections:inspection-list", "inspections.view_inspection"),
    NavItem("Plans", "readiness:plan-list", "readiness.view_improvementplan"),
    NavItem("My actions", "readiness:my-actions", "readiness.view_action"),
    NavItem("National picture", "readiness:national", "readiness.view_board_pages"),
    NavItem("Reports", "readiness:report-list", "readiness.view_report"),
    NavItem("System status", "readiness:system-status", "readiness.view_system_status"),
    NavItem("People", "readiness:person-list", "auth.view_user"),
)

# Pages about the user's own account, listed last so they sit beside "Sign out". Each is shown to
# whoever its page lets in, asked through the page's own permission check (`may_open`).
ACCOUNT_ITEMS: tuple[tuple[str, str], ...] = (("Your e-mails", "readiness:notification-preferences"),)


def may_open(user, path: str) -> bool:
    """Whether the class-based view at `path` lets this user in: its own `has_permission`, not a copy.

    The e-mail choices page, for one, lets in whoever can get at least one of its e-mails.
    """
    view = resolve(path).func.view_class()
    view.setup(SimpleNamespace(user=user))  # the permission checks read only request.user
    return view.has_permission()


def _entry(label: str, href: str, current_path: str) -> dict:
    return {"label": label, "href": href, "active": current_path.startswith(href)}


def nav_for(user, current_path: str = "") -> list[dict]:
    """Return the navigation entries this user may follow, marking the current one; account ones last."""
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if user.has_perm(item.permission):
            items.append(_entry(item.label, reverse(item.url_name), current_path))
    for label, url_name in ACCOUNT_ITEMS:
        href = reverse(url_name)
        if may_open(user, href):
            items.append(_entry(label, href, current_path))
    return items
