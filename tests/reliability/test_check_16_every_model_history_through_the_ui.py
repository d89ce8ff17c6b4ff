"""Check 16, for every domain model: a UI create, update and delete each yield one history row with
the user, a UTC time and (for an update) the changed field.

The models are the registry of tests/test_history.py (every model of our three apps with `history`,
minus NO_HISTORY), so a new model is covered, or fails here, without anyone editing this file. The
UI is the Django admin, where every domain model is registered; it is driven as a browser would:
GET the change form, post back what the page shows (every input, select and textarea of the form,
inline formsets' management forms included) with one text, date or yes/no field changed; then POST
the delete confirmation; then POST the same form to the add page, which re-creates the record (its
unique values are free again once it is deleted). Each write must add exactly one history row of
that model, for that record, of the right type, by the administrator, at a UTC time.

A model the admin cannot exercise is declared below with the reason and the page that writes it;
the framework-file models are driven through the framework upload page instead. Records the machine
writes are view-only in the admin: this checks they refuse every write, and
test_check_16_machine_records_read_only.py proves it over HTTP for a superuser.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from readiness import roles
from tests.conftest import make_user
from tests.test_access import objects as objects  # noqa: F401 - the fixture, reused
from tests.test_history import _domain_models

pytestmark = pytest.mark.django_db

REGISTRY = dict(_domain_models())

# Never through the admin: rows loaded from the shipped framework files. They change only through the
# framework upload page (inspections:framework-upload / -confirm) or `manage.py load_frameworks`; the
# admin shows them read-only. test_framework_upload_page_writes_history_with_the_user covers the page.
FROM_FRAMEWORK_FILES = {
    "inspections.GradeScale",
    "inspections.Grade",
    "inspections.Framework",
    "inspections.JudgementArea",
    "inspections.MilestoneRule",
}
# Records the machine writes, and what writes them: view-only in the admin (MachineRecordAdmin), since
# an edit there would make the audit trail say something that never happened.
MACHINE_RECORDS = {
    "casework.ImportRun": "the import page (casework:import) and its task",
    "readiness.Report": "the report task (readiness.report_render)",
    "readiness.DigestSent": "the daily digest task (readiness.daily_digest)",
    "readiness.ReminderSent": "the action reminders task (readiness.action_reminders)",
    "readiness.AuditReminderSent": "the case audit reminders task (readiness.case_audit_reminders)",
    "readiness.NationalImportRun": "manage.py import_national",
}
# Models whose admin cannot create them.
NO_ADMIN_CREATE = {
    "inspections.Milestone": "made from the framework's rules by milestones_recompute; the admin refuses add",
}


class _FormReader(HTMLParser):
    """Collect what a browser would submit from one <form>: inputs, checked boxes, selected options,
    textareas. File inputs and submit buttons are left out (no file is re-uploaded)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "__prefix__" in (attrs.get("name") or ""):
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
                return
            self._add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            self._option = attrs
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self._option is not None:
            value = self._option.get("value")
            value = "".join(self._text).strip() if value is None else value
            if self._select_first is None:
                self._select_first = value
            if "selected" in self._option:
                self._add(self._select, value)
                self._select_chosen = True
            self._option = None
        elif tag == "select" and self._select:
            if not self._select_chosen and not self._multiple and self._select_first is not None:
                self._add(self._select, self._select_first)  # a browser submits the first option
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None


def _form_data(response, model) -> dict[str, list[str]]:
    reader = _FormReader(f"{model._meta.model_name}_form")
    reader.feed(response.content.decode())
    assert reader.data, f"no form found on {response.request['PATH_INFO']}"
    return reader.data


NOT_FREE_TEXT = (models.EmailField, models.URLField, models.SlugField, models.FilePathField)
# What to change, best first: free text (longest fields first), a date, yes/no, a date and time.
KINDS_TO_CHANGE = (
    (models.TextField,),
    (models.CharField,),
    (models.DateField,),
    (models.BooleanField,),
    (models.DateTimeField,),
)


