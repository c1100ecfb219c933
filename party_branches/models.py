"""Temporary Party branches (临时党支部) in the organisations, their instructors and meetings.

A branch is formed in one organisation (单独组建) or jointly across 2–5 organisations of one
township (联合组建). Dissolving a branch closes it and its memberships; nothing is deleted.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import Level, ScopedQuerySet
from core.identifiers import MobileValidator


class Formation(models.TextChoices):
    SINGLE = "single", _("Formed singly")
    JOINT = "joint", _("Formed jointly")


class PartyStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class MeetingKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("General meeting of Party members")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme Party day")
    LIFE_MEETING = "life_meeting", _("Organisational life meeting")
    APPRAISAL = "appraisal", _("Democratic appraisal of Party members")


class Period(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


def _branch_links():
    return Branch.organizations.through.objects.filter(branch=OuterRef("pk"))


class BranchQuerySet(ScopedQuerySet):
    """Township staff see their township's branches; secretaries and contacts their groups'."""

    township_lookup = "township"

    def _area_filter(self, scope):
        # A joint branch belongs to every community its organisations are in.
        links = _branch_links()
        if scope.level == Level.TOWNSHIP and scope.township_id:
            return Q(township_id=scope.township_id)
        if scope.level == Level.COMMUNITY and scope.community_id:
            return Q(Exists(links.filter(organization__community_id=scope.community_id)))
        if scope.level == Level.ORGANIZATION and scope.organization_id:
            return Q(Exists(links.filter(organization_id=scope.organization_id)))
        return None

    def active(self, on: date | None = None):
        """Branches set up by the day and not dissolved on it."""
        on = on or timezone.localdate()
        return self.filter(established_on__lte=on).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)
        )

    def active_between(self, start: date, end: date):
        """Branches active on at least one day of [start, end]."""
        return self.filter(established_on__lte=end).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=start)
        )


class Branch(models.Model):
    """A temporary Party branch (临时党支部) set up in one or several organisations."""

    name = models.CharField(_("name"), max_length=100)
    formation = models.CharField(_("formation"), max_length=10, choices=Formation.choices)
    organizations = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("organisations"), related_name="party_branches"
    )
    township = models.ForeignKey(
        "areas.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="party_branches",
    )
    parent_org = models.CharField(_("parent Party organisation"), max_length=100)
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolution_reason = models.CharField(_("reason for dissolving"), max_length=200, blank=True)
    secretary = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("branch secretary"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = BranchQuerySet.as_manager()

    class Meta:
        verbose_name = _("temporary Party branch")
        verbose_name_plural = _("temporary Party branches")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="branch_dissolved_after_established",
            ),
        ]
        indexes = [models.Index(fields=["township", "dissolved_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class _ThroughBranchQuerySet(ScopedQuerySet):
    """Rows of a branch are seen by whoever sees the branch."""

    township_lookup = "branch__township"

    def _area_filter(self, scope):
        if scope.level == Level.TOWNSHIP:
            return Q(branch__township_id=scope.township_id) if scope.township_id else None
        inner = BranchQuerySet._area_filter(Branch.objects.none(), scope)
        if inner is None:
            return None
        return Q(Exists(Branch.objects.filter(inner, pk=OuterRef("branch_id"))))


class BranchMemberQuerySet(_ThroughBranchQuerySet):
    def current(self):
        """Memberships not ended."""
        return self.filter(left_on__isnull=True)

    def on(self, day: date):
        """Memberships in force on the day."""
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class BranchMember(models.Model):
    """A Party member's membership of a branch; leaving closes it, never deletes it."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="members"
    )
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="branch_memberships",
    )
    party_status = models.CharField(_("Party status"), max_length=20, choices=PartyStatus.choices)
    relation_place = models.CharField(
        _("where the formal Party relation is held"), max_length=100, blank=True
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = BranchMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch member")
        verbose_name_plural = _("branch members")
        ordering = ["branch", "joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="branch_member_left_after_joined",
            ),
            # Dissolving a branch closes its memberships, so this is "one active branch".
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="branch_member_one_current_branch",
            ),
        ]
        indexes = [models.Index(fields=["branch", "left_on"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.branch}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    @property
    def is_formal(self) -> bool:
        return self.party_status == PartyStatus.FULL


class InstructorAssignmentQuerySet(ScopedQuerySet):
    township_lookup = "organization__community__township"
    community_lookup = "organization__community"
    organization_lookup = "organization"

    def active(self, on: date | None = None):
        """Assignments in force on the day."""
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))


class InstructorAssignment(models.Model):
    """A Party-building instructor (党建指导员) assigned to an organisation without a branch."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="instructor_assignments",
    )
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("instructor (from the ledger)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    instructor_name = models.CharField(_("instructor"), max_length=50)
    instructor_phone = models.CharField(
        _("instructor's mobile"), max_length=11, blank=True, validators=[MobileValidator()]
    )
    unit = models.CharField(_("instructor's unit"), max_length=100, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InstructorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        ordering = ["organization", "-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="instructor_ended_after_started",
            ),
        ]
        indexes = [models.Index(fields=["organization", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.instructor_name} → {self.organization}"


class MeetingQuerySet(_ThroughBranchQuerySet):
    def in_period(self, start: date, end: date):
        """Meetings held on the days [start, end]."""
        return self.filter(held_on__gte=start, held_on__lte=end)


class Meeting(models.Model):
    """One meeting of a branch's organisational life (三会一课, 主题党日...)."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField(
        BranchMember, verbose_name=_("attendees"), related_name="meetings_attended", blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    chair = models.ForeignKey(
        BranchMember,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_chaired",
    )
    note_taker = models.ForeignKey(
        BranchMember,
        verbose_name=_("note taker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_noted",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["branch", "held_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.branch} · {self.get_kind_display()} · {self.held_on}"


class MeetingAbsence(models.Model):
    """A member of the branch who missed a meeting, and why."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="absences"
    )
    member = models.ForeignKey(
        BranchMember,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="meetings_missed",
    )
    reason = models.CharField(_("reason for absence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="meeting_absence_unique_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.member}"


class MeetingAttachment(models.Model):
    """The minutes (a scan or document) or a photo of a meeting."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        PHOTO = "photo", _("Photo")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="meeting-files/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name


class RequiredFrequency(models.Model):
    """How often a kind of meeting must be held (editable by the county administrator)."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, unique=True)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    count = models.PositiveSmallIntegerField(_("meetings per period"), default=1)

    class Meta:
        verbose_name = _("required frequency")
        verbose_name_plural = _("required frequencies")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.count} / {self.get_period_display()}"
