"""Every change to an organisation's ledger entry: checked, saved, audited and in history."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import stamp_change
from core.identifiers import (
    credit_code_legal_form,
    is_civil_affairs_code,
    normalize_credit_code,
    normalize_mobile,
)
from core.services import audit_record, field_changes, model_update
from core.text import clean_name, clean_text
from orgs.models import Organization
from orgs.permissions import can_create_organization, may_keep_ledger
from orgs.selectors.organizations import (
    organization_communities,
    organization_is_editable,
    organization_is_verifiable,
)

# Fields the ledger form sets. Status and merged_into change only through merges and the
# zombie review; last_verified_on only through organization_mark_verified.
ORGANIZATION_FIELDS = (
    "name",
    "short_name",
    "credit_code",
    "registration_status",
    "legal_form",
    "category",
    "community",
    "address",
    "founded_on",
    "registered_on",
    "registration_authority",
    "supervising_unit",
    "leader_name",
    "leader_phone",
    "activity_fields",
    "resources",
    "needs",
    "operating_mechanism",
    "bottlenecks",
    "special_teams",
    "in_party_alliance",
    "grade",
    "grade_awarded_on",
    "ledger_keeper",
)

# Second character of a civil-affairs credit code for each registered legal form (GB 32100).
CIVIL_AFFAIRS_FORM_DIGITS = {
    Organization.LegalForm.SOCIAL_GROUP: "1",
    Organization.LegalForm.SERVICE_INSTITUTION: "2",
    Organization.LegalForm.FOUNDATION: "3",
}

CREDIT_CODE_LEGAL_FORM_MESSAGE = _(
    "A registered %(legal_form)s has a civil-affairs credit code starting with %(prefix)s, "
    "but this code starts with %(actual)s. Check the code against the registration "
    "certificate, or correct the legal form."
)
CREDIT_CODE_LEGAL_FORM_NAMED_MESSAGE = _(
    "A registered %(legal_form)s has a civil-affairs credit code starting with %(prefix)s, "
    "but this code is that of a %(code_form)s. Check the code against the registration "
    "certificate, or correct the legal form."
)
CREDIT_CODE_DUPLICATE_MESSAGE = _(
    "This credit code is already recorded for “%(name)s”. Open that organisation instead of "
    "adding it twice, or check the code."
)
CREDIT_CODE_DUPLICATE_HIDDEN_MESSAGE = _(
    "This credit code is already recorded for an organisation outside your area. Check the "
    "code, or ask the county administrator."
)
FOUNDED_IN_FUTURE_MESSAGE = _("The founding date cannot be later than today.")
REGISTERED_IN_FUTURE_MESSAGE = _("The registration or filing date cannot be later than today.")
REGISTERED_BEFORE_FOUNDED_MESSAGE = _(
    "The registration or filing date cannot be earlier than the founding date (%(founded)s)."
)
GRADE_DATE_REQUIRED_MESSAGE = _("Enter the date the evaluation grade was awarded.")
GRADE_DATE_IN_FUTURE_MESSAGE = _("The grade award date cannot be later than today.")
GRADE_DATE_WITHOUT_GRADE_MESSAGE = _("Choose the evaluation grade, or leave the award date empty.")
LEDGER_KEEPER_MESSAGE = _(
    "The ledger keeper must be an active county administrator or a staff member of the "
    "organisation's township."
)

_CREDIT_CODE_FIELD = "credit_code"
_MOBILE_FIELD = "leader_phone"
# Names of the organisation, its leader and the bodies over it: tidied by clean_name.
# Every other text field is prose and keeps what the user typed (clean_text).
ORGANIZATION_NAME_FIELDS = frozenset(
    {"name", "short_name", "leader_name", "supervising_unit", "registration_authority"}
)


def normalize_organization_fields(fields: dict) -> dict:
    """Return the fields with names tidied, prose as typed (trimmed), identifiers compacted."""
    normalized = dict(fields)
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        if name == _CREDIT_CODE_FIELD:
            normalized[name] = normalize_credit_code(value)
        elif name == _MOBILE_FIELD:
            normalized[name] = normalize_mobile(value)
        elif name in ORGANIZATION_NAME_FIELDS:
            normalized[name] = clean_name(value)
        else:
            normalized[name] = clean_text(value)
    return normalized


def organization_rule_errors(
    *, actor, fields: dict, organization: Organization | None = None, today: date | None = None
) -> dict[str, list[ValidationError]]:
    """Check the ledger rules across fields and records; return errors keyed by field."""
    today = today or timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message, **params) -> None:
        errors.setdefault(field, []).append(ValidationError(message, params=params or None))

    credit_code = fields.get("credit_code") or ""
    if credit_code:
        problem = _credit_code_legal_form_problem(fields, credit_code)
        if problem:
            message, params = problem
            add("credit_code", message, **params)
        other = _organization_with_credit_code(credit_code, organization)
        if other is not None:
            if Organization.objects.visible_to(actor).filter(pk=other.pk).exists():
                add("credit_code", CREDIT_CODE_DUPLICATE_MESSAGE, name=other.name)
            else:
                add("credit_code", CREDIT_CODE_DUPLICATE_HIDDEN_MESSAGE)

    founded_on = fields.get("founded_on")
    registered_on = fields.get("registered_on")
    if founded_on and founded_on > today:
        add("founded_on", FOUNDED_IN_FUTURE_MESSAGE)
    if registered_on and registered_on > today:
        add("registered_on", REGISTERED_IN_FUTURE_MESSAGE)
    elif registered_on and founded_on and registered_on < founded_on:
        add("registered_on", REGISTERED_BEFORE_FOUNDED_MESSAGE, founded=founded_on.isoformat())

    grade = fields.get("grade") or ""
    grade_awarded_on = fields.get("grade_awarded_on")
    if grade and not grade_awarded_on:
        add("grade_awarded_on", GRADE_DATE_REQUIRED_MESSAGE)
    elif not grade and grade_awarded_on:
        add("grade_awarded_on", GRADE_DATE_WITHOUT_GRADE_MESSAGE)
    elif grade_awarded_on and grade_awarded_on > today:
        add("grade_awarded_on", GRADE_DATE_IN_FUTURE_MESSAGE)

    keeper = fields.get("ledger_keeper")
    community = fields.get("community")
    if keeper is not None and not may_keep_ledger(keeper, community):
        add("ledger_keeper", LEDGER_KEEPER_MESSAGE)
    return errors


def _credit_code_legal_form_problem(fields: dict, code: str):
    """Return (message, params) when a registered organisation's code contradicts its form."""
    legal_form = fields.get("legal_form")
    registered = fields.get("registration_status") == Organization.RegistrationStatus.REGISTERED
    if legal_form is None or not registered:
        return None
    digit = CIVIL_AFFAIRS_FORM_DIGITS.get(legal_form)
    if digit is None or code[:2] == f"5{digit}":
        return None
    params = {
        "legal_form": Organization.LegalForm(legal_form).label,
        "prefix": f"5{digit}",
        "actual": code[:2],
    }
    if is_civil_affairs_code(code) and credit_code_legal_form(code):
        return CREDIT_CODE_LEGAL_FORM_NAMED_MESSAGE, {
            **params,
            "code_form": credit_code_legal_form(code),
        }
    return CREDIT_CODE_LEGAL_FORM_MESSAGE, params


