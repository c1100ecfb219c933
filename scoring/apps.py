from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring and rankings")

    def ready(self) -> None:
        from core import ledgers
        from scoring import sheets

        ledgers.register("ranking", sheets.ranking_ledger, list_url="home")
        ledgers.register("awards", sheets.awards_ledger, list_url="home")
