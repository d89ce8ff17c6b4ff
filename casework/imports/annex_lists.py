"""Read an Annex A workbook in its per-list layout: one sheet per list, each with its own columns.

A council's case-management system writes Annex A with one sheet per list (List 1 Contacts … List 11
Adopters). Each sheet has the common columns (child ID, gender, ethnicity, date of birth, age,
disability, team, worker) and its own dated columns. This module recognises the list sheets (by
name, else by their headers), and turns each sheet row into the importer's own case-list rows — one
Annex A row may give a child, an episode, a placement and several events — so that everything
downstream (checks, all-or-nothing, staging, upsert, history, dry run) is the case-list importer's.

Each case-list row gets a number that encodes where it came from — sheet, sheet row and which fact
of that row (`SHEET_SPAN`, `SLOTS`) — so nothing is kept per row to find it again: `finish` turns
every problem's number back into the sheet, row and column the user sees. The only memory that grows
with the file is one 8-byte digest per distinct fact (`Digests`, a flat array), so that a fact two
lists both give (a child's details on lists 6 and 8, one strategy discussion behind two section 47
enquiries) is read once.
Two lists that disagree about a fact are a problem, found downstream like any other.

List 11 (adopters) is not about children: its sheets are read and checked into `AnnexLists.adopters`
(problems in sheet terms, like the rest) and written by `adopters.py` in the import's transaction.

See README.md in this folder ("Annex A workbooks, list by list") for every column accepted.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from casework.imports import values
from casework.imports.columns import PERSONAL_IDENTIFIER_PATTERNS, header_key
from casework.imports.problems import CellError, FileRefused, Problem
from casework.models import AdopterHousehold, adopter_date_problems, normalise_adopter_reference

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
_PII = re.compile("|".join(PERSONAL_IDENTIFIER_PATTERNS))
_LIST_NUMBER = re.compile(r"(?:^|[^a-z0-9])(?:list|l)\s*[-_.:#]?\s*(\d{1,2})(?!\d)")
_LETTER_PREFIX = re.compile(r"^[a-z]\d?\)\s+")  # D2I's ordering prefix: "a) Male", "p1) 5D: LA services"
_PERSON_NAME = re.compile(r"^[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’.-]*)+$")
_FORMULA_ESCAPE = ("'=", "'+", "'-", "'@")
_ROW_REF = re.compile(r"\brow (\d+)")
# Headers only our own case-list layout has: a first sheet with one of them is a plain case list.
CASE_LIST_KEYS = {"eventtype", "eventdate", "cohort", "episodestart", "casetype"}


def _aliases(spec: ListSpec) -> dict[str, Field]:
    table: dict[str, Field] = {}
    for item in (*COMMON, *spec.fields) if spec.number != ADOPTERS else spec.fields:
        for spelling in (item.name, item.label, *item.aliases):
            table.setdefault(key(spelling), item)
    return table


ALIASES = {spec.number: _aliases(spec) for spec in LISTS if not spec.skip}


def allocation_supported() -> bool:
    """Whether the importer takes `allocation` events yet (the event kind is new)."""
    try:
        return values.parse_event_kind("allocation") == "allocation"
    except CellError:
        return False


def identify(name: str, header: list[object] | None) -> ListSpec | None:
    """Which list a sheet is: by the number in its name, by words in its name, else by its headers."""
    folded = str(name).lower()
    if match := _LIST_NUMBER.search(folded):
        return BY_NUMBER.get(int(match.group(1)))
    name_key, words = key(name), re.findall(r"[a-z0-9]+", folded)
    found: list[tuple[int, int, ListSpec]] = []
    for spec in LISTS:
        for word in spec.words:
            if len(word) <= 3 and word in words:  # "CIN", "CLA", "EH": only as a word of their own
                found.append((name_key.find(word), -len(word), spec))
            elif len(word) > 3 and word in name_key:
                found.append((name_key.find(word), -len(word), spec))
    if found:
        return min(found, key=lambda item: item[:2])[2]  # the words that come first in the name
    if not header:
        return None
    keys = {key(cell) for cell in header if cell not in (None, "")}
    adopter_keys = {k for k, item in ALIASES[ADOPTERS].items() if item.name == "reference"}
    if keys & adopter_keys and not keys & {key(a) for a in ("Child ID", *COMMON[0].aliases)}:
        return BY_NUMBER[ADOPTERS]
    found = []
    for spec in LISTS:
        if spec.skip or not spec.distinctive or spec.number == ADOPTERS:
            continue
        table = ALIASES[spec.number]
        hits = {table[k].name for k in keys if k in table and table[k].name in spec.distinctive}
        if hits and ("child_id" in {table[k].name for k in keys if k in table}):
            found.append(spec)
    return found[0] if len(found) == 1 else None


@dataclass
class Binding:
    """One list sheet: which of its columns hold which field, and the user's spelling of each."""

    index: int
    title: str
    spec: ListSpec
    positions: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # per slot: the importer's column label -> the user's header
    columns: list[dict[str, str]] = field(default_factory=list)
    facts: list = field(default_factory=list)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def place(self, slot: int, column: str | None) -> str | None:
        if column is None:
            return None
        if slot < len(self.columns):
            return self.columns[slot].get(column, column)
        return column


