"""judgements_check: grades checked against each shipped framework's areas, scales and limiting
rules (no database)."""

from __future__ import annotations

import pytest

from inspections.framework_files import (
    FrameworkDef,
    Problem,
    judgements_check,
    load_dir,
)


@pytest.fixture(scope="module")
def frameworks() -> dict[str, FrameworkDef]:
    return {f.code: f for f in load_dir()}


# ---------------------------------------------------------------------------
# judgements_check
# ---------------------------------------------------------------------------


def test_sif_limiting_rule_refuses_good_overall_when_help_and_protection_is_inadequate(frameworks):
    problems = judgements_check(
        frameworks["sif-2013"],
        {
            "overall": "good",
            "help_and_protection": "inadequate",
            "children_in_care": "good",
            "leaders": "good",
        },
    )
    assert problems == [
        Problem(
            level="error",
            area="overall",
            message=(
                "Overall effectiveness cannot be better than inadequate because 'The experiences and "
                "progress of children who need help and protection' is inadequate (SIF limiting rule)."
            ),
        )
    ]


def test_sif_accepts_inadequate_overall_with_an_inadequate_key_judgement(frameworks):
    grades = {
        "overall": "inadequate",
        "help_and_protection": "inadequate",
        "children_in_care": "requires_improvement",
        "adoption": "good",
        "care_leavers": "inadequate",
        "leaders": "requires_improvement",
    }
    assert judgements_check(frameworks["sif-2013"], grades) == []


def test_sif_sub_judgement_does_not_limit_overall(frameworks):
    assert judgements_check(frameworks["sif-2013"], {"overall": "good", "adoption": "inadequate"}) == []


def test_ilacs_2026_refuses_an_overall_judgement(frameworks):
    problems = judgements_check(frameworks["ilacs-2026"], {"overall": "good", "leaders": "good"})
    assert [(p.level, p.area) for p in problems] == [("error", "overall")]
    assert problems[0].message.startswith("ILACS from April 2026 has no overall effectiveness judgement")


def test_ilacs_2026_accepts_its_four_judgements(frameworks):
    grades = dict.fromkeys(["leaders", "help_and_protection", "children_in_care", "care_leavers"], "good")
    assert judgements_check(frameworks["ilacs-2026"], grades) == []


def test_ilacs_2023_warns_but_does_not_refuse_good_overall_with_inadequate_care_leavers(frameworks):
    problems = judgements_check(
        frameworks["ilacs-2023"],
        {"overall": "good", "leaders": "good", "help_and_protection": "good", "care_leavers": "inadequate"},
    )
    assert [(p.level, p.area) for p in problems] == [("warning", "overall")]
    assert "'The experiences and progress of care leavers' is inadequate" in problems[0].message
    assert "entered, not derived" in problems[0].message


def test_ilacs_2018_leaders_inadequate_gives_no_warning(frameworks):
    # Herefordshire 2018: leaders inadequate, overall "requires improvement".
    grades = {
        "overall": "requires_improvement",
        "leaders": "inadequate",
        "help_and_protection": "requires_improvement",
        "children_in_care": "requires_improvement",
    }
    assert judgements_check(frameworks["ilacs-2018"], grades) == []


def test_unknown_area_is_named_with_the_framework(frameworks):
    (problem,) = judgements_check(frameworks["ilacs-2018"], {"foo": "good"})
    assert problem.level == "error" and problem.area == "foo"
    assert problem.message.startswith("'foo' is not a judgement area in ILACS 2018")
    assert "help_and_protection" in problem.message


def test_unknown_grade_lists_the_allowed_ones(frameworks):
    (problem,) = judgements_check(frameworks["ilacs-2018"], {"leaders": "adequate"})
    assert problem.level == "error" and problem.area == "leaders"
    assert problem.message.startswith("'adequate' is not a grade in ILACS 2018")
    for code in ("outstanding", "good", "requires_improvement", "inadequate"):
        assert code in problem.message


def test_cp_2012_accepts_adequate(frameworks):
    grades = {"overall": "inadequate", "help_and_protection": "adequate", "quality_of_practice": "inadequate"}
    assert judgements_check(frameworks["cp-2012"], grades | {"leaders": "adequate"}) == []


def test_ungraded_framework_refuses_any_grade(frameworks):
    (problem,) = judgements_check(frameworks["jtai"], {"front_door": "good"})
    assert problem.level == "error"
    assert "JTAI does not give grades" in problem.message


def test_empty_and_blank_grades_are_valid(frameworks):
    assert judgements_check(frameworks["sif-2013"], {}) == []
    assert judgements_check(frameworks["sif-2013"], {"overall": None, "leaders": ""}) == []
