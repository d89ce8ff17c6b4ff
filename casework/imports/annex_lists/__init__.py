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

See casework/imports/README.md ("Annex A workbooks, list by list") for every column accepted.

The package splits this by responsibility: `layouts` (the per-list columns and aliases), `sheets`
(recognising list sheets), `rows` (turning sheet cells into case-list rows), `adopter_list`
(list 11) and `reader` (`AnnexLists`, `open_lists`); the names are re-exported here.
"""

from casework.imports.annex_lists.layouts import (
    ADOPTER_TWICE,
    BAD_CHILDREN,
    BAD_HOUSEHOLD,
    BAD_REFERENCE,
    CHILD_COLUMNS,
    HEADER,
    HOUSEHOLD_TYPES,
    LONG_REASON,
    MAX_SHEETS,
    MISSING_MAIN_DATE,
    NEEDS_COLUMN,
    NO_DATA_ROWS,
    NO_REFERENCE,
    NO_REFERENCE_COLUMN,
    NO_WORKER,
    PERSONAL,
    SAME_COLUMN,
    SHEET_SPAN,
    SKIP_EMPTY,
    SKIP_UNKNOWN,
    SKIP_VALIDATION,
    SKIPPED,
    SLOTS,
    WIDTH,
    WORKER_NAME,
    Episode,
    Event,
    Field,
    ListSpec,
    Placement,
    key,
)
from casework.imports.annex_lists.lists import (
    ADOPTERS,
    ALIASES,
    BY_NUMBER,
    COMMON,
    COMMON_LABELS,
    LISTS,
)
from casework.imports.annex_lists.reader import (
    AnnexLists,
    open_lists,
)
from casework.imports.annex_lists.rows import (
    Binding,
    Digests,
)
from casework.imports.annex_lists.sheets import (
    CASE_LIST_KEYS,
    allocation_supported,
    identify,
)

__all__ = [
    "ADOPTERS",
    "ADOPTER_TWICE",
    "ALIASES",
    "AnnexLists",
    "BAD_CHILDREN",
    "BAD_HOUSEHOLD",
    "BAD_REFERENCE",
    "BY_NUMBER",
    "Binding",
    "CASE_LIST_KEYS",
    "CHILD_COLUMNS",
    "COMMON",
    "COMMON_LABELS",
    "Digests",
    "Episode",
    "Event",
    "Field",
    "HEADER",
    "HOUSEHOLD_TYPES",
    "LISTS",
    "LONG_REASON",
    "ListSpec",
    "MAX_SHEETS",
    "MISSING_MAIN_DATE",
    "NEEDS_COLUMN",
    "NO_DATA_ROWS",
    "NO_REFERENCE",
    "NO_REFERENCE_COLUMN",
    "NO_WORKER",
    "PERSONAL",
    "Placement",
    "SAME_COLUMN",
    "SHEET_SPAN",
    "SKIPPED",
    "SKIP_EMPTY",
    "SKIP_UNKNOWN",
    "SKIP_VALIDATION",
    "SLOTS",
    "WIDTH",
    "WORKER_NAME",
    "allocation_supported",
    "identify",
    "key",
    "open_lists",
]
