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
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def ensure_scheme(year: int):
    """The scheme of the year, created from the previous year's (or the defaults) if missing."""
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from scoring.models import Rule, Scheme

    scheme = Scheme.objects.filter(year=year).first()
    if scheme is not None:
        return scheme
    with transaction.atomic():
        previous = Scheme.objects.filter(year__lt=year).order_by("-year").first()
        if previous is not None:
            scheme = Scheme.objects.create(
                year=year,
                name=previous.name,
                prior_weight=previous.prior_weight,
                awards_per_category=previous.awards_per_category,
                **{field: getattr(previous, field) for field in DEFAULT_CAPS},
            )
            sources = list(previous.rules.all())
        else:
            scheme = Scheme.objects.create(
                year=year, name=f"{year}年度社区社会组织积分管理办法", **DEFAULT_CAPS
            )
            sources = []
        # The previous year's rules, then the catalogue's codes it lacks, at their defaults.
        present = {rule.code for rule in sources}
        sources += [rule for rule in DEFAULT_RULES if rule.code not in present]
        # With their initial history rows: the scheme page shows each rule's changes.
        bulk_create_with_history(
            [
                Rule(
                    scheme=scheme,
                    code=rule.code,
                    indicator=rule.indicator,
                    points=rule.points,
                    per=rule.per,
                    cap=rule.cap,
                    enabled=getattr(rule, "enabled", True),
                )
                for rule in sources
            ],
            Rule,
        )
    return scheme


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
