from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from orgs.models import (
    AnnualInspection,
    Category,
    CreditListing,
    Membership,
    Merge,
    Organization,
    Person,
    PersonMerge,
    ZombieFlag,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "role", "joined_on", "left_on", "left_reason")


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "category", "community", "registration_status", "status", "grade")
    list_filter = ("status", "registration_status", "legal_form", "category", "grade")
    search_fields = ("name", "short_name", "credit_code", "leader_name")
    list_select_related = ("community", "category")
    autocomplete_fields = ("community", "merged_into", "ledger_keeper")
    inlines = [MembershipInline]

    # Ledger rows are closed or merged, never deleted.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "gender", "masked_id_number", "masked_mobile", "community")
    search_fields = ("name",)
    list_select_related = ("community",)
    autocomplete_fields = ("community", "grid_community", "merged_into")
    exclude = ("id_number", "mobile")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("person", "organization", "role", "joined_on", "left_on")
    list_select_related = ("person", "organization")
    autocomplete_fields = ("person", "organization")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualInspection)
class AnnualInspectionAdmin(admin.ModelAdmin):
    list_display = ("organization", "year", "conclusion", "inspected_on")
    list_filter = ("year", "conclusion")
    autocomplete_fields = ("organization",)


@admin.register(CreditListing)
class CreditListingAdmin(admin.ModelAdmin):
    list_display = ("organization", "list_kind", "listed_on", "removed_on", "reason")
    list_filter = ("list_kind",)
    autocomplete_fields = ("organization",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Merge)
class MergeAdmin(ReadOnlyAdmin):
    list_display = ("survivor", "merged_on", "reason", "performed_by")


@admin.register(PersonMerge)
class PersonMergeAdmin(ReadOnlyAdmin):
    list_display = ("kept", "merged", "merged_at", "merged_by")


@admin.register(ZombieFlag)
class ZombieFlagAdmin(admin.ModelAdmin):
    list_display = ("organization", "flagged_on", "state", "resolved_on")
    list_filter = ("state",)
    autocomplete_fields = ("organization",)
