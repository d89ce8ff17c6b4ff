"""Write Annex A list 11 (adopter households) read by `annex_lists.AnnexLists`.

Adopters are not children, so they do not go through the case-list staging and upsert: this is a
small per-row upsert by reference, run inside the import's own transaction after the children are
written, so one bad row anywhere in the workbook still saves nothing. Idempotent: a household that
already says what the file says is left alone; a blank cell never overwrites what we hold. Every
create or change has its history row with the importing user.
"""

from __future__ import annotations

from casework.imports.writer import Counts
from casework.models import AdopterHousehold


def write_adopters(adopters: dict[str, tuple[str, int, dict]], *, counts: Counts, user=None) -> Counts:
    """Upsert each household ({reference: (sheet, row, {field: value})}); return the counts."""
    held = {h.reference: h for h in AdopterHousehold.objects.filter(reference__in=list(adopters))}
    for reference in sorted(adopters):
        _, _, record = adopters[reference]
        household = held.get(reference)
        if household is None:
            household = AdopterHousehold(reference=reference, **record)
            counts.created += 1
        elif all(getattr(household, name) == value for name, value in record.items()):
            counts.unchanged += 1
            continue
        else:
            for name, value in record.items():
                setattr(household, name, value)
            counts.updated += 1
        household._history_user = user
        household.save()
    return counts
