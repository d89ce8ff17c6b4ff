"""Annex A lists 1 to 5, the front door: contacts, early help, referrals, assessments, and section 47
enquiries with initial child protection conferences. Each list's own columns and what they become.
"""

from __future__ import annotations

from casework.imports.annex_lists.layouts import Episode, Event, Field, ListSpec, date_field, ignored_field

FRONT_DOOR_LISTS: tuple[ListSpec, ...] = (
    ListSpec(
        1,
        "Contacts",
        ("contact", "contacts"),
        fields=(
            date_field("contact_date", "Contact date", "Date of contact", "Contact received date"),
            Field("contact_outcome", "Contact outcome", ("Outcome of contact", "Contact outcome code")),
            Field(
                "contact_source",
                "Contact source",
                ("Source of contact", "Contact source code", "Source"),
                "category",
            ),
        ),
        facts=(Event("contact", ("contact_date",), ("contact_outcome", "contact_source")),),
        required=("contact_date",),
        distinctive=("contact_date",),
    ),
    ListSpec(
        2,
        "Early help",
        ("earlyhelp", "eh", "earlyhelpassessments"),
        fields=(
            date_field(
                "start",
                "Start date",
                "Early help start date",
                "Early help start",
                "EH start date",
                "Early help assessment start date",
                "Episode start date",
            ),
            date_field(
                "end",
                "End date",
                "Early help end date",
                "Early help end",
                "EH end date",
                "Early help assessment completion date",
                "Episode end date",
                "Closure date",
            ),
            ignored_field("organisation", "Organisation completing assessment", "Lead organisation"),
        ),
        facts=(Episode("early_help", "start", "end"),),
        required=("start",),
        distinctive=(),
    ),
    ListSpec(
        3,
        "Referrals",
        ("referral", "referrals"),
        fields=(
            date_field("referral_date", "Referral date", "Date of referral", "Referral received date"),
            Field(
                "nfa",
                "No further action",
                (
                    "NFA",
                    "Referral NFA",
                    "Referral NFA?",
                    "Referral resulted in NFA",
                    "Referral no further action",
                ),
                "yes_no",
            ),
            ignored_field("referral_source", "Referral source", "Source of referral"),
            ignored_field(
                "referrals_12m",
                "Referrals in the previous 12 months",
                "Referrals last 12 months",
                "Number of referrals in last 12 months",
                "Number of referrals in the last 12 months",
            ),
        ),
        facts=(Event("referral", ("referral_date",), ("nfa",), nfa=True),),
        required=("referral_date",),
        distinctive=("referral_date",),
    ),
    ListSpec(
        4,
        "Assessments",
        ("assessment", "assessments"),
        fields=(
            date_field(
                "assessment_start",
                "Assessment start",
                "Assessment start date",
                "Continuous assessment start",
                "Continuous assessment start date",
                "Date assessment started",
            ),
            date_field(
                "assessment_completed",
                "Assessment completed",
                "Assessment completion date",
                "Assessment completed date",
                "Assessment authorised date",
                "Assessment authorisation date",
                "Continuous assessment auth date",
                "Continuous assessment date of authorisation",
                "Assessment end date",
                "Date assessment completed",
            ),
            ignored_field("child_seen", "Child seen during assessment", "Continuous assessment child seen"),
            ignored_field("support_required", "CSC support required", "Assessment outcome"),
        ),
        facts=(
            Event("assessment_start", ("assessment_start",)),
            Event("assessment_completed", ("assessment_completed",)),
        ),
        required=("assessment_start",),
        distinctive=("assessment_completed",),
    ),
    ListSpec(
        5,
        "Section 47 enquiries and ICPCs",
        ("section47", "s47", "section47enquiries", "icpc", "icpcs", "section47andicpc"),
        fields=(
            date_field(
                "strategy",
                "Strategy discussion",
                "Strategy discussion date",
                "Date of strategy discussion",
                "Strat discussion date",
                "Date of strategy discussion initiating section 47 enquiry",
            ),
            date_field(
                "s47_start",
                "Section 47 start",
                "Section 47 start date",
                "S47 start date",
                "S47 start",
                "Section 47 enquiry start date",
                "Date section 47 started",
            ),
            date_field(
                "icpc",
                "ICPC date",
                "Date of ICPC",
                "Initial CP conf date",
                "Initial CP conference date",
                "Date of initial child protection conference",
                "ICPC",
            ),
            ignored_field(
                "icpc_unnecessary",
                "Initial CP conference unnecessary",
                "Initial CP conf unnecessary",
                "Was an initial child protection conference deemed unnecessary",
            ),
            ignored_field("icpc_plan", "CP conf result in CP plan", "Did the ICPC result in a CP plan"),
            ignored_field(
                "s47s_12m",
                "Section 47s in the previous 12 months",
                "Number S47s 12m",
                "Number of section 47 enquiries in the last 12 months",
            ),
            ignored_field("icpcs_12m", "Number ICPCs 12m", "Number of ICPCs in the last 12 months"),
        ),
        facts=(
            Event("strategy_discussion", ("strategy",)),
            Event("section_47", ("s47_start",)),
            Event("icpc", ("icpc",)),
        ),
        required=(),  # any one of the three dates (checked in `_bind`)
        distinctive=("strategy", "s47_start", "icpc"),
    ),
)
