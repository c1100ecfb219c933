"""Party-mass service centres: where they are, when they open, when they close."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import Level, ScopedQuerySet, scope_for


class NearbyScopedQuerySet(ScopedQuerySet):
    """Venues are shared within a township: secretaries and contacts book any room of theirs.

    Township staff see their township; secretaries and org contacts see every centre of the
    township their community belongs to (community stations and the township's centre).
    """

    township_field: str = "township"

    def _county_path(self) -> str | None:
        return f"{self.township_field}__county"

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
        "venues.Room",
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
