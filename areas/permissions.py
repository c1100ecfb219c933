"""Who may change the county's areas (everyone with a role reads them)."""

from accounts.policies import may


def can_manage_areas(user) -> bool:
    """Only county administrators add or rename townships and communities."""
    return may(user, "areas.manage")
