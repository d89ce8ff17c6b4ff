"""The per-list column layouts of an Annex A workbook: the common columns, each list's own
columns and the aliases a header may use, and the importer's own case-list layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Case-list rows are numbered sheet * SHEET_SPAN + sheet row * SLOTS + slot (slot 0: the child,
# then one slot per fact). An .xlsx sheet has at most 2**20 rows, so 31 sheets fit PostgreSQL's
# integer column in the staging table.
SLOTS = 64
SHEET_SPAN = (1 << 20) * SLOTS
MAX_SHEETS = 31

# The importer's own layout, spelled with its column labels (casework/imports/columns.py).
HEADER = (
    "Child ID",
    "Date of birth",
    "Gender",
    "Ethnicity",
    "Disability",
    "UASC",
    "Cohort",
    "Episode start",
    "Episode end",
    "Legal status",
    "Placement type",
    "Placement in area",
    "Placement start",
    "Placement end",
    "Event type",
    "Event date",
    "Event value",
)
WIDTH = len(HEADER)
CHILD_COLUMNS = ("Child ID", "Date of birth", "Gender", "Ethnicity", "Disability", "UASC")

NO_DATA_ROWS = "The workbook's list sheets have no data rows."
SKIPPED = "Sheet '{title}' was skipped: {reason}."
SKIP_UNKNOWN = "we could not tell which Annex A list it is; name it like 'List 3 Referrals' to import it"
SKIP_VALIDATION = "it lists the export's gaps, not case data"
SKIP_EMPTY = "it is empty"
WORKER_NAME = (
    "{value} looks like a person's name; give the worker's reference (for example SW042), never a name"
)
PERSONAL = (
    "'{shown}' looks like a personal identifier; we keep pseudonymous child IDs only, "
    "so delete this column and import again"
)
SAME_COLUMN = "'{shown}' is the same column as '{known}'; keep only one of them"
NEEDS_COLUMN = "this list needs a {names} column (also accepted: {aliases}); add it or rename the header"
MISSING_MAIN_DATE = "this date is missing; every row on this list needs one"
NO_REFERENCE = "the adopter reference is missing; every row needs one"
BAD_REFERENCE = "{shown} is not an adopter reference; use up to 40 letters, digits and - _ . / (no names)"
NO_REFERENCE_COLUMN = (
    "there is no adopter reference column; name one of the headers 'Adopter reference', 'Adopter ID'"
)
BAD_HOUSEHOLD = "{shown} is not a household type; use single or couple"
BAD_CHILDREN = "{shown} is not a number of children; use a whole number from 1 to 10"
LONG_REASON = "the reason is longer than 100 characters; shorten it"
ADOPTER_TWICE = "adopter {reference} is also on row {row} with different details; keep one row per household"
HOUSEHOLD_TYPES = {
    "single": "single",
    "singleadopter": "single",
    "1": "single",
    "couple": "couple",
    "coupleadopters": "couple",
    "joint": "couple",
    "jointadopters": "couple",
    "2": "couple",
}
NO_WORKER = {"unallocated", "not allocated", "no worker", "none"}


def key(text: object) -> str:
    """Fold a header or sheet name: case, spaces and punctuation never matter ("ChildUniqueID")."""
    return re.sub(r"[^a-z0-9]+", "", str(text if text is not None else "").lower())


@dataclass(frozen=True)
class Field:
    """A column of a list sheet: our exporter's header, and the other spellings we accept."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text, date, category, yes_no, in_area, worker, ignored


@dataclass(frozen=True)
class Episode:
    cohort: str
    start: str
    end: str | None = None
    legal: str | None = None


@dataclass(frozen=True)
class Placement:
    kind: str
    in_area: str
    start: str
    end: str | None = None


@dataclass(frozen=True)
class Event:
    """An event from a dated column; its value from the first of `value` the sheet has, or fixed.

    `dates` are tried cell by cell, first non-blank wins. `nfa` turns a yes/no column into the
    value "NFA" or "".
    """

    kind: str
    dates: tuple[str, ...]
    value: tuple[str, ...] = ()
    nfa: bool = False


