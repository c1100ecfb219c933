from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scoring.models import Award, QuarterScore, RankingRun, Rule, Scheme, ScoringQuarter


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ["year", "name", "version", "updated_at"]
    inlines = [RuleInline]


@admin.register(ScoringQuarter)
class ScoringQuarterAdmin(admin.ModelAdmin):
    list_display = ["year", "quarter", "state", "computed_at", "finalized_at"]
    readonly_fields = ["rules", "computed_at", "county_mean"]


@admin.register(QuarterScore)
class QuarterScoreAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "quarter", "total", "rank_county", "ranked"]
    list_filter = ["year", "quarter", "ranked"]
    raw_id_fields = ["organization"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RankingRun)
class RankingRunAdmin(admin.ModelAdmin):
    list_display = ["year", "quarter", "trigger", "status", "created_at", "finished_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(SimpleHistoryAdmin):
    list_display = ["year", "category", "organization", "annual_total", "status"]
    raw_id_fields = ["organization"]
