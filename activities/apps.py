from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from activities import sheets
        from core import ledgers

        ledgers.register(
            "activities", sheets.activities_ledger, list_url="activities:activity_list"
        )

        from activities.rollups import SOURCES
        from rollups.services import register_source

        for source in SOURCES:
            register_source(source)
