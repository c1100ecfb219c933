"""Page-shaped reads of activities, mediation cases and feedback, starting from the scope."""

import datetime

from django.db.models import Avg, Count, Max

from activities.models import Activity, Feedback, MediationCase


def activity_list(*, user):
    """Activities the user may see, with what a list row shows."""
    return (
        Activity.objects.visible_to(user)
        .select_related("lead_organization", "community_served")
        .order_by("-start", "-pk")
    )


def mediation_list(*, user):
    return (
        MediationCase.objects.visible_to(user)
        .select_related("organization", "community")
        .order_by("-occurred_on", "-pk")
    )


def verification_queue(*, user):
    """Submitted activities and mediation cases of the user's communities."""
    activities = (
        activity_list(user=user)
        .submitted()
        .select_related("booking__room__center")
        .prefetch_related("photos")
        .order_by("submitted_at", "pk")
    )
    cases = mediation_list(user=user).submitted().order_by("submitted_at", "pk")
    return activities, cases


def feedback_summary(*, organization) -> dict:
    """Average score and count of all the organisation's feedback (any source)."""
    summary = Feedback.objects.filter(organization=organization).aggregate(
        average=Avg("score"), count=Count("pk")
    )
    average = summary["average"]
    return {
        "average": round(average, 2) if average is not None else None,
        "count": summary["count"],
    }


def activities_tab_context(*, user, organization) -> dict:
    """What the organisation page's activities section shows."""
    activities = Activity.objects.visible_to(user).filter(lead_organization=organization)
    return {
        "activities_recent": list(
            activities.select_related("community_served").order_by("-start")[:5]
        ),
        "activities_verified_count": activities.verified().count(),
        "activities_submitted_count": activities.submitted().count(),
        "activities_feedback": feedback_summary(organization=organization),
        "activities_organization": organization,
    }


def last_verified_activity_on(organization_ids) -> dict[int, datetime.date]:
    """For the zombie watch: {organisation id: date of its last verified activity}."""
    rows = (
        Activity.objects.verified()
        .filter(lead_organization_id__in=list(organization_ids))
        .values("lead_organization_id")
        .annotate(last=Max("start"))
        .order_by()
    )
    from django.utils import timezone

    return {row["lead_organization_id"]: timezone.localdate(row["last"]) for row in rows}
