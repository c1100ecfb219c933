"""Forms of the venue pages: they check shape; the services check the booking rules."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.text import CleanTextField
from orgs.forms.fields import OrganizationChoiceField
from venues.models import OpeningHours

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")

TIME_ORDER_MESSAGE = _("The end time must be after the start time.")
DATE_ORDER_MESSAGE = _("The last date must not be before the first date.")
MONTH_FORMAT_MESSAGE = _("Enter a month as YYYY-MM.")


def aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """Combine a local date and time into an aware datetime of the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.center.name} · {obj.name}"


class BookingForm(BootstrapFormMixin, forms.Form):
    """One booking of a room: who, when and what for."""

    room = RoomChoiceField(label=_("Room"), queryset=None)
    organization = OrganizationChoiceField(label=_("Organisation"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_WIDGET)
    purpose = CleanTextField(label=_("Purpose"), max_length=200)
    expected_attendance = forms.IntegerField(
        label=_("Expected attendance"), min_value=1, max_value=32767
    )

    def __init__(self, *args, rooms, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        day, start, end = (cleaned.get(name) for name in ("date", "start_time", "end_time"))
        if day and start and end:
            if start >= end:
                self.add_error("end_time", TIME_ORDER_MESSAGE)
            else:
                cleaned["start"] = aware(day, start)
                cleaned["end"] = aware(day, end)
        return cleaned


class BookingSeriesForm(BootstrapFormMixin, forms.Form):
    """A weekly repeat: one weekday and time, from a first to a last date."""

    room = RoomChoiceField(label=_("Room"), queryset=None)
    organization = OrganizationChoiceField(label=_("Organisation"), queryset=None)
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=OpeningHours.Weekday.choices, coerce=int
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_WIDGET)
    first_date = forms.DateField(label=_("First date"), widget=DATE_WIDGET)
    last_date = forms.DateField(label=_("Last date"), widget=DATE_WIDGET)
    purpose = CleanTextField(label=_("Purpose"), max_length=200)
    expected_attendance = forms.IntegerField(
        label=_("Expected attendance"), min_value=1, max_value=32767
    )

    def __init__(self, *args, rooms, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and start >= end:
            self.add_error("end_time", TIME_ORDER_MESSAGE)
        first, last = cleaned.get("first_date"), cleaned.get("last_date")
        if first and last and first > last:
            self.add_error("last_date", DATE_ORDER_MESSAGE)
        return cleaned


class ReasonForm(BootstrapFormMixin, forms.Form):
    """The reason for rejecting or cancelling a booking (always required)."""

    reason = CleanTextField(label=_("Reason"), max_length=200)


class BookingMoveForm(BootstrapFormMixin, forms.Form):
    """A new date and time for one booking (e.g. one occurrence of a series)."""

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_WIDGET)

    def clean(self):
        cleaned = super().clean()
        day, start, end = (cleaned.get(name) for name in ("date", "start_time", "end_time"))
        if day and start and end:
            if start >= end:
                self.add_error("end_time", TIME_ORDER_MESSAGE)
            else:
                cleaned["start"] = aware(day, start)
                cleaned["end"] = aware(day, end)
        return cleaned


class MonthField(forms.CharField):
    """A calendar month entered as YYYY-MM; cleans to the month's first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = value.split("-")
            return datetime.date(int(year), int(month), 1)
        except ValueError:
            raise ValidationError(MONTH_FORMAT_MESSAGE, code="invalid") from None


class MonthForm(BootstrapFormMixin, forms.Form):
    month = MonthField(label=_("Month"), required=False)
