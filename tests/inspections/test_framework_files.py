"""The shipped framework data files and their pure loader: loading, round trips and content (no
database). Refused files are in test_framework_files_refused.py, judgements in
test_framework_judgements.py."""

from __future__ import annotations

import datetime as dt
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
    dump_yaml,
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


def test_to_dict_is_plain_yaml_safe_data(frameworks):
    data = to_dict(frameworks["sif-2013"])
    assert yaml.safe_load(yaml.safe_dump(data)) == data
    assert data["areas"][0]["code"] == OVERALL
    assert [c["code"] for c in data["areas"][0]["children"]] == [
        "help_and_protection",
        "children_in_care",
        "leaders",
    ]
