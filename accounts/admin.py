from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class RegistryUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


# The areas an account may be given, as its role requires (accounts.roles.AREA_FIELDS) or, for
# county administrators and officials, a county or a city.
AREA_FIELDS = ("county", "city", "township", "community", "organization")


class RegistryUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "name", "role", *AREA_FIELDS)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = RegistryUserChangeForm
    add_form = RegistryUserCreationForm
    list_display = (
        "username",
        "name",
        "role",
        *AREA_FIELDS,
        "is_active",
    )
    list_filter = ("role", "is_active", "county", "city")
    search_fields = ("username", "name", "phone")
    ordering = ("username",)
    list_select_related = AREA_FIELDS
    autocomplete_fields = AREA_FIELDS
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "email", "phone")}),
        (
            _("Role and area"),
            {"fields": ("role", *AREA_FIELDS)},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "name",
                    "role",
                    *AREA_FIELDS,
                    "password1",
                    "password2",
                ),
            },
        ),
    )
