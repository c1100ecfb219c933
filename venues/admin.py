from django.contrib import admin

from venues.models import Booking, BookingSeries, Closure, OpeningHours, Room, ServiceCenter


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0
    fields = ("kind", "room", "starts_on", "ends_on", "opens", "closes", "reason")


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ("name", "kind", "capacity", "needs_approval", "weekly_quota_hours", "is_active")
    show_change_link = True


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "township", "community", "is_active")
    list_filter = ("kind", "is_active", "township")
    search_fields = ("name", "address")
    list_select_related = ("township", "community")
    autocomplete_fields = ("community",)
    inlines = [RoomInline, OpeningHoursInline, ClosureInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "center", "kind", "capacity", "needs_approval", "is_active")
    list_filter = ("kind", "needs_approval", "is_active")
    search_fields = ("name", "center__name")
    list_select_related = ("center",)
    autocomplete_fields = ("center", "approvers")


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-only: bookings change through the services (rules, overlap check, audit)."""

    list_display = ("room", "organization", "start", "end", "status", "booked_by")
    list_filter = ("status",)
    search_fields = ("room__name", "room__center__name", "organization__name", "purpose")
    list_select_related = ("room__center", "organization", "booked_by")
    date_hierarchy = "start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = ("organization", "room", "weekday", "start_time", "end_time", "first_date")
    list_select_related = ("organization", "room__center")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