@dataclass(frozen=True)
class ListSpec:
    number: int
    title: str
    words: tuple[str, ...]  # keys a sheet name may carry instead of the number
    fields: tuple[Field, ...] = ()
    facts: tuple = ()
    required: tuple[str, ...] = ()  # the list's main date: without its column the sheet is unusable
    distinctive: tuple[str, ...] = ()  # fields that tell this list apart from the others by headers
    skip: str = ""  # a reason: this list is never imported


COMMON = (
    Field(
        "child_id",
        "Child ID",
        (
            "Child unique ID",
            "Child ref",
            "Child reference",
            "Person ID",
            "LA child ID",
            "Child ID number",
            "ID",
        ),
    ),
    Field("gender", "Gender", ("Sex", "Gender sex"), "category"),
    Field("ethnicity", "Ethnicity", ("Ethnic origin", "Ethnicity code"), "category"),
    Field(
        "date_of_birth",
        "Date of birth (month/year)",
        ("Date of birth", "DOB", "Month of birth", "Month and year of birth", "Birth date"),
    ),
    Field(
        "age",
        "Age at last birthday",
        ("Age", "Age of child", "Age of child (years)", "Age in years", "Age (years)"),
        "ignored",
    ),
    Field("disability", "Disability", ("Disabled", "Has disability", "Disability (Y/N)"), "category"),
    Field(
        "uasc",
        "UASC",
        ("Unaccompanied asylum seeking child", "UASC status", "Asylum seeker"),
        "category",
    ),
    Field("team", "Team", ("Allocated team", "Responsible team", "Team name"), "ignored"),
    Field(
        "worker",
        "Worker",
        (
            "Allocated worker",
            "Assigned worker",
            "Social worker",
            "Worker reference",
            "Worker ID",
            "Allocated worker ID",
            "Allocated worker reference",
            "Allocated social worker",
        ),
        "worker",
    ),
    Field(
        "allocation_date",
        "Allocation date",
        ("Date allocated", "Allocated on", "Date of allocation", "Worker allocated date"),
        "date",
    ),
)


COMMON_LABELS = {item.name: item.label for item in COMMON}


def _date(name: str, label: str, *aliases: str) -> Field:
    return Field(name, label, aliases, "date")


def _ignored(name: str, label: str, *aliases: str) -> Field:
    return Field(name, label, aliases, "ignored")


