"""Points-based scoring (积分管理): schemes and rules as data, quarterly scores, runs, awards.

A `Scheme` per year holds one `Rule` per rule code (`scoring.rules.RULES` lists the codes, their
indicator and defaults). A `ScoringQuarter` row holds the state of a quarter (open or
finalised), when it was last computed and the rules it was computed with (a snapshot, so a
finalised quarter keeps its rules whatever later edits do). `QuarterScore` holds one row per
organisation and quarter: the raw figures counted, the points per indicator, the total and the
ranks. Explanations are rendered from the figures and the snapshot (`scoring.explain`).

One module per responsibility; every model is importable from `scoring.models`.
"""

from scoring.models.assessments import QuarterAssessment, QuarterAssessmentQuerySet
from scoring.models.awards import Award, AwardQuerySet
from scoring.models.runs import RankingRun
from scoring.models.schemes import Indicator, Rule, Scheme
from scoring.models.scores import (
    QuarterScore,
    QuarterScoreQuerySet,
    ScoringQuarter,
    ScoringQuarterQuerySet,
)

__all__ = [
    "Award",
    "AwardQuerySet",
    "Indicator",
    "QuarterAssessment",
    "QuarterAssessmentQuerySet",
    "QuarterScore",
    "QuarterScoreQuerySet",
    "RankingRun",
    "Rule",
    "Scheme",
    "ScoringQuarter",
    "ScoringQuarterQuerySet",
]
