"""Excel ledger of activities and services delivered (exports app, issue 8)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from activities.filters import ActivityFilter
from activities.models import Activity, VerificationStatus
from activities.selectors import activity_list
from core.ledgers import CHUNK_SIZE, Ledger, filterset_summary, labels
from core.xlsx import DATETIME, DECIMAL, INTEGER, Column, Sheet


def activities_ledger(*, user, params, reveal: bool) -> Ledger:
    """Activities the user may see, narrowed by the activity list's filters."""
    filterset = ActivityFilter(params or None, queryset=activity_list(user=user), user=user)
    queryset = filterset.qs
    kinds = labels(Activity.Kind.choices)
    statuses = labels(VerificationStatus.choices)
    fields = (
        "title",
        "kind",
        "lead_organization__name",
        "community_served__township__name",
        "community_served__name",
        "start",
        "end",
        "place",
        "participants",
        "beneficiaries",
        "volunteer_hours",
        "help_cases",
        "status",
        "verified_by__name",
        "verified_at",
    )
    columns = [
        Column(_("Title"), 30),
        Column(_("Kind"), 14),
        Column(_("Lead organisation"), 26),
        Column(_("Township"), 12),
        Column(_("Community served"), 12),
        Column(_("Start"), 18, DATETIME),
        Column(_("End"), 18, DATETIME),
        Column(_("Place"), 20),
        Column(_("Participants"), 8, INTEGER),
        Column(_("Beneficiaries"), 8, INTEGER),
        Column(_("Volunteer hours"), 8, DECIMAL),
        Column(_("Help cases to vulnerable people"), 8, INTEGER),
        Column(_("Status"), 10),
        Column(_("Verified by"), 10),
        Column(_("Verified at"), 18, DATETIME),
    ]

    def rows():
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            row[1] = kinds.get(row[1], row[1])
            row[12] = statuses.get(row[12], row[12])
            yield row

    title = _("Ledger of activities and services")
    summary = filterset_summary(filterset)
    return Ledger(
        title=title,
        file_stem=title,
        filters_summary=summary,
        sheets=[
            Sheet(_("Activities"), columns, rows(), expected_rows=queryset.count, subtitle=summary)
        ],
    )
