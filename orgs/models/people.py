from django.conf import settings
from django.db import models
from django.db.models import Exists, Func, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import Level, ScopedQuerySet
from core.identifiers import IdNumberValidator, MobileValidator
from core.masking import mask_id_number, mask_mobile
from core.quarters import Quarter, quarter_bounds

# The search by the last digits of an ID number or mobile compares this many trailing characters,
# through an index on the expression (no stored column, so no write path has to fill one).
TAIL_LENGTH = 4


class Tail(Func):
    """The last ``length`` characters of a text column.

    The length is written into the SQL, not passed as a parameter: SQLite uses an index on an
    expression only for the very same SQL text, and a comparison sent as
    ``SUBSTR(col, (? * ?), ?)`` would not match ``SUBSTR(col, (4 * -1), 4)`` (what Django's
    ``Right`` gives).
    """

    arity = 1
    output_field = models.CharField()

    def __init__(self, expression, *, length: int, **extra):
        if not isinstance(length, int) or length < 1:
            raise ValueError("length must be a positive integer")
        self.length = length
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="RIGHT",
            template=f"%(function)s(%(expressions)s, {self.length})",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="SUBSTR",
            template=f"%(function)s(%(expressions)s, -{self.length})",
            **extra_context,
        )


class Tripled(Func):
    """The text with every character written three times: ``王小明`` → ``王王王小小小明明明``.

    pg_trgm indexes the three-character pieces of a text, so an index on the plain name cannot
    serve a search for a 1 or 2 character fragment (a surname, a two-character given name), the
    most common searches for Chinese names. Written three times, every fragment is at least
    3 characters long, and ``tripled(name)`` contains ``tripled(fragment)`` exactly when the name
    contains the fragment (a match out of step with the triples implies one in step). The GIN
    index on this expression is created by migration 0005 (PostgreSQL only).
    """

    arity = 1
    output_field = models.TextField()
    template = "regexp_replace(%(expressions)s, '(.)', '\\1\\1\\1', 'g')"


def tripled(text: str) -> str:
    return "".join(character * 3 for character in text)


def id_number_tail() -> Tail:
    return Tail("id_number", length=TAIL_LENGTH)


def mobile_tail() -> Tail:
    return Tail("mobile", length=TAIL_LENGTH)


class PersonQuerySet(ScopedQuerySet):
    """A person is in an area when they live there or belong to an organisation there."""

    township_lookup = "community__township"
    community_lookup = "community"

    def _area_filter(self, scope):
        # The people of an area as one set of ids (residents UNION members), which each index
        # answers, rather than "resident OR EXISTS membership" checked person by person: at
        # province scale on PostgreSQL a township's people list scanned ~800,000 people
        # (0.76 s; 0.14 s with the union).
        memberships = Membership.objects.filter(person=OuterRef("pk"))
        if scope.level == Level.TOWNSHIP and scope.township_id:
            return Q(
                pk__in=Person.objects.filter(community__township_id=scope.township_id)
                .order_by()
                .values("pk")
                .union(
                    Membership.objects.filter(
                        organization__community__township_id=scope.township_id
                    )
                    .order_by()
                    .values("person_id")
                )
            )
        if scope.level == Level.COMMUNITY and scope.community_id:
            return Q(
                pk__in=Person.objects.filter(community_id=scope.community_id)
                .order_by()
                .values("pk")
                .union(
                    Membership.objects.filter(organization__community_id=scope.community_id)
                    .order_by()
                    .values("person_id")
                )
            )
        if scope.level == Level.ORGANIZATION and scope.organization_id:
            return Q(Exists(memberships.filter(organization_id=scope.organization_id)))
        return None

    def _county_filter(self, scope):
        # A county's people: its residents and the members of its organisations (a person
        # recorded in no community and no organisation is reached installation-wide only).
        if scope.county_ids is None:
            return Q()
        if not scope.county_ids:
            return None
        ids = sorted(scope.county_ids)
        return Q(
            pk__in=Person.objects.filter(community__township__county_id__in=ids)
            .order_by()
            .values("pk")
            .union(
                Membership.objects.filter(organization__community__township__county_id__in=ids)
                .order_by()
                .values("person_id")
            )
        )

    def current(self):
        """People who have not been merged into another record."""
        return self.filter(merged_into__isnull=True)

    def with_grid_role(self):
        """People holding a grid role."""
        return self.exclude(grid_role="")


class Person(models.Model):
    """One resident, recorded once and deduplicated by ID number when it is known."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class PartyStatus(models.TextChoices):
        FULL = "full", _("Full member")
        PROBATIONARY = "probationary", _("Probationary member")

    class GridRole(models.TextChoices):
        BUILDING_HEAD = "building_head", _("Building head")
        UNIT_HEAD = "unit_head", _("Unit head")
        GRID_WORKER = "grid_worker", _("Grid worker")
        INFORMANT = "informant", _("Information officer")

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, blank=True, validators=[IdNumberValidator()]
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    mobile = models.CharField(
        _("mobile"), max_length=11, blank=True, validators=[MobileValidator()]
    )
    community = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    is_party_member = models.BooleanField(_("Party member"), default=False)
    party_status = models.CharField(
        _("Party status"), max_length=20, choices=PartyStatus.choices, blank=True
    )
    party_relation_place = models.CharField(
        _("where the Party relation is held"), max_length=100, blank=True
    )
    grid_role = models.CharField(
        _("grid role"), max_length=20, choices=GridRole.choices, blank=True
    )
    grid_community = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community of the grid role"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_people",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_people",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="person_id_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(is_party_member=True) | Q(party_status=""),
                name="person_party_status_needs_member",
            ),
            models.CheckConstraint(
                condition=Q(grid_role="") | Q(grid_community__isnull=False),
                name="person_grid_role_has_community",
            ),
        ]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["mobile"]),
            # The search by the last 4 digits: an equality on these expressions, not a scan.
            # (The trigram index of the name search is PostgreSQL-only: see migration 0005.)
            models.Index(id_number_tail(), name="person_id_number_tail_idx"),
            models.Index(mobile_tail(), name="person_mobile_tail_idx"),
            # The few residents holding a grid role (scoring counts them per organisation).
            models.Index(fields=["id"], condition=~Q(grid_role=""), name="person_grid_role_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class MembershipQuerySet(ScopedQuerySet):
    township_lookup = "organization__community__township"
    community_lookup = "organization__community"
    organization_lookup = "organization"

    def current(self):
        """Memberships not ended."""
        return self.filter(left_on__isnull=True)

    def during(self, quarter: Quarter):
        """Memberships held at some time in the quarter: joined by its last day, not left
        before its first."""
        first, last = quarter_bounds(quarter)
        return self.filter(joined_on__lte=last).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=first)
        )

    def with_grid_role(self):
        """Memberships of people holding a grid role."""
        return self.exclude(person__grid_role="")


class Membership(models.Model):
    """A person's membership of an organisation; leaving closes it, never deletes it."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        CORE = "core", _("Core member")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "-joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["organization", "person"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_person",
            ),
        ]
        indexes = [models.Index(fields=["organization", "left_on"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class PersonMerge(models.Model):
    """A duplicate person folded into the kept one: their memberships moved over."""

    kept = models.ForeignKey(
        Person, verbose_name=_("kept person"), on_delete=models.PROTECT, related_name="+"
    )
    merged = models.ForeignKey(
        Person, verbose_name=_("merged person"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merged by"), on_delete=models.PROTECT
    )
    summary = models.JSONField(_("what moved"), default=dict)

    class Meta:
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged} → {self.kept}"
