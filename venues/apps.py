from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("Venues")

    def ready(self) -> None:
        from rollups.services import register_source
        from venues.rollups import SOURCES

        for source in SOURCES:
            register_source(source)
