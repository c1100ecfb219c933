from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from party_branches.models import (
    Branch,
    BranchMember,
    InstructorAssignment,
    Meeting,
    RequiredFrequency,
)


class BranchMemberInline(admin.TabularInline):
    model = BranchMember
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "party_status", "relation_place", "joined_on", "left_on", "left_reason")


@admin.register(Branch)
class BranchAdmin(SimpleHistoryAdmin):
    list_display = ("name", "formation", "township", "established_on", "dissolved_on")
    list_filter = ("formation", "township")
    search_fields = ("name", "parent_org")
    list_select_related = ("township",)
    autocomplete_fields = ("organizations", "secretary")
    inlines = [BranchMemberInline]

    # Branches are dissolved, never deleted.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("branch", "kind", "held_on", "topic")
    list_filter = ("kind",)
    search_fields = ("branch__name", "topic")
    list_select_related = ("branch",)
    raw_id_fields = ("branch", "attendees")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InstructorAssignment)
class InstructorAssignmentAdmin(admin.ModelAdmin):
    list_display = ("instructor_name", "organization", "unit", "started_on", "ended_on")
    search_fields = ("instructor_name", "organization__name", "unit")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization", "person")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RequiredFrequency)
class RequiredFrequencyAdmin(admin.ModelAdmin):
    list_display = ("kind", "period", "count")
    list_editable = ("period", "count")

    def has_delete_permission(self, request, obj=None):
        return False
