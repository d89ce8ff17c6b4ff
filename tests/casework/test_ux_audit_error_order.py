"""Submitting an incomplete audit lists the problems in the order of the page: the domains first, then
the overall grade (the overall grade, at the foot of the page, used to come first)."""

import re

from casework.audit_questions import CURRENT_VERSION, question_set
from casework.forms import AuditForm
from casework.models import Cohort


def test_the_error_summary_follows_the_page_order():
    domains = question_set(CURRENT_VERSION, Cohort.LOOKED_AFTER)
    form = AuditForm(data={}, domains=domains)
    assert form.is_valid()
    form.add_error("overall_grade", "Select an overall grade for the case")
    form.add_error(f"grade_{domains[-1].code}", "Select a grade for the last domain")
    from django.template import Context, Template

    html = Template("{% load crispy_forms_gds %}{% error_summary form %}").render(Context({"form": form}))
    items = re.findall(r"<li><a href=\"#[^\"]*\">(.*?)</a></li>", html)
    assert items == ["Select a grade for the last domain", "Select an overall grade for the case"]


def test_fields_run_domain_by_domain_then_overall_then_action():
    domains = question_set(CURRENT_VERSION, Cohort.LOOKED_AFTER)
    names = list(AuditForm(domains=domains).fields)
    assert names[: 2 * len(domains)] == [
        name for d in domains for name in (f"grade_{d.code}", f"comment_{d.code}")
    ]
    assert names[2 * len(domains) :] == [
        "overall_grade",
        "strengths",
        "areas_for_development",
        "action_text",
        "action_owner",
        "action_due_on",
    ]
