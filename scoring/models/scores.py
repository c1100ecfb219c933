"""A quarter's state and the scores of each organisation in it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from core.quarters import quarter_label


class ScoringQuarterQuerySet(models.QuerySet):
    def computed(self):
        """Quarters whose ranking has been computed at least once."""
        return self.filter(computed_at__isnull=False)


class ScoringQuarter(models.Model):
    """The state of one county's quarter ranking: open (recomputed nightly) or finalised."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        FINALIZED = "finalized", _("Finalised")

    # The county whose programme this is (each county has its own scheme, ranking, awards).
    county = models.ForeignKey(
        "areas.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    # The rules the current scores were computed with (scheme version, caps, rules).
    rules = models.JSONField(_("rules used"), default=dict, blank=True)
    county_mean = models.DecimalField(
        _("county mean satisfaction"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    finalized_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScoringQuarterQuerySet.as_manager()

    class Meta:
        verbose_name = _("scoring quarter")
        verbose_name_plural = _("scoring quarters")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "quarter"], name="scoring_quarter_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="scoring_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return self.quarter_label

    @property
    def quarter_label(self) -> str:
        """The quarter as a person reads it ("2026年第四季度")."""
        return quarter_label((self.year, self.quarter))

    @property
    def key(self) -> tuple[int, int]:
        return self.year, self.quarter

    @property
    def is_finalized(self) -> bool:
        return self.state == self.State.FINALIZED


class QuarterScoreQuerySet(ScopedQuerySet):
    """Rankings are published to every signed-in role of the county (动态排名 is meant to be
    seen by all groups); nobody edits a score, only recomputes change them."""

    # Published within the county: every role sees its county's ranking (a city's staff,
    # each of their counties').
    township_lookup = "township"
    county_lookup = "county"
    published = True
    editor_levels = frozenset()

    def editable_by(self, user):
        return self.none()

    def of_quarter(self, year: int, quarter: int):
        return self.filter(year=year, quarter=quarter)

    def ranked(self):
        return self.filter(ranked=True)


class QuarterScore(models.Model):
    """One organisation's points in one quarter, with the figures they come from."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="quarter_scores",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    # Where the organisation stood when scored (ranks are within these).
    category = models.ForeignKey(
        "orgs.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    township = models.ForeignKey(
        "areas.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    # The county it was ranked in (its ranks are within the county).
    county = models.ForeignKey(
        "areas.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )

    # Figures counted over the quarter's verified records.
    activities = models.PositiveIntegerField(_("verified activities led"), default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    volunteer_hours = models.DecimalField(
        _("volunteer hours"), max_digits=10, decimal_places=1, default=0
    )
    help_cases = models.PositiveIntegerField(_("help cases"), default=0)
    feedback_count = models.PositiveIntegerField(_("ratings"), default=0)
    feedback_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)
    satisfaction_mean = models.DecimalField(
        _("Bayesian mean rating"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    mediations = models.PositiveIntegerField(_("verified resolved mediations"), default=0)
    grid_members = models.PositiveIntegerField(_("members with a grid role"), default=0)
    community_assessment = models.PositiveSmallIntegerField(_("community assessment"), default=0)
    branch_compliant = models.BooleanField(_("branch fully compliant"), default=False)
    commendations = models.PositiveSmallIntegerField(_("commendations"), default=0)
    in_alliance = models.BooleanField(_("in a Party-building alliance"), default=False)
    abnormal_listed = models.BooleanField(_("on the abnormal-activity list"), default=False)
    failed_inspection = models.BooleanField(_("failed the annual inspection"), default=False)
    no_shows = models.PositiveIntegerField(_("no-show bookings"), default=0)

    # Points per indicator, capped.
    activity_points = models.DecimalField(
        _("activity frequency"), max_digits=6, decimal_places=2, default=0
    )
    service_points = models.DecimalField(
        _("service effectiveness"), max_digits=6, decimal_places=2, default=0
    )
    satisfaction_points = models.DecimalField(
        _("public satisfaction"), max_digits=6, decimal_places=2, default=0
    )
    governance_points = models.DecimalField(
        _("contribution to governance"), max_digits=6, decimal_places=2, default=0
    )
    bonus_points = models.DecimalField(_("bonus"), max_digits=6, decimal_places=2, default=0)
    deduction_points = models.DecimalField(
        _("deductions"), max_digits=6, decimal_places=2, default=0
    )
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, default=0)

    ranked = models.BooleanField(_("ranked"), default=True)
    not_ranked_reason = models.CharField(_("why not ranked"), max_length=20, blank=True)
    rank_county = models.PositiveIntegerField(_("county rank"), null=True, blank=True)
    rank_category = models.PositiveIntegerField(_("rank in category"), null=True, blank=True)
    rank_township = models.PositiveIntegerField(_("rank in township"), null=True, blank=True)
    previous_rank_county = models.PositiveIntegerField(
        _("county rank last quarter"), null=True, blank=True
    )

    objects = QuarterScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarter score")
        verbose_name_plural = _("quarter scores")
        ordering = ["year", "quarter", "rank_county", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "organization"], name="quarter_score_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["county", "year", "quarter", "rank_county"]),
            models.Index(fields=["organization", "year", "quarter"]),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.quarter_label} {self.total}"

    @property
    def quarter_label(self) -> str:
        """The quarter as a person reads it ("2026年第四季度")."""
        return quarter_label((self.year, self.quarter))

    @property
    def rank_change(self) -> int | None:
        """Places gained since last quarter (negative when it fell); None when not comparable."""
        if self.rank_county is None or self.previous_rank_county is None:
            return None
        return self.previous_rank_county - self.rank_county
