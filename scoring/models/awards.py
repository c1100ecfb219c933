"""Annual commendations, proposed from the quarters and confirmed by the county."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet


class AwardQuerySet(ScopedQuerySet):
    township_lookup = "organization__community__township"
    community_lookup = "organization__community"
    organization_lookup = "organization"
    editor_levels = frozenset()


class Award(models.Model):
    """An annual commendation: proposed from the year's four quarters, confirmed by the county."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not confirmed")

    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(
        "orgs.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    title = models.CharField(_("title"), max_length=100)
    annual_total = models.DecimalField(_("sum of four quarters"), max_digits=8, decimal_places=2)
    quarters_counted = models.PositiveSmallIntegerField(_("quarters counted"), default=0)
    rank_in_category = models.PositiveIntegerField(_("rank in category"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual award")
        verbose_name_plural = _("annual awards")
        ordering = ["-year", "category", "rank_in_category", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "organization"], name="award_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title} {self.organization_id}"
