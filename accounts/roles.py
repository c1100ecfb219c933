"""The five roles of the registry and what each may do in general."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("County administrator")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    SECRETARY = "secretary", _("Community secretary")
    OFFICIAL = "official", _("County official")
    ORG_CONTACT = "org_contact", _("Organisation contact")


# Roles that see every area of the county.
COUNTY_WIDE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.OFFICIAL})
# Roles that never change anything: every unsafe request from them answers 403.
READ_ONLY_ROLES = frozenset({Role.OFFICIAL})
# The roles that oversee more than one community: the overview, coverage, utilisation, merges,
# the zombie watch and the scores of every organisation in their area.
OVERSEER_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.OFFICIAL})

# The area an account of each role must name (county-wide roles name none).
AREA_FIELDS = {
    Role.TOWNSHIP_STAFF: "township",
    Role.SECRETARY: "community",
    Role.ORG_CONTACT: "organization",
}


def effective_role(role: str, *, is_superuser: bool) -> str:
    """The role an account acts in: a superuser without a role acts as a county administrator
    everywhere (menu, scope, permissions, the role shown); other accounts without one have none.
    """
    if is_superuser and not role:
        return Role.COUNTY_ADMIN
    return role


def is_county_wide(role: str, *, is_superuser: bool) -> bool:
    return is_superuser or role in COUNTY_WIDE_ROLES


def serves_counties(role: str) -> bool:
    """Whether accounts of the role are assigned a county or a city (not a smaller area)."""
    return role in COUNTY_WIDE_ROLES


def is_read_only(role: str, *, is_superuser: bool) -> bool:
    """Whether every change is refused (officials, and accounts without a role)."""
    if is_superuser:
        return False
    return role in READ_ONLY_ROLES or not role
