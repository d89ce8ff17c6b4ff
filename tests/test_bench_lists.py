"""Report lines for the child list, audit list and history writes (bench/metrics_lists.py, P3 and P10)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import metrics_lists  # noqa: E402


def page(samples, path="/casework/children/", statuses=None):
    return {"path": path, "statuses": statuses or {"200": len(samples)}, "samples_ms": samples}


def flat(ms, n=20):
    return [ms] * n


def child_lists(ref_first=10.0, large_first=11.0, large_last=15.0):
    reference = {"first": page(flat(ref_first)), "children": 400, "last_page": 8}
    large = {
        "first": page(flat(large_first)),
        "last": page(flat(large_last), "/casework/children/?page=80"),
        "children": 4000,
        "last_page": 80,
    }
    return reference, large


def test_child_list_lines_compare_page_one_across_scales_and_the_last_page_with_page_one():
    first, last = metrics_lists.child_list_metrics(1, 10, *child_lists())
    assert first.line() == (
        "child_list_p95_large_vs_reference: 1.10x: page 1 p95 11.0 ms at scale 10 (4000 children) vs "
        "10.0 ms at scale 1 (400 children) (goal <= 1.50x, within target <= 1.20x, reliability P3)"
    )
    assert first.met is True and first.raw["target_met"] is True
    assert last.line() == (
        "child_list_last_page_vs_first: 1.36x: page 80 p95 15.0 ms vs page 1 11.0 ms at scale 10 "
        "(goal <= 2x, reliability P3)"
    )
    assert last.met is True


def test_child_list_goals_are_missed_past_the_limits_and_the_target_is_recorded():
    first, last = metrics_lists.child_list_metrics(1, 10, *child_lists(10.0, 14.0, 30.0))
    assert first.met is True and first.raw["target_met"] is False  # 1.4x: must met, target not
    assert first.goal == "goal <= 1.50x, above target <= 1.20x, reliability P3"
    assert not first.line().endswith("MISSED")
    assert last.met is False and last.line().endswith("MISSED")
    first, _ = metrics_lists.child_list_metrics(1, 10, *child_lists(10.0, 16.0, 16.0))
    assert first.met is False


def test_p95_is_taken_from_the_samples_not_the_mean():
    # 19 fast samples and one slow one: the p95 interpolates towards the slow one.
    subject = page([10.0] * 19 + [110.0])
    assert metrics_lists.p95_ms(subject) == pytest.approx(15.0)
    reference, large = child_lists()
    large["first"] = subject
    first, _ = metrics_lists.child_list_metrics(1, 10, reference, large)
    assert first.value == pytest.approx(1.5)


def test_a_page_that_answered_other_than_200_gives_no_number():
    reference, large = child_lists()
    large["last"]["statuses"] = {"200": 19, "500": 1}
    first, last = metrics_lists.child_list_metrics(1, 10, reference, large)
    assert not first.na
    assert last.na and last.error
    assert "500" in last.line()


def test_a_missing_child_list_is_na_on_both_lines():
    reference, _ = child_lists()
    lines = metrics_lists.child_list_metrics(1, 10, reference, {"na": "no URL named casework:child-list"})
    assert [m.line() for m in lines] == [
        "child_list_p95_large_vs_reference: n/a (no URL named casework:child-list)",
        "child_list_last_page_vs_first: n/a (no URL named casework:child-list)",
    ]
    assert not any(m.error for m in lines)  # a missing feature, not a failure
    broken = {"na": "error: GET /casework/children/ (first) answered 500, not 200", "error": True}
    assert all(m.error for m in metrics_lists.child_list_metrics(1, 10, broken, broken))
    assert metrics_lists.auditor_list_metric(broken).error
    assert metrics_lists.tracked_updates_metric({"na": "no Event in the seeded data"}).error is False


def tracked(tracked_s=(0.9, 0.8, 0.85), untracked_s=(0.3, 0.25, 0.4), **changes):
    raw = {
        "model": "casework.Event",
        "field": "value",
        "updates": 1000,
        "tracked_s": list(tracked_s),
        "untracked_s": list(untracked_s),
        "history_rows_written": {"tracked": [1000, 1000, 1000], "untracked": [0, 0, 0]},
        "rolled_back": True,
    }
    return {**raw, **changes}


def test_tracked_updates_compare_the_best_runs():
    metric = metrics_lists.tracked_updates_metric(tracked())
    assert metric.value == pytest.approx(0.8 / 0.25)
    assert metric.met is True
    assert metric.line() == (
        "tracked_updates_vs_untracked: 3.20x: 1000 saves of casework.Event.value in 0.80 s with "
        "history vs 0.25 s without, best of 3 (goal <= 4x, reliability P10)"
    )
    assert metrics_lists.tracked_updates_metric(tracked(untracked_s=(0.1, 0.2, 0.3))).met is False


def test_tracked_updates_refuse_a_run_whose_history_did_not_behave():
    leaked = tracked(history_rows_written={"tracked": [1000, 1000, 1000], "untracked": [0, 1000, 0]})
    assert metrics_lists.tracked_updates_metric(leaked).na
    missing = tracked(history_rows_written={"tracked": [1000, 0, 1000], "untracked": [0, 0, 0]})
    metric = metrics_lists.tracked_updates_metric(missing)
    assert metric.na and metric.error and metric.value is None
    kept = metrics_lists.tracked_updates_metric(tracked(rolled_back=False))
    assert kept.na and "changed" in kept.reason


def audits(auditor_ms=12.0, pm_ms=10.0, **changes):
    raw = {
        "auditor": page(flat(auditor_ms), "/casework/audits/"),
        "pm": page(flat(pm_ms), "/casework/audits/"),
        "auditor_rows": 18,
        "pm_rows": 18,
        "auditor_scoped": True,
        "pm_scoped": False,
    }
    return {**raw, **changes}


def test_auditor_list_is_compared_with_the_same_list_as_the_pm():
    metric = metrics_lists.auditor_list_metric(audits())
    assert metric.line() == (
        "auditor_list_p95_vs_pm: 1.20x: p95 12.0 ms as the auditor (18 audits) vs 10.0 ms as the PM (18) "
        "(goal <= 1.30x, reliability P10)"
    )
    assert metrics_lists.auditor_list_metric(audits(auditor_ms=14.0)).met is False


def test_an_auditor_without_audits_is_said_so_not_measured():
    metric = metrics_lists.auditor_list_metric(audits(auditor_rows=0))
    assert metric.na and not metric.error
    assert "no audits" in metric.line()
    unscoped = metrics_lists.auditor_list_metric(audits(auditor_scoped=False))
    assert unscoped.na and unscoped.error


def test_every_line_name_is_declared_for_the_fallbacks():
    reference, large = child_lists()
    names = [m.name for m in metrics_lists.child_list_metrics(1, 10, reference, large)]
    names += [
        metrics_lists.tracked_updates_metric(tracked()).name,
        metrics_lists.auditor_list_metric(audits()).name,
    ]
    assert names == metrics_lists.CHILD_LIST_NAMES + metrics_lists.HISTORY_NAMES
