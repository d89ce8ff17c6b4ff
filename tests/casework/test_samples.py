"""Samples: entry by form and CSV with every broken rule named, seeded draws, locking."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework import audit_services as services
from casework.models import Cohort, Sample
from casework.samples import draw_stratified
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory, ChildFactory, EpisodeFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def sif_rows(prefix="S"):
    rows = [(f"{prefix}H{i}", "help_and_protection", "no") for i in range(6)]
    rows += [(f"{prefix}L{i}", "looked_after", "yes" if i < 2 else "no") for i in range(10)]
    rows += [(f"{prefix}C{i}", "care_leaver", "no") for i in range(2)]
    return [{"child_id": c, "cohort": k, "out_of_borough": o} for c, k, o in rows]


def make_children(rows):
    for row in rows:
        ChildFactory(child_id=row["child_id"])


def _form_data(rows, **extra):
    lines = "\n".join(f"{r['child_id']}, {r['cohort']}, {r['out_of_borough']}" for r in rows)
    return {
        "kind": "inspection_audit",
        "title": "Inspectors' 18",
        "children": lines,
        "due_on_0": "",
        "due_on_1": "",
        "due_on_2": "",
        **extra,
    }


def test_sample_create_saves_a_valid_sif_sample_with_members_in_order():
    rows = sif_rows()
    make_children(rows)
    sample = services.sample_create(kind=Sample.Kind.INSPECTION_AUDIT, title="18", rows=rows)
    assert sample.rule_code == "sif-18" and sample.chosen_by == Sample.ChosenBy.INSPECTORS
    members = list(sample.members.select_related("child"))
    assert [m.child.child_id for m in members] == [r["child_id"] for r in rows]
    assert sum(m.out_of_borough for m in members) == 2
    assert sample.history.count() == 1 and members[0].history.count() == 1


def test_sample_create_names_every_broken_rule_and_unknown_children():
    rows = sif_rows()[:-1] + [sif_rows()[0]]  # one care leaver short, one child twice
    make_children(rows[:-3])
    with pytest.raises(ValidationError) as caught:
        services.sample_create(kind=Sample.Kind.INSPECTION_AUDIT, title="18", rows=rows)
    messages = caught.value.messages
    assert any("appears twice" in m for m in messages)
    assert "There is 1 care leaver; the SIF sample needs exactly 2." in messages
    assert "Children SC0 and SL9 are not in the case data; import them first or check the ID." in messages
    assert Sample.objects.count() == 0


def test_sample_form_page_shows_every_problem_in_the_error_summary(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    rows = sif_rows()
    make_children(rows)
    rows[3]["cohort"] = "adopted"
    response = pm.post(reverse("casework:sample-create"), _form_data(rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "<title>Error: " in body
    assert "line 4, column cohort: &#x27;adopted&#x27; is not a cohort" in body
    assert "There are 5 children in need of help and protection" in body
    assert Sample.objects.count() == 0


def test_sample_form_page_saves_a_valid_sample(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    rows = sif_rows()
    make_children(rows)
    response = pm.post(reverse("casework:sample-create"), _form_data(rows), follow=True)
    sample = Sample.objects.get()
    assert response.redirect_chain[-1][0] == sample.get_absolute_url()
    assert "0 of 18 done" in response.content.decode()


def _csv(rows, header="child_id,cohort,out_of_borough"):
    text = header + "\r\n" + "".join(f"{r['child_id']},{r['cohort']},{r['out_of_borough']}\r\n" for r in rows)
    upload = io.BytesIO(b"\xef\xbb\xbf" + text.encode())
    upload.name = "sample.csv"
    return upload


def test_sample_upload_accepts_a_bom_and_windows_line_endings(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    rows = sif_rows()
    make_children(rows)
    data = {"kind": "inspection_audit", "title": "Uploaded", "file": _csv(rows)}
    response = pm.post(reverse("casework:sample-upload"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Sample.objects.get().members.count() == 18


def test_sample_upload_reports_a_wrong_header_and_rule_breaks(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    response = pm.post(
        reverse("casework:sample-upload"),
        {"kind": "inspection_audit", "title": "Bad", "file": _csv(sif_rows(), header="id,cohort")},
    )
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert (
        "the header must be child_id,cohort,out_of_borough; child_id and out_of_borough are missing" in body
    )
    rows = sif_rows()[:17]
    make_children(rows)
    response = pm.post(
        reverse("casework:sample-upload"), {"kind": "inspection_audit", "title": "Short", "file": _csv(rows)}
    )
    body = response.content.decode()
    assert "There is 1 care leaver; the SIF sample needs exactly 2." in body
    assert "There are 17 children in the file; the SIF sample needs exactly 18." in body
    assert Sample.objects.count() == 0


def test_draw_stratified_is_reproducible_and_order_independent():
    population = [
        (f"C{i:04d}", ("looked_after", "help_and_protection", "care_leaver")[i % 3]) for i in range(300)
    ]
    first = draw_stratified(population, seed=4242, size=12, minimum_per_stratum=2)
    again = draw_stratified(list(reversed(population)), seed=4242, size=12, minimum_per_stratum=2)
    other = draw_stratified(population, seed=4243, size=12, minimum_per_stratum=2)
    assert first == again
    assert first != other
    assert len(first) == 12 and len({c for c, _ in first}) == 12
    assert {cohort for _, cohort in first} == {"looked_after", "help_and_protection", "care_leaver"}


def test_draw_stratified_gives_small_strata_their_minimum():
    population = [(f"H{i}", "help_and_protection") for i in range(100)] + [
        ("L1", "looked_after"),
        ("L2", "looked_after"),
        ("L3", "looked_after"),
    ]
    drawn = draw_stratified(population, seed=1, size=10, minimum_per_stratum=3)
    assert sum(1 for _, c in drawn if c == "looked_after") == 3
    assert len(drawn) == 10


def _open_population():
    for i in range(12):
        EpisodeFactory(
            child=ChildFactory(child_id=f"H{i:02d}"),
            cohort=Cohort.CHILD_PROTECTION,
            start_on=dt.date(2025, 1, 1),
        )
        child = ChildFactory(child_id=f"L{i:02d}")
        EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER, start_on=dt.date(2025, 1, 1))
        PlacementFactory(child=child, in_area=i % 2 == 0, start_on=dt.date(2025, 1, 1))
        EpisodeFactory(
            child=ChildFactory(child_id=f"C{i:02d}"), cohort=Cohort.CARE_LEAVER, start_on=dt.date(2025, 1, 1)
        )


def test_sample_draw_stores_the_seed_and_the_same_seed_draws_the_same_children():
    _open_population()
    first = services.sample_draw(title="March", as_of=dt.date(2026, 3, 1), size=9, seed=777)
    second = services.sample_draw(title="March again", as_of=dt.date(2026, 3, 1), size=9, seed=777)
    ids = lambda s: [m.child.child_id for m in s.members.select_related("child")]  # noqa: E731
    assert first.seed == 777 and first.chosen_by == Sample.ChosenBy.SEEDED_RANDOM
    assert ids(first) == ids(second) and len(ids(first)) == 9
    looked_after = [m for m in first.members.all() if m.cohort == "looked_after"]
    assert all(m.out_of_borough == (int(m.child.child_id[1:]) % 2 == 1) for m in looked_after)


def test_sample_draw_leaves_out_children_audited_in_the_last_year():
    _open_population()
    auditor = make_user(roles.AUDITOR)
    first = services.sample_draw(title="One", as_of=dt.date(2026, 3, 1), size=9, seed=5)
    services.sample_audits_assign(sample=first, auditor=auditor)
    audited = {m.child_id for m in first.members.all()}
    draw = services.sample_draw_rows(as_of=dt.date(2026, 3, 1), seed=5, size=30, minimum_per_stratum=0)
    assert draw.excluded == 9
    drawn = {r["child_id"] for r in draw.rows}
    assert len(drawn) == 27
    assert not drawn & {m.child.child_id for m in first.members.select_related("child")}
    assert audited


def test_a_sample_locks_when_an_audit_starts_and_then_refuses_changes(client_for):
    auditor = make_user(roles.AUDITOR)
    audit = CaseAuditFactory(auditor=auditor)
    sample = audit.member.sample
    services.audit_start(audit=audit, user=auditor)
    sample.refresh_from_db()
    assert sample.locked_at is not None
    with pytest.raises(ValidationError, match="This sample is locked"):
        services.sample_members_replace(sample=sample, rows=[])
    with pytest.raises(ValidationError, match="This sample is locked"):
        services.sample_update(sample=sample, title="Renamed")
    pm = client_for(roles.PERFORMANCE_MANAGER)
    child_id = audit.child.child_id
    response = pm.post(
        reverse("casework:sample-members", kwargs={"sample_pk": sample.pk}),
        {"children": f"{child_id}, looked_after, no"},
    )
    assert "This sample is locked" in response.content.decode()
    assert sample.members.count() == 1


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (
            "sif-18",
            "SIF, 18 children: exactly 6 children in need of help and protection, exactly 10 looked-after "
            "children (at least 2 placed outside the council's area), exactly 2 care leavers; no child twice",
        ),
        (
            "rolling-monthly",
            "Rolling monthly: at least 2 children in need of help and protection, at least 2 looked-after "
            "children, at least 2 care leavers; no child twice",
        ),
        ("open", "Open: any children, in any mix of cohorts"),
        ("", "None"),
        ("retired-rule", "retired-rule (a rule this version does not know)"),
    ],
)
def test_a_composition_rule_is_said_in_words(code, words):
    from casework.samples import rule_summary

    assert rule_summary(code) == words


def test_the_sample_page_says_the_rule_in_words_not_its_code(client_for):
    sample = Sample.objects.create(kind=Sample.Kind.INSPECTION_AUDIT, title="Ofsted's 18", rule_code="sif-18")
    client = client_for(roles.PERFORMANCE_MANAGER)
    page = client.get(reverse("casework:sample-detail", kwargs={"sample_pk": sample.pk})).content.decode()
    assert "SIF, 18 children: exactly 6 children in need of help and protection" in page
    assert ">sif-18<" not in page


def test_the_sample_page_offers_moderation_only_for_submitted_audits(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    auditor = make_user(roles.AUDITOR)
    submitted = CaseAuditFactory(auditor=auditor, status="submitted", member__child__child_id="SUB1")
    moderated = CaseAuditFactory(
        auditor=auditor,
        status="moderated",
        member__sample=submitted.member.sample,
        member__child__child_id="MOD1",
    )
    page = pm.get(reverse("casework:sample-detail", kwargs={"sample_pk": submitted.member.sample_id}))
    html = page.content.decode()
    assert 'Moderate<span class="govuk-visually-hidden"> the audit of SUB1</span>' in html
    assert 'View<span class="govuk-visually-hidden"> the audit of MOD1</span>' in html
    assert moderated.pk != submitted.pk