def _field_to_change(model, form, data) -> models.Field:
    """The first editable field on the admin form that can be changed without breaking a rule: free
    text that already holds something, else a date, else yes/no, else a date and time."""
    fields = [model._meta.get_field(name) for name in form.fields if _is_model_field(model, name)]
    for must_hold_something in (True, False):
        for kinds in KINDS_TO_CHANGE:
            for field in fields:
                kind = type(field)
                if kinds[0] is not models.DateTimeField and issubclass(kind, models.DateTimeField):
                    continue
                if not isinstance(field, kinds) or isinstance(field, NOT_FREE_TEXT):
                    continue
                if field.choices or field.unique:
                    continue
                held = any(v for key in (field.name, f"{field.name}_0") for v in data.get(key, []))
                if held or not must_hold_something or isinstance(field, models.BooleanField):
                    return field
    raise AssertionError(f"{model.__name__}: no text, date or yes/no field to change in the admin form")


def _is_model_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a form-only field
        return False
    return True


def _changed(field, form, data) -> dict[str, str]:
    """The form data that changes `field`, written the way the admin's widget shows it."""
    form_field = form.fields[field.name]
    if isinstance(form_field, forms.NullBooleanField):  # a yes / no / unknown select
        return {field.name: "false" if data.get(field.name) == ["true"] else "true"}
    if isinstance(field, models.BooleanField):
        return {field.name: "" if data.get(field.name) else "on"}
    if isinstance(field, models.DateTimeField):
        date_widget, time_widget = form_field.widget.widgets
        return {
            f"{field.name}_0": date_widget.format_value(dt.date(2020, 3, 3)),
            f"{field.name}_1": time_widget.format_value(dt.time(12, 0)),
        }
    old = (data.get(field.name) or [""])[0]
    if isinstance(field, models.DateField):
        day = form_field.to_python(old) if old else dt.date(2020, 1, 6)
        return {field.name: form_field.widget.format_value(day - dt.timedelta(days=1))}
    if isinstance(field, models.TextField):
        return {field.name: f"{old} (edited)" if old else "Edited in the admin"}
    # A short code-like value stays the same length: change its last character.
    return {field.name: (old[:-1] + ("X" if old[-1:] != "X" else "Y")) if old else "Edited"}


def _latest_id(model) -> int:
    latest = model.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return latest or 0


def _one_new_row(model, after: int, pk, kind: str, admin_user, started):
    rows = list(model.history.filter(history_id__gt=after).order_by("history_id"))
    assert len(rows) == 1, (model.__name__, kind, [(r.history_type, r.id) for r in rows])
    row = rows[0]
    assert (row.history_type, row.id) == (kind, pk), (model.__name__, row.history_type, row.id)
    assert row.history_user == admin_user, (model.__name__, kind, row.history_user)
    assert row.history_date.utcoffset() == dt.timedelta(0), (model.__name__, kind)  # read back in UTC
    assert started - dt.timedelta(seconds=5) <= row.history_date <= timezone.now(), (model.__name__, kind)
    return row


@pytest.fixture
def world(objects):  # noqa: F811 - the access table's objects plus the demo seeds
    from casework import demo as casework_demo
    from inspections import demo as inspections_demo
    from readiness.plans import demo as plans_demo

    for role in roles.ROLE_NAMES:
        if role != roles.ADMINISTRATOR:
            make_user(role)
    inspections_demo.seed(rng=random.Random(16))
    casework_demo.seed(rng=random.Random(16), scale=0.02, today=timezone.localdate())
    plans_demo.seed(rng=random.Random(16))
    _extra_objects()
    return objects


