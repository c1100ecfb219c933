"""Page-shaped reads of inspections, credit listings, merges and zombie flags."""

from django.db.models import Prefetch
from django.utils import timezone

from orgs import rules
from orgs.models import AnnualInspection, CreditListing, Merge, Organization, ZombieFlag
from orgs.services.oversight import can_manage_credit_listings, can_record_inspection


def merge_list(*, user):
    """Merges the user may see (scoped by the survivor), newest first."""
    return (
        Merge.objects.visible_to(user)
        .select_related("survivor__community", "performed_by")
        .prefetch_related(
            Prefetch("merged", queryset=Organization.objects.select_related("community"))
        )
        .order_by("-merged_on", "-pk")
    )


def merge_candidates(*, user):
    """Active organisations the user may see, to choose a survivor and those merged into it."""
    return (
        Organization.objects.visible_to(user)
        .pickable()
        .select_related("community__township")
        .order_by("community__township__code", "community__code", "name")
    )


def zombie_flag_list(*, user, state: str | None = ZombieFlag.State.OPEN):
    """Zombie flags the user may see, in a state (all states when None), newest first."""
    flags = ZombieFlag.objects.visible_to(user).select_related(
        "organization__community__township", "resolved_by"
    )
    if state:
        flags = flags.filter(state=state)
    return flags.order_by("-flagged_on", "-pk")


def resolvable_flag_ids(*, user, flags) -> set[int]:
    """Which of the given flags the user may confirm or clear (one query)."""
    return set(
        ZombieFlag.objects.editable_by(user)
        .filter(pk__in=[flag.pk for flag in flags], state=ZombieFlag.State.OPEN)
        .values_list("pk", flat=True)
    )


def credit_listing_rows(listings, *, on) -> list[dict]:
    """Each listing with whether it is in force on the day and when it ends (or ended)."""
    return [
        {
            "listing": listing,
            "in_force": rules.is_in_force(listing, on),
            "ends_on": rules.effective_end(listing),
            "ends_by_itself": rules.auto_end_on(listing) is not None,
        }
        for listing in listings
    ]


def oversight_tab_context(*, user, organization) -> dict:
    """Context for the organisation page's inspections, credit and merge sections."""
    today = timezone.localdate()
    inspections = (
        AnnualInspection.objects.visible_to(user)
        .filter(organization=organization)
        .select_related("recorded_by")
        .order_by("-year")
    )
    listings = list(
        CreditListing.objects.visible_to(user)
        .filter(organization=organization)
        .select_related("listed_by", "removed_by")
        .order_by("-listed_on", "-pk")
    )
    rows = credit_listing_rows(listings, on=today)
    merged_into = None
    merged_into_visible = False
    merged_by = None
    if organization.merged_into_id:
        merged_into = Organization.objects.filter(pk=organization.merged_into_id).first()
        merged_into_visible = (
            Organization.objects.visible_to(user).filter(pk=organization.merged_into_id).exists()
        )
        merged_by = (
            Merge.objects.visible_to(user)
            .filter(merged=organization)
            .order_by("-merged_on", "-pk")
            .first()
        )
    return {
        "today": today,
        "inspections": inspections,
        "credit_listings_in_force": [row for row in rows if row["in_force"]],
        "credit_listings_past": [row for row in rows if not row["in_force"]],
        "abnormal_since": rules.abnormal_since(listings, today),
        "serious_list_proposed": rules.serious_list_proposed(listings, today),
        "merged_into": merged_into,
        "merged_into_visible": merged_into_visible,
        "merged_by": merged_by,
        "merges_received": merge_list(user=user).filter(survivor=organization),
        "can_record_inspection": organization.is_active
        and can_record_inspection(user, organization),
        "can_add_credit_listing": organization.is_active and can_manage_credit_listings(user),
        "can_remove_credit_listing": can_manage_credit_listings(user),
    }
