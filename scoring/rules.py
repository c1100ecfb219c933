"""The rule codes of a scheme, their indicator and their defaults (DESIGN §3, scoring).

A scheme holds one `Rule` row per code below; `default_scheme_values()` and `DEFAULT_RULES`
create a year's scheme, and `snapshot(scheme)` freezes what a computation used.

| code | indicator | default |
|---|---|---|
| activity_led | 活动频次 | 5 per verified activity led, cap 25 |
| beneficiaries | 服务实效 | 1 per 20 beneficiaries, cap 15 |
| volunteer_hours | 服务实效 | 1 per 10 volunteer hours, cap 10 |
| help_cases | 服务实效 | 1 per help case to vulnerable people, cap 5 |
| satisfaction | 群众满意度 | 25 × (R − 1) / 4, R the Bayesian mean (5 virtual county-mean |
|  |  | scores); 0 without a rating in the quarter (本季度无群众评价) |
| mediation | 治理贡献度 | 2 per verified resolved mediation, cap 10 |
| grid_members | 治理贡献度 | 1 per member holding a grid role, cap 5 |
| community_assessment | 治理贡献度 | the community's assessment 0–5, 1 point per point |
| branch_compliant | 加分 | +3 when a branch was fully compliant that quarter |
| commendation | 加分 | +2 per commendation |
| alliance | 加分 | +2 in a Party-building alliance |
| abnormal_list | 扣分 | −20 when on the abnormal list during the quarter |
| failed_inspection | 扣分 | −10 when the year's annual inspection failed |
| no_show | 扣分 | −2 per no-show booking, cap 10 |

Each rule is applied by one object (`ScoringRule`, `IndicatorRule`, `SatisfactionRule` below):
the recompute asks it for its SQL expression (`sql`) and the explanation for its points
(`points_for`), so a rule is written once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from scoring.models import Indicator


@dataclass(frozen=True)
class RuleDefault:
    code: str
    indicator: str
    label: str
    points: Decimal
    per: int = 1
    cap: Decimal | None = None


DEFAULT_RULES: tuple[RuleDefault, ...] = (
    RuleDefault(
        "activity_led", Indicator.ACTIVITY, _("Verified activity led"), Decimal(5), 1, Decimal(25)
    ),
    RuleDefault(
        "beneficiaries", Indicator.SERVICE, _("Beneficiaries"), Decimal(1), 20, Decimal(15)
    ),
    RuleDefault(
        "volunteer_hours", Indicator.SERVICE, _("Volunteer hours"), Decimal(1), 10, Decimal(10)
    ),
    RuleDefault(
        "help_cases",
        Indicator.SERVICE,
        _("Help cases to vulnerable people"),
        Decimal(1),
        1,
        Decimal(5),
    ),
    RuleDefault("satisfaction", Indicator.SATISFACTION, _("Residents' satisfaction"), Decimal(25)),
    RuleDefault(
        "mediation",
        Indicator.GOVERNANCE,
        _("Verified resolved mediation"),
        Decimal(2),
        1,
        Decimal(10),
    ),
    RuleDefault(
        "grid_members",
        Indicator.GOVERNANCE,
        _("Member holding a grid role"),
        Decimal(1),
        1,
        Decimal(5),
    ),
    RuleDefault(
        "community_assessment",
        Indicator.GOVERNANCE,
        _("Community assessment"),
        Decimal(1),
        1,
        Decimal(5),
    ),
    RuleDefault(
        "branch_compliant",
        Indicator.BONUS,
        _("Branch fully compliant with organisational life"),
        Decimal(3),
    ),
    RuleDefault("commendation", Indicator.BONUS, _("Commendation"), Decimal(2)),
    RuleDefault("alliance", Indicator.BONUS, _("In a Party-building alliance"), Decimal(2)),
    RuleDefault(
        "abnormal_list", Indicator.DEDUCTION, _("On the abnormal-activity list"), Decimal(-20)
    ),
    RuleDefault(
        "failed_inspection",
        Indicator.DEDUCTION,
        _("Failed the annual inspection"),
        Decimal(-10),
    ),
    RuleDefault("no_show", Indicator.DEDUCTION, _("No-show booking"), Decimal(-2), 1, Decimal(10)),
)
RULES_BY_CODE = {rule.code: rule for rule in DEFAULT_RULES}

DEFAULT_CAPS = {
    "activity_cap": Decimal(25),
    "service_cap": Decimal(30),
    "satisfaction_cap": Decimal(25),
    "governance_cap": Decimal(20),
    "bonus_cap": Decimal(10),
}


def rule_label(code: str) -> str:
    rule = RULES_BY_CODE.get(code)
    return str(rule.label) if rule else code


def snapshot(scheme) -> dict:
    """What a computation uses, as plain JSON: scheme version, caps and every rule."""
    return {
        "scheme_id": scheme.pk,
        "year": scheme.year,
        "version": scheme.version,
        "prior_weight": scheme.prior_weight,
        "caps": {field: str(getattr(scheme, field)) for field in DEFAULT_CAPS},
        "rules": {
            rule.code: {
                "indicator": rule.indicator,
                "points": str(rule.points),
                "per": rule.per,
                "cap": None if rule.cap is None else str(rule.cap),
                "enabled": rule.enabled,
            }
            for rule in scheme.rules.all()
        },
    }


# Rules that count a yes/no fact (once, whatever their `per` and `cap`), not a figure.
FLAG_RULES = frozenset({"branch_compliant", "alliance", "abnormal_list", "failed_inspection"})


def sql_literal(value) -> str:
    """A rule value as an SQL numeric literal (values come from validated Decimal fields)."""
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return format(number, "f")


def sql_cap(expression: str, cap) -> str:
    """The expression capped at `cap` from above (unchanged without a cap)."""
    if cap is None:
        return f"({expression})"
    limit = sql_literal(cap)
    return f"(CASE WHEN ({expression}) > {limit} THEN {limit} ELSE ({expression}) END)"


def sql_floor_cap(expression: str, cap) -> str:
    """A negative expression capped at −cap."""
    if cap is None:
        return f"({expression})"
    limit = sql_literal(cap)
    return f"(CASE WHEN ({expression}) < -{limit} THEN -{limit} ELSE ({expression}) END)"


def sql_floor_div(expression: str, per: int, vendor: str) -> str:
    """floor(expression / per) for a non-negative figure, on both databases."""
    if vendor == "postgresql":
        return f"FLOOR(({expression}) / {int(per)})"
    return f"CAST(({expression}) / {int(per)} AS INTEGER)"


@dataclass(frozen=True)
class ScoringRule:
    """One rule of a scheme as a computation applies it: `points` per `per` units of a
    figure, capped at `cap` (at −cap for a deduction); a flag rule gives `points` once when
    its fact holds. A disabled (or missing) rule gives 0."""

    code: str
    points: Decimal
    per: int = 1
    cap: Decimal | None = None
    enabled: bool = True

    @classmethod
    def from_snapshot(cls, rules: Mapping | None, code: str) -> ScoringRule:
        """The rule `code` of a snapshot's "rules" (`snapshot(scheme)["rules"]`)."""
        rule = (rules or {}).get(code)
        if not rule:
            return cls(code, Decimal(0), enabled=False)
        return cls(
            code,
            Decimal(str(rule["points"])),
            int(rule.get("per") or 1),
            None if rule.get("cap") is None else Decimal(str(rule["cap"])),
            bool(rule.get("enabled", True)),
        )

    @property
    def is_flag(self) -> bool:
        return self.code in FLAG_RULES

    def units(self, figure) -> int:
        """Whole units of `per` in the figure (1 or 0 for a flag)."""
        if self.is_flag:
            return 1 if figure else 0
        return math.floor(Decimal(str(figure or 0)) / self.per)

    def raw_points(self, figure) -> Decimal:
        """Points before the rule's cap."""
        if not self.enabled:
            return Decimal(0)
        return self.points * self.units(figure)

    def is_capped(self, figure) -> bool:
        return self.raw_points(figure) != self.points_for(figure)

    def points_for(self, figure) -> Decimal:
        """The points the rule gives for a figure (a flag: true or false)."""
        raw = self.raw_points(figure)
        if self.is_flag or self.cap is None:
            return raw
        if raw > self.cap:
            return self.cap
        if raw < -self.cap:
            return -self.cap
        return raw

    def sql(self, figure: str, vendor: str) -> str:
        """`points_for` as an SQL expression of the figure's column (a flag column holds 0/1)."""
        if not self.enabled:
            return "0"
        points = sql_literal(self.points)
        if self.is_flag:
            return f"(CASE WHEN {figure} = 1 THEN {points} ELSE 0 END)"
        raw = f"{points} * {sql_floor_div(figure, self.per, vendor)}"
        if self.points < 0:
            return sql_floor_cap(raw, self.cap)
        return sql_cap(raw, self.cap)


