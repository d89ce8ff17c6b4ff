"""Casework: children and their journeys (pseudonymous IDs only, never names).

The models live in submodules by responsibility (`children`, `imports`, `samples`, `audits`,
`adoption`); Django finds them through the imports below, and app_label stays `casework`.
"""

# isort: off
# Imported in the order the models were declared when this was one module, so the app registry
# (and the content types and permissions made from it) keeps the same order.
from casework.models.children import (
    Child,
    Cohort,
    Episode,
    Event,
    FIRST_BIRTH_YEAR,
    LAST_BIRTH_YEAR,
    normalise_child_id,
    Placement,
)
from casework.models.imports import (
    import_upload_to,
    ImportRun,
)
from casework.models.samples import (
    AuditGrade,
    Sample,
    SampleCohort,
    SampleMember,
)
from casework.models.audits import (
    AuditAnswer,
    CaseAudit,
    CaseAuditAction,
    CaseAuditEscalation,
)
from casework.models.adoption import (
    adopter_date_problems,
    ADOPTER_STEPS,
    AdopterHousehold,
    normalise_adopter_reference,
)
# isort: on

__all__ = [
    "ADOPTER_STEPS",
    "AdopterHousehold",
    "AuditAnswer",
    "AuditGrade",
    "CaseAudit",
    "CaseAuditAction",
    "CaseAuditEscalation",
    "Child",
    "Cohort",
    "Episode",
    "Event",
    "FIRST_BIRTH_YEAR",
    "ImportRun",
    "LAST_BIRTH_YEAR",
    "Placement",
    "Sample",
    "SampleCohort",
    "SampleMember",
    "adopter_date_problems",
    "import_upload_to",
    "normalise_adopter_reference",
    "normalise_child_id",
]
