"""A year's scheme and its rules, as data (the indicators they count towards)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Indicator(models.TextChoices):
    ACTIVITY = "activity", _("Activity frequency")
    SERVICE = "service", _("Service effectiveness")
    SATISFACTION = "satisfaction", _("Public satisfaction")
    GOVERNANCE = "governance", _("Contribution to governance")
    BONUS = "bonus", _("Bonus points")
    DEDUCTION = "deduction", _("Deductions")


class Scheme(models.Model):
    """The scoring scheme of one year; its rules are rows, editable by the county admin."""

    # The county whose programme this is (each county has its own scheme, ranking, awards).
    county = models.ForeignKey(
        "areas.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    # Caps per indicator (活动频次 25, 服务实效 30, 群众满意度 25, 治理贡献度 20, 加分 10).
    activity_cap = models.DecimalField(_("activity frequency cap"), max_digits=6, decimal_places=2)
    service_cap = models.DecimalField(
        _("service effectiveness cap"), max_digits=6, decimal_places=2
    )
    satisfaction_cap = models.DecimalField(
        _("public satisfaction cap"), max_digits=6, decimal_places=2
    )
    governance_cap = models.DecimalField(_("governance cap"), max_digits=6, decimal_places=2)
    bonus_cap = models.DecimalField(_("bonus cap"), max_digits=6, decimal_places=2)
    # Bayesian mean: the quarter's scores plus this many virtual scores at the county mean.
    prior_weight = models.PositiveSmallIntegerField(
        _("weight of the county mean (virtual ratings)"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    awards_per_category = models.PositiveSmallIntegerField(
        _("awards proposed per category"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["county", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="scheme_unique_per_county")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Rule(models.Model):
    """One rule of a scheme: points per `per` units of a figure, capped.

    For the satisfaction rule `points` is the maximum (25 × (R − 1) / 4) and `per` is unused;
    for deductions `points` is negative.
    """

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="rules"
    )
    code = models.CharField(_("rule"), max_length=30)
    indicator = models.CharField(_("indicator"), max_length=15, choices=Indicator.choices)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    per = models.PositiveIntegerField(
        _("per (units)"), default=1, validators=[MinValueValidator(1)]
    )
    cap = models.DecimalField(
        _("cap"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Largest absolute number of points this rule can give; empty for none."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["scheme", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="rule_code_unique_in_scheme"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gte=0), name="rule_cap_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.year} {self.code}"
