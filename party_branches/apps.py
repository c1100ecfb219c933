from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyBranchesConfig(AppConfig):
    name = "party_branches"
    verbose_name = _("Temporary Party branches")

    def ready(self) -> None:
        from core import demo, ledgers
        from orgs import contributions
        from party_branches import demo as branches_demo
        from party_branches import selectors, sheets

        demo.register_seeder(60, branches_demo.seed_branches)

        contributions.register_section(
            contributions.Section(key="party", order=30, context=selectors.party_tab_context)
        )
        contributions.register_active_branch_exists(selectors.active_branch_exists)

        ledgers.register("branches", sheets.branches_ledger, list_url="party_branches:branch_list")
        ledgers.register(
            "meetings", sheets.meetings_ledger, list_url="party_branches:compliance_board"
        )

        # Merges carry branch links and instructors to the surviving organisation.
        from orgs.services.merges import Mover, register_mover
        from party_branches.merges import move_party_links, party_links_preview

        register_mover(
            Mover(key="party_branches", preview=party_links_preview, apply=move_party_links)
        )

        # Its pages in the navigation menu.
        from accounts.context_processors import PARTY, MenuEntry, register

        register(
            MenuEntry(
                _("Temporary Party branches"),
                "party_branches:branch_list",
                "registry.read",
                PARTY,
                300,
            ),
            MenuEntry(
                _("Organisational life"),
                "party_branches:compliance_board",
                "registry.read",
                PARTY,
                310,
            ),
            MenuEntry(
                _("Coverage"),
                "party_branches:coverage",
                "party_branches.read_coverage",
                PARTY,
                320,
            ),
        )
