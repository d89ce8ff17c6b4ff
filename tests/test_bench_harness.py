"""The benchmark harness's pure helpers (bench/): fast, no gunicorn, no scratch databases."""

import io
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import casegen  # noqa: E402
import metrics  # noqa: E402
import web  # noqa: E402
from common import Metric, format_line, meets, not_available, percentile, ratio_metric, summary_line  # noqa: E402
from pages import PAGES  # noqa: E402


def test_percentile_interpolates_like_numpy():
    assert percentile([5], 95) == 5
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert percentile([3, 1, 2], 0) == 1
    assert percentile([3, 1, 2], 100) == 3
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_goal_checks():
    assert meets(1.8, "<=", 3)
    assert not meets(3.1, "<=", 3)
    assert meets(0.3, ">=", 0.3)
    assert meets(12, "==", 12)


def test_lines_read_name_value_goal_and_mark_misses():
    met = ratio_metric("dcs_page_p95_vs_trivial", 18.0, 10.0, "<=", 3, {})
    assert met.line() == "dcs_page_p95_vs_trivial: 1.80x (goal <= 3x)"
    missed = ratio_metric("import_vs_copy_10k", 1.0, 250.0, ">=", 0.3, {})
    assert missed.line() == "import_vs_copy_10k: 0.004x (goal >= 0.30x) MISSED"
    reported = ratio_metric("board_summary_render_vs_bare_weasyprint", 1.2, 1.0, None, None, {})
    assert reported.line() == "board_summary_render_vs_bare_weasyprint: 1.20x (no goal; reported)"
    assert reported.met is None


def test_na_lines_never_carry_a_number():
    metric = not_available("plan_overview_queries", "no URL named like plan-overview yet")
    assert format_line(metric) == "plan_overview_queries: n/a (no URL named like plan-overview yet)"
    assert ratio_metric("x", 5.0, 0.0, "<=", 3, {}).na  # a zero baseline gives no ratio


def test_summary_counts_misses_and_errors():
    lines = [
        ratio_metric("a", 1, 1, "<=", 3, {}),
        ratio_metric("b", 9, 1, "<=", 3, {}),
        not_available("c", "later"),
        not_available("d", "error: boom", error=True),
        Metric("e", "1", "no goal; reported"),
    ]
    assert summary_line(lines) == (
        "bench summary: 5 metrics, 1 met, 1 MISSED, 1 reported, 2 n/a (1 of them because a step failed)"
    )


def test_query_metric_needs_equal_counts_within_the_limit():
    page = next(p for p in PAGES if p.key == "dcs_page")
    nine = {"dcs_page": {"warm": 9, "warm_without_transaction_control": 5}}
    same = metrics.query_metrics([page], 1, 10, nine, nine)
    assert same[0].line() == (
        "dcs_page_queries: 9 at scale 1, 9 at scale 10; 5 without BEGIN/COMMIT (goal equal and <= 15)"
    )
    grows = metrics.query_metrics([page], 1, 10, nine, {"dcs_page": {"warm": 10}})
    assert grows[0].met is False
    gone = {"dcs_page": {"na": "no page"}}
    assert metrics.query_metrics([page], 1, 10, gone, gone)[0].line() == "dcs_page_queries: n/a (no page)"


def test_reject_metric_fails_when_rows_were_written():
    raw = {"reject_s": 2.0, "parse_only_s": 1.0, "rows_written": 3, "rejected": True}
    assert metrics.reject_metric(raw)[0].met is False
    assert metrics.reject_metric({**raw, "rows_written": 0})[0].met is True


