"""Reads for the national picture pages: history, neighbours, grades and publication lags by year."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from readiness.national.models import Grade, LocalAuthority, PublishedInspection


def authority_history(*, authority: LocalAuthority) -> list[PublishedInspection]:
    return list(authority.inspections.order_by("-published_on", "-pk"))


def latest_graded(*, authorities) -> dict[int, PublishedInspection]:
    """Return each authority's latest report that has at least one grade, by authority id."""
    graded = (
        PublishedInspection.objects.filter(local_authority__in=authorities)
        .exclude(overall=None, leaders=None, help_and_protection=None, in_care=None, care_leavers=None)
        .order_by("local_authority_id", "-published_on", "-pk")
    )
    latest: dict[int, PublishedInspection] = {}
    for inspection in graded:
        latest.setdefault(inspection.local_authority_id, inspection)
    return latest


@dataclass(frozen=True)
class NeighbourRow:
    authority: LocalAuthority
    latest: PublishedInspection | None
    is_home: bool


def neighbour_comparison(*, authority: LocalAuthority) -> list[NeighbourRow]:
    """Return the authority then its statistical neighbours (lookup order), each with its latest report."""
    codes = list(authority.stat_neighbours)
    neighbours = {la.la_code: la for la in LocalAuthority.objects.filter(la_code__in=codes)}
    ordered = [authority] + [neighbours[code] for code in codes if code in neighbours]
    latest = latest_graded(authorities=ordered)
    return [NeighbourRow(la, latest.get(la.pk), la.pk == authority.pk) for la in ordered]


@dataclass(frozen=True)
class YearDistribution:
    year: int
    counts: dict[str, int]
    total: int

    def percent(self, grade: str) -> float:
        return 100 * self.counts[grade] / self.total if self.total else 0.0

    def cells(self) -> list[tuple[str, int, float]]:
        return [(grade, self.counts[grade], self.percent(grade)) for grade in Grade.values]


def grade_distribution_by_year() -> list[YearDistribution]:
    """Count overall effectiveness grades by year of publication (reports with an overall grade only)."""
    table: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Grade.values, 0))
    rows = PublishedInspection.objects.exclude(overall=None).exclude(published_on=None)
    for published_on, overall in rows.values_list("published_on", "overall"):
        table[published_on.year][overall] += 1
    return [YearDistribution(year, counts, sum(counts.values())) for year, counts in sorted(table.items())]


@dataclass(frozen=True)
class YearLag:
    year: int
    n: int
    median: float
    p25: float
    p75: float


def publication_lags_by_year() -> list[YearLag]:
    """Summarise working days from the end of on-site to publication, by year the inspection ended."""
    lags: dict[int, list[int]] = defaultdict(list)
    rows = PublishedInspection.objects.exclude(publication_lag=None).exclude(ended_on=None)
    for ended_on, lag in rows.values_list("ended_on", "publication_lag"):
        lags[ended_on.year].append(lag)
    result = []
    for year, values in sorted(lags.items()):
        values.sort()
        if len(values) >= 2:
            p25, _, p75 = statistics.quantiles(values, n=4, method="inclusive")
        else:
            p25 = p75 = float(values[0])
        result.append(YearLag(year, len(values), statistics.median(values), p25, p75))
    return result