LISTS: tuple[ListSpec, ...] = (
    ListSpec(
        1,
        "Contacts",
        ("contact", "contacts"),
        fields=(
            _date("contact_date", "Contact date", "Date of contact", "Contact received date"),
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
            _date(
                "start",
                "Start date",
                "Early help start date",
                "Early help start",
                "EH start date",
                "Early help assessment start date",
                "Episode start date",
            ),
            _date(
                "end",
                "End date",
                "Early help end date",
                "Early help end",
                "EH end date",
                "Early help assessment completion date",
                "Episode end date",
                "Closure date",
            ),
            _ignored("organisation", "Organisation completing assessment", "Lead organisation"),
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
            _date("referral_date", "Referral date", "Date of referral", "Referral received date"),
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
            _ignored("referral_source", "Referral source", "Source of referral"),
            _ignored(
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
            _date(
                "assessment_start",
                "Assessment start",
                "Assessment start date",
                "Continuous assessment start",
                "Continuous assessment start date",
                "Date assessment started",
            ),
            _date(
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
            _ignored("child_seen", "Child seen during assessment", "Continuous assessment child seen"),
            _ignored("support_required", "CSC support required", "Assessment outcome"),
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
            _date(
                "strategy",
                "Strategy discussion",
                "Strategy discussion date",
                "Date of strategy discussion",
                "Strat discussion date",
                "Date of strategy discussion initiating section 47 enquiry",
            ),
            _date(
                "s47_start",
                "Section 47 start",
                "Section 47 start date",
                "S47 start date",
                "S47 start",
                "Section 47 enquiry start date",
                "Date section 47 started",
            ),
            _date(
                "icpc",
                "ICPC date",
                "Date of ICPC",
                "Initial CP conf date",
                "Initial CP conference date",
                "Date of initial child protection conference",
                "ICPC",
            ),
            _ignored(
                "icpc_unnecessary",
                "Initial CP conference unnecessary",
                "Initial CP conf unnecessary",
                "Was an initial child protection conference deemed unnecessary",
            ),
            _ignored("icpc_plan", "CP conf result in CP plan", "Did the ICPC result in a CP plan"),
            _ignored(
                "s47s_12m",
                "Section 47s in the previous 12 months",
                "Number S47s 12m",
                "Number of section 47 enquiries in the last 12 months",
            ),
            _ignored("icpcs_12m", "Number ICPCs 12m", "Number of ICPCs in the last 12 months"),
        ),
        facts=(
            Event("strategy_discussion", ("strategy",)),
            Event("section_47", ("s47_start",)),
            Event("icpc", ("icpc",)),
        ),
        required=(),  # any one of the three dates (checked in `_bind`)
        distinctive=("strategy", "s47_start", "icpc"),
    ),
    ListSpec(
        6,
        "Children in need",
        ("childreninneed", "childinneed", "cin"),
        fields=(
            _date("start", "Start date", "CIN start date", "Child in need start date", "CIN start"),
            _date(
                "end",
                "End date",
                "CIN closure date",
                "CIN end date",
                "Child in need end date",
                "Closure date",
            ),
            _date(
                "visit",
                "Latest visit",
                "Date child last seen",
                "Date child was last seen",
                "Date of last visit",
                "Last visit",
            ),
            _ignored("need_code", "Primary need code", "Primary need", "Category of need"),
            _ignored("closure_reason", "Reason for closure", "Closure reason"),
            _ignored("case_status", "Case status"),
        ),
        facts=(Episode("child_in_need", "start", "end"), Event("visit", ("visit",))),
        required=("start",),
        distinctive=(),
    ),
    ListSpec(
        7,
        "Child protection",
        ("childprotection", "cp", "cpp", "cpplans", "childprotectionplans"),
        fields=(
            _date(
                "start",
                "Start date",
                "Child protection plan start date",
                "CP plan start date",
                "CP start date",
                "CPP start date",
            ),
            _date(
                "end",
                "End date",
                "Child protection plan end date",
                "CP plan end date",
                "CP end date",
                "CPP end date",
            ),
            _date(
                "visit",
                "Latest visit",
                "Date of last statutory visit",
                "Date of last visit",
                "Last statutory visit",
                "Last visit",
            ),
            _date(
                "review",
                "Latest review conference",
                "Date of latest review conf",
                "Date of latest review conference",
                "Review conference date",
                "RCPC date",
            ),
            _ignored("initial_category", "Initial category of abuse"),
            _ignored("latest_category", "Latest category of abuse", "Category of abuse"),
            _ignored("seen_alone", "Child seen alone", "Was the child seen alone"),
            _ignored("protection", "Protection last six months", "Emergency protection order"),
            _ignored(
                "previous_plans",
                "Number of previous child protection plans",
                "Number of previous CP plans",
            ),
        ),
        facts=(
            Episode("child_protection", "start", "end"),
            Event("visit", ("visit",)),
            Event("cp_review", ("review",)),
        ),
        required=("start",),
        distinctive=(),
    ),
    ListSpec(
        8,
        "Children in care",
        ("childrenincare", "childincare", "lookedafter", "childrenlookedafter", "cla", "lac", "cic"),
        fields=(
            _date(
                "start",
                "Start date",
                "Date started to be looked after",
                "CLA start date",
                "Looked after start date",
                "Date became looked after",
                "Period of care start date",
            ),
            _date(
                "end",
                "End date",
                "Date ceased to be looked after",
                "CLA end date",
                "Looked after end date",
                "Date ceased looked after",
                "Period of care end date",
            ),
            Field(
                "legal_status",
                "Legal status",
                ("Legal status code", "Current legal status", "Latest legal status"),
            ),
            Field(
                "placement_type", "Placement", ("Placement type", "Placement type code", "Type of placement")
            ),
            Field(
                "placement_in_area",
                "Placement in area",
                (
                    "In area",
                    "Placed in area",
                    "Placement inside LA",
                    "Placement in LA",
                    "Placement in borough",
                    "Placement location",
                    "Inside LA boundary",
                ),
                "in_area",
            ),
            _date(
                "placement_start",
                "Placement start",
                "Placement start date",
                "Date of latest placement",
                "Latest placement start date",
                "Date placement started",
            ),
            _date("placement_end", "Placement end", "Placement end date", "Date placement ended"),
            _date(
                "review",
                "Latest review",
                "Date of latest statutory review",
                "Date of latest review",
                "Latest statutory review",
                "CLA review date",
                "LAC review date",
            ),
            _date(
                "visit", "Latest visit", "Date of last visit", "Date of last statutory visit", "Last visit"
            ),
            _date(
                "iha",
                "Initial health assessment",
                "IHA date",
                "Date of initial health assessment",
                "IHA",
            ),
            _date(
                "rha",
                "Latest health assessment",
                "Date of latest health assessment",
                "Review health assessment",
                "RHA date",
            ),
            _date(
                "pep",
                "Latest PEP",
                "Date of latest PEP",
                "PEP date",
                "Latest personal education plan",
                "Date of latest personal education plan",
            ),
            _ignored("category_of_need", "Category of need", "Child's category of need"),
            _ignored("placements_12m", "Number of placements in the last 12 months"),
            _ignored("permanence_plan", "Permanence plan"),
            _ignored("seen_alone", "Child seen alone", "Was the child seen alone"),
        ),
        facts=(
            Episode("looked_after", "start", "end", "legal_status"),
            Placement("placement_type", "placement_in_area", "placement_start", "placement_end"),
            Event("cla_review", ("review",)),
            Event("visit", ("visit",)),
            Event("iha", ("iha",)),
            Event("rha", ("rha",)),
            Event("pep", ("pep",)),
        ),
        required=("start",),
        distinctive=(),
    ),
    ListSpec(
        9,
        "Care leavers",
        ("careleaver", "careleavers"),
        fields=(
            _date(
                "since",
                "Care leaver since",
                "Care leaver start date",
                "Date became a care leaver",
                "Date became care leaver",
                "Care leaver from",
            ),
            _date(
                "contact_date",
                "Latest contact",
                "Date of latest contact",
                "Date of last contact",
                "Latest contact date",
            ),
            Field(
                "in_touch",
                "In touch",
                ("In touch with LA", "In touch with local authority", "In touch status"),
                "category",
            ),
            Field(
                "accommodation", "Accommodation", ("Type of accommodation", "Accommodation type"), "category"
            ),
            _date(
                "accommodation_date", "Accommodation date", "Date of accommodation", "Accommodation recorded"
            ),
            Field(
                "eet",
                "Education, employment or training",
                ("Activity", "Activity (EET)", "EET", "EET status", "Main activity", "Economic activity"),
                "category",
            ),
            _date("eet_date", "EET date", "Activity date", "Date of activity"),
            _ignored("suitability", "Suitability of accommodation", "Accommodation suitable"),
            _ignored("pathway_plan", "Pathway plan review date", "Latest pathway plan review"),
            _ignored("personal_adviser", "Personal adviser allocated", "Personal adviser"),
        ),
        facts=(
            Episode("care_leaver", "since"),
            Event("care_leaver_contact", ("contact_date",), ("in_touch",)),
            Event("care_leaver_accommodation", ("accommodation_date",), ("accommodation",)),
            Event("care_leaver_eet", ("eet_date",), ("eet",)),
        ),
        required=(),  # a care leaver since date, or a contact date (checked in `_bind`)
        distinctive=("since", "in_touch"),
    ),
    ListSpec(
        10,
        "Adoption",
        ("adoption", "adoptions", "adopted"),
        fields=(
            _date(
                "decision",
                "Adoption decision",
                "Date of decision that child should be placed for adoption",
                "Date of decision that the child should be placed for adoption",
                "Should be placed for adoption",
                "Date of ADM decision",
                "ADM decision date",
                "Adoption decision date",
                "Date of adoption decision",
            ),
            _date(
                "placement_order",
                "Placement order",
                "Date of placement order",
                "Placement order date",
                "Date placement order granted",
            ),
            _date(
                "placed",
                "Placed for adoption",
                "Date placed for adoption",
                "Date of placement for adoption",
                "Date of matching child and prospective adopters",
                "Date matched with adopters",
                "Date placed with adopters",
            ),
            _date(
                "adoption_order",
                "Adoption order",
                "Date of adoption order",
                "Adoption order date",
                "Date adopted",
            ),
            _date(
                "reversed",
                "Decision reversed",
                "Date of decision that child should no longer be placed for adoption",
                "Date of decision that the child should no longer be placed for adoption",
                "Date decision reversed",
                "Adoption decision reversed",
                "Reversal date",
            ),
            _ignored(
                "reversal_reason",
                "Reason no longer placed for adoption",
                "Reason why child no longer placed for adoption",
                "Reason for reversal",
            ),
        ),
        facts=(
            Event("adoption_decision", ("decision",)),
            Event("placement_order", ("placement_order",)),
            Event("placed_for_adoption", ("placed",)),
            Event("adoption_order", ("adoption_order",)),
            Event("adoption_decision_reversed", ("reversed",)),
        ),
        required=(),  # any one of the five dates (checked in `_bind`)
        distinctive=("decision", "adoption_order", "reversed"),
    ),
    # Adopters are not children: the sheet is read by `AnnexLists._read_adopters`, not as case-list rows.
    ListSpec(
        11,
        "Adopters",
        ("adopter", "adopters", "adoptersandprospectiveadopters"),
        fields=(
            Field(
                "reference",
                "Adopter reference",
                (
                    "Adopter ID",
                    "Adopter ref",
                    "Adopter identifier",
                    "Individual adopter identifier",
                    "Adopter unique ID",
                    "Household reference",
                    "Household ID",
                ),
            ),
            Field(
                "household_type",
                "Household type",
                ("Adopter household type", "Single or couple", "Single adopter or couple"),
                "category",
            ),
            Field(
                "children_approved_for",
                "Children approved for",
                (
                    "Number of children approved for",
                    "No. of children approved for",
                    "Number of children adopter approved for",
                    "Number of children the adopter is approved for",
                ),
            ),
            _date(
                "enquiry_on",
                "Enquiry date",
                "Date of initial enquiry",
                "Date enquiry received",
                "Initial enquiry date",
                "Date of first contact",
                "First contact date",
            ),
            _date(
                "registration_on",
                "Registration of interest",
                "Date of registration of interest",
                "Registration of interest date",
                "Date ROI received",
                "ROI date",
            ),
            _date(
                "stage_one_on",
                "Stage 1 start",
                "Date stage 1 started",
                "Stage 1 start date",
                "Stage one start",
            ),
            _date(
                "stage_two_on",
                "Stage 2 start",
                "Date stage 2 started",
                "Stage 2 start date",
                "Stage two start",
            ),
            _date(
                "approved_on",
                "Approval date",
                "Date of approval",
                "Date approved",
                "Date application approved",
                "Date approved by ADM",
                "Date of ADM approval",
            ),
            _date(
                "matched_on",
                "Matched date",
                "Date matched",
                "Date of match",
                "Date adopter matched with child",
                "Date adopter matched with child(ren)",
            ),
            _date(
                "placed_on",
                "Placed date",
                "Date placed",
                "Date child placed with adopter",
                "Date child/children placed with adopter(s)",
            ),
            _date(
                "closed_on",
                "Closed date",
                "Date closed",
                "Date withdrawn",
                "Withdrawal date",
                "Date adopter withdrew",
                "Date of leaving adoption process",
            ),
            Field(
                "closed_reason",
                "Closure reason",
                (
                    "Reason for closure",
                    "Reason for withdrawal",
                    "Withdrawal reason",
                    "Reason for leaving adoption process",
                ),
            ),
            _ignored("stage_one_end", "Stage 1 end", "Date stage 1 ended"),
            _ignored("stage_two_end", "Stage 2 end", "Date stage 2 ended"),
            _ignored("panel_date", "Panel date", "Date application submitted to panel"),
        ),
        distinctive=("reference",),
    ),
)
ADOPTERS = 11
BY_NUMBER = {spec.number: spec for spec in LISTS}


def _aliases(spec: ListSpec) -> dict[str, Field]:
    table: dict[str, Field] = {}
    for item in (*COMMON, *spec.fields) if spec.number != ADOPTERS else spec.fields:
        for spelling in (item.name, item.label, *item.aliases):
            table.setdefault(key(spelling), item)
    return table


ALIASES = {spec.number: _aliases(spec) for spec in LISTS if not spec.skip}
