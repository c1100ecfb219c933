from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from activities import demo as activities_demo
        from activities import selectors, sheets
        from core import demo, ledgers

        demo.register_seeder(70, activities_demo.seed_activities)
        from orgs import contributions

        contributions.register_section(
            contributions.Section(
                key="activities", order=40, context=selectors.activities_tab_context
            )
        )
        contributions.register_last_verified_activity(selectors.last_verified_activity_on)

        ledgers.register(
            "activities", sheets.activities_ledger, list_url="activities:activity_list"
        )

        from activities.rollups import SOURCES
        from rollups.services import register_source

        for source in SOURCES:
            register_source(source)

        # Its pages in the navigation menu.
        from accounts.context_processors import ACTIVITIES, MenuEntry, register

        register(
            MenuEntry(
                _("Activities and services"),
                "activities:activity_list",
                "registry.read",
                ACTIVITIES,
                200,
            ),
            MenuEntry(
                _("Verification queue"),
                "activities:verification_queue",
                "activities.verify",
                ACTIVITIES,
                210,
            ),
            MenuEntry(
                _("Mediation cases"), "activities:mediation_list", "registry.read", ACTIVITIES, 220
            ),
        )
