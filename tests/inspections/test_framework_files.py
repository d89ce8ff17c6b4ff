"""Tests for the framework data files and their pure loader (no database)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
import yaml

from inspections.framework_files import (
    ANCHORS,
    CONVENTIONS,
    FRAMEWORKS_DIR,
    OVERALL,
    STATUSES,
    UNITS,
    FrameworkDef,
    FrameworkFileError,
    Problem,
    dump_yaml,
    judgements_check,
    load_dir,
    load_file,
    to_dict,
)

EXPECTED_CODES = [
    "cp-2012",
    "cqc-clas-2013",
    "ilacs-2018",
    "ilacs-2023",
    "ilacs-2026",
    "ilacs-focused-visit",
    "ilacs-monitoring-visit",
    "jtai",
    "lscb-review-2013",
    "sif-2013",
]
SHIPPED_FILES = sorted(FRAMEWORKS_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def frameworks() -> dict[str, FrameworkDef]:
    return {f.code: f for f in load_dir()}


# ---------------------------------------------------------------------------
# Shipped files
# ---------------------------------------------------------------------------


def test_load_dir_loads_every_shipped_framework_sorted_by_code():
    loaded = load_dir()
    assert [f.code for f in loaded] == EXPECTED_CODES
    assert len({f.code for f in loaded}) == len(loaded)


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_each_shipped_file_loads_on_its_own(path: Path):
    framework = load_file(path)
    assert framework.code == path.stem
    assert framework.schema_version == 1
    assert framework.version >= 1
    assert framework.sources
    assert framework.notes
    assert framework.areas


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_each_shipped_file_round_trips_through_yaml(path: Path, tmp_path: Path):
    original = load_file(path)
    copy_path = tmp_path / path.name
    copy_path.write_text(dump_yaml(original), encoding="utf-8")
    reloaded = load_file(copy_path)
    assert reloaded == original
    assert to_dict(reloaded) == to_dict(original)


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_each_shipped_milestone_uses_known_vocabulary(path: Path):
    for ms in load_file(path).milestones:
        assert ms.anchor in ANCHORS
        assert ms.unit in UNITS
        assert ms.convention in CONVENTIONS
        assert ms.status in STATUSES
        assert ms.explanation and ms.source


def test_grade_labels_follow_the_reports(frameworks):
    def labels(code):
        return [g.label for g in frameworks[code].grade_scale.grades]

    assert labels("sif-2013") == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert labels("ilacs-2018") == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert labels("ilacs-2023")[2] == "Requires improvement to be good"
    assert labels("ilacs-2026")[2] == "Requires improvement to be good"
    assert labels("cp-2012") == ["Outstanding", "Good", "Adequate", "Inadequate"]
    for code in ("cqc-clas-2013", "ilacs-focused-visit", "ilacs-monitoring-visit", "jtai"):
        assert frameworks[code].grade_scale is None
        assert not frameworks[code].graded_areas


def test_sif_has_three_key_judgements_two_sub_judgements_and_the_limiting_rule(frameworks):
    sif = frameworks["sif-2013"]
    keys = [a.code for a in sif.areas if a.kind == "key"]
    assert keys == ["help_and_protection", "children_in_care", "leaders"]
    assert all(sif.area(k).limits_overall and sif.area(k).parent == OVERALL for k in keys)
    subs = sif.children_of("children_in_care")
    assert [(a.code, a.kind, a.depth) for a in subs] == [
        ("adoption", "graded_sub", 2),
        ("care_leavers", "graded_sub", 2),
    ]
    (rule,) = sif.rules
    assert rule.kind == "limiting"
    assert set(rule.when_any_of) == set(keys)
    assert (rule.then_area, rule.max_grade) == (OVERALL, "inadequate")


def test_sif_milestones_carry_the_briefing_numbers(frameworks):
    ms = {m.code: m for m in frameworks["sif-2013"].milestones}
    assert (ms["draft_report"].anchor, ms["draft_report"].offset) == ("onsite_end", 15)
    assert (ms["factual_accuracy"].anchor, ms["factual_accuracy"].offset) == ("draft_report_received", 5)
    assert ms["pre_publication_report"].offset == 25
    assert (ms["publication"].offset, ms["publication"].status) == (27, "ofsted_target")
    assert "30" in ms["publication"].explanation
    assert (ms["la_publishes_report"].offset, ms["la_publishes_report"].status) == (30, "statutory")
    assert (ms["action_plan"].anchor, ms["action_plan"].offset) == ("final_report_received", 70)
    window = ms["reinspection_window"]
    assert (window.offset, window.window_end_offset, window.unit) == (12, 18, "months")
    assert window.applies_if.area == OVERALL and window.applies_if.grades == ("inadequate",)


def test_ilacs_milestones_and_publication_lag_is_observed(frameworks):
    for code in ("ilacs-2018", "ilacs-2023", "ilacs-2026"):
        ms = {m.code: m for m in frameworks[code].milestones}
        assert ms["publication"].status == "observed"
        assert ms["factual_accuracy"].offset == 5
        assert (ms["complaint_window"].anchor, ms["complaint_window"].offset) == ("final_report_received", 5)
        assert ms["la_publishes_report"].offset == 30
        assert ms["action_plan"].offset == 70
        window = ms["next_inspection_window"]
        assert (window.anchor, window.offset, window.window_end_offset, window.unit) == (
            "onsite_end",
            30,
            42,
            "months",
        )
    assert {m.code: m for m in frameworks["ilacs-2023"].milestones}["publication"].offset == 27


def test_jtai_notification_is_ten_working_days_before_fieldwork_counted_from_day_one(frameworks):
    jtai = frameworks["jtai"]
    ms = {m.code: m for m in jtai.milestones}
    notice = ms["notification"]
    assert (notice.anchor, notice.offset, notice.unit, notice.convention) == (
        "fieldwork_start",
        -10,
        "working_days",
        "day1",
    )
    assert ms["statement_of_action"].offset == 70
    assert {"front_door", "assessment_planning_decisions", "partnership_leadership"} <= set(jtai.area_codes)
    themes = {t.code: t for t in jtai.themes}
    assert themes["domestic_abuse_2016"].period_from == dt.date(2016, 9, 1)
    assert themes["serious_youth_violence"].period_to is None


def test_structures_of_the_other_frameworks(frameworks):
    assert frameworks["lscb-review-2013"].area_codes == (OVERALL,)
    assert frameworks["cp-2012"].area_codes == (
        "overall",
        "help_and_protection",
        "quality_of_practice",
        "leaders",
    )
    assert not frameworks["cp-2012"].rules
    clas = frameworks["cqc-clas-2013"]
    assert [a.kind for a in clas.areas] == ["line_of_enquiry"] * 4
    assert frameworks["ilacs-2018"].area_codes == (
        "overall",
        "leaders",
        "help_and_protection",
        "children_in_care",
    )
    assert frameworks["ilacs-2023"].area_codes[-1] == "care_leavers"
    assert OVERALL not in frameworks["ilacs-2026"].area_codes
    assert not frameworks["ilacs-2026"].rules


def test_the_same_concept_keeps_the_same_area_code_across_versions(frameworks):
    for code in ("cp-2012", "sif-2013", "ilacs-2018", "ilacs-2023", "ilacs-2026"):
        assert {"leaders", "help_and_protection"} <= set(frameworks[code].area_codes), code
    for code in ("sif-2013", "ilacs-2023", "ilacs-2026"):
        assert "care_leavers" in frameworks[code].area_codes


def test_valid_periods_of_successive_ilacs_versions_do_not_overlap(frameworks):
    v18, v23, v26 = (frameworks[c] for c in ("ilacs-2018", "ilacs-2023", "ilacs-2026"))
    assert v18.valid_to < v23.valid_from and v23.valid_to < v26.valid_from
    assert v26.valid_to is None


# ---------------------------------------------------------------------------
# Bad files
# ---------------------------------------------------------------------------

GOOD = textwrap.dedent(
    """\
    schema_version: 1
    code: test-fw
    name: Test framework
    version: 1
    inspectorate: Ofsted
    kind: inspection
    valid_from: 2020-01-01
    valid_to: null
    source:
      - {title: Somewhere, url: "https://example.org/x"}
    notes: A test.
    grade_scale:
      code: test-scale
      grades:
        - {code: good, label: Good, rank: 1}
        - {code: bad, label: Bad, rank: 2}
    areas:
      - code: overall
        name: Overall
        kind: overall
        graded: true
        children:
          - code: alpha
            name: Alpha
            kind: key
            graded: true
            limits_overall: true
          - code: beta
            name: Beta
            kind: contributory
            graded: false
    rules:
      - kind: limiting
        when_any_of: [alpha]
        grade: bad
        then: {area: overall, max_grade: bad}
        message: "{area} cannot be better than {max_grade} because '{trigger}' is {trigger_grade}."
    milestones:
      - code: publication
        name: Published
        anchor: onsite_end
        offset: 20
        unit: working_days
        convention: day0
        status: observed
        source: test
        explanation: Typically 20 working days.
      - code: revisit
        name: Revisit
        anchor: onsite_end
        offset: 12
        window_end_offset: 18
        unit: months
        convention: day0
        status: ofsted_target
        applies_if: {area: overall, grade: bad}
        source: test
        explanation: Between 12 and 18 months after a bad overall judgement.
    """
)


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """Return the 1-based number of the nth line containing needle."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]


