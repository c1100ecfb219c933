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