def _organization_with_credit_code(code: str, organization: Organization | None):
    others = Organization.objects.filter(credit_code=code)
    if organization is not None and organization.pk:
        others = others.exclude(pk=organization.pk)
    return others.only("pk", "name").first()


def _check_rules(*, actor, fields: dict, organization: Organization | None) -> None:
    errors = organization_rule_errors(actor=actor, fields=fields, organization=organization)
    if errors:
        raise ValidationError(errors)


def _require_community(actor, community) -> None:
    """Refuse a community outside the actor's area (the form offers only allowed ones)."""
    if community is None:
        return
    if not organization_communities(user=actor).filter(pk=community.pk).exists():
        raise PermissionDenied


def _ledger_fields(fields: dict) -> dict:
    return normalize_organization_fields(
        {key: value for key, value in fields.items() if key in ORGANIZATION_FIELDS}
    )


@transaction.atomic
def organization_create(*, actor, **fields) -> Organization:
    """Add an organisation to the ledger in a community of the actor's area."""
    if not can_create_organization(actor):
        raise PermissionDenied
    data = _ledger_fields(fields)
    _require_community(actor, data.get("community"))
    _check_rules(actor=actor, fields=data, organization=None)
    organization = Organization(**data)
    organization.full_clean()
    stamp_change(organization, user=actor)
    organization.save()
    audit_record(
        actor=actor,
        action="organization.create",
        obj=organization,
        summary=organization.name,
    )
    return organization


@transaction.atomic
def organization_update(*, actor, organization: Organization, **fields) -> Organization:
    """Change the ledger fields of an organisation the actor may edit."""
    if not organization_is_editable(user=actor, organization=organization):
        raise PermissionDenied
    data = _ledger_fields(fields)
    if "community" in data and data["community"] != organization.community:
        _require_community(actor, data["community"])
    merged = {
        **{name: getattr(organization, name) for name in ORGANIZATION_FIELDS},
        **data,
    }
    _check_rules(actor=actor, fields=merged, organization=organization)
    model_update(
        organization,
        data,
        actor=actor,
        action="organization.update",
        summary=organization.name,
        also_save=["updated_at"],
    )
    return organization


@transaction.atomic
def organization_mark_verified(
    *, actor, organization: Organization, on: date | None = None
) -> Organization:
    """Record that the keeper checked the ledger entry against reality today."""
    if not organization_is_verifiable(user=actor, organization=organization):
        raise PermissionDenied
    on = on or timezone.localdate()
    changes = field_changes(organization, {"last_verified_on": on})
    organization.last_verified_on = on
    organization.full_clean()
    stamp_change(organization, user=actor)
    organization.save(update_fields=["last_verified_on", "updated_at"])
    audit_record(
        actor=actor,
        action="organization.verify",
        obj=organization,
        summary=organization.name,
        changes=changes,
    )
    return organization
