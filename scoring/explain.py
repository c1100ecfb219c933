"""Explain every figure of a quarter score in words ("3 项已核实活动 × 5 = 15").

The points stored on the row are what the SQL computed; the explanation recomputes each rule's
part from the stored figures and the rules snapshot of the quarter (`ScoringQuarter.rules`), so
it says exactly how the row's points came about under the rules it was computed with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from scoring.models import Indicator

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


def _rule(rules: dict, code: str) -> dict | None:
    rule = (rules or {}).get("rules", {}).get(code)
    return rule if rule and rule.get("enabled", True) else None


def _capped(value: Decimal, cap) -> tuple[Decimal, bool]:
    if cap is None:
        return value, False
    limit = Decimal(str(cap))
    if value > limit:
        return limit, True
    if value < -limit:
        return -limit, True
    return value, False


def _per_unit_line(rules: dict, code: str, figure, noun: str) -> tuple[Decimal, str | None]:
    """One counted rule: figure ÷ per → units × points = value (capped)."""
    rule = _rule(rules, code)
    if rule is None or not figure:
        return Decimal(0), None  # nothing counted: nothing to say
    points = Decimal(rule["points"])
    per = int(rule["per"])
    units = math.floor(Decimal(str(figure)) / per)
    raw = points * units
    value, capped = _capped(raw, rule["cap"])
    if per == 1:
        line = _("%(figure)s %(noun)s × %(points)s = %(raw)s") % {
            "figure": _fmt(figure),
            "noun": noun,
            "points": _fmt(points),
            "raw": _fmt(raw),
        }
    else:
        line = _(
            "%(figure)s %(noun)s, %(points)s per %(per)s: %(units)s × %(points)s = %(raw)s"
        ) % {
            "figure": _fmt(figure),
            "noun": noun,
            "per": per,
            "units": units,
            "points": _fmt(points),
            "raw": _fmt(raw),
        }
    if capped:
        line += _(" (capped at %(cap)s: %(value)s)") % {
            "cap": _fmt(rule["cap"]),
            "value": _fmt(value),
        }
    return value, line


def _flag_line(rules: dict, code: str, flag: bool, text: str) -> tuple[Decimal, str | None]:
    rule = _rule(rules, code)
    if rule is None or not flag:
        return Decimal(0), None
    points = Decimal(rule["points"])
    sign = "+" if points >= 0 else "−"
    return points, f"{text}：{sign}{_fmt(abs(points))}"


def _indicator(
    indicator: str, points, cap, parts: list[tuple[Decimal, str | None]], empty: str
) -> ExplainedIndicator:
    lines = [line for _value, line in parts if line]
    if not lines:
        lines = [empty]
    subtotal = sum((value for value, _line in parts), Decimal(0))
    if cap is not None and subtotal > Decimal(str(cap)):
        lines.append(
            _("Sum %(sum)s, indicator capped at %(cap)s")
            % {"sum": _fmt(subtotal), "cap": _fmt(cap)}
        )
    return ExplainedIndicator(
        indicator=indicator,
        label=str(Indicator(indicator).label),
        points=Decimal(points),
        cap=None if cap is None else Decimal(str(cap)),
        lines=lines,
    )


def _satisfaction(score, rules: dict, cap) -> ExplainedIndicator:
    rule = _rule(rules, "satisfaction")
    mean = rules.get("county_mean") if rules else None
    lines: list[str] = []
    if rule is None:
        lines.append(_("Not scored this year"))
    elif not score.feedback_count:
        lines.append(str(NO_RATING_THIS_QUARTER))
    elif score.satisfaction_mean is None:
        lines.append(_("No ratings anywhere in the county this quarter: 0"))
    else:
        weight = int(rules.get("prior_weight", 5))
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
                "m": weight,
                "c": _fmt(mean) if mean is not None else "?",
                "n": score.feedback_count,
                "r": format(r.quantize(Decimal("0.001")), "f"),
            }
        )
        lines.append(
            _("%(points)s × (R − 1) ÷ 4 = %(value)s")
            % {"points": _fmt(rule["points"]), "value": _fmt(score.satisfaction_points)}
        )
    return ExplainedIndicator(
        indicator=Indicator.SATISFACTION,
        label=str(Indicator.SATISFACTION.label),
        points=Decimal(score.satisfaction_points),
        cap=None if cap is None else Decimal(str(cap)),
        lines=lines,
    )


def explain(score, rules: dict) -> list[ExplainedIndicator]:
    """The six indicators of a score, each with its points, cap and explanation lines."""
    caps = (rules or {}).get("caps", {})
    result = [
        _indicator(
            Indicator.ACTIVITY,
            score.activity_points,
            caps.get("activity_cap"),
            [
                _per_unit_line(
                    rules,
                    "activity_led",
                    score.activities,
                    pgettext("counted", "verified activities led"),
                )
            ],
            _("No verified activity led this quarter: 0"),
        ),
        _indicator(
            Indicator.SERVICE,
            score.service_points,
            caps.get("service_cap"),
            [
                _per_unit_line(
                    rules,
                    "beneficiaries",
                    score.beneficiaries,
                    pgettext("counted", "beneficiaries"),
                ),
                _per_unit_line(
                    rules,
                    "volunteer_hours",
                    score.volunteer_hours,
                    pgettext("counted", "volunteer hours"),
                ),
                _per_unit_line(
                    rules,
                    "help_cases",
                    score.help_cases,
                    pgettext("counted", "help cases to vulnerable people"),
                ),
            ],
            _("No verified service this quarter: 0"),
        ),
        _satisfaction(score, rules, caps.get("satisfaction_cap")),
        _indicator(
            Indicator.GOVERNANCE,
            score.governance_points,
            caps.get("governance_cap"),
            [
                _per_unit_line(
                    rules,
                    "mediation",
                    score.mediations,
                    pgettext("counted", "verified resolved mediations"),
                ),
                _per_unit_line(
                    rules,
                    "grid_members",
                    score.grid_members,
                    pgettext("counted", "members with a grid role"),
                ),
                _per_unit_line(
                    rules,
                    "community_assessment",
                    score.community_assessment,
                    pgettext("counted", "points of community assessment"),
                ),
            ],
            _("No contribution to governance recorded this quarter: 0"),
        ),
        _indicator(
            Indicator.BONUS,
            score.bonus_points,
            caps.get("bonus_cap"),
            [
                _flag_line(
                    rules,
                    "branch_compliant",
                    score.branch_compliant,
                    _("Party branch fully compliant with organisational life"),
                ),
                _per_unit_line(
                    rules, "commendation", score.commendations, pgettext("counted", "commendations")
                ),
                _flag_line(rules, "alliance", score.in_alliance, _("In a Party-building alliance")),
            ],
            _("No bonus this quarter"),
        ),
        _indicator(
            Indicator.DEDUCTION,
            score.deduction_points,
            None,
            [
                _flag_line(
                    rules,
                    "abnormal_list",
                    score.abnormal_listed,
                    _("On the abnormal-activity list during the quarter"),
                ),
                _flag_line(
                    rules,
                    "failed_inspection",
                    score.failed_inspection,
                    _("Failed the annual inspection of the year"),
                ),
                _per_unit_line(
                    rules, "no_show", score.no_shows, pgettext("counted", "no-show bookings")
                ),
            ],
            _("No deduction this quarter"),
        ),
    ]
    return result


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
