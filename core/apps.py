from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import collation
        from core.forms import use_please_choose

        use_please_choose()
        collation.connect()

        from core import demo

        demo.register_seeder(100, demo.seed_initial_history)
