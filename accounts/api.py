"""Permission classes of the JSON API: the same rules as the pages."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlyRolePermission(BasePermission):
    """Refuse unsafe methods to read-only roles (officials), also with token authentication."""

    message = "您的角色只能查看，不能修改。"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and not user.is_read_only)
