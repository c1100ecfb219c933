from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet
from core.identifiers import CreditCodeValidator, MobileValidator
from core.quarters import Quarter, quarter_bounds

GRADE_VALID_YEARS = 5


class Category(models.Model):
    """A field of activity used to group organisations (文体娱乐类, 公益慈善类...)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(ScopedQuerySet):
    township_lookup = "community__township"
    community_lookup = "community"
    organization_lookup = "pk"

    def active(self):
        """Organisations that still exist (not merged, deregistered or revoked)."""
        return self.exclude(
            status__in=[
                Organization.Status.MERGED,
                Organization.Status.DEREGISTERED,
                Organization.Status.REVOKED,
            ]
        )

    def existing_during(self, quarter: Quarter):
        """Organisations that existed at some time in the quarter: founded by its last day
        (or undated), not merged, deregistered or revoked before its first (or undated)."""
        first, last = quarter_bounds(quarter)
        gone_before = Q(
            status__in=[
                Organization.Status.MERGED,
                Organization.Status.DEREGISTERED,
                Organization.Status.REVOKED,
            ]
        ) & (Q(status_changed_on__isnull=True) | Q(status_changed_on__lt=first))
        return self.exclude(gone_before).filter(
            Q(founded_on__isnull=True) | Q(founded_on__lte=last)
        )

    def pickable(self):
        """Organisations a picker may offer (forms, filters, merge targets).

        Never a merged, deregistered or revoked organisation: one rule for every picker.
        """
        return self.active()

    def with_member_counts(self):
        """Annotate the number of current members.

        A correlated subquery, not a join with GROUP BY: the database then counts only for the
        rows of the page (11.8 s against 46 ms for a first page at province scale).
        """
        from orgs.models.people import Membership

        current = (
            Membership.objects.filter(organization=OuterRef("pk"), left_on__isnull=True)
            .order_by()
            .values("organization")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            member_count=Coalesce(Subquery(current, output_field=IntegerField()), Value(0))
        )

    def with_credit_flags(self, on: date | None = None):
        """Annotate whether the organisation is on the abnormal or serious list on a date."""
        from orgs.models.oversight import CreditListing

        on = on or timezone.localdate()
        active = CreditListing.objects.active_on(on).filter(organization=OuterRef("pk"))
        return self.annotate(
            on_abnormal_list=Exists(active.filter(list_kind=CreditListing.Kind.ABNORMAL)),
            on_serious_list=Exists(active.filter(list_kind=CreditListing.Kind.SERIOUS)),
        )


class Organization(models.Model):
    """A community social organisation in the e-ledger (电子台账)."""

    class RegistrationStatus(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        FILED = "filed", _("Filed")
        UNREGISTERED = "unregistered", _("Unregistered")

    class LegalForm(models.TextChoices):
        SOCIAL_GROUP = "social_group", _("Social group")
        SERVICE_INSTITUTION = "service_institution", _("Social service institution")
        FOUNDATION = "foundation", _("Foundation")
        COMMUNITY_ORGANIZATION = "community_org", _("Community social organisation")

    class Status(models.TextChoices):
        NORMAL = "normal", _("Normal")
        MERGED = "merged", _("Merged")
        DEREGISTERED = "deregistered", _("Deregistered")
        REVOKED = "revoked", _("Revoked")
        SUSPECTED_ZOMBIE = "zombie", _("Suspected zombie")

    class Grade(models.TextChoices):
        A1 = "1A", "1A"
        A2 = "2A", "2A"
        A3 = "3A", "3A"
        A4 = "4A", "4A"
        A5 = "5A", "5A"

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[CreditCodeValidator()],
    )
    registration_status = models.CharField(
        _("registration status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.FILED,
    )
    legal_form = models.CharField(
        _("legal form"),
        max_length=30,
        choices=LegalForm.choices,
        default=LegalForm.COMMUNITY_ORGANIZATION,
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    community = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    registered_on = models.DateField(_("registered or filed on"), null=True, blank=True)
    registration_authority = models.CharField(
        _("registration authority"), max_length=100, blank=True
    )
    supervising_unit = models.CharField(_("supervising unit"), max_length=100, blank=True)
    leader_name = models.CharField(_("leader"), max_length=50, blank=True)
    leader_phone = models.CharField(
        _("leader's mobile"), max_length=11, blank=True, validators=[MobileValidator()]
    )
    activity_fields = models.TextField(_("fields of activity"), blank=True)
    resources = models.TextField(_("resources and strengths"), blank=True)
    needs = models.TextField(_("actual needs"), blank=True)
    operating_mechanism = models.TextField(_("operating mechanism"), blank=True)
    bottlenecks = models.TextField(_("development bottlenecks"), blank=True)
    special_teams = models.TextField(_("special teams"), blank=True)
    in_party_alliance = models.BooleanField(_("in a Party-building alliance"), default=False)
    grade = models.CharField(_("evaluation grade"), max_length=2, choices=Grade.choices, blank=True)
    grade_awarded_on = models.DateField(_("grade awarded on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NORMAL
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_organizations",
    )
    ledger_keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ledger keeper"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kept_organizations",
    )
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="organization_credit_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(registered_on__gte=models.F("founded_on")),
                name="organization_registered_after_founded",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="organization_merged_has_survivor",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="organization_not_merged_into_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["community", "status"]),
        ]
        permissions = [("view_sensitive_data", _("Can reveal ID numbers and mobiles"))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status not in {
            self.Status.MERGED,
            self.Status.DEREGISTERED,
            self.Status.REVOKED,
        }

    def grade_expires_on(self) -> date | None:
        """The day the evaluation grade stops being valid (5 years after it was awarded)."""
        if not self.grade or not self.grade_awarded_on:
            return None
        awarded = self.grade_awarded_on
        try:
            return awarded.replace(year=awarded.year + GRADE_VALID_YEARS)
        except ValueError:  # 29 February
            return awarded.replace(year=awarded.year + GRADE_VALID_YEARS, day=28)

    def grade_is_valid(self, on: date | None = None) -> bool:
        expires = self.grade_expires_on()
        return expires is not None and (on or timezone.localdate()) < expires
