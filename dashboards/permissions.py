"""Who reads the overview, and which start page each role gets."""

from accounts.policies import acting_role, may
from accounts.roles import Role

# The start page of each role: the work waiting for it (officials: the county overview).
HOME_PAGES: dict[str, str] = {
    Role.COUNTY_ADMIN: "county_admin",
    Role.TOWNSHIP_STAFF: "township_staff",
    Role.SECRETARY: "secretary",
    Role.ORG_CONTACT: "org_contact",
    Role.OFFICIAL: "overview",
}


def can_see_overview(user) -> bool:
    return may(user, "dashboards.read_overview")


def home_page(user) -> str:
    """The start page the user gets ("" for an account without a role)."""
    return HOME_PAGES.get(acting_role(user), "")
