from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("Venues")

    def ready(self) -> None:
        from core import demo, ledgers
        from venues import demo as venues_demo
        from venues import sheets

        demo.register_seeder(50, venues_demo.seed_venues)

        ledgers.register("bookings", sheets.bookings_ledger, list_url="venues:utilisation")

        from rollups.services import register_source
        from venues.rollups import SOURCES

        for source in SOURCES:
            register_source(source)
