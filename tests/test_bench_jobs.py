"""The PDF-job metric builders (bench/metrics_jobs.py, reliability P4, P5, P8, P9) on fake raw dicts."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import metrics_jobs  # noqa: E402

MIB = 1024


def pack_raw(**changes) -> dict:
    raw = {
        "pages": 4,
        "pack_best_s": 1.2,
        "pack_runs_s": [1.3, 1.2, 1.25],
        "one_page_best_s": 0.05,
        "packs": 20,
        "rss_after_one_page_kib": 100 * MIB,
        "peak_rss_during_first_pack_kib": 180 * MIB,
        "peak_reset_before_pack": True,
        "rss_after_first_pack_kib": 150 * MIB,
        "rss_after_last_pack_kib": 160 * MIB,
    }
    return {**raw, **changes}


def by_name(metrics) -> dict:
    return {metric.name: metric for metric in metrics}


def test_pack_time_is_per_page_against_the_one_page_document():
    found = by_name(metrics_jobs.pack_metrics(pack_raw(), 20))
    per_page = found["board_pack_seconds_per_page_vs_one_page"]
    assert per_page.value == pytest.approx(1.2 / 4 / 0.05)  # 6.0x: on the target, within the goal
    assert per_page.met is True
    assert per_page.line().startswith(
        "board_pack_seconds_per_page_vs_one_page: 6.00x (goal <= 8x, within target <= 6x; 4 pages in 1.20 s"
    )
    slower = by_name(metrics_jobs.pack_metrics(pack_raw(pack_best_s=1.4), 20))  # 7x per page
    assert slower["board_pack_seconds_per_page_vs_one_page"].met is True
    assert "over target <= 6x" in slower["board_pack_seconds_per_page_vs_one_page"].goal
    missed = by_name(metrics_jobs.pack_metrics(pack_raw(pages=1), 20))[
        "board_pack_seconds_per_page_vs_one_page"
    ]
    assert missed.value == pytest.approx(24.0)
    assert missed.met is False and missed.line().endswith("MISSED")


def test_pack_seconds_over_the_absolute_are_flagged_but_do_not_decide():
    raw = pack_raw(pages=40, pack_best_s=12.0, one_page_best_s=0.05)  # 6x per page, but 12 s
    metric = by_name(metrics_jobs.pack_metrics(raw, 20))["board_pack_seconds_per_page_vs_one_page"]
    assert "informational <= 10 s OVER" in metric.goal
    assert metric.met is True


def test_peak_rss_is_against_the_rss_after_the_one_page_render():
    found = by_name(metrics_jobs.pack_metrics(pack_raw(), 20))
    peak = found["board_pack_peak_rss_vs_one_page"]
    assert peak.value == pytest.approx(1.8)
    assert peak.met is True
    assert "peak 180 MiB vs 100 MiB" in peak.goal
    big = by_name(metrics_jobs.pack_metrics(pack_raw(peak_rss_during_first_pack_kib=301 * MIB), 20))
    assert big["board_pack_peak_rss_vs_one_page"].met is False
    unreset = by_name(metrics_jobs.pack_metrics(pack_raw(peak_reset_before_pack=False), 20))
    assert "could not be reset" in unreset["board_pack_peak_rss_vs_one_page"].goal


def test_leak_check_compares_rss_after_n_packs_with_after_the_first():
    found = by_name(metrics_jobs.pack_metrics(pack_raw(), 20))
    leak = found["board_pack_rss_after_20_vs_after_1"]
    assert leak.value == pytest.approx(160 / 150)
    assert leak.met is True
    leaking = pack_raw(rss_after_last_pack_kib=181 * MIB)  # > 1.2 x 150 MiB
    assert by_name(metrics_jobs.pack_metrics(leaking, 20))["board_pack_rss_after_20_vs_after_1"].met is False
    smoke = metrics_jobs.pack_metrics(pack_raw(packs=5), 5)
    assert [m.name for m in smoke] == metrics_jobs.pack_names(5)
    assert smoke[2].name == "board_pack_rss_after_5_vs_after_1"
    assert "after 5 packs" in smoke[2].goal


def test_pack_na_gives_every_pack_line_na():
    lines = metrics_jobs.pack_metrics({"na": "board summary cannot be built: no inspection"}, 20)
    assert [m.line() for m in lines] == [
        f"{name}: n/a (board summary cannot be built: no inspection)" for name in metrics_jobs.pack_names(20)
    ]
    assert not any(m.error for m in lines)
    assert all(m.error for m in metrics_jobs.pack_metrics({"na": "not one page", "error": True}, 20))


def request_raw(**changes) -> dict:
    raw = {
        "statuses": {"request": [302], "trivial": [200]},
        "request": {"p50_ms": 9.0, "p95_ms": 14.0},
        "trivial": {"p50_ms": 3.0, "p95_ms": 4.0},
        "samples": 200,
        "reports_made": 220,
        "reports_by_status": {"queued": 220},
        "reports_with_a_file": 0,
        "reports_not_sent": 0,
    }
    return {**raw, **changes}


def test_request_ratio_is_of_p95s_and_needs_every_report_still_queued():
    metric = metrics_jobs.request_metric(request_raw())
    assert metric.value == pytest.approx(3.5)
    assert metric.met is True
    assert metric.line().startswith(
        "report_request_vs_trivial: 3.50x (goal <= 5x, render never inline; p95 14.0"
    )
    assert "none rendered inline" in metric.goal
    slow = metrics_jobs.request_metric(request_raw(request={"p50_ms": 9.0, "p95_ms": 21.0}))
    assert slow.met is False  # 5.25x
    inline = metrics_jobs.request_metric(request_raw(reports_by_status={"queued": 219, "ready": 1}))
    assert inline.value == pytest.approx(3.5)
    assert inline.met is False  # fast enough, but one report was rendered inside the request
    assert "1 rendered inline" in inline.goal


def test_request_that_was_not_measured_properly_is_na():
    unsent = metrics_jobs.request_metric(request_raw(reports_not_sent=3))
    assert unsent.na and unsent.error and "never sent to the broker" in unsent.reason
    refused = metrics_jobs.request_metric(request_raw(statuses={"request": [200, 302], "trivial": [200]}))
    assert refused.na and "unexpected statuses" in refused.reason
    assert metrics_jobs.request_metric({"na": "demo user 'dcs' missing", "error": True}).error


def e2e_raw(**changes) -> dict:
    raw = {
        "runs": 3,
        "job_best_s": 1.1,
        "job_runs": [
            {"s": 1.3, "queue_wait_s": 0.2, "worker_render_s": 1.0, "pages": 3},
            {"s": 1.1, "queue_wait_s": 0.02, "worker_render_s": 1.0, "pages": 3},
        ],
        "direct_best_s": 1.0,
        "direct_pages": 3,
        "job_pages": 3,
    }
    return {**raw, **changes}


def test_end_to_end_is_best_job_against_best_direct_render():
    metric = metrics_jobs.end_to_end_metric(e2e_raw())
    assert metric.value == pytest.approx(1.1)
    assert metric.met is True
    assert metric.line() == (
        "report_job_end_to_end_vs_direct: 1.10x (goal <= 1.30x; job 1.10 s (waited 0.02 s, worker 1.00 s) "
        "vs direct 1.00 s, best of 3)"
    )
    slow = metrics_jobs.end_to_end_metric(e2e_raw(job_best_s=1.4))
    assert slow.met is False and slow.line().endswith("MISSED")
    assert "pages differ" in metrics_jobs.end_to_end_metric(e2e_raw(job_pages=4)).goal


def test_without_redis_both_job_lines_are_na_not_errors():
    lines = metrics_jobs.needs_redis("needs Redis: REDIS_URL is not set")
    assert [m.line() for m in lines] == [
        "report_request_vs_trivial: n/a (needs Redis: REDIS_URL is not set)",
        "report_job_end_to_end_vs_direct: n/a (needs Redis: REDIS_URL is not set)",
    ]
    assert not any(m.error for m in lines)
