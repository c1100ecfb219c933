"""Query filters: a filter given empty is refused, an id must be in the database's range."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from venues.api.views.paging import MAX_ID
from venues.models import Booking, Room

EMPTY_PARAMETER = _("Give a value, or leave the parameter out.")


class StrictFilterSet(filters.FilterSet):
    """A filter given empty is refused: to an API client it is a mistake, not "no filter"."""

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and not self.data.get(name, "").strip():
                self.form.add_error(name, str(EMPTY_PARAMETER))
                valid = False
        return valid


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An integer id within the database's range (a huge number is refused, not looked up)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class RoomFilter(StrictFilterSet):
    center = IdFilter(field_name="center_id", help_text="Service centre id.")
    kind = filters.ChoiceFilter(choices=Room.Kind.choices)

    class Meta:
        model = Room
        fields = ["center", "kind"]


class BookingFilter(StrictFilterSet):
    room = IdFilter(field_name="room_id", help_text="Room id.")
    status = filters.ChoiceFilter(choices=Booking.Status.choices)

    class Meta:
        model = Booking
        fields = ["room", "status"]


# "from" is a keyword in Python: declared after the class body.
BookingFilter.base_filters["from"] = filters.DateFilter(
    field_name="start", lookup_expr="date__gte", label="Starting on or after (YYYY-MM-DD)"
)
BookingFilter.base_filters["to"] = filters.DateFilter(
    field_name="start", lookup_expr="date__lte", label="Starting on or before (YYYY-MM-DD)"
)
