from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring and rankings")

    def ready(self) -> None:
        from core import ledgers
        from orgs import contributions
        from scoring import selectors, sheets

        contributions.register_section(
            contributions.Section(key="score", order=50, context=selectors.score_tab_context)
        )

        ledgers.register("ranking", sheets.ranking_ledger, list_url="home")
        ledgers.register("awards", sheets.awards_ledger, list_url="home")
