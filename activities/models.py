"""What organisations do, recorded so it can be trusted: activities, mediation, feedback.

Records entered by organisation contacts or staff start "submitted"; the community secretary
of the served community verifies them or returns them with a reason. Only verified records
count for scoring (`.verified()`).
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from core.quarters import Quarter, quarter_bounds, quarter_datetimes

# Residents may rate an activity until this many days after its end date.
FEEDBACK_WINDOW_DAYS = 14


def in_quarter_q(field: str, quarter: Quarter, *, is_datetime: bool = True) -> Q:
    """Dated within the quarter (local time): [start, end) of a datetime field, [first day,
    last day] of a date field."""
    if is_datetime:
        start, end = quarter_datetimes(quarter)
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})
    first, last = quarter_bounds(quarter)
    return Q(**{f"{field}__gte": first, f"{field}__lte": last})


def new_feedback_token() -> str:
    return secrets.token_urlsafe(16)


class VerificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class VerifiableQuerySet(ScopedQuerySet):
    date_field = "start"

    def verified(self):
        """Only verified records: the ones scoring counts."""
        return self.filter(status=VerificationStatus.VERIFIED)

    def submitted(self):
        return self.filter(status=VerificationStatus.SUBMITTED)

    def in_quarter(self, quarter: Quarter):
        """Records dated within the quarter (local time): the span scoring counts."""
        field = self.model._meta.get_field(self.date_field)
        return self.filter(
            in_quarter_q(
                self.date_field, quarter, is_datetime=isinstance(field, models.DateTimeField)
            )
        )

    def in_period(self, start: datetime.date, end: datetime.date):
        """Records dated within [start, end] (both dates included, local time)."""
        return self.filter(**{f"{self.date_field}__date__gte": start}).filter(
            **{f"{self.date_field}__date__lte": end}
        )


class VerifiableRecord(models.Model):
    """What a record needs to be verified by a community or returned with a reason."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.SUBMITTED,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=200, blank=True)
    # When the record (last) went into the verification queue: how long it has waited.
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        abstract = True


class ActivityQuerySet(VerifiableQuerySet):
    township_lookup = "community_served__township"
    community_lookup = "community_served"
    organization_lookup = "lead_organization"


