"""Excel ledgers of temporary Party branches and their meetings (exports app, issue 8)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.ledgers import (
    CHUNK_SIZE,
    Ledger,
    filterset_summary,
    labels,
    parse_quarter_param,
)
from core.quarters import format_quarter, quarter_bounds
from core.xlsx import DATE, DATETIME, INTEGER, Column, Sheet
from party_branches.filters import BranchFilter
from party_branches.models import Branch, Formation, Meeting, MeetingKind
from party_branches.selectors import branch_list


def branches_ledger(*, user, params, reveal: bool) -> Ledger:
    """Branches the user may see, narrowed by the branch list's filters."""
    filterset = BranchFilter(params or None, queryset=branch_list(user=user), user=user)
    queryset = filterset.qs
    formations = labels(Formation.choices)
    columns = [
        Column(_("Name"), 28),
        Column(_("Formation"), 10),
        Column(_("Township"), 12),
        Column(_("Organisations"), 36),
        Column(_("Parent Party organisation"), 20),
        Column(_("Established on"), 12, DATE),
        Column(_("Dissolved on"), 12, DATE),
        Column(_("Reason for dissolving"), 20),
        Column(_("Branch secretary"), 10),
        Column(_("Current members"), 10, INTEGER),
        Column(_("Formal members"), 10, INTEGER),
        Column(_("Last meeting"), 12, DATE),
    ]

    def rows():
        # Few rows (one per branch): model instances with their organisations prefetched
        # per chunk.
        for branch in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield (
                branch.name,
                formations.get(branch.formation, branch.formation),
                branch.township.name,
                "、".join(org.name for org in branch.organizations.all()),
                branch.parent_org,
                branch.established_on,
                branch.dissolved_on,
                branch.dissolution_reason,
                branch.secretary.name if branch.secretary else "",
                branch.member_count,
                branch.formal_count,
                branch.last_meeting_on,
            )

    title = _("Ledger of temporary Party branches")
    summary = filterset_summary(filterset)
    return Ledger(
        title=title,
        file_stem=title,
        filters_summary=summary,
        sheets=[
            Sheet(_("Branches"), columns, rows(), expected_rows=queryset.count, subtitle=summary)
        ],
    )


def _meetings_filtered(user, params, kinds: dict) -> tuple:
    """The meetings the parameters choose, and the words that say which."""
    filterset = BranchFilter(params or None, queryset=Branch.objects.visible_to(user), user=user)
    meetings = Meeting.objects.visible_to(user)
    if any(key in params for key in BranchFilter.base_filters):
        meetings = meetings.filter(branch__in=filterset.qs.order_by().values("pk"))
    summary_parts = [filterset_summary(filterset)] if filterset.is_bound else []
    quarter = parse_quarter_param(params.get("quarter"))
    if quarter is not None:
        start, end = quarter_bounds(quarter)
        meetings = meetings.in_period(start, end)
        summary_parts.append(_("Quarter: %(quarter)s") % {"quarter": format_quarter(quarter)})
    kind = params.get("kind", "")
    if kind:
        if kind not in kinds:
            raise ValidationError({"kind": _("Choose a meeting kind from the list.")})
        meetings = meetings.filter(kind=kind)
        summary_parts.append(_("Kind: %(kind)s") % {"kind": kinds[kind]})
    return meetings, "; ".join(part for part in summary_parts if part)


def meetings_ledger(*, user, params, reveal: bool) -> Ledger:
    """Meetings of the branches the user may see; branch filters, a quarter and a kind."""
    kinds = labels(MeetingKind.choices)
    meetings, summary = _meetings_filtered(user, params, kinds)
    attendees = (
        Meeting.attendees.through.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = meetings.annotate(
        attendee_count=Coalesce(Subquery(attendees, output_field=IntegerField()), Value(0))
    ).order_by("-held_on", "branch__name", "pk")
    fields, columns = zip(
        *[
            ("branch__name", Column(_("Branch"), 28)),
            ("branch__township__name", Column(_("Township"), 12)),
            ("kind", Column(_("Kind"), 16)),
            ("held_on", Column(_("Held on"), 12, DATE)),
            ("topic", Column(_("Topic"), 36)),
            ("attendee_count", Column(_("Attendees"), 8, INTEGER)),
            ("recorded_by__name", Column(_("Recorded by"), 10)),
            ("recorded_at", Column(_("Recorded at"), 18, DATETIME)),
        ],
        strict=True,
    )

    def rows():
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            row[2] = kinds.get(row[2], row[2])
            yield row

    title = _("Ledger of organisational-life meetings")
    return Ledger(
        title=title,
        file_stem=title,
        filters_summary=summary,
        sheets=[
            Sheet(
                _("Meetings"), list(columns), rows(), expected_rows=queryset.count, subtitle=summary
            )
        ],
    )
