from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "rollups"
    verbose_name = _("Monthly roll-ups")

    def ready(self) -> None:
        from core import demo
        from rollups import demo as rollups_demo

        demo.register_seeder(90, rollups_demo.seed_rollups)
