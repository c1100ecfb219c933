from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring and rankings")

    def ready(self) -> None:
        from core import demo, ledgers
        from orgs import contributions
        from scoring import demo as scoring_demo
        from scoring import selectors, sheets

        demo.register_seeder(80, scoring_demo.seed_scores)

        contributions.register_section(
            contributions.Section(key="score", order=50, context=selectors.score_tab_context)
        )

        ledgers.register("ranking", sheets.ranking_ledger, list_url="home")
        ledgers.register("awards", sheets.awards_ledger, list_url="home")

        # Its pages in the navigation menu.
        from accounts.context_processors import SCORING, MenuEntry, register
        from scoring import permissions

        register(
            MenuEntry(
                _("Quarter ranking"), "scoring:ranking", "scoring.read_ranking", SCORING, 500
            ),
            MenuEntry(
                _("Quarter assessments"), "scoring:assessments", "scoring.assess", SCORING, 510
            ),
            MenuEntry(_("Scoring scheme"), "scoring:scheme", "scoring.read_overview", SCORING, 520),
            MenuEntry(_("Annual awards"), "scoring:awards", "scoring.read_overview", SCORING, 530),
            MenuEntry(
                _("Counties compared"),
                "scoring:county_comparison",
                "scoring.compare_counties",
                SCORING,
                540,
                shown_to=permissions.serves_several_counties,
            ),
        )