def _text(cell: object) -> str:
    result = values.text(cell)
    if result[:2] in _FORMULA_ESCAPE:  # our exporter writes formula-like text as '=…
        result = result[1:]
    return result


def _category(cell: object) -> object:
    if not isinstance(cell, str):
        return cell
    result = _LETTER_PREFIX.sub("", _text(cell))
    folded = result.lower()
    if folded in ("not stated/recorded", "not stated / recorded"):
        return "not known"
    if folded == "neither":
        return "other"
    return result


def _in_area(cell: object) -> object:
    result = _category(cell)
    if isinstance(result, str):
        folded = key(result)
        if folded in ("in", "inside", "within", "inarea", "insidela", "inla", "inborough", "inside la"):
            return "yes"
        if folded in ("out", "outside", "outofarea", "outsidela", "outofla", "outofborough"):
            return "no"
    return result


def _digest(parts: tuple) -> int:
    joined = "\x1f".join(parts)
    return int.from_bytes(hashlib.blake2b(joined.encode(), digest_size=8).digest(), "big")


def _date_key(cell: object) -> str:
    try:
        parsed = values.parse_date(cell)
    except CellError:
        return "?" + values.text(cell)
    return parsed.isoformat() if parsed else ""


class Digests:
    """A set of 64-bit digests in one flat array (open addressing): 16 to 32 bytes a fact, not ~70.

    This is the one structure that grows with the file: a digest for each distinct fact read.
    """

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._mask = 1023
        self._count = 0

    def add(self, digest: int) -> bool:
        """Add a digest; return True when it is new."""
        digest = digest or 1  # 0 marks an empty slot
        slots, mask = self._slots, self._mask
        index = digest & mask
        while (found := slots[index]) != 0:
            if found == digest:
                return False
            index = (index + 1) & mask
        slots[index] = digest
        self._count += 1
        if self._count * 2 > mask:
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._slots
        self._mask = mask = len(old) * 2 - 1
        self._slots = slots = array("Q", bytes(8 * (mask + 1)))
        for digest in old:
            if digest:
                index = digest & mask
                while slots[index]:
                    index = (index + 1) & mask
                slots[index] = digest

    def __len__(self) -> int:
        return self._count


