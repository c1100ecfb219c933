"""Checks of what a user may do beyond rows: creating things, managing the county."""

from accounts.policies import may


def can_manage_areas(user) -> bool:
    """Only county administrators add or rename townships and communities."""
    return may(user, "areas.manage")