@dataclass(frozen=True)
class IndicatorRule:
    """An indicator: the sum of its rules' points over their figures, capped at the scheme's
    cap for the indicator (none for deductions)."""

    indicator: str
    cap_field: str | None
    parts: tuple[tuple[str, str], ...]  # (rule code, figure: a QuarterScore field)

    def cap(self, caps: Mapping | None) -> Decimal | None:
        value = (caps or {}).get(self.cap_field) if self.cap_field else None
        return None if value is None else Decimal(str(value))

    def rules(self, rules: Mapping | None) -> list[tuple[ScoringRule, str]]:
        return [(ScoringRule.from_snapshot(rules, code), figure) for code, figure in self.parts]

    def subtotal(self, rules: Mapping | None, figures) -> Decimal:
        """The rules' points before the indicator's cap; `figures` has the figure fields."""
        return sum(
            (rule.points_for(getattr(figures, figure)) for rule, figure in self.rules(rules)),
            Decimal(0),
        )

    def is_capped(self, snap: Mapping, figures) -> bool:
        cap = self.cap(snap.get("caps"))
        return cap is not None and self.subtotal(snap.get("rules"), figures) > cap

    def points_for(self, snap: Mapping, figures) -> Decimal:
        """The indicator's points for a row's figures under a snapshot (`snapshot(scheme)`)."""
        subtotal = self.subtotal(snap.get("rules"), figures)
        cap = self.cap(snap.get("caps"))
        return cap if cap is not None and subtotal > cap else subtotal

    def sql(self, snap: Mapping, vendor: str) -> str:
        """`points_for` as an SQL expression of the figure columns."""
        parts = " + ".join(rule.sql(figure, vendor) for rule, figure in self.rules(snap["rules"]))
        cap = self.cap(snap.get("caps"))
        return f"({parts})" if cap is None else sql_cap(parts, cap)


