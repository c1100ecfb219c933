from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.roles import AREA_FIELDS, Role
from accounts.scoping import Level, scope_for

TOWNSHIP_REQUIRED = _("Township staff must belong to a township.")
COMMUNITY_REQUIRED = _("A community secretary must belong to a community.")
ORGANIZATION_REQUIRED = _("An organisation contact must belong to an organisation.")
COUNTY_OR_CITY = _("Name a county or a city, not both.")
WIDE_AREA_ONLY = _(
    "Only county administrators and county officials are assigned a county or a city; "
    "other roles work in the area named for their role."
)
AREA_REQUIRED = {
    "township": TOWNSHIP_REQUIRED,
    "community": COMMUNITY_REQUIRED,
    "organization": ORGANIZATION_REQUIRED,
}


class RegistryUserManager(UserManager):
    """Users come with their areas: the scope (`accounts.scoping.scope_for`) and the page
    header read them on every request, in the one query that loads the user."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "county",
                "city",
                "township",
                "community__township",
                "organization__community__township",
            )
        )


class User(AbstractUser):
    """A person who logs in; what they see follows from their role and area."""

    # Chinese names don't split into first and last names.
    first_name = None
    last_name = None
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    # County administrators and officials: the county they serve, or the city whose counties
    # they oversee; naming neither reaches every county (a province's staff).
    county = models.ForeignKey(
        "areas.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    city = models.ForeignKey(
        "areas.City",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    township = models.ForeignKey(
        "areas.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    community = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretaries",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )

    objects = RegistryUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.TOWNSHIP_STAFF) | Q(township__isnull=False),
                name="user_township_staff_has_township",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.SECRETARY) | Q(community__isnull=False),
                name="user_secretary_has_community",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.ORG_CONTACT) | Q(organization__isnull=False),
                name="user_org_contact_has_organization",
            ),
            models.CheckConstraint(
                condition=Q(county__isnull=True) | Q(city__isnull=True),
                name="user_county_or_city",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def clean(self) -> None:
        super().clean()
        field = AREA_FIELDS.get(self.role)
        if field and not getattr(self, f"{field}_id"):
            raise ValidationError({field: AREA_REQUIRED[field]})
        if self.county_id and self.city_id:
            raise ValidationError({"city": COUNTY_OR_CITY})
        if (self.county_id or self.city_id) and not roles.serves_counties(self.role):
            raise ValidationError({"county" if self.county_id else "city": WIDE_AREA_ONLY})

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username

    @property
    def effective_role(self) -> str:
        """The role the registry treats the account as having (`accounts.roles.effective_role`).

        A superuser made by `createsuperuser` acts as a county administrator, so that what it
        is told and what it may open agree.
        """
        return roles.effective_role(self.role, is_superuser=self.is_superuser)

    @property
    def effective_role_label(self) -> str:
        role = self.effective_role
        return str(Role(role).label) if role else ""

    @property
    def is_county_wide(self) -> bool:
        return roles.is_county_wide(self.role, is_superuser=self.is_superuser)

    @property
    def is_read_only(self) -> bool:
        """Whether every change is refused (officials, and accounts without a role)."""
        return roles.is_read_only(self.role, is_superuser=self.is_superuser)

    @property
    def area_label(self) -> str:
        """Describe the area the user works in, for the page header."""
        field = AREA_FIELDS.get(self.role)
        if field and getattr(self, f"{field}_id"):
            return str(getattr(self, field))
        if self.is_county_wide:
            level = scope_for(self).level
            if level == Level.COUNTY:
                return str(self.county)
            if level == Level.CITY:
                return str(self.city)
            return str(_("All counties"))
        return ""
