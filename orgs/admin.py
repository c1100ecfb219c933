from django.contrib import admin

from orgs.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "community", "status")
    list_filter = ("status", "community__township")
    search_fields = ("name", "short_name")
    list_select_related = ("community",)
    autocomplete_fields = ("community",)
