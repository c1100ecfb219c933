from django.contrib import admin

from activities.models import Activity, Feedback, MediationCase


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "lead_organization", "kind", "start", "community_served", "status")
    list_filter = ("status", "kind")
    search_fields = ("title", "lead_organization__name")
    raw_id_fields = ("lead_organization", "co_organizers", "booking", "community_served")
    readonly_fields = ("feedback_token", "verified_by", "verified_at", "created_by")


@admin.register(MediationCase)
class MediationCaseAdmin(admin.ModelAdmin):
    list_display = ("organization", "occurred_on", "kind", "outcome", "status")
    list_filter = ("status", "kind", "outcome")
    raw_id_fields = ("organization", "community")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("organization", "activity", "score", "source", "created_at")
    list_filter = ("source", "score")
    raw_id_fields = ("organization", "activity")
    readonly_fields = ("fingerprint", "address_hash")