class AnnexLists:
    """The rows of a workbook read per list, and how to turn problems back into sheet terms."""

    def __init__(
        self,
        workbook,
        sheets: list[tuple[object, ListSpec]],
        skipped: list[str],
        adopter_sheets: list[object] | None = None,
    ) -> None:
        self.workbook = workbook
        self.sheets = sheets
        self.adopter_sheets = adopter_sheets or []
        # List 11: {reference: (sheet, row, {field: value})}, blank cells left out; written by
        # casework/imports/adopters.py in the import's transaction.
        self.adopters: dict[str, tuple[str, int, dict]] = {}
        self.skipped = skipped
        self.bindings: list[Binding] = []
        self.problems: list[tuple[int, Problem]] = []
        self.ignored: dict[str, list[str]] = {}
        self.data_rows = 0
        self.seen = Digests()
        self.allocations = allocation_supported()

    # -- reading -------------------------------------------------------------------------------

    def rows(self, merged) -> Iterator[tuple[int, list]]:
        """Yield the importer's header, then its rows for every list sheet, sheet by sheet.

        Adopter sheets (list 11) are read first, into `adopters`, while the workbook is open.
        """
        for position, sheet in enumerate(self.adopter_sheets):
            self._refuse_merged(sheet, merged)
            self._read_adopters(MAX_SHEETS + position, sheet)
        yield 1, list(HEADER)
        for index, (sheet, spec) in enumerate(self.sheets):
            if index >= MAX_SHEETS:
                self._problem(
                    index,
                    None,
                    Problem(
                        f"the workbook has more than {MAX_SHEETS} list sheets; import it in parts",
                        sheet=sheet.title,
                    ),
                )
                break
            self._refuse_merged(sheet, merged)
            yield from self._sheet_rows(index, sheet, spec)

    @staticmethod
    def _refuse_merged(sheet, merged) -> None:
        ranges = merged(sheet)
        if ranges:
            raise FileRefused(
                *(
                    Problem(
                        f"cells {ref} are merged; unmerge them so that every value sits in its own cell",
                        row=row,
                        sheet=sheet.title,
                    )
                    for row, ref in ranges
                )
            )

    # -- list 11: adopter households, one row each ------------------------------------------------

    def _read_adopters(self, index: int, sheet) -> None:
        """Check every row of an adopters sheet into `adopters`; problems name sheet, row and column."""
        title = sheet.title
        rows = sheet.iter_rows(values_only=True, max_col=200)
        header = next(rows, None) or ()
        table = ALIASES[ADOPTERS]
        positions: dict[str, int] = {}
        labels: dict[str, str] = {}
        bad = False
        for position, cell in enumerate(header):
            shown = str(cell if cell is not None else "").strip()
            if not shown:
                continue
            item = table.get(key(shown))
            if item is None or item.kind == "ignored":
                if item is None and _PII.search(header_key(shown)):
                    bad = True
                    self._problem(
                        index, 1, Problem(PERSONAL.format(shown=shown), row=1, column=shown, sheet=title)
                    )
                else:
                    self.ignored.setdefault(shown, []).append(title)
                continue
            if item.name in positions:
                bad = True
                self._problem(
                    index,
                    1,
                    Problem(
                        SAME_COLUMN.format(shown=shown, known=labels[item.name]),
                        row=1,
                        column=shown,
                        sheet=title,
                    ),
                )
                continue
            positions[item.name], labels[item.name] = position, shown
        if "reference" not in positions:
            bad = True
            self._problem(index, 1, Problem(NO_REFERENCE_COLUMN, row=1, sheet=title))
        if bad:
            return
        slot_of = {name: min(position + 1, SLOTS - 1) for name, position in positions.items()}
        dates = AdopterHousehold.date_fields()
        for number, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
                continue
            self.data_rows += 1
            row_problems: list[tuple[str, str]] = []
            record: dict[str, object] = {}
            for name, position in positions.items():
                raw = cells[position] if position < len(cells) else None
                shown = _text(raw) if isinstance(raw, str) else raw
                if values.text(shown) == "":
                    if name == "reference":
                        row_problems.append((name, NO_REFERENCE))
                    continue
                try:
                    record[name] = _adopter_value(name, shown, dates)
                except CellError as error:
                    row_problems.append((name, str(error)))
            if "reference" in record:
                record["reference"] = normalise_adopter_reference(record["reference"])
            if not row_problems:
                row_problems.extend(adopter_date_problems({name: record.get(name) for name in dates}).items())
            for name, message in row_problems:
                self._problem(
                    index,
                    number,
                    Problem(message, row=number, column=labels[name], sheet=title),
                    slot_of[name],
                )
            if row_problems:
                continue
            reference = record.pop("reference")
            earlier = self.adopters.get(reference)
            if earlier is not None:
                if earlier[2] != record:
                    self._problem(
                        index,
                        number,
                        Problem(
                            ADOPTER_TWICE.format(reference=reference, row=earlier[1]),
                            row=number,
                            column=labels["reference"],
                            sheet=title,
                        ),
                        slot_of["reference"],
                    )
                continue
            self.adopters[reference] = (title, number, record)
        # What we already hold, with the file's dates over it, must still be in order.
        held = {
            household.reference: household
            for household in AdopterHousehold.objects.filter(reference__in=list(self.adopters))
        }
        for reference, (where, number, record) in self.adopters.items():
            if where != title or reference not in held:
                continue
            merged = {name: record.get(name, getattr(held[reference], name)) for name in dates}
            for name, message in adopter_date_problems(merged).items():
                column = name if name in record else next((n for n in dates if n in record), "reference")
                self._problem(
                    index,
                    number,
                    Problem(
                        f"{message} (the earlier date is the one we already hold for {reference})",
                        row=number,
                        column=labels[column],
                        sheet=title,
                    ),
                    slot_of[column],
                )

    def _problem(self, index: int, row: int | None, problem: Problem, slot: int = 0) -> None:
        order = index * SHEET_SPAN + (row or 0) * SLOTS + slot
        self.problems.append((order, problem))

    def _bind(self, index: int, title: str, spec: ListSpec, header: list) -> Binding | None:
        binding = Binding(index=index, title=title, spec=spec)
        table = ALIASES[spec.number]
        bad = False
        for position, cell in enumerate(header):
            shown = str(cell if cell is not None else "").strip()
            if not shown:
                continue
            item = table.get(key(shown))
            if item is None:
                if _PII.search(header_key(shown)):
                    bad = True
                    self._problem(
                        index,
                        1,
                        Problem(
                            PERSONAL.format(shown=shown),
                            row=1,
                            column=shown,
                            sheet=title,
                        ),
                    )
                else:
                    self.ignored.setdefault(shown, []).append(title)
                continue
            if item.name in binding.positions:
                bad = True
                self._problem(
                    index,
                    1,
                    Problem(
                        SAME_COLUMN.format(shown=shown, known=binding.labels[item.name]),
                        row=1,
                        column=shown,
                        sheet=title,
                    ),
                )
                continue
            if item.kind == "ignored" or (item.kind == "worker" and not self.allocations):
                self.ignored.setdefault(shown, []).append(title)
            binding.positions[item.name] = position
            binding.labels[item.name] = shown
        if "child_id" not in binding.positions:
            bad = True
            self._problem(
                index,
                1,
                Problem(
                    "there is no Child ID column; name one of the headers 'Child ID', 'Child unique ID'",
                    row=1,
                    sheet=title,
                ),
            )
        needed = (
            spec.required
            or {
                5: ("strategy", "s47_start", "icpc"),
                9: ("since", "contact_date"),
                10: ("decision", "placement_order", "placed", "adoption_order", "reversed"),
            }[spec.number]
        )
        if not any(name in binding.positions for name in needed):
            bad = True
            fields = {f.name: f for f in spec.fields}
            names = " or ".join(f"'{fields[name].label}'" for name in needed)
            aliases = ", ".join(f"'{a}'" for a in fields[needed[0]].aliases[:2])
            self._problem(
                index,
                1,
                Problem(
                    NEEDS_COLUMN.format(names=names, aliases=aliases),
                    row=1,
                    sheet=title,
                ),
            )
        if bad:
            return None
        self._plan_facts(binding)
        return binding

    def _plan_facts(self, binding: Binding) -> None:
        """Decide which facts this sheet can give, and where each one's problems point."""
        has, label = binding.positions, binding.label
        binding.columns.append(
            {
                "Child ID": label("child_id"),
                "Date of birth": label("date_of_birth"),
                "Gender": label("gender"),
                "Ethnicity": label("ethnicity"),
                "Disability": label("disability"),
                "UASC": label("uasc"),
            }
        )
        facts = list(binding.spec.facts)
        if self.allocations and "worker" in has:
            # An allocation needs its own date: the indicators count a child for the worker of the
            # latest allocation on or before a day, so a guessed date would move caseloads (and the
            # worker on a list is usually today's, not the one at the list's main date).
            if "allocation_date" in has:
                facts.append(Event("allocation", ("allocation_date",), ("worker",)))
            else:
                self.ignored.setdefault(label("worker"), []).append(
                    f"{binding.title}: no {COMMON_LABELS['allocation_date']} column to date it"
                )
        for fact in facts:
            if isinstance(fact, Episode):
                if fact.start not in has:
                    continue
                columns = {
                    "Cohort": label(fact.start),
                    "Episode start": label(fact.start),
                    "Episode end": label(fact.end) if fact.end in has else label(fact.start),
                    "Legal status": label(fact.legal) if fact.legal in has else label(fact.start),
                }
            elif isinstance(fact, Placement):
                if fact.kind not in has:
                    continue
                if fact.start not in has:
                    for name in (fact.kind, fact.in_area):
                        if name in has:
                            self.ignored.setdefault(label(name), []).append(
                                f"{binding.title}: no placement start date column"
                            )
                    continue
                columns = {
                    "Placement type": label(fact.kind),
                    "Placement in area": label(fact.in_area) if fact.in_area in has else label(fact.kind),
                    "Placement start": label(fact.start),
                    "Placement end": label(fact.end) if fact.end in has else label(fact.start),
                }
            else:
                present = [name for name in fact.dates if name in has]
                if not present:
                    for name in fact.value:
                        if name in has and fact.kind in ("care_leaver_accommodation", "care_leaver_eet"):
                            self.ignored.setdefault(label(name), []).append(
                                f"{binding.title}: no date for it on this list"
                            )
                    continue
                value = next((name for name in fact.value if name in has), None)
                columns = {
                    "Event type": label(present[0]),
                    "Event date": label(present[0]),
                    "Event value": label(value) if value else label(present[0]),
                }
            binding.facts.append(fact)
            binding.columns.append(columns)

    def _sheet_rows(self, index: int, sheet, spec: ListSpec) -> Iterator[tuple[int, list]]:
        rows = sheet.iter_rows(values_only=True, max_col=200)
        header = next(rows, None)
        if header is None:
            return
        binding = self._bind(index, sheet.title, spec, list(header))
        if binding is None:
            return
        self.bindings.append(binding)
        base = index * SHEET_SPAN
        for number, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
                continue
            self.data_rows += 1
            cells = list(cells)
            for slot, row in self._expand(binding, number, cells):
                yield base + number * SLOTS + slot, row

    def _expand(self, binding: Binding, number: int, cells: list) -> Iterator[tuple[int, list]]:
        positions, count = binding.positions, len(cells)

        def cell(name: str | None) -> object:
            if name is None:
                return None
            position = positions.get(name)
            if position is None or position >= count:
                return None
            value = cells[position]
            return _text(value) if isinstance(value, str) else value

        def blank(name: str | None) -> bool:
            return values.text(cell(name)) == ""

        child_id = cell("child_id")
        child_key = values.text(child_id).upper()
        child = [
            child_id,
            cell("date_of_birth"),
            _category(cell("gender")),
            _category(cell("ethnicity")),
            _category(cell("disability")),
            _category(cell("uasc")),
        ]
        row = child + [None] * (WIDTH - 6)
        if self._new(("c", child_key, *(values.text(v).casefold() for v in child[1:]))):
            yield 0, row
        for slot, fact in enumerate(binding.facts, start=1):
            if isinstance(fact, Episode):
                if blank(fact.start):
                    if fact.start in binding.spec.required:
                        self._problem(
                            binding.index,
                            number,
                            Problem(
                                MISSING_MAIN_DATE,
                                row=number,
                                column=binding.label(fact.start),
                                sheet=binding.title,
                            ),
                            slot,
                        )
                    continue
                start, end, legal = cell(fact.start), cell(fact.end), _text(cell(fact.legal) or "")
                out = [child_id] + [None] * (WIDTH - 1)
                out[6], out[7], out[8], out[9] = fact.cohort, start, end, legal
                parts = ("e", child_key, fact.cohort, _date_key(start), _date_key(end), legal.casefold())
            elif isinstance(fact, Placement):
                if blank(fact.kind) and blank(fact.start) and blank(fact.in_area) and blank(fact.end):
                    continue
                kind, in_area = _category(cell(fact.kind)), _in_area(cell(fact.in_area))
                start, end = cell(fact.start), cell(fact.end)
                out = [child_id] + [None] * (WIDTH - 1)
                out[10], out[11], out[12], out[13] = kind, in_area, start, end
                parts = (
                    "p",
                    child_key,
                    values.text(kind).casefold(),
                    values.text(in_area).casefold(),
                    _date_key(start),
                    _date_key(end),
                )
            else:
                occurred = next((cell(name) for name in fact.dates if not blank(name)), None)
                value_name = next((name for name in fact.value if name in positions), None)
                raw = cell(value_name)
                if fact.nfa:
                    try:
                        value = "NFA" if values.parse_yes_no(_category(raw)) else ""
                    except CellError as error:
                        self._problem(
                            binding.index,
                            number,
                            Problem(
                                str(error), row=number, column=binding.label(value_name), sheet=binding.title
                            ),
                            slot,
                        )
                        continue
                else:
                    value = _category(raw) if raw is not None else ""
                if fact.kind == "allocation":
                    shown = values.text(value)
                    if not shown:
                        continue
                    if shown.lower() not in NO_WORKER and _PERSON_NAME.match(shown):
                        self._problem(
                            binding.index,
                            number,
                            Problem(
                                WORKER_NAME.format(value=f"'{shown[:40]}'"),
                                row=number,
                                column=binding.label("worker"),
                                sheet=binding.title,
                            ),
                            slot,
                        )
                        continue
                if values.text(occurred) == "":
                    if fact.dates[0] in binding.spec.required:  # the list's main date (lists 1, 3, 4)
                        self._problem(
                            binding.index,
                            number,
                            Problem(
                                MISSING_MAIN_DATE,
                                row=number,
                                column=binding.label(fact.dates[0]),
                                sheet=binding.title,
                            ),
                            slot,
                        )
                    continue  # else a value with no date to hang it on (an In touch with no contact date)
                out = [child_id] + [None] * (WIDTH - 1)
                out[14], out[15], out[16] = fact.kind, occurred, value
                parts = ("v", child_key, fact.kind, _date_key(occurred), values.text(value).casefold())
            if self._new(parts):
                yield slot, out

    def _new(self, parts: tuple) -> bool:
        return self.seen.add(_digest(parts))

    # -- after reading -------------------------------------------------------------------------

    def _where(self, number: int) -> str | None:
        index, rest = divmod(number, SHEET_SPAN)
        if number < 2 * SLOTS or index >= len(self.sheets):
            return None
        binding = next((b for b in self.bindings if b.index == index), None)
        if binding is None:
            return None
        return f"{binding.title}, row {rest // SLOTS}"

    def _place(self, problem: Problem) -> tuple[int, Problem]:
        if problem.row is None or problem.sheet is not None:
            return (0, problem)
        number = problem.row
        index, rest = divmod(number, SHEET_SPAN)
        binding = next((b for b in self.bindings if b.index == index), None)
        if binding is None or number < 2 * SLOTS:
            return (number, problem)
        row, slot = divmod(rest, SLOTS)

        def reference(match: re.Match) -> str:
            where = self._where(int(match.group(1)))
            return where if where else match.group(0)

        message = _ROW_REF.sub(reference, problem.message)
        return number, Problem(
            message, row=row, column=binding.place(slot, problem.column), sheet=binding.title
        )

    def finish(self, plan, problems) -> None:
        """Put every problem in sheet terms, add this reader's own, and count sheet rows, not ours."""
        from casework.imports.reader import NO_ROWS

        placed: list[tuple[int, Problem]] = []
        dropped = 0
        for problem in problems.items:
            if problem.row is None and problem.message == NO_ROWS:
                dropped += 1
                continue
            placed.append(self._place(problem))
        placed.extend(self.problems)
        placed.sort(key=lambda item: item[0])
        seen: set[tuple] = set()
        items = []
        for _, problem in placed:
            identity = (problem.sheet, problem.row, problem.column, problem.message)
            if identity in seen:
                dropped += 1
                continue
            seen.add(identity)
            items.append(problem)
        total = problems.total - dropped + len(self.problems)
        if self.data_rows == 0 and total == 0:
            items.append(Problem(NO_DATA_ROWS))
            total = 1
        problems.items[:] = items
        problems.total = total
        plan.rows = self.data_rows
        plan.ignored_columns = [
            f"{column} ({'; '.join(dict.fromkeys(where))})" for column, where in self.ignored.items()
        ]

    @property
    def skipped_sheets(self) -> list[str]:
        return list(self.skipped)


