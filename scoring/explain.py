"""Explain every figure of a quarter score in words ("3 项已核实活动 × 5 = 15").

The points stored on the row are what the SQL computed; the explanation recomputes each rule's
part from the stored figures and the rules snapshot of the quarter (`ScoringQuarter.rules`) with
the rule objects the SQL was built from (`scoring.rules`), so it says exactly how the row's
points came about under the rules it was computed with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from scoring.models import Indicator
from scoring.rules import (
    INDICATOR_RULES_BY_INDICATOR,
    IndicatorRule,
    SatisfactionRule,
    ScoringRule,
)

TWO = Decimal("0.01")
# No rating in the quarter gives 0 satisfaction points: nobody's opinion is not the county's.
NO_RATING_THIS_QUARTER = gettext_lazy("No residents' rating this quarter")


@dataclass
class ExplainedIndicator:
    indicator: str
    label: str
    points: Decimal
    cap: Decimal | None
    lines: list[str] = field(default_factory=list)


def _fmt(value) -> str:
    """1, 2.5, 22.19: no trailing zeros."""
    number = Decimal(str(value))
    text = format(number.quantize(TWO) if number != number.to_integral() else number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _per_unit_line(rule: ScoringRule, figure, noun: str) -> tuple[Decimal, str | None]:
    """One counted rule: figure ÷ per → units × points = value (capped)."""
    if not rule.enabled or not figure:
        return Decimal(0), None  # nothing counted: nothing to say
    units = rule.units(figure)
    raw = rule.raw_points(figure)
    value = rule.points_for(figure)
    if rule.per == 1:
        line = _("%(figure)s %(noun)s × %(points)s = %(raw)s") % {
            "figure": _fmt(figure),
            "noun": noun,
            "points": _fmt(rule.points),
            "raw": _fmt(raw),
        }
    else:
        line = _(
            "%(figure)s %(noun)s, %(points)s per %(per)s: %(units)s × %(points)s = %(raw)s"
        ) % {
            "figure": _fmt(figure),
            "noun": noun,
            "per": rule.per,
            "units": units,
            "points": _fmt(rule.points),
            "raw": _fmt(raw),
        }
    if value != raw:
        line += _(" (capped at %(cap)s: %(value)s)") % {
            "cap": _fmt(rule.cap),
            "value": _fmt(value),
        }
    return value, line


def _flag_line(rule: ScoringRule, flag: bool, text: str) -> tuple[Decimal, str | None]:
    if not rule.enabled or not flag:
        return Decimal(0), None
    points = rule.points_for(flag)
    sign = "+" if points >= 0 else "−"
    return points, f"{text}：{sign}{_fmt(abs(points))}"


def _wording() -> dict[str, str]:
    """Each rule's noun (a counted rule) or text (a flag rule), in the active language."""
    return {
        "activity_led": pgettext("counted", "verified activities led"),
        "beneficiaries": pgettext("counted", "beneficiaries"),
        "volunteer_hours": pgettext("counted", "volunteer hours"),
        "help_cases": pgettext("counted", "help cases to vulnerable people"),
        "mediation": pgettext("counted", "verified resolved mediations"),
        "grid_members": pgettext("counted", "members with a grid role"),
        "community_assessment": pgettext("counted", "points of community assessment"),
        "branch_compliant": _("Party branch fully compliant with organisational life"),
        "commendation": pgettext("counted", "commendations"),
        "alliance": _("In a Party-building alliance"),
        "abnormal_list": _("On the abnormal-activity list during the quarter"),
        "failed_inspection": _("Failed the annual inspection of the year"),
        "no_show": pgettext("counted", "no-show bookings"),
    }


def _empty() -> dict[str, str]:
    """What an indicator says when none of its rules counted anything."""
    return {
        Indicator.ACTIVITY: _("No verified activity led this quarter: 0"),
        Indicator.SERVICE: _("No verified service this quarter: 0"),
        Indicator.GOVERNANCE: _("No contribution to governance recorded this quarter: 0"),
        Indicator.BONUS: _("No bonus this quarter"),
        Indicator.DEDUCTION: _("No deduction this quarter"),
    }