class Activity(VerifiableRecord):
    """One activity or service an organisation led."""

    class Kind(models.TextChoices):
        CULTURE_SPORTS = "culture_sports", _("Culture and sports")
        HEALTH_CLINIC = "health_clinic", _("Free health clinic")
        LEGAL_AID = "legal_aid", _("Legal aid")
        LEFT_BEHIND_CHILDREN = "left_behind_children", _("Care for left-behind children")
        MENTAL_CARE = "mental_care", _("Mental health care")
        ELDERLY_DISABLED = "elderly_disabled", _("Help for the elderly and disabled")
        MEDIATION_OUTREACH = "mediation_outreach", _("Dispute mediation outreach")
        PATROL = "patrol", _("Safety patrol")
        VOLUNTEERING = "volunteering", _("Volunteer service")
        TRAINING = "training", _("Training")
        PARTY_ALLIANCE = "party_alliance", _("Party-building alliance")

    Status = VerificationStatus

    lead_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    co_organizers = models.ManyToManyField(
        "orgs.Organization",
        verbose_name=_("co-organisers"),
        blank=True,
        related_name="co_organized_activities",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    booking = models.OneToOneField(
        "venues.Booking",
        verbose_name=_("booking"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    community_served = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community served"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    volunteer_hours = models.DecimalField(
        _("volunteer hours"), max_digits=8, decimal_places=1, default=0
    )
    help_cases = models.PositiveIntegerField(_("help cases to vulnerable people"), default=0)
    description = models.TextField(_("description"), blank=True)
    feedback_token = models.CharField(
        _("feedback token"), max_length=32, unique=True, default=new_feedback_token, editable=False
    )
    feedback_closes_on = models.DateField(_("feedback closes on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="activity_start_before_end"
            ),
        ]
        indexes = [
            models.Index(fields=["lead_organization", "start"]),
            models.Index(fields=["status", "start"]),
            models.Index(fields=["community_served", "start"]),
            # The list's order (newest first) and the verification queue's (longest waiting
            # first): a county-wide first page reads 25 index entries instead of sorting
            # 2,000,000 activities (3.7 s at province scale).
            models.Index(fields=["-start", "-id"], name="activity_list_order_idx"),
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status="submitted"),
                name="activity_queue_order_idx",
            ),
            # One county's (or township's) queue: its communities' submitted activities,
            # instead of every activity of those communities filtered by status (one county of
            # the province: 30,000 activities read for 1,575 waiting, 200 ms).
            models.Index(
                fields=["community_served", "submitted_at"],
                condition=Q(status="submitted"),
                name="activity_queue_community_idx",
            ),
            # Scoring aggregates a quarter's verified activities of every organisation: date
            # first, then organisation, with the figures it sums (an index-only scan on
            # PostgreSQL; SQLite ignores INCLUDE and keeps the partial index).
            models.Index(
                fields=["start", "lead_organization"],
                include=["beneficiaries", "volunteer_hours", "help_cases"],
                condition=Q(status="verified"),
                name="activity_verified_quarter_idx",
            ),
            # "Is this rated activity verified?" answered from the index alone.
            models.Index(
                fields=["id"], condition=Q(status="verified"), name="activity_verified_id_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def default_feedback_closes_on(self) -> datetime.date:
        return timezone.localdate(self.end) + datetime.timedelta(days=FEEDBACK_WINDOW_DAYS)

    @property
    def where(self) -> str:
        if self.booking_id:
            return str(self.booking.room)
        return self.place


class MediationCaseQuerySet(VerifiableQuerySet):
    township_lookup = "community__township"
    community_lookup = "community"
    organization_lookup = "organization"
    date_field = "occurred_on"

    def resolved(self):
        """Cases that ended in a resolution (scoring counts the verified ones)."""
        return self.filter(outcome=MediationCase.Outcome.RESOLVED)

    def in_period(self, start: datetime.date, end: datetime.date):
        return self.filter(occurred_on__gte=start, occurred_on__lte=end)


class MediationCase(VerifiableRecord):
    """One dispute an organisation helped mediate."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family")
        NEIGHBOUR = "neighbour", _("Neighbours")
        PROPERTY = "property", _("Property management")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        PARTLY = "partly", _("Partly resolved")
        UNRESOLVED = "unresolved", _("Unresolved")

    Status = VerificationStatus

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="mediation_cases",
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parties_summary = models.CharField(
        _("parties and dispute"),
        max_length=300,
        help_text=_("Who and what, without ID numbers or phone numbers."),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    community = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="mediation_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = MediationCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "occurred_on"]),
            models.Index(fields=["status", "occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.occurred_on} {self.get_kind_display()}"


class FeedbackQuerySet(ScopedQuerySet):
    township_lookup = "organization__community__township"
    community_lookup = "organization__community"
    organization_lookup = "organization"

    def counted(self):
        """Ratings that count: about an organisation, or about a verified activity (an EXISTS
        on the activity's id, answered from the partial index of verified ids)."""
        verified = Activity.objects.verified().filter(pk=models.OuterRef("activity_id"))
        return self.filter(Q(activity__isnull=True) | Q(models.Exists(verified)))

    def in_quarter(self, quarter: Quarter):
        """Ratings given within the quarter (local time)."""
        return self.filter(in_quarter_q("created_at", quarter))

    def in_period(self, start: datetime.date, end: datetime.date):
        return self.filter(created_at__date__gte=start, created_at__date__lte=end)


class Feedback(models.Model):
    """One resident's satisfaction score for an activity or an organisation."""

    class Source(models.TextChoices):
        RESIDENT_FORM = "resident_form", _("Resident (QR code)")
        PHONE_SURVEY = "phone_survey", _("Phone survey")
        SECRETARY = "secretary", _("Community secretary")

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    # The random id of the rating page's signed device cookie: one rating per device.
    device_id = models.CharField(_("device id"), max_length=64, blank=True)
    # sha256 of IP + user agent, and of the IP alone: never the raw address.
    fingerprint = models.CharField(_("device fingerprint"), max_length=64, blank=True)
    address_hash = models.CharField(_("address hash"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="feedback_score_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["activity", "device_id"],
                condition=~Q(device_id=""),
                name="feedback_one_per_activity_and_device",
                violation_error_message=_(
                    "Thank you, this device has already rated this activity."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "created_at"]),
            models.Index(
                fields=["created_at", "organization"],
                include=["score", "activity"],
                name="feedback_created_org_idx",
            ),
            models.Index(fields=["fingerprint", "created_at"]),
            models.Index(fields=["address_hash", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.score}"


class ActivityPhoto(models.Model):
    """A photo of an activity, served only to users who may see the activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="activity-photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity} #{self.pk}"