INDICATOR_RULES: tuple[IndicatorRule, ...] = (
    IndicatorRule(Indicator.ACTIVITY, "activity_cap", (("activity_led", "activities"),)),
    IndicatorRule(
        Indicator.SERVICE,
        "service_cap",
        (
            ("beneficiaries", "beneficiaries"),
            ("volunteer_hours", "volunteer_hours"),
            ("help_cases", "help_cases"),
        ),
    ),
    IndicatorRule(
        Indicator.GOVERNANCE,
        "governance_cap",
        (
            ("mediation", "mediations"),
            ("grid_members", "grid_members"),
            ("community_assessment", "community_assessment"),
        ),
    ),
    IndicatorRule(
        Indicator.BONUS,
        "bonus_cap",
        (
            ("branch_compliant", "branch_compliant"),
            ("commendation", "commendations"),
            ("alliance", "in_alliance"),
        ),
    ),
    IndicatorRule(
        Indicator.DEDUCTION,
        None,
        (
            ("abnormal_list", "abnormal_listed"),
            ("failed_inspection", "failed_inspection"),
            ("no_show", "no_shows"),
        ),
    ),
)
INDICATOR_RULES_BY_INDICATOR = {rule.indicator: rule for rule in INDICATOR_RULES}


@dataclass(frozen=True)
class SatisfactionRule:
    """Residents' satisfaction: `points` × (R − 1) ÷ 4 rounded to cents, R the Bayesian mean
    (Σscores + m·C) ÷ (n + m) with m = `prior_weight` virtual ratings at the county mean C.
    No rating in the quarter, no county mean or a disabled rule: no mean and 0 points."""

    points: Decimal
    prior_weight: int
    enabled: bool = True

    @classmethod
    def from_snapshot(cls, snap: Mapping) -> SatisfactionRule:
        rule = ScoringRule.from_snapshot(snap.get("rules"), "satisfaction")
        return cls(rule.points, int(snap.get("prior_weight", 5)), rule.enabled)

    def mean(self, count: int, total, county_mean) -> Decimal | None:
        """R, unrounded (None without a rating or without a county mean)."""
        if not count or county_mean is None:
            return None
        c = Decimal(str(county_mean))
        return (Decimal(total) + self.prior_weight * c) / (count + self.prior_weight)

    def points_for(self, count: int, total, county_mean) -> Decimal:
        r = self.mean(count, total, county_mean)
        if r is None or not self.enabled:
            return Decimal(0)
        value = (self.points * (r - 1) / 4).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return max(value, Decimal(0))

    def mean_sql(self, county_mean, count: str, total: str) -> str:
        """R as SQL of the count and sum columns (NULL without a county mean)."""
        if county_mean is None:
            return "NULL"
        c = sql_literal(county_mean)
        weight = int(self.prior_weight)
        return (
            f"(CASE WHEN {count} = 0 THEN NULL "
            f"ELSE (CAST({total} AS NUMERIC) + {weight} * {c}) / ({count} + {weight}) END)"
        )

    def sql(self, county_mean, count: str, total: str) -> str:
        """`points_for` as SQL of the count and sum columns."""
        if county_mean is None or not self.enabled:
            return "0"
        bayes = self.mean_sql(county_mean, count, total)
        value = f"ROUND({sql_literal(self.points)} * ({bayes} - 1) / 4, 2)"
        return f"(CASE WHEN {count} = 0 THEN 0 WHEN {value} < 0 THEN 0 ELSE {value} END)"
