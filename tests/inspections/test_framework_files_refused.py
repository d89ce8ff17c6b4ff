"""Framework data files that are refused: one problem per mutation of a good file, with file and
line; several files and problems at once; the flat area form (no database)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from inspections.framework_files import (
    FrameworkFileError,
    dump_yaml,
    judgements_check,
    load_dir,
    load_file,
)

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


def test_ungraded_area_in_graded_framework_is_refused(tmp_path: Path):
    framework = load_file(_write(tmp_path, GOOD))
    (problem,) = judgements_check(framework, {"beta": "good"})
    assert (problem.level, problem.area) == ("error", "beta")
    assert "'Beta' is not a graded judgement" in problem.message
