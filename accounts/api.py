"""Shared pieces of the JSON API: permissions and throttles (errors: accounts/api_errors.py)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class ReadOnlyRolePermission(BasePermission):
    """Refuse unsafe methods to read-only roles (officials), also with token authentication."""

    message = "您的角色只能查看，不能修改。"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and not user.is_read_only)


class _SettingsRate:
    """Read the rate when asked (DRF reads it once at import): settings may change in tests."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class UserThrottle(_SettingsRate, UserRateThrottle):
    """Requests per signed-in user (session or token), at the "user" rate of the settings."""


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    """Requests per address without a user, at the "anon" rate of the settings."""