def _extra_objects():
    """One of each model that neither the access table's objects nor the demo seeds make."""
    from django.contrib.auth.models import User

    from casework.models import AuditAnswer, CaseAudit, CaseAuditAction
    from inspections.models import CalendarToken, Inspection, JudgementArea
    from readiness.dashboards.models import NotificationPreference, SelfEvaluationAnswer
    from readiness.models import HomeAuthority, LocalAuthority, PublishedInspection

    pm = User.objects.get(username="pm")
    audit = CaseAudit.objects.order_by("pk").first()
    AuditAnswer.objects.create(audit=audit, domain="voice", comment="Seen alone")
    CaseAuditAction.objects.create(
        audit=audit, text="Review plan", owner="Team 2", due_on=dt.date(2020, 3, 2)
    )
    CalendarToken.objects.create(user=pm)
    self_evaluation = Inspection.objects.filter(kind=Inspection.Kind.SELF_EVALUATION).first()
    area = JudgementArea.objects.filter(framework=self_evaluation.framework).first()
    SelfEvaluationAnswer.objects.create(
        inspection=self_evaluation, area=area, what_we_know="Most visits are on time", updated_by=pm
    )
    NotificationPreference.objects.create(user=pm)
    # The first one stands alone, so it can be deleted: the home authority's is protected.
    LocalAuthority.objects.create(urn="80001", name="Westmoor", region="North")
    authority = LocalAuthority.objects.create(urn="80000", name="Northmoor", region="North")
    PublishedInspection.objects.create(
        local_authority=authority, report_url="https://reports.example/80000", framework="ILACS"
    )
    HomeAuthority.objects.create(pk=1, local_authority=authority, chosen_by=pm)


@pytest.fixture
def admin_client(client):
    user = make_user(roles.ADMINISTRATOR)
    user.is_staff = True
    user.save()
    client.force_login(user)
    client.user = user
    return client


def test_every_domain_model_is_in_the_admin_or_declared():
    for key, model in REGISTRY.items():
        model_admin = admin.site._registry.get(model)
        if key in FROM_FRAMEWORK_FILES:
            continue
        assert model_admin is not None, f"register {key} in its app's admin.py, or declare it here"
    stale = (FROM_FRAMEWORK_FILES | set(MACHINE_RECORDS) | set(NO_ADMIN_CREATE)) - set(REGISTRY)
    assert not stale, f"no longer domain models: {sorted(stale)}"


@pytest.mark.parametrize("key", sorted(MACHINE_RECORDS))
def test_machine_records_refuse_every_write_in_the_admin(rf, key):
    from django.contrib.auth.models import User

    request = rf.get("/admin/")
    request.user = User(username="root", is_staff=True, is_superuser=True, is_active=True)
    model_admin = admin.site._registry[REGISTRY[key]]
    assert model_admin.has_view_permission(request), key
    refused = {
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_change_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }
    assert refused == {"add": False, "change": False, "delete": False}, (key, refused)


THROUGH_THE_ADMIN = sorted(set(REGISTRY) - FROM_FRAMEWORK_FILES - set(MACHINE_RECORDS))


@pytest.mark.parametrize("key", THROUGH_THE_ADMIN)
def test_update_delete_and_create_through_the_admin_each_write_one_history_row(world, admin_client, key):
    model = REGISTRY[key]
    opts = model._meta
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"the test world has no {key}: add one in tests/factories extra_objects()"
    if not obj.history.exists():
        obj.save()  # a record made by a bulk load: give the update something to diff against
    user = admin_client.user
    started = timezone.now()
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    page = admin_client.get(change_url)
    assert page.status_code == 200, (key, page.status_code)
    data = _form_data(page, model)
    form = page.context["adminform"].form

    field = _field_to_change(model, form, data)
    name = field.name
    before = _latest_id(model)
    response = admin_client.post(change_url, {**data, **_changed(field, form, data)})
    errors = response.context and response.context.get("errors")
    assert response.status_code == 302, (key, name, errors)
    row = _one_new_row(model, before, obj.pk, "~", user, started)
    changes = {change.field for change in row.diff_against(row.prev_record).changes}
    assert name in changes, (key, name, changes)

    before = _latest_id(model)
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    response = admin_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302, (key, response.status_code)
    assert not model.objects.filter(pk=obj.pk).exists(), key
    _one_new_row(model, before, obj.pk, "-", user, started)

    if key in NO_ADMIN_CREATE:
        return
    # The add page takes the same form; inline rows belonged to the deleted record, so none are sent.
    data = dict(data)
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data = {k: v for k, v in data.items() if not k.startswith(f"{prefix}-")}
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    before = _latest_id(model)
    existing = set(model.objects.values_list("pk", flat=True))
    add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    for field in opts.concrete_fields:  # a file is uploaded again, as a person re-adding it would
        if isinstance(field, models.FileField) and getattr(obj, field.name) and field.name in form.fields:
            data[field.name] = SimpleUploadedFile("evidence.pdf", b"%PDF-1.7\n%%EOF\n")
    response = admin_client.post(add_url, data)
    errors = response.context and response.context.get("errors")
    assert response.status_code == 302, (key, errors)
    # The new record, whatever its key: fixtures may hold higher keys than the sequence gives.
    created = model.objects.exclude(pk__in=existing).get()
    _one_new_row(model, before, created.pk, "+", user, started)


