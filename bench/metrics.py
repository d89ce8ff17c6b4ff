"""Turn the raw numbers each step measured into report lines. Pure: no Django, no I/O."""

from __future__ import annotations

from common import Metric, fmt_number, fmt_ratio, meets, not_available, ratio_metric

P95_GOAL = 3.0  # issue 6: DCS page p95 <= 3x a trivial signed-in page
P95_ABSOLUTE_MS = 300  # reliability.md B6, informational absolute for P1
IMPORT_GOAL = 0.3  # issue 4: validated atomic import >= 0.3x COPY rows/s
BULK_CREATE_CALIBRATION = 1 / 12  # issue 4: "plain bulk_create manages about 1/12 of COPY"
MEMORY_GOAL = 1.5  # issue 4: peak memory at the large size <= 1.5x the small size
REJECT_GOAL = 3.0  # reliability.md P7
WORKING_DAYS_GOAL = 2.0  # issue 3


def size_label(rows: int) -> str:
    """10000 -> '10k', 100000 -> '100k', 2500 -> '2.5k', 800 -> '800'."""
    if rows >= 1000 and rows % 100 == 0:
        return f"{rows / 1000:g}k"
    return str(rows)


def working_days(raw: dict) -> list[Metric]:
    return [
        ratio_metric("working_days_vs_numpy", raw["ours_ms"], raw["numpy_ms"], "<=", WORKING_DAYS_GOAL, raw)
    ]


def http_metrics(latency: dict, load: dict) -> list[Metric]:
    dcs, trivial = latency["dcs"], latency["trivial"]
    raw = {"dcs": dcs, "trivial": trivial}
    out = [ratio_metric("dcs_page_p95_vs_trivial", dcs["p95_ms"], trivial["p95_ms"], "<=", P95_GOAL, raw)]
    out.append(
        Metric(
            "dcs_page_p95_ms",
            f"{fmt_number(dcs['p95_ms'])} ms",
            f"goal <= {P95_ABSOLUTE_MS} ms, reliability.md P1",
            dcs["p95_ms"] <= P95_ABSOLUTE_MS,
            dcs["p95_ms"],
            raw=raw,
        )
    )
    dcs_load, trivial_load = load["dcs"], load["trivial"]
    load_raw = {"dcs": dcs_load, "trivial": trivial_load}
    out.append(
        ratio_metric("dcs_page_rps_vs_trivial", dcs_load["rps"], trivial_load["rps"], None, None, load_raw)
    )
    bad = sum(run.get("non_2xx", 0) for run in (dcs_load, trivial_load))
    errors = sum(sum(run.get("socket_errors", {}).values()) for run in (dcs_load, trivial_load))
    out.append(
        Metric(
            "load_non_2xx_responses",
            str(bad + errors),
            "goal 0",
            bad + errors == 0,
            bad + errors,
            raw={"non_2xx": bad, "socket_errors": errors, **load_raw},
        )
    )
    return out


def query_metrics(pages, small_scale: int, large_scale: int, small: dict, large: dict) -> list[Metric]:
    """One line per page: warm-request query counts at both scales; goal equal and <= the limit."""
    out = []
    for page in pages:
        name = f"{page.key}_queries"
        a, b = small.get(page.key, {}), large.get(page.key, {})
        reason = a.get("na") or b.get("na")
        if reason or "warm" not in a or "warm" not in b:
            error = bool(a.get("error") or b.get("error"))
            out.append(not_available(name, reason or "not measured", {"small": a, "large": b}, error=error))
            continue
        qa, qb = a["warm"], b["warm"]
        met = qa == qb and max(qa, qb) <= page.query_limit
        out.append(
            Metric(
                name,
                f"{qa} at scale {small_scale}, {qb} at scale {large_scale}; "
                f"{b.get('warm_without_transaction_control', '?')} without BEGIN/COMMIT",
                f"goal equal and <= {page.query_limit}",
                met,
                qb,
                raw={
                    "url": b.get("url"),
                    f"scale_{small_scale}": a,
                    f"scale_{large_scale}": b,
                    "trivial_page_at_large_scale": large.get("trivial_page"),
                },
            )
        )
    return out


def pdf_metrics(raw: dict) -> list[Metric]:
    out = []
    board = raw.get("board_summary", {})
    if "na" in board:
        out.append(not_available("board_summary_render_vs_bare_weasyprint", board["na"], board))
    else:
        out.append(
            ratio_metric(
                "board_summary_render_vs_bare_weasyprint", board["app_s"], board["bare_s"], None, None, board
            )
        )
    plan = raw.get("improvement_plan", {})
    if "na" in plan:
        out.append(not_available("plan_render_seconds_per_page", plan["na"], plan))
    else:
        out.append(
            Metric(
                "plan_render_seconds_per_page",
                f"{plan['s_per_page']:.3f} s",
                f"no goal; reported; {plan['pages']} pages in {plan['s']:.2f} s",
                None,
                plan["s_per_page"],
                raw=plan,
            )
        )
    return out


