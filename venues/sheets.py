"""Excel ledger of venue bookings (exports app, issue 8)."""

from __future__ import annotations

import datetime

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Township
from core.ledgers import CHUNK_SIZE, Ledger, filterset_summary, labels
from core.xlsx import DATETIME, INTEGER, Column, Sheet
from venues import rules
from venues.forms import MonthField
from venues.models import Booking, Room, ServiceCenter


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class BookingExportFilter(django_filters.FilterSet):
    """Narrow bookings by month (the utilisation page's), township, centre and status."""

    month = MonthFilter(label=gettext_lazy("Month"), method="in_month")
    township = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Township"),
        field_name="room__center__township",
        queryset=Township.objects.none(),
    )
    center = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Service centre"),
        field_name="room__center",
        queryset=ServiceCenter.objects.none(),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Booking.Status.choices
    )

    class Meta:
        model = Booking
        fields = ["month", "township", "center", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["township"].queryset = Township.objects.visible_to(user)
        self.filters["center"].queryset = ServiceCenter.objects.visible_to(user)

    def in_month(self, queryset, name, value):
        first, following = rules.month_bounds(value)
        start = rules.at(first, datetime.time.min)
        stop = rules.at(following, datetime.time.min)
        return queryset.filter(start__gte=start, start__lt=stop)


def bookings_ledger(*, user, params, reveal: bool) -> Ledger:
    """Bookings of the rooms the user may see, narrowed by month, area, centre and status."""
    filterset = BookingExportFilter(
        params or None, queryset=Booking.objects.visible_to(user), user=user
    )
    queryset = filterset.qs.order_by("start", "room__center__name", "room__name", "pk")
    statuses = labels(Booking.Status.choices)
    kinds = labels(Room.Kind.choices)
    fields = (
        "room__center__township__name",
        "room__center__name",
        "room__name",
        "room__kind",
        "organization__name",
        "booked_by__name",
        "purpose",
        "start",
        "end",
        "expected_attendance",
        "status",
        "decided_by__name",
        "decided_at",
        "decision_reason",
        "cancel_reason",
    )
    columns = [
        Column(_("Township"), 12),
        Column(_("Service centre"), 22),
        Column(_("Room"), 14),
        Column(_("Room kind"), 10),
        Column(_("Organisation"), 26),
        Column(_("Booked by"), 10),
        Column(_("Purpose"), 26),
        Column(_("Start"), 18, DATETIME),
        Column(_("End"), 18, DATETIME),
        Column(_("Expected attendance"), 10, INTEGER),
        Column(_("Status"), 10),
        Column(_("Decided by"), 10),
        Column(_("Decided at"), 18, DATETIME),
        Column(_("Reason for the decision"), 20),
        Column(_("Reason for cancelling"), 20),
    ]

    def rows():
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            row[3] = kinds.get(row[3], row[3])
            row[10] = statuses.get(row[10], row[10])
            yield row

    title = _("Ledger of venue bookings")
    summary = filterset_summary(filterset)
    return Ledger(
        title=title,
        file_stem=title,
        filters_summary=summary,
        sheets=[
            Sheet(_("Bookings"), columns, rows(), expected_rows=queryset.count, subtitle=summary)
        ],
    )
