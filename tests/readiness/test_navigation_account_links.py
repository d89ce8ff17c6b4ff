"""The e-mail choices page is linked from the navigation, beside "Sign out", for whoever it lets in."""

import pytest
from django.urls import reverse

from readiness import roles

pytestmark = pytest.mark.django_db

URL = reverse("readiness:notification-preferences")
LINK = f'href="{URL}"'


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.AUDITOR, 200),
        (roles.PERFORMANCE_MANAGER, 200),
        (roles.DCS, 200),
        (roles.ADMINISTRATOR, 200),
        (roles.BOARD_MEMBER, 403),  # no e-mail this service sends is for board members
        (None, 403),
    ],
)
def test_the_link_shows_exactly_when_the_page_lets_the_user_in(client_for, role, status):
    client = client_for(role)

    body = client.get(reverse("accessibility")).content.decode()

    assert (LINK in body) is (status == 200)
    assert client.get(URL).status_code == status


def test_the_link_sits_just_before_sign_out(client_for):
    body = client_for(roles.AUDITOR).get(reverse("accessibility")).content.decode()

    link = body.index(LINK)
    assert body.index("Your e-mails", link) < body.index("Sign out")
    assert body.index(reverse("casework:audit-list")) < link < body.index("Sign out")


def test_the_link_is_marked_current_on_the_page_itself(client_for):
    body = client_for(roles.AUDITOR).get(URL).content.decode()

    assert f'{LINK} aria-current="page"' in body


def test_signed_out_visitors_see_no_link(client):
    body = client.get(reverse("accessibility")).content.decode()

    assert LINK not in body


@pytest.mark.parametrize("role", [roles.AUDITOR, roles.PERFORMANCE_MANAGER])
def test_the_first_page_a_role_lands_on_is_not_the_email_choices(client_for, role):
    """The home page sends each role to its first navigation entry; the account link comes last."""
    response = client_for(role).get(reverse("readiness:home"))

    assert response.status_code == 302
    assert response.url != URL
