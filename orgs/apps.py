from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organisation ledger")

    def ready(self) -> None:
        from core import demo
        from orgs import demo as orgs_demo

        demo.register_seeder(20, orgs_demo.seed_organizations)
        demo.register_seeder(40, orgs_demo.seed_merges_and_keepers)

        # The organisation page's own sections (the apps above add theirs in their ready()).
        from orgs import contributions
        from orgs.selectors.oversight import oversight_tab_context
        from orgs.selectors.people import members_tab_context

        contributions.register_section(
            contributions.Section(key="members", order=10, context=members_tab_context)
        )
        contributions.register_section(
            contributions.Section(key="oversight", order=20, context=oversight_tab_context)
        )

        # The ledgers this app offers for export (core.ledgers; the exports app lists them).
        from core import ledgers
        from orgs import sheets

        ledgers.register("orgs", sheets.organizations_ledger, list_url="orgs:organization_list")
        ledgers.register("members", sheets.members_ledger, list_url="orgs:person_list")

        # Its pages in the navigation menu.
        from accounts.context_processors import LEDGER, MenuEntry, register

        register(
            MenuEntry(_("Organisations"), "orgs:organization_list", "registry.read", LEDGER, 100),
            MenuEntry(_("People"), "orgs:person_list", "orgs.read_people", LEDGER, 110),
            MenuEntry(_("Merges"), "orgs:merge_list", "orgs.oversee", LEDGER, 120),
            MenuEntry(_("Zombie watch"), "orgs:zombie_list", "orgs.oversee", LEDGER, 130),
        )
