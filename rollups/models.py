"""Monthly roll-ups: per-month sums of the records the county overview charts.

Each table holds, for one key (organisation and community, or room) and one month (its first
day, local time), what the records of that month add up to. The services that change the records
keep them current in the same transaction (`rollups.services.apply_shares`); `rebuild_rollups`
recomputes them from the records. Keys are plain ids, not foreign keys: this app sits below the
apps whose records it sums, and a roll-up row never blocks deleting or merging anything.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityMonth(models.Model):
    """Verified activities an organisation led for a community in a month."""

    organization_id = models.IntegerField(_("organisation"))
    community_id = models.IntegerField(_("community"))
    month = models.DateField(_("month"))
    activities = models.IntegerField(_("verified activities"), default=0)
    beneficiaries = models.BigIntegerField(_("beneficiaries"), default=0)
    # Tenths of an hour: exact integer sums on every database (hours have one decimal).
    volunteer_tenths = models.BigIntegerField(_("volunteer hours (tenths)"), default=0)

    class Meta:
        verbose_name = _("activities of a month")
        verbose_name_plural = _("activities by month")
        constraints = [
            models.UniqueConstraint(
                fields=["organization_id", "community_id", "month"],
                name="rollup_activity_month_key",
            )
        ]
        # County-wide figures read months; a township's read its communities (one index each).
        indexes = [
            models.Index(fields=["month", "community_id"], name="rollup_activity_month_idx"),
            models.Index(fields=["community_id", "month"], name="rollup_activity_comm_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.community_id} {self.month:%Y-%m}"


class MediationMonth(models.Model):
    """Verified mediation cases of an organisation in a community in a month."""

    organization_id = models.IntegerField(_("organisation"))
    community_id = models.IntegerField(_("community"))
    month = models.DateField(_("month"))
    cases = models.IntegerField(_("verified cases"), default=0)

    class Meta:
        verbose_name = _("mediation cases of a month")
        verbose_name_plural = _("mediation cases by month")
        constraints = [
            models.UniqueConstraint(
                fields=["organization_id", "community_id", "month"],
                name="rollup_mediation_month_key",
            )
        ]
        indexes = [
            models.Index(fields=["month", "community_id"], name="rollup_mediation_month_idx"),
            models.Index(fields=["community_id", "month"], name="rollup_mediation_comm_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.community_id} {self.month:%Y-%m}"


class RoomMonth(models.Model):
    """Booked time (confirmed and used bookings, by their start) of a room in a month."""

    room_id = models.IntegerField(_("room"))
    center_id = models.IntegerField(_("service centre"))
    month = models.DateField(_("month"))
    booked_seconds = models.BigIntegerField(_("booked seconds"), default=0)
    bookings = models.IntegerField(_("bookings"), default=0)

    class Meta:
        verbose_name = _("room bookings of a month")
        verbose_name_plural = _("room bookings by month")
        constraints = [
            models.UniqueConstraint(
                fields=["room_id", "center_id", "month"], name="rollup_room_month_key"
            )
        ]
        indexes = [models.Index(fields=["month", "center_id"], name="rollup_room_month_idx")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.month:%Y-%m}"
