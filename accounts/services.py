"""Writes to accounts: keyword-only, atomic, with the audit row in the same transaction."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from core.services import audit_record


def create_county_admin(*, actor, username: str, name: str, password: str) -> User:
    """Create a county administrator with the role and Django admin access.

    Raises ValidationError with the password validators' messages for a weak password, and
    the model's for a bad username. `actor` is the user who asks (None for the command line,
    where the new account is recorded as its own creator).
    """
    user = User(
        username=username,
        name=name,
        role=Role.COUNTY_ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.full_clean()
        user.save()
        audit_record(
            actor=actor if actor is not None else user,
            action="accounts.create_admin",
            obj=user,
            summary=f"{user.username} {Role.COUNTY_ADMIN.label}",
        )
    return user
