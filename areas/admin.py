from django.contrib import admin

from areas.models import Community, Township


class CommunityInline(admin.TabularInline):
    model = Community
    extra = 0
    fields = ("name", "kind", "code", "is_active")


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    inlines = [CommunityInline]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "township", "is_active")
    list_filter = ("kind", "is_active", "township")
    search_fields = ("name", "code", "township__name")
    list_select_related = ("township",)
