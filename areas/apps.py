from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        from areas import demo as areas_demo
        from areas.models import Township
        from core import demo

        demo.register_seeder(10, areas_demo.seed_areas)
        demo.register_seeded_check(Township.objects.exists)

        # Its pages in the navigation menu.
        from accounts.context_processors import AREAS, MenuEntry, register

        register(
            MenuEntry(_("Townships"), "areas:township_list", "areas.read", AREAS, 600),
            MenuEntry(_("Communities"), "areas:community_list", "areas.read", AREAS, 610),
        )
