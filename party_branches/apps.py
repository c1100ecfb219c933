from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyBranchesConfig(AppConfig):
    name = "party_branches"
    verbose_name = _("Temporary Party branches")

    def ready(self) -> None:
        from core import ledgers
        from party_branches import sheets

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