def test_bulk_create_calibration_is_reported_against_copy_and_the_import():
    copies = {10_000: {"best_s": 0.1}, 100_000: {"best_s": 1.0}}
    imports = {
        10_000: {"ok": True, "seconds": 4.0, "peak_rss_kib": 100},
        100_000: {"ok": True, "seconds": 30.0, "peak_rss_kib": 110},
    }
    bulk = {"best_s": 12.0}
    lines = {m.name: m for m in metrics.import_metrics([10_000, 100_000], copies, imports, bulk)}
    calibration = lines["plain_bulk_create_vs_copy_100k"]
    assert calibration.value == pytest.approx(1 / 12, abs=1e-4)  # 100k/12 s vs 100k/1 s
    assert calibration.met is None  # reported, never a goal
    versus = lines["import_vs_plain_bulk_create_100k"]
    assert versus.value == pytest.approx(0.4)  # bulk_create 12 s / import 30 s
    assert "3.60x plain bulk_create" in versus.line()  # 0.3x COPY at the 1/12
    failed = metrics.import_metrics([10_000, 100_000], copies, {**imports, 100_000: {"ok": False}}, bulk)
    assert "n/a" in {m.name: m for m in failed}["import_vs_plain_bulk_create_100k"].line()
    missing = metrics.import_metrics([10_000, 100_000], copies, imports, {"na": "no database"})
    assert {m.name: m for m in missing}["plain_bulk_create_vs_copy_100k"].line().endswith("n/a (no database)")
    assert "plain_bulk_create_vs_copy_100k" not in {
        m.name for m in metrics.import_metrics([10_000, 100_000], copies, imports)
    }


def test_size_labels():
    assert [metrics.size_label(n) for n in (2000, 10_000, 100_000, 2500, 800)] == [
        "2k",
        "10k",
        "100k",
        "2.5k",
        "800",
    ]


def test_wrk_output_is_parsed():
    text = """Running 3s test @ http://127.0.0.1:8000/dashboard/
  2 threads and 20 connections
  1234 requests in 3.00s, 9.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:    411.33
Transfer/sec:      3.03MB
NON2XX 4
P50 12000.000000
P95 45000.500000
P99 80000.000000
"""
    parsed = web.parse_wrk(text)
    assert parsed["rps"] == 411.33
    assert parsed["requests"] == 1234
    assert parsed["non_2xx"] == 4
    assert parsed["socket_errors"] == {"connect": 0, "read": 2, "write": 0, "timeout": 1}
    assert parsed["p95_ms"] == pytest.approx(45.0005)


def test_generated_rows_are_distinct_and_well_formed():
    rows = list(casegen.iter_rows(500, prefix="T"))
    assert len(rows) == 500
    assert all(len(row) == len(casegen.HEADER) for row in rows)
    assert len({tuple(row) for row in rows}) == 500
    assert rows == list(casegen.iter_rows(500, prefix="T"))  # seeded
    bad = list(casegen.iter_rows(500, prefix="T", bad_last=True))
    assert bad[:-1] == rows[:-1]
    assert bad[-1][casegen.HEADER.index("event_date")] == casegen.BAD_DATE


@pytest.mark.django_db
def test_generated_rows_import_cleanly_and_a_bad_last_row_is_refused():
    from casework.models import Child
    from casework.services import cases_import

    good = io.BytesIO(casegen.csv_text(40, prefix="TBENCH").encode())
    result = cases_import(file=good, filename="bench.csv")
    assert result.ok, result.problems
    assert result.rows == 40
    assert Child.objects.filter(child_id__startswith="TBENCH").count() == result.counts["children"]["created"]

    bad = io.BytesIO(casegen.csv_text(40, prefix="TBAD", bad_last=True).encode())
    refused = cases_import(file=bad, filename="bench-bad.csv")
    assert not refused.ok
    assert [problem.row for problem in refused.problems] == [41]  # header is row 1
    assert not Child.objects.filter(child_id__startswith="TBAD").exists()


def test_sustained_load_metric_reports_percentiles_and_fails_on_any_error():
    import metrics

    clean = {"seconds": 60, "requests": 1200, "p50_ms": 40.0, "p95_ms": 80.5, "p99_ms": 120.0, "non_2xx": 0}
    metric = metrics.sustained_load_metric(clean)
    assert metric.met is True
    assert "p50 40.0 ms, p95 80.5 ms, p99 120.0 ms" in metric.display
    failing = metrics.sustained_load_metric({**clean, "socket_errors": {"timeout": 2}})
    assert failing.met is False and failing.value == 2
