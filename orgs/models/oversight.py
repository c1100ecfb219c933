from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from core.quarters import Quarter, quarter_bounds


class OrganizationScopedQuerySet(ScopedQuerySet):
    township_lookup = "organization__community__township"
    community_lookup = "organization__community"
    organization_lookup = "organization"


class AnnualInspectionQuerySet(OrganizationScopedQuerySet):
    def failed(self):
        """Inspections concluded as failed."""
        return self.filter(conclusion=AnnualInspection.Conclusion.FAILED)


class AnnualInspection(models.Model):
    """The yearly inspection (年检) of an organisation and its conclusion."""

    class Conclusion(models.TextChoices):
        PASSED = "passed", _("Passed")
        BASICALLY_PASSED = "basically_passed", _("Basically passed")
        FAILED = "failed", _("Failed")
        NOT_INSPECTED = "not_inspected", _("Did not take part")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AnnualInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual inspection")
        verbose_name_plural = _("annual inspections")
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="inspection_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="inspection_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class CreditListingQuerySet(OrganizationScopedQuerySet):
    def active_on(self, on: date):
        """Listings in force on a date: listed by then, not removed by then."""
        return self.filter(listed_on__lte=on).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=on)
        )

    def active_during(self, quarter: Quarter):
        """Listings in force at some time in the quarter: listed by its last day, not removed
        before its first (removed on the first day still counts: it was listed that day)."""
        first, last = quarter_bounds(quarter)
        return self.filter(listed_on__lte=last).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gte=first)
        )


class CreditListing(models.Model):
    """An entry on the abnormal-activity list or the serious-violation list."""

    class Kind(models.TextChoices):
        ABNORMAL = "abnormal", _("Abnormal activity list")
        SERIOUS = "serious", _("Serious violation and dishonesty list")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="credit_listings",
    )
    list_kind = models.CharField(_("list"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    needs_rectification = models.BooleanField(
        _("rectification needed"),
        default=False,
        help_text=_("Without rectification an abnormal listing ends by itself after 6 months."),
    )
    listed_on = models.DateField(_("listed on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=200, blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("listed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CreditListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit listing")
        verbose_name_plural = _("credit listings")
        ordering = ["organization", "-listed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("listed_on")),
                name="credit_listing_removed_after_listed",
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | ~Q(removal_reason=""),
                name="credit_listing_removal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_list_kind_display()}"


class MergeQuerySet(ScopedQuerySet):
    township_lookup = "survivor__community__township"
    community_lookup = "survivor__community"
    organization_lookup = "survivor"


class Merge(models.Model):
    """Several organisations merged into a surviving one (社团融合)."""

    survivor = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("surviving organisation"),
        on_delete=models.PROTECT,
        related_name="merges_received",
    )
    merged = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("merged organisations"), related_name="merges_into"
    )
    merged_on = models.DateField(_("merged on"))
    reason = models.CharField(_("reason"), max_length=200)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("performed by"), on_delete=models.PROTECT
    )
    performed_at = models.DateTimeField(_("performed at"), auto_now_add=True)
    summary = models.JSONField(_("what moved"), default=dict)

    objects = MergeQuerySet.as_manager()

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.survivor} ← {self.merged_on}"


class ZombieFlag(models.Model):
    """A suspicion that an organisation exists only on paper, for staff to confirm or clear."""

    class State(models.TextChoices):
        OPEN = "open", _("To review")
        CONFIRMED = "confirmed", _("Confirmed")
        CLEARED = "cleared", _("Cleared")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="zombie_flags",
    )
    reasons = models.JSONField(_("reasons"), default=list)
    flagged_on = models.DateField(_("flagged on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zombie flag")
        verbose_name_plural = _("zombie flags")
        ordering = ["-flagged_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(state="open"),
                name="zombie_flag_one_open_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_state_display()}"

    @property
    def reason_labels(self) -> list[str]:
        """The reasons in words (a legacy reason code is shown as its text)."""
        from orgs.services.oversight import zombie_reason_label

        return [zombie_reason_label(reason) for reason in self.reasons]
