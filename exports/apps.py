from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports and imports")

    def ready(self) -> None:
        # Requesting an export reads the ledger: officials may do it.
        from accounts.middleware import ReadOnlyRoleMiddleware

        ReadOnlyRoleMiddleware.allow_reading_post("exports:export_create")

        # Its pages in the navigation menu.
        from accounts.context_processors import EXPORTS, LEDGER, MenuEntry, register

        register(
            MenuEntry(_("Import ledger"), "exports:import_upload", "exports.import", LEDGER, 140),
            MenuEntry(_("My exports"), "exports:export_list", "registry.read", EXPORTS, 700),
        )
