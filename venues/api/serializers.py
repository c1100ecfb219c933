"""Shapes of the venues API: rooms with their free slots, bookings, and the conflict answer."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orgs.models import Organization
from venues.models import Booking, Room


def _moments() -> Callable[[datetime.datetime], str]:
    """Format datetimes as the API's DateTimeFields do (ISO 8601 in the current time zone,
    "Z" for UTC), looking the time zone up once rather than for every value."""
    zone = timezone.get_current_timezone()

    def moment(value: datetime.datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return moment


class _Labels:
    """Choice labels translated once per language, not per row: get_FOO_display() casts
    every label of the field's choices on each call (5–6 gettext lookups a row)."""

    def __init__(self, choices):
        self.choices = choices
        self.by_language: dict[str | None, dict[str, str]] = {}

    def __call__(self, value: str) -> str:
        language = get_language()
        labels = self.by_language.get(language)
        if labels is None:
            labels = self.by_language[language] = {k: str(v) for k, v in self.choices}
        return labels.get(value, value)


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class RoomSerializer(serializers.ModelSerializer):
    center_name = serializers.CharField(source="center.name", read_only=True)
    township = serializers.IntegerField(source="center.township_id", read_only=True)
    township_name = serializers.CharField(source="center.township.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    free_slots = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "capacity",
            "facilities",
            "needs_approval",
            "weekly_quota_hours",
            "center",
            "center_name",
            "township",
            "township_name",
            "free_slots",
        ]
        read_only_fields = fields

    @extend_schema_field(SlotSerializer(many=True, allow_null=True))
    def get_free_slots(self, room: Room):
        """Free slots of the day asked with ?date=, or null when no date was asked."""
        slots = self.context.get("free_slots")
        if slots is None:
            return None
        # DateTimeField's own formatting, without a nested serializer per room and slot; rooms
        # that share a list of slots (selectors.free_slots_for_rooms) share its formatting.
        formatted = self.context.setdefault("_formatted_slots", {})
        room_slots = slots.get(room.pk, [])
        # Keyed by the list's id, and the list kept alive beside its formatting so that id is
        # not given to another list within the request.
        kept = formatted.get(id(room_slots))
        if kept is None:
            moment = _moments()
            shown = [{"start": moment(start), "end": moment(end)} for start, end in room_slots]
            kept = formatted[id(room_slots)] = (room_slots, shown)
        return kept[1]

    _kind_label = _Labels(Room.Kind.choices)

    def to_representation(self, room: Room) -> dict:
        """The fields above, read directly: a page of 50 rooms without DRF's per-field walk."""
        center = room.center
        return {
            "id": room.pk,
            "name": room.name,
            "kind": room.kind,
            "kind_label": self._kind_label(room.kind),
            "capacity": room.capacity,
            "facilities": room.facilities,
            "needs_approval": room.needs_approval,
            "weekly_quota_hours": room.weekly_quota_hours,
            "center": room.center_id,
            "center_name": center.name,
            "township": center.township_id,
            "township_name": center.township.name,
            "free_slots": self.get_free_slots(room),
        }


class BookingSerializer(serializers.ModelSerializer):
    room_name = serializers.CharField(source="room.name", read_only=True)
    center = serializers.IntegerField(source="room.center_id", read_only=True)
    center_name = serializers.CharField(source="room.center.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "room",
            "room_name",
            "center",
            "center_name",
            "organization",
            "organization_name",
            "purpose",
            "start",
            "end",
            "expected_attendance",
            "status",
            "status_label",
            "series",
            "cancel_reason",
            "decision_reason",
            "created_at",
        ]
        read_only_fields = fields

    _status_label = _Labels(Booking.Status.choices)

    # The columns of a listed booking, in the order of the answer's fields (listed()).
    LISTED_VALUES = (
        "id",
        "room_id",
        "room__name",
        "room__center_id",
        "room__center__name",
        "organization_id",
        "organization__name",
        "purpose",
        "start",
        "end",
        "expected_attendance",
        "status",
        "series_id",
        "cancel_reason",
        "decision_reason",
        "created_at",
    )

    @classmethod
    def listed(cls, rows) -> list[dict]:
        """What to_representation gives, from rows of values_list(*LISTED_VALUES, named=True)
        (tests/venues/test_api_paging.py checks the list against ModelSerializer's answer)."""
        moment = _moments()
        label = cls._status_label
        return [
            {
                "id": row.id,
                "room": row.room_id,
                "room_name": row.room__name,
                "center": row.room__center_id,
                "center_name": row.room__center__name,
                "organization": row.organization_id,
                "organization_name": row.organization__name,
                "purpose": row.purpose,
                "start": moment(row.start),
                "end": moment(row.end),
                "expected_attendance": row.expected_attendance,
                "status": row.status,
                "status_label": label(row.status),
                "series": row.series_id,
                "cancel_reason": row.cancel_reason,
                "decision_reason": row.decision_reason,
                "created_at": moment(row.created_at),
            }
            for row in rows
        ]

    def to_representation(self, booking: Booking) -> dict:
        """The fields above, read directly: a page of 50 bookings without DRF's per-field
        walk (tests/venues/test_api_paging.py checks it against ModelSerializer's answer)."""
        moment = _moments()
        room = booking.room
        return {
            "id": booking.pk,
            "room": booking.room_id,
            "room_name": room.name,
            "center": room.center_id,
            "center_name": room.center.name,
            "organization": booking.organization_id,
            "organization_name": booking.organization.name,
            "purpose": booking.purpose,
            "start": moment(booking.start),
            "end": moment(booking.end),
            "expected_attendance": booking.expected_attendance,
            "status": booking.status,
            "status_label": self._status_label(booking.status),
            "series": booking.series_id,
            "cancel_reason": booking.cancel_reason,
            "decision_reason": booking.decision_reason,
            "created_at": moment(booking.created_at),
        }


class BookingCreateSerializer(serializers.Serializer):
    """What a client sends to book: ids of a room and an organisation it can see."""

    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.none())
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    purpose = serializers.CharField(max_length=200)
    expected_attendance = serializers.IntegerField(min_value=1, max_value=32767)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            # Out-of-area ids answer like missing ones.
            # The centre comes with the room: the booking service names it in its checks and
            # the answer shows its name, without another query.
            self.fields["room"].queryset = Room.objects.visible_to(user).select_related("center")
            self.fields["organization"].queryset = Organization.objects.visible_to(user)


class BookingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ConflictSerializer(serializers.Serializer):
    """The 409 answer: a message naming the slot, and each conflicting date."""

    detail = serializers.CharField()
    conflicts = serializers.ListField(child=serializers.DictField())


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
