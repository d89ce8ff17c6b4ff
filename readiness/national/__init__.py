"""The national picture: Ofsted's published outcomes for every English local authority.

Aggregate, published data only (no child is ever named here), so board members may see it.
`national_import` reads the two reference CSVs from `../shared/data/` — real, messy data — and never
fails on a bad row or cell: it keeps what it can, and records each problem with its row number
and a reason in plain words on the `NationalImportRun`. Row numbers count the header as row 1, as a
spreadsheet does.
"""

from __future__ import annotations

from readiness.national.home import demo_home_candidate, home_authority_get, home_authority_set
from readiness.national.importer import national_import
from readiness.national.models import (
    GRADE_TAG_COLOURS,
    JUDGEMENTS,
    Grade,
    HomeAuthority,
    LocalAuthority,
    NationalImportRun,
    PublishedInspection,
)
from readiness.national.parsing import parse_grade, parse_uk_date
from readiness.national.selectors import (
    authority_history,
    grade_distribution_by_year,
    neighbour_comparison,
    publication_lags_by_year,
)

__all__ = [
    "GRADE_TAG_COLOURS",
    "JUDGEMENTS",
    "Grade",
    "HomeAuthority",
    "LocalAuthority",
    "NationalImportRun",
    "PublishedInspection",
    "authority_history",
    "demo_home_candidate",
    "grade_distribution_by_year",
    "home_authority_get",
    "home_authority_set",
    "national_import",
    "neighbour_comparison",
    "parse_grade",
    "parse_uk_date",
    "publication_lags_by_year",
]
