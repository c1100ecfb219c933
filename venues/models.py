from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.policies import may
from accounts.scoping import Level, ScopedQuerySet, scope_for


class NearbyScopedQuerySet(ScopedQuerySet):
    """Venues are shared within a township: secretaries and contacts book any room of theirs.

    Township staff see their township; secretaries and org contacts see every centre of the
    township their community belongs to (community stations and the township's centre).
    """

    township_field: str = "township"

    def _area_filter(self, scope):
        if scope.level in {Level.TOWNSHIP, Level.COMMUNITY, Level.ORGANIZATION}:
            if scope.township_id is None:
                return None
            return Q(**{f"{self.township_field}_id": scope.township_id})
        return None


class ServiceCenterQuerySet(NearbyScopedQuerySet):
    township_field = "township"
    # Secretaries manage the centre of their own community.
    editor_levels = frozenset({Level.TOWNSHIP, Level.COMMUNITY})

    def editable_by(self, user):
        scope = scope_for(user)
        if scope.level == Level.COMMUNITY and not scope.read_only:
            return (
                self.filter(community_id=scope.community_id) if scope.community_id else self.none()
            )
        return super().editable_by(user)

    def active(self):
        return self.filter(is_active=True)


class ServiceCenter(models.Model):
    """A Party-mass service centre or station (党群服务中心/站) that lends its rooms for free."""

    class Kind(models.TextChoices):
        CENTER = "center", _("Service centre")
        STATION = "station", _("Service station")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STATION)
    township = models.ForeignKey(
        "areas.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="service_centers",
    )
    community = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_centers",
        help_text=_("Empty for a township-level centre."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    opening_note = models.CharField(
        _("opening note"),
        max_length=200,
        blank=True,
        help_text=_("E.g. open all day; weekends only; residents' open day on the first Saturday."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ServiceCenterQuerySet.as_manager()

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["township", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"], name="center_name_unique_in_township"
            )
        ]

    def __str__(self) -> str:
        return self.name


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


class OpeningHours(models.Model):
    """When a centre's rooms may be booked on a weekday (several ranges a day allowed)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service centre"),
        on_delete=models.CASCADE,
        related_name="opening_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["center", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")), name="opening_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Days a centre (or one room) is closed, or specially open (e.g. a residents' open day)."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        SPECIAL_OPEN = "open", _("Special open day")

    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service centre"),
        on_delete=models.CASCADE,
        related_name="closures",
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Empty for the whole centre."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CLOSED)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure or open day")
        verbose_name_plural = _("closures and open days")
        ordering = ["center", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="closure_dates_order"
            ),
            models.CheckConstraint(
                condition=~Q(kind="open")
                | (
                    Q(opens__isnull=False)
                    & Q(closes__isnull=False)
                    & Q(opens__lt=models.F("closes"))
                ),
                name="closure_open_day_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.starts_on}–{self.ends_on} {self.get_kind_display()}"


class BookingQuerySet(NearbyScopedQuerySet):
    """Bookings follow their room's township; org contacts see only their organisation's.

    Everyone also sees the bookings they decide on as an approver (`visible_to`): the one
    definition of the bookings a user sees, for pages, the API, calendars and exports alike.
    """

    township_field = "room__center__township"

    def visible_to(self, user, *, rooms_first: bool = False):
        """Bookings the user sees: their area's, plus those they decide on as an approver.

        Shaped for the database's indexes: the bookings are chosen by room_id (index room,
        start) among the rooms concerned (their area's rooms and those they decide on),
        instead of testing every booking against an OR across joins. An organisation's
        contact sees their organisation's bookings (organization_id) or those of the rooms
        they decide on (room_id): an OR of two indexed columns. `rooms_first` reads the rooms'
        ids first (one more query, a few ids) so that a page of bookings in time order is read
        from the index by those ids (the API and the bookings list: 1 ms instead of 80-104).
        """
        visible = super().visible_to(user)
        scope = scope_for(user)
        if scope.county_wide or scope.read_only:
            return visible
        decided = Room.objects.decided_by(user)
        if scope.level == Level.ORGANIZATION:
            # The contact's area is their organisation, not a set of rooms.
            return visible | self.filter(room_id__in=list(decided) if rooms_first else decided)
        # Everyone else sees the bookings of the rooms they see (this queryset and
        # RoomQuerySet filter on the same township), plus the rooms they decide on.
        area = Room.objects.visible_to(user).order_by().values_list("pk", flat=True)
        rooms = area.union(decided)
        return self.filter(room_id__in=list(rooms) if rooms_first else rooms)

    def _area_filter(self, scope):
        if scope.level == Level.ORGANIZATION:
            if scope.organization_id is None:
                return None
            return Q(organization_id=scope.organization_id)
        return super()._area_filter(scope)

    def blocking(self):
        """Bookings that hold their slot: pending or confirmed."""
        return self.filter(status__in=Booking.BLOCKING_STATUSES)

    def overlapping(self, room, start, end):
        """Blocking bookings of the room that overlap [start, end)."""
        return self.blocking().filter(room=room, start__lt=end, end__gt=start)


class BookingSeries(models.Model):
    """A weekly repeat (e.g. a rehearsal every Tuesday evening for a term)."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="booking_series",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=OpeningHours.Weekday.choices)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=models.F("end_time")), name="series_time_order"
            ),
            models.CheckConstraint(
                condition=Q(first_date__lte=models.F("last_date")), name="series_date_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.room} {self.get_weekday_display()}"


class Booking(models.Model):
    """One booking of a room for [start, end). Never two blocking bookings that overlap."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        USED = "used", _("Used")
        NO_SHOW = "no_show", _("No-show")

    BLOCKING_STATUSES = (Status.PENDING, Status.CONFIRMED)

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    expected_attendance = models.PositiveSmallIntegerField(_("expected attendance"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=200, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="booking_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(expected_attendance__gte=1), name="booking_attendance_positive"
            ),
            # On PostgreSQL, migration 0002 adds the exclusion constraint
            # "booking_no_overlap" (btree_gist): no two pending/confirmed bookings of one room
            # overlap. SQLite relies on IMMEDIATE transactions and the service's check.
        ]
        indexes = [
            models.Index(fields=["room", "start"]),
            models.Index(fields=["organization", "start"]),
            models.Index(fields=["status", "start"]),
            # The API's bookings list: pages in (start, id) order read as an index range.
            models.Index(fields=["start", "id"], name="booking_start_id"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_blocking(self) -> bool:
        return self.status in self.BLOCKING_STATUSES