def _adopter_value(name: str, cell: object, dates: tuple[str, ...]) -> object:
    """One list 11 cell as the model holds it; raise CellError with a plain-English message."""
    if name in dates:
        return values.parse_date(cell)
    shown = values.text(cell)
    if name == "reference":
        if not values.CHILD_ID_PATTERN.match(shown.upper()):
            raise CellError(BAD_REFERENCE.format(shown=f"'{shown[:40]}'"))
        return shown
    if name == "household_type":
        folded = key(_category(shown))
        if folded not in HOUSEHOLD_TYPES:
            raise CellError(BAD_HOUSEHOLD.format(shown=f"'{shown[:40]}'"))
        return HOUSEHOLD_TYPES[folded]
    if name == "children_approved_for":
        if not shown.isdigit() or not 1 <= int(shown) <= 10:
            raise CellError(BAD_CHILDREN.format(shown=f"'{shown[:40]}'"))
        return int(shown)
    if len(shown) > 100:
        raise CellError(LONG_REASON)
    return shown


def open_lists(workbook) -> AnnexLists | None:
    """Return the per-list reader when the workbook has Annex A list sheets, else None.

    Reads only each sheet's first row here (to identify it); hidden sheets are ignored.
    """
    sheets: list[tuple[object, ListSpec]] = []
    adopter_sheets: list[object] = []
    skipped: list[str] = []
    named = False
    for position, sheet in enumerate(workbook.worksheets):
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        header = next(sheet.iter_rows(values_only=True, max_row=1, max_col=200), None)
        header = list(header) if header else []
        if position == 0 and CASE_LIST_KEYS & {key(cell) for cell in header}:
            return None  # the first sheet is a case list in our own layout, whatever its name
        by_name = identify(sheet.title, None)
        spec = by_name or identify(sheet.title, header)
        if by_name is not None:
            named = True
        if key(sheet.title) == "validation":
            skipped.append(SKIPPED.format(title=sheet.title, reason=SKIP_VALIDATION))
        elif spec is None:
            skipped.append(SKIPPED.format(title=sheet.title, reason=SKIP_UNKNOWN))
        elif spec.skip:
            skipped.append(SKIPPED.format(title=sheet.title, reason=spec.skip))
        elif not any(cell not in (None, "") for cell in header):
            skipped.append(SKIPPED.format(title=sheet.title, reason=SKIP_EMPTY))
        elif spec.number == ADOPTERS:
            adopter_sheets.append(sheet)
        else:
            sheets.append((sheet, spec))
    if not named and len(sheets) + len(adopter_sheets) < 2:
        return None  # at most one sheet that looks like a list, by its headers alone: a case list
    return AnnexLists(workbook, sheets, skipped, adopter_sheets)
