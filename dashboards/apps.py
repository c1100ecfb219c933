from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Overview")

    def ready(self) -> None:
        # Its pages in the navigation menu.
        from accounts.context_processors import MenuEntry, register

        register(
            MenuEntry(_("Home"), "home", "registry.read", order=0),
            MenuEntry(
                _("County overview"), "dashboards:overview", "dashboards.read_overview", order=10
            ),
        )
