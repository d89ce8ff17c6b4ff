"""Case audit question sets, as data: one version per cohort, each a list of graded domains.

An audit stores the version it was started with, so changing a question set never rewrites what an
auditor already answered: add a new version and point CURRENT_VERSION at it. The prompts are our own
words, written from the themes in domain.md §5.3; each domain and the overall case are graded on the
framework's four-point scale.
"""

from __future__ import annotations

from dataclasses import dataclass

CURRENT_VERSION = "2026.1"


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    questions: tuple[str, ...]


_COMMON = (
    Domain(
        "timeliness",
        "Timeliness and compliance",
        (
            "Were visits, plans and reviews held within the timescales that apply to this child?",
            "Where a timescale was missed, is the reason recorded and was the delay put right?",
        ),
    ),
    Domain(
        "assessment",
        "Quality of assessment",
        (
            "Does the latest assessment analyse risks and strengths, not only describe events?",
            "Does it draw on history, chronology and what other agencies know?",
            "Is it up to date with the child's current circumstances?",
        ),
    ),
    Domain(
        "planning",
        "Planning",
        (
            "Is the plan specific about who does what by when, and is it measurable?",
            "Is there a contingency plan if things do not improve?",
        ),
    ),
    Domain(
        "voice",
        "The child's voice and lived experience",
        (
            "Is the child seen, and seen alone where appropriate, and is what they say recorded?",
            "Could a reader picture a day in this child's life from the record?",
            "Have the child's wishes visibly shaped decisions?",
        ),
    ),
    Domain(
        "identity",
        "Identity, culture and disability",
        (
            "Are the child's identity, culture, faith, language and any disability understood?",
            "Does the work respond to them in practice?",
        ),
    ),
    Domain(
        "oversight",
        "Management oversight and supervision",
        (
            "Is there regular, reflective supervision that gives clear direction?",
            "Do managers' decisions show their reasons, and are they followed through?",
        ),
    ),
    Domain(
        "multi_agency",
        "Multi-agency working",
        (
            "Are the right agencies involved and sharing information promptly?",
            "Is disagreement between agencies escalated and resolved?",
        ),
    ),
    Domain(
        "impact",
        "Impact and progress for the child",
        (
            "Is the child's situation better because of our involvement?",
            "Is progress measured against the plan's outcomes?",
        ),
    ),
    Domain(
        "recording",
        "Recording",
        (
            "Is the record up to date, clear, and written so the child could read it later?",
            "Are key documents (chronology, plans, minutes) on file?",
        ),
    ),
)

_PERMANENCE = Domain(
    "permanence",
    "Permanence",
    (
        "Is there a permanence plan by the second review, and is it progressing without drift?",
        "Is the placement meeting the child's needs, and is stability supported?",
        "Are family time and brothers and sisters considered?",
    ),
)

_PATHWAY = Domain(
    "pathway_planning",
    "Pathway planning",
    (
        "Is the pathway plan current, written with the young person, and reviewed?",
        "Does it cover accommodation, education, work, health and money?",
        "Is the young person in touch with a personal adviser who knows them?",
    ),
)

# (version, cohort) -> domains, in the order the audit form shows them.
QUESTION_SETS: dict[tuple[str, str], tuple[Domain, ...]] = {
    ("2026.1", "help_and_protection"): _COMMON,
    ("2026.1", "early_help"): _COMMON,
    ("2026.1", "looked_after"): (*_COMMON, _PERMANENCE),
    ("2026.1", "care_leaver"): (*_COMMON, _PATHWAY),
}


def question_set(version: str, cohort: str) -> tuple[Domain, ...]:
    """Return the domains of a question set; KeyError when the version has no set for the cohort."""
    return QUESTION_SETS[(version, cohort)]


def domain_names(version: str, cohort: str) -> dict[str, str]:
    return {domain.code: domain.name for domain in question_set(version, cohort)}