def _write(directory: Path, text: str, name: str = "test-fw.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bad_file_template_itself_is_valid(tmp_path: Path):
    framework = load_file(_write(tmp_path, GOOD))
    assert framework.area_codes == ("overall", "alpha", "beta")
    assert framework.path.endswith("test-fw.yaml")


def _replace(old: str, new: str, count: int = 1):
    def mutate(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return mutate


# (id, mutation, needle marking the expected line in the mutated text, words expected in the message)
BAD_CASES = [
    (
        "unknown-grade-in-rule",
        _replace("    grade: bad\n    then:", "    grade: terrible\n    then:"),
        "grade: terrible",
        "unknown grade 'terrible'",
    ),
    (
        "unknown-max-grade-in-rule",
        _replace("max_grade: bad}\n    message", "max_grade: awful}\n    message"),
        "max_grade: awful",
        "unknown grade 'awful'",
    ),
    (
        "unknown-grade-in-applies-if",
        _replace("applies_if: {area: overall, grade: bad}", "applies_if: {area: overall, grade: adequate}"),
        "grade: adequate",
        "unknown grade 'adequate'",
    ),
    (
        "duplicate-area-code",
        _replace("      - code: beta\n", "      - code: alpha\n"),
        "- code: alpha",
        "duplicate area code 'alpha'",
    ),
    (
        "rule-names-unknown-area",
        _replace("when_any_of: [alpha]", "when_any_of: [gamma]"),
        "when_any_of: [gamma]",
        "unknown area 'gamma'",
    ),
    (
        "rule-then-names-unknown-area",
        _replace("then: {area: overall,", "then: {area: nowhere,"),
        "then: {area: nowhere,",
        "unknown area 'nowhere'",
    ),
    (
        "unknown-anchor",
        _replace("anchor: onsite_end\n    offset: 20", "anchor: end_of_term\n    offset: 20"),
        "anchor: end_of_term",
        "unknown anchor 'end_of_term'",
    ),
    (
        "unknown-unit",
        _replace("unit: working_days", "unit: fortnights"),
        "unit: fortnights",
        "unknown unit 'fortnights'",
    ),
    (
        "unknown-convention",
        _replace("convention: day0", "convention: day2"),
        "convention: day2",
        "unknown convention 'day2'",
    ),
    (
        "unknown-status",
        _replace("status: observed", "status: promised"),
        "status: promised",
        "unknown status 'promised'",
    ),
    (
        "missing-top-level-key",
        _replace("inspectorate: Ofsted\n", ""),
        "schema_version: 1",
        "missing required key 'inspectorate'",
    ),
    (
        "missing-milestone-key",
        _replace("    source: test\n    explanation: Typically 20 working days.", "    source: test"),
        "- code: publication",
        "missing required key 'explanation' in milestone",
    ),
    (
        "missing-area-key",
        _replace("      - code: beta\n        name: Beta\n", "      - code: beta\n"),
        "- code: beta",
        "missing required key 'name' in area",
    ),
    (
        "valid-to-before-valid-from",
        _replace("valid_to: null", "valid_to: 2019-12-31"),
        "valid_to: 2019-12-31",
        "valid_to (2019-12-31) is before valid_from (2020-01-01)",
    ),
    (
        "limits-overall-on-ungraded-area",
        _replace(
            "        kind: contributory\n        graded: false\n",
            "        kind: contributory\n        graded: false\n        limits_overall: true\n",
        ),
        "limits_overall: true",
        "'beta' has limits_overall: true but is not graded",
    ),
    (
        "impossible-date",
        _replace("valid_from: 2020-01-01", "valid_from: 2020-13-01"),
        "valid_from: 2020-13-01",
        "'valid_from' must be a date (YYYY-MM-DD)",
    ),
    (
        "window-end-before-offset",
        _replace("window_end_offset: 18", "window_end_offset: 6"),
        "window_end_offset: 6",
        "window_end_offset (6) must be after offset (12)",
    ),
    (
        "unknown-key",
        _replace("notes: A test.", "notes: A test.\nnotse: typo"),
        "notse: typo",
        "unknown key 'notse'",
    ),
    (
        "duplicate-yaml-key",
        _replace("notes: A test.", "notes: A test.\nnotes: Again."),
        "notes: Again.",
        "duplicate key 'notes'",
    ),
    (
        "rank-out-of-order",
        _replace("{code: bad, label: Bad, rank: 2}", "{code: bad, label: Bad, rank: 5}"),
        "rank: 5",
        "should be 2",
    ),
    (
        "yaml-syntax-error",
        _replace("notes: A test.", "notes: A test: with a colon"),
        "notes: A test: with a colon",
        "YAML syntax error",
    ),
    (
        "code-does-not-match-file-name",
        _replace("code: test-fw", "code: other-fw"),
        "code: other-fw",
        "must match the file name",
    ),
]
# Cases whose needle also matches an earlier line: which occurrence marks the problem.
NTH = {"limits-overall-on-ungraded-area": 2, "duplicate-area-code": 2}


@pytest.mark.parametrize(("case", "mutate", "needle", "words"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_file_is_refused_with_file_and_line(tmp_path: Path, case, mutate, needle, words):
    text = mutate(GOOD)
    path = _write(tmp_path, text)
    with pytest.raises(FrameworkFileError) as info:
        load_file(path)
    line = _line_of(text, needle, NTH.get(case, 1))
    prefix = f"{path}:{line}: "
    matching = [p for p in info.value.problems if p.startswith(prefix) and words in p]
    assert matching, f"expected {prefix}…{words!r} in {info.value.problems}"
    assert words in str(info.value)


@pytest.mark.parametrize(("case", "mutate", "needle", "words"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_load_dir_loads_nothing_when_any_file_is_bad(tmp_path: Path, case, mutate, needle, words):
    _write(tmp_path, GOOD.replace("code: test-fw", "code: fine-fw"), "fine-fw.yaml")
    bad = _write(tmp_path, mutate(GOOD))
    with pytest.raises(FrameworkFileError) as info:
        load_dir(tmp_path)
    assert info.value.problems
    assert all(p.startswith(f"{bad}:") for p in info.value.problems)


def test_load_dir_reports_problems_from_every_bad_file(tmp_path: Path):
    first = _write(tmp_path, GOOD.replace("unit: working_days", "unit: weeks"))
    second = _write(
        tmp_path,
        GOOD.replace("code: test-fw", "code: second-fw").replace("status: observed", "status: hoped"),
        "second-fw.yaml",
    )
    with pytest.raises(FrameworkFileError) as info:
        load_dir(tmp_path)
    problems = info.value.problems
    assert any(p.startswith(f"{first}:") and "weeks" in p for p in problems)
    assert any(p.startswith(f"{second}:") and "hoped" in p for p in problems)


def test_load_file_reports_several_problems_at_once_in_file_order(tmp_path: Path):
    text = GOOD.replace("status: observed", "status: hoped").replace("kind: inspection", "kind: audit")
    path = _write(tmp_path, text)
    with pytest.raises(FrameworkFileError) as info:
        load_file(path)
    assert info.value.problems == [
        f"{path}:{_line_of(text, 'kind: audit')}: unknown kind 'audit'; "
        "use one of: inspection, review, visit",
        f"{path}:{_line_of(text, 'status: hoped')}: unknown status 'hoped' in milestone; "
        "use one of: statutory, ofsted_target, observed",
    ]


@pytest.mark.parametrize("text", ["", "[]\n", "just text\n"], ids=["empty", "list", "scalar"])
def test_file_that_is_not_a_mapping_is_refused(tmp_path: Path, text: str):
    path = _write(tmp_path, text)
    with pytest.raises(FrameworkFileError) as info:
        load_file(path)
    assert info.value.problems == [
        f"{path}:1: a framework file must be a YAML mapping (key: value pairs) at the top level"
    ]


def test_graded_area_in_a_framework_without_grade_scale_is_refused(tmp_path: Path):
    head, rest = GOOD.split("grade_scale:\n")
    areas = "areas:" + rest.split("areas:")[1].split("rules:")[0]
    text = head + "grade_scale: null\n" + areas + "rules: []\nmilestones: []\n"
    path = _write(tmp_path, text)
    with pytest.raises(FrameworkFileError) as info:
        load_file(path)
    line = _line_of(text, "graded: true")
    assert any(
        p.startswith(f"{path}:{line}:") and "graded but the framework has no grade scale" in p
        for p in info.value.problems
    )


def test_limiting_rule_and_limits_overall_flags_must_agree(tmp_path: Path):
    text = GOOD.replace("        limits_overall: true\n", "")
    assert text != GOOD
    path = _write(tmp_path, text)
    with pytest.raises(FrameworkFileError) as info:
        load_file(path)
    line = _line_of(text, "- kind: limiting")
    assert any(p.startswith(f"{path}:{line}:") and "limits_overall" in p for p in info.value.problems)


def test_same_grade_scale_code_with_different_grades_is_refused_across_files(tmp_path: Path):
    _write(tmp_path, GOOD)
    _write(
        tmp_path,
        GOOD.replace("code: test-fw", "code: other-fw").replace("label: Bad", "label: Poor"),
        "other-fw.yaml",
    )
    with pytest.raises(FrameworkFileError, match="grade scale 'test-scale' differs"):
        load_dir(tmp_path)


# ---------------------------------------------------------------------------
# The flat area form (areas name their parent)
# ---------------------------------------------------------------------------

FLAT_AREAS = textwrap.dedent(
    """\
    areas:
      - {code: overall, name: Overall, kind: overall, graded: true}
      - {code: alpha, name: Alpha, kind: key, graded: true, limits_overall: true, parent: overall}
      - {code: alpha_sub, name: Alpha sub, kind: graded_sub, graded: true, parent: alpha}
      - {code: beta, name: Beta, kind: contributory, graded: false, parent: overall}
    rules:
    """
)


def _flat(areas: str = FLAT_AREAS) -> str:
    start = GOOD.index("areas:")
    end = GOOD.index("rules:\n") + len("rules:\n")
    return GOOD[:start] + areas + GOOD[end:]


def test_flat_area_form_builds_the_same_tree_and_round_trips(tmp_path: Path):
    framework = load_file(_write(tmp_path, _flat()))
    assert [(a.code, a.parent, a.depth) for a in framework.areas] == [
        ("overall", None, 0),
        ("alpha", "overall", 1),
        ("alpha_sub", "alpha", 2),
        ("beta", "overall", 1),
    ]
    nested = tmp_path / "nested"
    nested.mkdir()
    assert load_file(_write(nested, dump_yaml(framework))) == framework


def test_cycle_in_flat_area_tree_is_reported_with_line(tmp_path: Path):
    areas = textwrap.dedent(
        """\
        areas:
          - {code: overall, name: Overall, kind: overall, graded: true}
          - {code: alpha, name: Alpha, kind: key, graded: true, limits_overall: true, parent: overall}
          - {code: loop_a, name: Loop A, kind: contributory, graded: false, parent: loop_b}
          - {code: loop_b, name: Loop B, kind: contributory, graded: false, parent: loop_a}
        rules:
        """
    )
    text = _flat(areas)
    path = _write(tmp_path, text)
    with pytest.raises(FrameworkFileError) as info:
        load_file(path)
    cycles = [p for p in info.value.problems if "cycle in the area tree" in p]
    assert len(cycles) == 1
    assert cycles[0].startswith(f"{path}:{_line_of(text, 'code: loop_')}:") or cycles[0].startswith(
        f"{path}:{_line_of(text, 'code: loop_', 2)}:"
    )
    assert "loop_a" in cycles[0] and "loop_b" in cycles[0]


def test_flat_area_naming_unknown_parent_is_reported(tmp_path: Path):
    text = _flat(FLAT_AREAS.replace("parent: alpha}", "parent: nobody}"))
    path = _write(tmp_path, text)
    with pytest.raises(FrameworkFileError) as info:
        load_file(path)
    line = _line_of(text, "parent: nobody")
    assert any(
        p.startswith(f"{path}:{line}:") and "unknown parent 'nobody'" in p for p in info.value.problems
    )


def test_duplicate_codes_in_flat_form_are_reported(tmp_path: Path):
    text = _flat(FLAT_AREAS.replace("code: beta", "code: alpha_sub"))
    path = _write(tmp_path, text)
    with pytest.raises(FrameworkFileError) as info:
        load_file(path)
    line = _line_of(text, "code: alpha_sub", 2)
    assert any(p.startswith(f"{path}:{line}:") and "duplicate area code" in p for p in info.value.problems)


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


def test_ungraded_area_in_graded_framework_is_refused(tmp_path: Path):
    framework = load_file(_write(tmp_path, GOOD))
    (problem,) = judgements_check(framework, {"beta": "good"})
    assert (problem.level, problem.area) == ("error", "beta")
    assert "'Beta' is not a graded judgement" in problem.message


def test_empty_and_blank_grades_are_valid(frameworks):
    assert judgements_check(frameworks["sif-2013"], {}) == []
    assert judgements_check(frameworks["sif-2013"], {"overall": None, "leaders": ""}) == []


def test_to_dict_is_plain_yaml_safe_data(frameworks):
    data = to_dict(frameworks["sif-2013"])
    assert yaml.safe_load(yaml.safe_dump(data)) == data
    assert data["areas"][0]["code"] == OVERALL
    assert [c["code"] for c in data["areas"][0]["children"]] == [
        "help_and_protection",
        "children_in_care",
        "leaders",
    ]
