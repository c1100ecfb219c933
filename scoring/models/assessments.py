"""What people enter for a quarter: the community's assessment and commendations."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import Level, ScopedQuerySet
from core.quarters import quarter_label


class QuarterAssessmentQuerySet(ScopedQuerySet):
    township_lookup = "organization__community__township"
    community_lookup = "organization__community"
    organization_lookup = "organization"
    editor_levels = frozenset({Level.TOWNSHIP, Level.COMMUNITY})


class QuarterAssessment(models.Model):
    """What people enter for a quarter: the community's assessment (0–5) and commendations."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="quarter_assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    community_score = models.PositiveSmallIntegerField(
        _("community assessment (0–5)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    commendations = models.PositiveSmallIntegerField(
        _("commendations received"), default=0, validators=[MaxValueValidator(20)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = QuarterAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarter assessment")
        verbose_name_plural = _("quarter assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="quarter_assessment_unique"
            ),
            models.CheckConstraint(
                condition=Q(community_score__lte=5), name="assessment_score_0_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {quarter_label((self.year, self.quarter))}"