def import_metrics(sizes: list[int], copies: dict, imports: dict, bulk: dict | None = None) -> list[Metric]:
    """Import rows/s vs COPY rows/s at each size, then peak memory of the largest vs the smallest.

    `bulk`, if given, is plain `bulk_create` of the largest file: the issue's calibration point,
    reported against the same COPY and against the import.
    """
    out = []
    for rows in sizes:
        name = f"import_vs_copy_{size_label(rows)}"
        copy, imp = copies.get(rows, {}), imports.get(rows, {})
        if "na" in copy or "na" in imp:
            out.append(not_available(name, copy.get("na") or imp.get("na"), {"copy": copy, "import": imp}))
            continue
        if not imp.get("ok"):
            reason = f"the generated file did not import: {imp.get('problems')}"
            out.append(not_available(name, reason, {"import": imp}, error=True))
            continue
        import_rps, copy_rps = rows / imp["seconds"], rows / copy["best_s"]
        raw = {
            "rows": rows,
            "import_rows_per_s": import_rps,
            "copy_rows_per_s": copy_rps,
            "copy": copy,
            "import": imp,
        }
        out.append(ratio_metric(name, import_rps, copy_rps, ">=", IMPORT_GOAL, raw))
    largest = imports.get(max(sizes), {})
    if largest.get("ok") and largest.get("time_split_s"):
        split = largest["time_split_s"]
        shown = ", ".join(f"{kind.replace('_', ' ')} {seconds:.2f} s" for kind, seconds in split.items())
        out.append(
            Metric(
                f"import_time_split_{size_label(max(sizes))}",
                f"{largest['seconds']:.2f} s",
                f"no goal; reported; {shown}",
                None,
                largest["seconds"],
                raw={"time_split_s": split, "copy_best_s": copies.get(max(sizes), {}).get("best_s")},
            )
        )
    if bulk is not None:
        out += bulk_create_metrics(max(sizes), copies.get(max(sizes), {}), imports.get(max(sizes), {}), bulk)
    small, large = min(sizes), max(sizes)
    name = f"import_peak_memory_{size_label(large)}_vs_{size_label(small)}"
    a, b = imports.get(small, {}), imports.get(large, {})
    if "peak_rss_kib" not in a or "peak_rss_kib" not in b:
        out.append(not_available(name, a.get("na") or b.get("na") or "import not measured", error=True))
    else:
        raw = {
            f"peak_rss_kib_{size_label(small)}": a["peak_rss_kib"],
            f"peak_rss_kib_{size_label(large)}": b["peak_rss_kib"],
            "rss_before_import_kib": [
                a.get("peak_rss_before_import_kib"),
                b.get("peak_rss_before_import_kib"),
            ],
            "measured": "VmHWM of the child process that ran cases_import (Django loaded, then the import)",
        }
        growth = [x["peak_rss_kib"] - (x.get("peak_rss_before_import_kib") or 0) for x in (a, b)]
        raw["growth_kib"] = growth  # what the import itself added on top of a loaded Django process
        raw["growth_ratio"] = growth[1] / growth[0] if growth[0] > 0 else None
        out.append(ratio_metric(name, b["peak_rss_kib"], a["peak_rss_kib"], "<=", MEMORY_GOAL, raw))
    return out


def bulk_create_metrics(rows: int, copy: dict, imp: dict, bulk: dict) -> list[Metric]:
    """Plain bulk_create vs the same COPY (the issue puts it near 1/12), and the import vs it."""
    label = size_label(rows)
    names = (f"plain_bulk_create_vs_copy_{label}", f"import_vs_plain_bulk_create_{label}")
    reason = bulk.get("na") or copy.get("na") or ("" if "best_s" in copy else "COPY not measured")
    if reason:
        return [not_available(name, reason, {"bulk_create": bulk, "copy": copy}) for name in names]
    bulk_rps, copy_rps = rows / bulk["best_s"], rows / copy["best_s"]
    calibration = bulk_rps / copy_rps
    out = [
        Metric(
            names[0],
            fmt_ratio(calibration),
            f"no goal; reported; the issue puts plain bulk_create near {fmt_ratio(BULK_CREATE_CALIBRATION)} "
            f"of COPY; {bulk['best_s']:.2f} s vs COPY {copy['best_s']:.2f} s, no checks, no history",
            None,
            round(calibration, 4),
            raw={"rows": rows, "bulk_create": bulk, "copy_best_s": copy["best_s"]},
        )
    ]
    if imp.get("ok") and imp.get("seconds"):
        versus = bulk["best_s"] / imp["seconds"]  # rows/s of the import over rows/s of bulk_create
        out.append(
            Metric(
                names[1],
                fmt_ratio(versus),
                "no goal; reported; the validated, atomic import with history vs plain bulk_create "
                f"of the same records; at the issue's calibration 0.3x COPY is "
                f"{fmt_ratio(IMPORT_GOAL / BULK_CREATE_CALIBRATION)} plain bulk_create",
                None,
                round(versus, 4),
                raw={"import_s": imp["seconds"], "bulk_create_s": bulk["best_s"]},
            )
        )
    else:
        out.append(not_available(names[1], "the import did not succeed", {"import": imp}))
    return out


def reject_metric(raw: dict) -> list[Metric]:
    name = "reject_last_row_vs_parse_only"
    if "na" in raw:
        return [not_available(name, raw["na"], raw)]
    value = raw["reject_s"] / raw["parse_only_s"]
    ok = meets(value, "<=", REJECT_GOAL) and raw["rows_written"] == 0 and raw["rejected"]
    goal = f"goal <= {fmt_number(REJECT_GOAL)}x, 0 rows written; {raw['rows_written']} written"
    return [Metric(name, fmt_ratio(value), goal, ok, round(value, 4), raw={**raw, "ratio": value})]


def sustained_load_metric(run: dict) -> Metric:
    """20 clients on the DCS page for the whole run: latency percentiles, and no failures allowed."""
    failures = run.get("non_2xx", 0) + sum(run.get("socket_errors", {}).values())
    display = (
        f"{run.get('seconds')} s, 20 clients, {run.get('requests', 0)} requests, "
        f"p50 {run.get('p50_ms', float('nan')):.1f} ms, p95 {run.get('p95_ms', float('nan')):.1f} ms, "
        f"p99 {run.get('p99_ms', float('nan')):.1f} ms, {failures} non-2xx or errors"
    )
    return Metric("dcs_page_sustained_load", display, "goal 0 non-2xx", failures == 0, failures, raw=run)
