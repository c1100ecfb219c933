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

        # Its pages in the navigation menu.
        from accounts.context_processors import VENUES, MenuEntry, register

        register(
            MenuEntry(_("Venue bookings"), "venues:center_list", "registry.read", VENUES, 400),
            MenuEntry(_("My bookings"), "venues:my_bookings", "venues.book", VENUES, 410),
            MenuEntry(
                _("Bookings to approve"),
                "venues:approval_queue",
                "venues.approval_queue",
                VENUES,
                420,
            ),
            MenuEntry(
                _("Room utilisation"), "venues:utilisation", "venues.read_utilisation", VENUES, 430
            ),
        )
