"""Pure helpers shared by the benchmark harness: percentiles, goals, result lines, JSON.

Nothing here imports Django, so tests (and the orchestrator) can use it cheaply.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

OPS = {"<=": operator.le, ">=": operator.ge, "==": operator.eq, "<": operator.lt, ">": operator.gt}


def percentile(values: Sequence[float], pct: float) -> float:
    """Return the pct-th percentile (0-100) of values, linearly interpolated (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be within 0-100, not {pct}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def meets(value: float, op: str, limit: float) -> bool:
    """True when `value op limit` holds, e.g. meets(1.8, "<=", 3)."""
    return OPS[op](value, limit)


def ratio(subject: float, baseline: float) -> float | None:
    """subject / baseline, or None when the baseline is zero (no ratio can be honest)."""
    if not baseline:
        return None
    return subject / baseline


def fmt_number(value: float) -> str:
    """Short human form: 1.8 -> '1.8', 12 -> '12', 0.0532 -> '0.053', 12345.6 -> '12346'."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 0.1:
        return f"{value:.2f}"
    return f"{value:.2g}"


@dataclass
class Metric:
    """One line of the report. `met` is None for informational metrics (no goal) and n/a ones."""

    name: str
    display: str  # the value as printed, e.g. "1.80x"
    goal: str  # the goal as printed, e.g. "goal <= 3x"
    met: bool | None = None
    value: float | None = None
    reason: str | None = None  # set only when the metric is n/a
    raw: dict = field(default_factory=dict)
    error: bool = False  # n/a because the harness or the app failed, not because a feature is missing

    @property
    def na(self) -> bool:
        return self.reason is not None

    def line(self) -> str:
        return format_line(self)


def format_line(metric: Metric) -> str:
    """`name: value (goal)`, with ` MISSED` when the goal is missed, or `name: n/a (reason)`."""
    if metric.na:
        return f"{metric.name}: n/a ({one_line(metric.reason)})"
    line = f"{metric.name}: {metric.display} ({metric.goal})"
    if metric.met is False:
        line += " MISSED"
    return line


def one_line(text: str | None, limit: int = 200) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ratio_metric(
    name: str, subject: float, baseline: float, op: str | None, limit: float | None, raw: dict
) -> Metric:
    """A `subject / baseline` metric shown as `1.80x`; op/limit None means reported, no goal."""
    value = ratio(subject, baseline)
    if value is None:
        return not_available(name, f"baseline measured as 0 (subject {subject})", raw)
    goal = f"goal {op} {fmt_number(limit)}x" if op else "no goal; reported"
    met = meets(value, op, limit) if op else None
    return Metric(name, fmt_ratio(value), goal, met, round(value, 6), raw={**raw, "ratio": round(value, 6)})


def fmt_ratio(value: float) -> str:
    """1.8034 -> '1.80x', 19.76 -> '19.8x', 0.0039 -> '0.0039x' (never a misleading 0.00x)."""
    if abs(value) >= 10:
        return f"{value:.1f}x"
    if abs(value) >= 0.1:
        return f"{value:.2f}x"
    return f"{value:.2g}x"


def not_available(name: str, reason: str, raw: dict | None = None, *, error: bool = False) -> Metric:
    return Metric(name, "n/a", "", None, None, reason=reason, raw=raw or {}, error=error)


def summary_line(metrics: Sequence[Metric]) -> str:
    met = sum(1 for m in metrics if m.met is True)
    missed = sum(1 for m in metrics if m.met is False)
    na = sum(1 for m in metrics if m.na)
    info = len(metrics) - met - missed - na
    errors = sum(1 for m in metrics if m.error)
    text = f"bench summary: {len(metrics)} metrics, {met} met, {missed} MISSED, {info} reported, {na} n/a"
    return text + (f" ({errors} of them because a step failed)" if errors else "")


def write_results(path: Path, metrics: Sequence[Metric], meta: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "meta": meta,
        "summary": summary_line(metrics),
        "metrics": {m.name: {**asdict(m), "line": m.line()} for m in metrics},
    }
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
