"""What activities and mediation cases add to the monthly roll-ups (verified records only)."""

from __future__ import annotations

from django.db.models import Count, DateField, F, Sum
from django.db.models.functions import Round, TruncMonth

from activities.models import Activity, MediationCase, VerificationStatus
from rollups.models import ActivityMonth, MediationMonth
from rollups.services import Share, Source, month_of, share


def activity_shares(activity: Activity) -> list[Share]:
    """A verified activity counts once, with its beneficiaries and hours, in its start's month."""
    if activity.status != VerificationStatus.VERIFIED:
        return []
    return [
        share(
            ActivityMonth,
            {
                "organization_id": activity.lead_organization_id,
                "community_id": activity.community_served_id,
                "month": month_of(activity.start),
            },
            activities=1,
            beneficiaries=activity.beneficiaries or 0,
            volunteer_tenths=round((activity.volunteer_hours or 0) * 10),
        )
    ]


def mediation_shares(case: MediationCase) -> list[Share]:
    """A verified mediation case counts once in the month it took place."""
    if case.status != VerificationStatus.VERIFIED:
        return []
    return [
        share(
            MediationMonth,
            {
                "organization_id": case.organization_id,
                "community_id": case.community_id,
                "month": month_of(case.occurred_on),
            },
            cases=1,
        )
    ]


def activity_rows():
    rows = (
        Activity.objects.verified()
        .annotate(month=TruncMonth("start", output_field=DateField()))
        .order_by()
        .values("lead_organization_id", "community_served_id", "month")
        .annotate(
            count=Count("pk"),
            people=Sum("beneficiaries"),
            tenths=Sum(Round(F("volunteer_hours") * 10)),
        )
    )
    for row in rows:
        yield {
            "organization_id": row["lead_organization_id"],
            "community_id": row["community_served_id"],
            "month": row["month"],
            "activities": row["count"],
            "beneficiaries": row["people"] or 0,
            "volunteer_tenths": int(row["tenths"] or 0),
        }


def mediation_rows():
    rows = (
        MediationCase.objects.verified()
        .annotate(month=TruncMonth("occurred_on"))
        .order_by()
        .values("organization_id", "community_id", "month")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        yield {
            "organization_id": row["organization_id"],
            "community_id": row["community_id"],
            "month": row["month"],
            "cases": row["count"],
        }


SOURCES = (Source(ActivityMonth, activity_rows), Source(MediationMonth, mediation_rows))
