"""Sample pages: a locked sample's "Change the children" page no longer offers a form and a "Save
children" button it will refuse; the auditor select starts with words, not Django's "---------"."""

import pytest
from django.urls import reverse

from casework import audit_services as services
from casework.forms import SampleAssignForm
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory, SampleFactory

pytestmark = pytest.mark.django_db


def test_a_locked_sample_offers_no_form_to_change_its_children(client_for):
    auditor = make_user(roles.AUDITOR)
    audit = CaseAuditFactory(auditor=auditor)
    services.audit_start(audit=audit, user=auditor)
    sample = audit.member.sample
    html = (
        client_for(roles.PERFORMANCE_MANAGER)
        .get(reverse("casework:sample-members", kwargs={"sample_pk": sample.pk}))
        .content.decode()
    )
    assert "This sample is locked" in html
    assert "Save children" not in html
    assert 'name="children"' not in html
    assert f'href="{sample.get_absolute_url()}" data-testid="back-to-sample"' in html


def test_an_open_sample_still_offers_the_form(client_for):
    sample = SampleFactory()
    html = (
        client_for(roles.PERFORMANCE_MANAGER)
        .get(reverse("casework:sample-members", kwargs={"sample_pk": sample.pk}))
        .content.decode()
    )
    assert "Save children" in html and 'name="children"' in html


def test_the_auditor_select_starts_with_words():
    choices = list(SampleAssignForm().fields["auditor"].choices)
    assert choices[0][1] == "Select an auditor"


def test_the_optional_inspection_select_starts_with_words():
    from casework.forms import SampleDetailsForm

    choices = list(SampleDetailsForm().fields["inspection"].choices)
    assert choices[0][1] == "Not for an inspection"
