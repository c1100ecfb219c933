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
