from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organisation ledger")

    def ready(self) -> None:
        # The ledgers this app offers for export (core.ledgers; the exports app lists them).
        from core import ledgers
        from orgs import sheets

        ledgers.register("orgs", sheets.organizations_ledger, list_url="orgs:organization_list")
        ledgers.register("members", sheets.members_ledger, list_url="orgs:person_list")
