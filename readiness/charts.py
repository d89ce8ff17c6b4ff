"""Tiny server-side SVG charts for pages and PDFs: no JavaScript, no fonts fetched, text escaped.

Each chart carries `<title>` and `<desc>` (named by `aria-labelledby`) and sets its own
`font-family`, so it reads the same in a browser and in WeasyPrint. Always show the numbers in a
table too: the chart is a picture of the table, never the only place a number lives.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

FONT_FAMILY = "'GDS Transport', arial, 'Liberation Sans', sans-serif"
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"

_ids = itertools.count(1)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def stacked_bars(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, str]],
    values: Sequence[Sequence[float]],
    as_percent: bool = True,
    width: int = 640,
    bar_height: int = 22,
    id_prefix: str | None = None,
) -> str:
    """Return an SVG of one horizontal stacked bar per category, as a string safe to mark safe.

    categories: bar labels (e.g. years); series: (label, fill colour) per segment, left to right;
    values[i][j]: the amount of series j in category i. With as_percent each bar fills the width
    (shares of its own total); otherwise bars share one scale (the largest total fills the width).
    """
    if len(values) != len(categories) or any(len(row) != len(series) for row in values):
        raise ValueError("values must have one row per category and one column per series")
    prefix = id_prefix or f"chart{next(_ids)}"
    label_width, gap, top = 60, 8, 8
    plot_width = width - label_width - 16
    # Lay the legend out first (wrapping to new lines) so the height is known.
    legend, x, line = [], float(label_width), 0
    for name, colour in series:
        needed = 28 + 7.5 * len(name)
        if x + needed > width and x > label_width:
            x, line = float(label_width), line + 1
        legend.append((x, line, name, colour))
        x += needed
    bars_bottom = top + len(categories) * (bar_height + gap)
    height = bars_bottom + 6 + (line + 1) * 22 + 4
    largest = max((sum(row) for row in values), default=0) or 1

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="max-width: 100%; height: auto" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="14" fill="{TEXT_COLOUR}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
    ]
    for index, (category, row) in enumerate(zip(categories, values, strict=True)):
        y = top + index * (bar_height + gap)
        total = sum(row)
        scale = (plot_width / total if total else 0) if as_percent else plot_width / largest
        parts.append(
            f'<text x="{label_width - 8}" y="{_num(y + bar_height * 0.7)}" text-anchor="end">'
            f"{escape(str(category))}</text>"
        )
        x = float(label_width)
        for (name, colour), amount in zip(series, row, strict=True):
            if amount <= 0:
                continue
            segment = amount * scale
            share = f"{_num(100 * amount / total)}%" if total else "0%"
            parts.append(
                f'<rect x="{_num(x)}" y="{y}" width="{_num(segment)}" height="{bar_height}" '
                f'fill="{escape(colour)}"><title>{escape(f"{category}: {name} {_num(amount)} ({share})")}'
                "</title></rect>"
            )
            x += segment
        if not total:
            parts.append(
                f'<text x="{label_width}" y="{_num(y + bar_height * 0.7)}" fill="{AXIS_COLOUR}">none</text>'
            )
    for x, line, name, colour in legend:
        legend_y = bars_bottom + 6 + line * 22
        parts.append(
            f'<rect x="{_num(x)}" y="{legend_y}" width="14" height="14" fill="{escape(colour)}"/>'
            f'<text x="{_num(x + 20)}" y="{legend_y + 12}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# GOV.UK colours for RAG (red, orange, green, blue), in the order the bar reads: worst first.
RAG_SERIES = (
    ("off_track", "Off track", "#d4351c"),
    ("at_risk", "At risk", "#f47738"),
    ("on_track", "On track", "#00703c"),
    ("complete", "Complete", "#1d70b8"),
)


def rag_bars(
    *, title: str, description: str, rows: Sequence[tuple[str, dict]], id_prefix: str | None = None
) -> str:
    """Return an SVG with one RAG bar per row (e.g. per priority), all on one scale.

    rows: (short label such as "P1", counts with keys off_track, at_risk, on_track, complete).
    Show the same counts in a table next to it.
    """
    return stacked_bars(
        title=title,
        description=description,
        categories=[label for label, _ in rows],
        series=[(name, colour) for _, name, colour in RAG_SERIES],
        values=[[counts.get(key, 0) for key, _, _ in RAG_SERIES] for _, counts in rows],
        as_percent=False,
        id_prefix=id_prefix,
    )


def sparkline(
    *,
    title: str,
    description: str,
    values: Sequence[float | None],
    target: float | None = None,
    width: int = 120,
    height: int = 32,
    colour: str = "#1d70b8",
    id_prefix: str | None = None,
) -> str:
    """Return a small SVG line of `values` (oldest first; None leaves a gap), with a dashed target.

    A picture only: put the same numbers in text next to it (the description is read out, too).
    """
    prefix = id_prefix or f"spark{next(_ids)}"
    known = [v for v in values if v is not None]
    pad = 3
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="app-sparkline" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
    ]
    if not known:
        parts.append("</svg>")
        return "".join(parts)
    low = min([*known, target] if target is not None else known)
    high = max([*known, target] if target is not None else known)
    span = (high - low) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return height - pad - (v - low) / span * (height - 2 * pad)

    if target is not None:
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{_num(y(target))}" y2="{_num(y(target))}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    run: list[str] = []
    runs: list[list[str]] = []
    last = None
    for index, value in enumerate(values):
        if value is None:
            if run:
                runs.append(run)
            run = []
            continue
        point = f"{_num(pad + index * step)},{_num(y(value))}"
        run.append(point)
        last = point
    if run:
        runs.append(run)
    for points in runs:
        if len(points) > 1:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" '
                f'stroke="{escape(colour)}" stroke-width="2"/>'
            )
    if last:
        cx, cy = last.split(",")
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{escape(colour)}"/>')
    parts.append("</svg>")
    return "".join(parts)
