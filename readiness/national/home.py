"""Which real local authority this council is: read, record, and the demo's pick."""

from __future__ import annotations

from django.utils import timezone

from readiness.national.models import HomeAuthority, LocalAuthority


def home_authority_get() -> HomeAuthority | None:
    return HomeAuthority.objects.select_related("local_authority").filter(pk=1).first()


def home_authority_set(
    *, local_authority: LocalAuthority, user=None, borrowed_for_demo: bool = False
) -> HomeAuthority:
    """Record which real local authority this council is (replacing any earlier choice)."""
    home = HomeAuthority.objects.filter(pk=1).first() or HomeAuthority(pk=1)
    home.local_authority = local_authority
    home.borrowed_for_demo = borrowed_for_demo
    home.chosen_by = user if user is not None and getattr(user, "is_authenticated", False) else None
    home.chosen_at = timezone.now()
    home.full_clean()
    home.save()
    return home


def demo_home_candidate() -> LocalAuthority | None:
    """Pick, deterministically, the authority the demo council borrows: the first London Borough by name."""
    return (
        LocalAuthority.objects.filter(la_type="London Borough", inspections__isnull=False)
        .distinct()
        .order_by("name")
        .first()
    )
