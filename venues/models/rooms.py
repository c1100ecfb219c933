"""Rooms, and the one rule of who decides on their bookings (DecisionRight)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.policies import may
from accounts.scoping import Level, scope_for
from venues.models.centers import NearbyScopedQuerySet, ServiceCenter


class RoomQuerySet(NearbyScopedQuerySet):
    township_field = "center__township"

    def editable_by(self, user):
        return self.filter(center__in=ServiceCenter.objects.editable_by(user))

    def active(self):
        return self.filter(is_active=True, center__is_active=True)

    def decided_by(self, user):
        """Ids of the rooms whose bookings the user decides on, as a union of index reads.

        `DecisionRight.of(user)` read room-side: the rooms naming the user as an approver, and
        for a default approver the rooms without named approvers of their centres. Not for
        read-only users or county administrators (who decide on none, or on all).
        """
        right = DecisionRight.of(user)
        approvers = Room.approvers.through.objects
        # Unordered: SQLite allows no ORDER BY in the parts of a UNION.
        named = (
            self.filter(pk__in=approvers.filter(user_id=user.pk).values("room_id"))
            .order_by()
            .values_list("pk", flat=True)
        )
        if right is None or not right.has_default:
            return named
        default = self.filter(~Q(Exists(approvers.filter(room_id=OuterRef("pk"))))).order_by()
        default = default.filter(right.default_centers("center__"))
        return named.union(default.values_list("pk", flat=True))


@dataclass(frozen=True)
class DecisionRight:
    """Who decides on a booking (approve, reject, mark used or no-show): the one rule.

    The room's named approvers if it has any; otherwise the secretary of the centre's
    community, or for a township-level centre the township's staff; the county administrator
    always; read-only accounts never. `covers` applies it to one room, `booking_condition` to
    bookings in SQL, `RoomQuerySet.decided_by` to rooms.
    """

    user_id: int
    everything: bool = False
    community_id: int | None = None  # default approver of this community's centres
    township_id: int | None = None  # default approver of this township's own centre

    @classmethod
    def of(cls, user) -> DecisionRight | None:
        """The user's right to decide, or None when they decide on nothing."""
        if not may(user, "venues.decide_named"):
            return None
        if may(user, "venues.decide_all"):
            return cls(user_id=user.pk, everything=True)
        scope = scope_for(user)
        if may(user, "venues.decide_by_default"):
            if scope.level == Level.COMMUNITY and scope.community_id:
                return cls(user_id=user.pk, community_id=scope.community_id)
            if scope.level == Level.TOWNSHIP and scope.township_id:
                return cls(user_id=user.pk, township_id=scope.township_id)
        return cls(user_id=user.pk)

    @property
    def has_default(self) -> bool:
        return self.community_id is not None or self.township_id is not None

    def default_centers(self, prefix: str) -> Q:
        """The centres whose rooms without named approvers the user decides on."""
        if self.community_id is not None:
            return Q(**{f"{prefix}community_id": self.community_id})
        if self.township_id is not None:
            return Q(
                **{f"{prefix}community__isnull": True, f"{prefix}township_id": self.township_id}
            )
        return Q(pk__in=[])

    def booking_condition(self) -> Q:
        """The bookings decided on, as a filter on bookings."""
        if self.everything:
            return Q()
        approvers = Room.approvers.through.objects.filter(room_id=OuterRef("room_id"))
        named = Q(Exists(approvers.filter(user_id=self.user_id)))
        if not self.has_default:
            return named
        return named | (~Q(Exists(approvers)) & self.default_centers("room__center__"))

    def covers(self, room: Room) -> bool:
        """Whether the user decides on bookings of the room (reads its approvers)."""
        if self.everything:
            return True
        approver_ids = {approver.pk for approver in room.approvers.all()}
        if approver_ids:
            return self.user_id in approver_ids
        center = room.center
        if self.community_id is not None:
            return center.community_id == self.community_id
        if self.township_id is not None:
            return center.community_id is None and center.township_id == self.township_id
        return False


class Room(models.Model):
    """A bookable activity room, meeting room, square or hall of a centre."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity room")
        MEETING = "meeting", _("Meeting room")
        SQUARE = "square", _("Square")
        REHEARSAL = "rehearsal", _("Rehearsal hall")
        MULTI_PURPOSE = "multi", _("Multi-purpose hall")

    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service centre"),
        on_delete=models.PROTECT,
        related_name="rooms",
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    facilities = models.CharField(_("facilities"), max_length=200, blank=True)
    needs_approval = models.BooleanField(_("bookings need approval"), default=True)
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approvers"),
        blank=True,
        related_name="approved_rooms",
        help_text=_("Empty: the secretary of the centre's community approves."),
    )
    weekly_quota_hours = models.PositiveSmallIntegerField(
        _("weekly hours per organisation"),
        null=True,
        blank=True,
        help_text=_("Empty for no quota."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["center", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="room_name_unique_in_center"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.center} · {self.name}"
