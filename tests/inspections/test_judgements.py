"""Judgements are checked against their framework: the public API and recording them."""

import pytest
from django.core.exceptions import ValidationError

from inspections import services
from inspections.models import Judgement
from inspections.services import judgements_record, judgements_validate
from tests.factories.inspections import InspectionFactory, framework

pytestmark = pytest.mark.django_db

RI, INADEQUATE, GOOD = "requires_improvement", "inadequate", "good"


@pytest.fixture(autouse=True)
def _frameworks():
    framework()


def errors(problems):
    return [p.message for p in problems if p.level == "error"]


def test_a_valid_sif_set_has_no_problems():
    grades = {"overall": RI, "help_and_protection": RI, "children_in_care": RI, "leaders": RI}
    assert judgements_validate(framework_code="sif-2013", grades=grades) == []


def test_sif_limiting_rule_refuses_overall_better_than_inadequate_and_says_why():
    grades = {"overall": RI, "help_and_protection": INADEQUATE, "children_in_care": GOOD, "leaders": GOOD}
    problems = judgements_validate(framework_code="sif-2013", grades=grades)
    assert [(p.level, p.area) for p in problems] == [("error", "overall")]
    assert problems[0].message == (
        "Overall effectiveness cannot be better than inadequate because 'The experiences and progress "
        "of children who need help and protection' is inadequate (SIF limiting rule)."
    )
    grades["overall"] = INADEQUATE
    assert judgements_validate(framework_code="sif-2013", grades=grades) == []


def test_ilacs_2026_has_no_overall_effectiveness():
    problems = judgements_validate(framework_code="ilacs-2026", grades={"overall": GOOD, "leaders": GOOD})
    assert errors(problems) == [
        "ILACS from April 2026 has no overall effectiveness judgement, so 'overall' cannot be graded."
    ]
    four = {"leaders": GOOD, "help_and_protection": GOOD, "children_in_care": RI, "care_leavers": INADEQUATE}
    assert judgements_validate(framework_code="ilacs-2026", grades=four) == []


def test_unknown_area_and_unknown_grade_are_refused_with_clear_messages():
    problems = judgements_validate(
        framework_code="ilacs-2023", grades={"front_door": GOOD, "leaders": "adequate"}
    )
    messages = errors(problems)
    assert len(messages) == 2
    assert messages[0].startswith(
        "'front_door' is not a judgement area in ILACS 2023. Graded areas: overall,"
    )
    assert messages[1].startswith(
        "'adequate' is not a grade in ILACS 2023. Use one of: outstanding (Outstanding)"
    )


def test_ilacs_2023_overall_better_than_an_inadequate_practice_judgement_is_only_a_warning():
    grades = {"overall": RI, "leaders": RI, "help_and_protection": RI, "children_in_care": RI}
    grades["care_leavers"] = INADEQUATE
    problems = judgements_validate(framework_code="ilacs-2023", grades=grades)
    assert [(p.level, p.area) for p in problems] == [("warning", "overall")]
    assert "no written limiting rule" in problems[0].message


def test_an_unknown_framework_code_gives_one_clear_problem():
    problems = judgements_validate(framework_code="ilacs-2099", grades={"overall": GOOD})
    assert len(problems) == 1
    assert problems[0].level == "error"
    assert problems[0].message.startswith(
        "There is no framework with the code 'ilacs-2099'. Known frameworks:"
    )
    assert "ilacs-2023" in problems[0].message


def test_ungraded_frameworks_refuse_grades():
    problems = judgements_validate(framework_code="jtai", grades={"front_door": GOOD})
    assert errors(problems) == [
        "JTAI does not give grades, so '"
        + framework("jtai").areas.get(code="front_door").name
        + "' cannot be graded."
    ]


def test_record_saves_grades_and_rationale_with_history():
    inspection = InspectionFactory(framework=framework("sif-2013"))
    warnings = judgements_record(
        inspection=inspection,
        grades={"overall": RI, "help_and_protection": RI, "children_in_care": RI, "leaders": RI},
        rationale={"leaders": "New DCS; oversight improving."},
    )
    assert warnings == []
    assert inspection.grades() == {
        "overall": RI,
        "help_and_protection": RI,
        "children_in_care": RI,
        "leaders": RI,
    }
    leaders = Judgement.objects.get(inspection=inspection, area__code="leaders")
    assert leaders.rationale == "New DCS; oversight improving."
    assert leaders.history.count() == 1


def test_record_refuses_a_set_that_breaks_the_limiting_rule_and_saves_nothing():
    inspection = InspectionFactory(framework=framework("sif-2013"))
    judgements_record(inspection=inspection, grades={"overall": GOOD, "leaders": GOOD})
    with pytest.raises(ValidationError) as exc:
        # Entered alone, the inadequate judgement still meets the overall grade already recorded.
        judgements_record(inspection=inspection, grades={"help_and_protection": INADEQUATE, "leaders": RI})
    assert "cannot be better than inadequate" in exc.value.messages[0]
    assert inspection.grades() == {"overall": GOOD, "leaders": GOOD}


def test_record_keeps_warnings_for_display_and_clears_them_when_resolved():
    inspection = InspectionFactory(framework=framework("ilacs-2023"))
    warnings = judgements_record(inspection=inspection, grades={"overall": GOOD, "care_leavers": INADEQUATE})
    assert [w.area for w in warnings] == ["overall"]
    inspection.refresh_from_db()
    assert inspection.judgement_warnings[0]["area"] == "overall"
    judgements_record(inspection=inspection, grades={"overall": INADEQUATE})
    inspection.refresh_from_db()
    assert inspection.judgement_warnings == []


def test_record_with_an_empty_grade_removes_that_judgement():
    inspection = InspectionFactory(framework=framework("ilacs-2023"))
    judgements_record(inspection=inspection, grades={"overall": GOOD, "leaders": GOOD})
    judgements_record(inspection=inspection, grades={"leaders": ""})
    assert inspection.grades() == {"overall": GOOD}


def test_record_refuses_a_rationale_for_an_ungraded_area():
    inspection = InspectionFactory(framework=framework("ilacs-2023"))
    with pytest.raises(ValidationError, match="Give 'leaders' a grade"):
        judgements_record(inspection=inspection, grades={}, rationale={"leaders": "Strong."})


def test_the_framework_cannot_change_once_judgements_are_recorded():
    inspection = InspectionFactory(framework=framework("ilacs-2023"))
    judgements_record(inspection=inspection, grades={"overall": GOOD})
    with pytest.raises(ValidationError) as exc:
        services.inspection_update(inspection=inspection, data={"framework": framework("ilacs-2026")})
    assert "framework" in exc.value.message_dict
