"""Points-based scoring (积分管理): schemes and rules as data, quarterly scores, runs, awards.

A `Scheme` per year holds one `Rule` per rule code (`scoring.rules.RULES` lists the codes, their
indicator and defaults). A `ScoringQuarter` row holds the state of a quarter (open or
finalised), when it was last computed and the rules it was computed with (a snapshot, so a
finalised quarter keeps its rules whatever later edits do). `QuarterScore` holds one row per
organisation and quarter: the raw figures counted, the points per indicator, the total and the
ranks. Explanations are rendered from the figures and the snapshot (`scoring.explain`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import Level, ScopedQuerySet
from core.quarters import quarter_label


class Indicator(models.TextChoices):
    ACTIVITY = "activity", _("Activity frequency")
    SERVICE = "service", _("Service effectiveness")
    SATISFACTION = "satisfaction", _("Public satisfaction")
    GOVERNANCE = "governance", _("Contribution to governance")
    BONUS = "bonus", _("Bonus points")
    DEDUCTION = "deduction", _("Deductions")


class Scheme(models.Model):
    """The scoring scheme of one year; its rules are rows, editable by the county admin."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
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
        ordering = ["-year"]

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


class ScoringQuarterQuerySet(models.QuerySet):
    def computed(self):
        """Quarters whose ranking has been computed at least once."""
        return self.filter(computed_at__isnull=False)


class ScoringQuarter(models.Model):
    """The state of one quarter's ranking: open (recomputed nightly) or finalised (frozen)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        FINALIZED = "finalized", _("Finalised")

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
            models.UniqueConstraint(fields=["year", "quarter"], name="scoring_quarter_unique"),
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
    """Rankings are published to every signed-in role (动态排名 is meant to be seen by all
    groups); nobody edits a score, only recomputes change them."""

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
            models.Index(fields=["year", "quarter", "rank_county"]),
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


class RankingRun(models.Model):
    """One recompute of a quarter: who or what started it, how it went."""

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Started from the page")
        SCHEDULE = "schedule", _("Nightly schedule")
        COMMAND = "command", _("Command line")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    finalize = models.BooleanField(_("finalise after computing"), default=False)
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=50, blank=True)
    task_id = models.CharField(_("task id"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    organizations_scored = models.PositiveIntegerField(_("organisations scored"), default=0)
    organizations_ranked = models.PositiveIntegerField(_("organisations ranked"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["year", "quarter", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.quarter_label} {self.get_status_display()}"

    @property
    def quarter_label(self) -> str:
        """The quarter as a person reads it ("2026年第四季度")."""
        return quarter_label((self.year, self.quarter))

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def duration_seconds(self) -> float | None:
        """Seconds the run took, or None when unknown or too short to show as "0.0"."""
        duration = self.duration
        if duration is None or duration.total_seconds() < 0.05:
            return None
        return duration.total_seconds()


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
