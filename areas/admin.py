from django.contrib import admin

from areas.models import City, Community, County, Township


class CommunityInline(admin.TabularInline):
    model = Community
    extra = 0
    fields = ("name", "kind", "code", "is_active")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code")
    search_fields = ("name", "code")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "city")
    list_filter = ("kind", "city")
    search_fields = ("name", "code")
    list_select_related = ("city",)


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "county", "is_active")
    list_filter = ("kind", "is_active", "county")
    list_select_related = ("county",)
    search_fields = ("name", "code")
    inlines = [CommunityInline]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "township", "is_active")
    list_filter = ("kind", "is_active", "township")
    search_fields = ("name", "code", "township__name")
    list_select_related = ("township",)