# What this test makes the framework upload page do to each framework-file model. A grade scale is
# only its code (the key), so it is never updated; frameworks and scales are never deleted by an
# upload (inspections and judgements refer to them). Removing a grade or an area from a file means
# rewriting the rules that name them, which this test does not do: framework_sync deletes those with
# the same `_delete` helper as milestone rules, whose deletion is asserted here.
FRAMEWORK_PAGE_WRITES = {
    "inspections.GradeScale": {"+"},
    "inspections.Grade": {"+", "~"},
    "inspections.Framework": {"+", "~"},
    "inspections.JudgementArea": {"+", "~"},
    "inspections.MilestoneRule": {"+", "~", "-"},  # the rules after the one removed move up (order)
}


def test_framework_upload_page_writes_history_with_the_user(admin_client):
    from inspections.framework_files import FRAMEWORKS_DIR

    assert set(FRAMEWORK_PAGE_WRITES) == FROM_FRAMEWORK_FILES
    user = admin_client.user
    started = timezone.now()
    upload = reverse("inspections:framework-upload")
    confirm = reverse("inspections:framework-upload-confirm")
    first = (FRAMEWORKS_DIR / "ilacs-2023.yaml").read_text(encoding="utf-8")
    first = first.replace("code: ilacs-2023", "code: ilacs-2099", 1)
    first = first.replace("code: ofsted-4-ritbg", "code: ofsted-4-check16", 1)
    # Version 2: a grade's label and an area's name change, and a milestone rule goes.
    second = first.replace("\nversion: 1\n", "\nversion: 2\n", 1)
    second = second.replace("label: Requires improvement to be good, rank: 3", "label: RI, rank: 3", 1)
    second = second.replace("name: Overall effectiveness\n", "name: Overall effectiveness (check 16)\n", 1)
    head, rules = second.split("\nmilestones:\n", 1)
    kept, dropped = rules.split("  - code: factual_accuracy\n", 1)
    second = head + "\nmilestones:\n" + kept + dropped[dropped.index("  - code: ") :]
    assert second.count("\nversion: 2\n") == 1 and "(check 16)" in second and "label: RI," in second

    seen: dict[str, set[str]] = {key: set() for key in FROM_FRAMEWORK_FILES}
    for text in (first, second):
        before = {key: _latest_id(REGISTRY[key]) for key in FROM_FRAMEWORK_FILES}
        file = SimpleUploadedFile("ilacs-2099.yaml", text.encode(), content_type="application/yaml")
        response = admin_client.post(upload, {"file": file})
        assert response.status_code == 302, response.context["form"].errors if response.context else ""
        # Save as a person would: the confirmation form names the upload the page showed.
        page = admin_client.get(confirm).content.decode()
        upload_id = re.search(r'name="upload" value="([^"]*)"', page).group(1)
        assert admin_client.post(confirm, {"upload": upload_id}).status_code == 302
        for key in FROM_FRAMEWORK_FILES:
            rows = list(REGISTRY[key].history.filter(history_id__gt=before[key]))
            by_object = [(row.id, row.history_type) for row in rows]
            assert len(by_object) == len(set(by_object)), (key, by_object)  # one row per object and write
            for row in rows:
                assert row.history_user == user, (key, row.history_type, row.history_user)
                assert row.history_date.utcoffset() == dt.timedelta(0), key
                assert started - dt.timedelta(seconds=5) <= row.history_date <= timezone.now(), key
                if row.history_type == "~":
                    assert row.diff_against(row.prev_record).changes, (key, row.id)
                seen[key].add(row.history_type)
    assert seen == FRAMEWORK_PAGE_WRITES
    area = (
        REGISTRY["inspections.JudgementArea"].history.filter(name="Overall effectiveness (check 16)").first()
    )
    assert "name" in {change.field for change in area.diff_against(area.prev_record).changes}
