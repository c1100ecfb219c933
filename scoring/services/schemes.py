"""Edits of a year's scoring scheme by the county admin: caps, weights and every rule at once."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from areas.models import County
from areas.selectors import county_or_sole
from core.services import audit_record
from scoring.models import Indicator, Rule, Scheme
from scoring.permissions import is_county_admin
from scoring.rules import DEFAULT_CAPS, DEFAULT_RULES, RuleDefault, rule_label

SCHEME_FIELDS = ("name", *DEFAULT_CAPS, "prior_weight", "awards_per_category")
RULE_FIELDS = ("points", "per", "cap", "enabled")

CAP_NEGATIVE = _("A cap cannot be negative.")
DEDUCTION_POSITIVE = _("Deduction rules take points away: enter 0 or a negative number.")
POINTS_NEGATIVE = _("This rule adds points: enter 0 or a positive number.")
SATISFACTION_OVER_CAP = _(
    "The satisfaction points (%(points)s) cannot exceed the satisfaction cap (%(cap)s)."
)
UNKNOWN_RULE = _("Unknown rule “%(code)s”.")
YEAR_OUT_OF_RANGE = _("Enter a year between 2000 and 2100.")


def validate_scheme_values(*, values: dict, rules: dict[str, dict], indicators: dict[str, str]):
    """Check the cross-field rules of a scheme; raise ValidationError keyed by field."""
    errors: dict[str, list] = {}
    for field in DEFAULT_CAPS:
        if values.get(field) is not None and values[field] < 0:
            errors.setdefault(field, []).append(CAP_NEGATIVE)
    for code, rule in rules.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors.setdefault("__all__", []).append(UNKNOWN_RULE % {"code": code})
            continue
        points = rule.get("points")
        if points is not None:
            if indicator == Indicator.DEDUCTION and points > 0:
                errors.setdefault(f"{code}.points", []).append(DEDUCTION_POSITIVE)
            if indicator != Indicator.DEDUCTION and points < 0:
                errors.setdefault(f"{code}.points", []).append(POINTS_NEGATIVE)
        if rule.get("cap") is not None and rule["cap"] < 0:
            errors.setdefault(f"{code}.cap", []).append(CAP_NEGATIVE)
    satisfaction = rules.get("satisfaction", {}).get("points")
    cap = values.get("satisfaction_cap")
    if satisfaction is not None and cap is not None and satisfaction > cap:
        errors.setdefault("satisfaction.points", []).append(
            SATISFACTION_OVER_CAP % {"points": satisfaction, "cap": cap}
        )
    if errors:
        raise ValidationError(errors)


def _plain(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _differs(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is not new
        return Decimal(old) != Decimal(new)
    return old != new


def _apply(instance, fields, values: dict, changes: dict, prefix: str = "") -> list[str]:
    """Set the fields whose value differs, note each change as [old, new] under prefix+field,
    and return the fields set."""
    changed = []
    for field in fields:
        old, new = getattr(instance, field), values[field]
        if _differs(old, new):
            changes[f"{prefix}{field}"] = [_plain(old), _plain(new)]
            setattr(instance, field, new)
            changed.append(field)
    return changed


@transaction.atomic
def update_scheme(*, actor, scheme: Scheme, values: dict, rules: dict[str, dict]) -> dict:
    """Save the scheme's fields and rules together; bump the version when anything changed.

    `values` holds scheme fields (caps, prior weight, awards per category, name); `rules` maps
    a rule code to its new `points`, `per`, `cap` and `enabled`. Returns the changes made as
    {field: [old, new]} ("rule code.field" for rules); nothing is written when it is empty.
    """
    if not is_county_admin(actor):
        raise PermissionDenied
    if not County.objects.visible_to(actor).filter(pk=scheme.county_id).exists():
        raise PermissionDenied
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    current_rules = {rule.code: rule for rule in scheme.rules.all()}
    merged_values = {field: getattr(scheme, field) for field in SCHEME_FIELDS}
    merged_values.update({k: v for k, v in values.items() if k in SCHEME_FIELDS})
    merged_rules = {
        code: {field: getattr(rule, field) for field in RULE_FIELDS}
        for code, rule in current_rules.items()
    }
    for code, new in rules.items():
        merged_rules.setdefault(code, {}).update({k: v for k, v in new.items() if k in RULE_FIELDS})
    validate_scheme_values(
        values=merged_values,
        rules=merged_rules,
        indicators={code: rule.indicator for code, rule in current_rules.items()},
    )

    changes: dict[str, list] = {}
    scheme_fields = _apply(scheme, SCHEME_FIELDS, merged_values, changes)
    changed_rules = [
        rule
        for code, rule in current_rules.items()
        if _apply(rule, RULE_FIELDS, merged_rules[code], changes, prefix=f"{code}.")
    ]
    if not changes:
        return {}

    for rule in changed_rules:
        rule.full_clean()
        rule.save(update_fields=list(RULE_FIELDS))
    scheme.version += 1
    scheme.updated_by = actor
    scheme.full_clean()
    scheme.save(update_fields=[*scheme_fields, "version", "updated_by", "updated_at"])
    changed_labels = sorted(
        {rule_label(key.split(".")[0]) if "." in key else key for key in changes}
    )
    audit_record(
        actor=actor,
        action="scoring.scheme_update",
        obj=scheme,
        summary=f"{scheme.year} v{scheme.version}: {', '.join(changed_labels)}",
        changes=changes,
    )
    return changes


@transaction.atomic
def create_scheme(*, actor, year: int, county=None) -> Scheme:
    """Create the county's scheme of the year from its previous year's (or the defaults);
    audited."""
    if not is_county_admin(actor):
        raise PermissionDenied
    county = county_or_sole(county)
    if not County.objects.visible_to(actor).filter(pk=county.pk).exists():
        raise PermissionDenied
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": YEAR_OUT_OF_RANGE})
    return ensure_scheme(year, county=county, actor=actor)


def ensure_scheme(year: int, *, county=None, actor=None) -> Scheme:
    """The county's scheme of the year (None: the installation's only county), created when
    missing from the county's previous year's or the defaults, with its audit event:
    "scoring.scheme_create" by the county admin, or "scoring.scheme_auto_create" when a
    computation (no actor) needs the year's scheme."""
    county = county_or_sole(county)
    scheme = Scheme.objects.filter(county=county, year=year).first()
    if scheme is not None:
        return scheme
    with transaction.atomic():
        scheme = _create_scheme_rows(year, county)
        audit_record(
            actor=actor,
            action="scoring.scheme_create" if actor is not None else "scoring.scheme_auto_create",
            obj=scheme,
            summary=f"{scheme.year} {scheme.name}",
            changes={"rules": Rule.objects.filter(scheme=scheme).count()},
        )
    return scheme


def _create_scheme_rows(year: int, county) -> Scheme:
    """Write the year's scheme and its rules: the previous year's, then the catalogue's codes it
    lacks at their defaults, each rule with its initial history row."""
    previous = Scheme.objects.filter(county=county, year__lt=year).order_by("-year").first()
    if previous is not None:
        scheme = Scheme.objects.create(
            county=county,
            year=year,
            name=previous.name,
            prior_weight=previous.prior_weight,
            awards_per_category=previous.awards_per_category,
            **{field: getattr(previous, field) for field in DEFAULT_CAPS},
        )
        sources: list[Rule | RuleDefault] = list(previous.rules.all())
    else:
        scheme = Scheme.objects.create(
            county=county, year=year, name=f"{year}年度社区社会组织积分管理办法", **DEFAULT_CAPS
        )
        sources = []
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