def _indicator(
    score, snap: dict, indicator: IndicatorRule, wording: dict, empty: str
) -> ExplainedIndicator:
    """An indicator's lines: each rule's part, then the indicator's cap when it applied."""
    lines = []
    for rule, figure in indicator.rules(snap.get("rules")):
        value = getattr(score, figure)
        if rule.is_flag:
            _points, line = _flag_line(rule, value, wording[rule.code])
        else:
            _points, line = _per_unit_line(rule, value, wording[rule.code])
        if line:
            lines.append(line)
    if not lines:
        lines = [empty]
    cap = indicator.cap(snap.get("caps"))
    if indicator.is_capped(snap, score):
        lines.append(
            _("Sum %(sum)s, indicator capped at %(cap)s")
            % {"sum": _fmt(indicator.subtotal(snap.get("rules"), score)), "cap": _fmt(cap)}
        )
    return ExplainedIndicator(
        indicator=indicator.indicator,
        label=str(Indicator(indicator.indicator).label),
        points=Decimal(getattr(score, POINTS_FIELDS[indicator.indicator])),
        cap=cap,
        lines=lines,
    )


def _satisfaction(score, rules: dict, cap) -> ExplainedIndicator:
    rule = SatisfactionRule.from_snapshot(rules)
    mean = rules.get("county_mean")
    lines: list[str] = []
    if not rule.enabled:
        lines.append(_("Not scored this year"))
    elif not score.feedback_count:
        lines.append(str(NO_RATING_THIS_QUARTER))
    elif score.satisfaction_mean is None:
        lines.append(_("No ratings anywhere in the county this quarter: 0"))
    else:
        r = Decimal(score.satisfaction_mean)
        lines.append(
            _("%(n)s ratings adding up to %(sum)s (mean %(mean)s)")
            % {
                "n": score.feedback_count,
                "sum": score.feedback_sum,
                "mean": _fmt(Decimal(score.feedback_sum) / score.feedback_count),
            }
        )
        lines.append(
            _("Bayesian mean R = (%(sum)s + %(m)s × %(c)s) ÷ (%(n)s + %(m)s) = %(r)s")
            % {
                "sum": score.feedback_sum,
                "m": rule.prior_weight,
                "c": _fmt(mean) if mean is not None else "?",
                "n": score.feedback_count,
                "r": format(r.quantize(Decimal("0.001")), "f"),
            }
        )
        lines.append(
            _("%(points)s × (R − 1) ÷ 4 = %(value)s")
            % {"points": _fmt(rule.points), "value": _fmt(score.satisfaction_points)}
        )
    return ExplainedIndicator(
        indicator=Indicator.SATISFACTION,
        label=str(Indicator.SATISFACTION.label),
        points=Decimal(score.satisfaction_points),
        cap=None if cap is None else Decimal(str(cap)),
        lines=lines,
    )


POINTS_FIELDS = {
    Indicator.ACTIVITY: "activity_points",
    Indicator.SERVICE: "service_points",
    Indicator.GOVERNANCE: "governance_points",
    Indicator.BONUS: "bonus_points",
    Indicator.DEDUCTION: "deduction_points",
}


def explain(score, rules: dict) -> list[ExplainedIndicator]:
    """The six indicators of a score, each with its points, cap and explanation lines.

    `rules` is the quarter's snapshot (`ScoringQuarter.rules`); each rule's part comes from
    the same rule objects the recompute's SQL is built from (`scoring.rules`)."""
    snap = rules or {}
    wording, empty = _wording(), _empty()
    by_indicator = INDICATOR_RULES_BY_INDICATOR

    def counted(indicator: str) -> ExplainedIndicator:
        return _indicator(score, snap, by_indicator[indicator], wording, empty[indicator])

    return [
        counted(Indicator.ACTIVITY),
        counted(Indicator.SERVICE),
        _satisfaction(score, snap, snap.get("caps", {}).get("satisfaction_cap")),
        counted(Indicator.GOVERNANCE),
        counted(Indicator.BONUS),
        counted(Indicator.DEDUCTION),
    ]


def not_ranked_reason(score) -> str:
    """Why a row is not ranked, in words."""
    reasons = {
        "serious": _("On the serious violation and dishonesty list"),
        "merged": _("Merged into another organisation"),
        "deregistered": _("Deregistered"),
        "revoked": _("Registration revoked"),
    }
    return reasons.get(score.not_ranked_reason, score.not_ranked_reason)


def explain_text(score, rules: dict) -> str:
    """The whole explanation as one text (for spreadsheets): indicator: lines; …"""
    parts = []
    for item in explain(score, rules):
        parts.append(f"{item.label} {_fmt(item.points)}：" + "；".join(item.lines))
    if not score.ranked:
        parts.append(_("Not ranked: %(reason)s") % {"reason": not_ranked_reason(score)})
    return "\n".join(parts)
