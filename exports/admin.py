from django.contrib import admin

from exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: export jobs are the requesters' own; files are never linked from here."""

    list_display = ("pk", "kind", "requested_by", "status", "row_count", "created_at", "expires_at")
    list_filter = ("kind", "status")
    search_fields = ("requested_by__username", "requested_by__name")
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
