from django import forms
from django.core.validators import MaxLengthValidator

from core.forms import BootstrapFormMixin
from core.identifiers import validate_credit_code, validate_mobile
from orgs.models import Organization
from orgs.selectors.organizations import ledger_keeper_candidates, organization_communities
from orgs.services.organizations import (
    ORGANIZATION_FIELDS,
    normalize_organization_fields,
    organization_rule_errors,
)

# Identifiers are often typed with spaces, dashes or a +86 prefix: the length limit applies
# to the normalised value, checked by the identifier validators.
_LOOSE_LENGTH_FIELDS = ("credit_code", "leader_phone")
_LONG_TEXT_FIELDS = (
    "activity_fields",
    "resources",
    "needs",
    "operating_mechanism",
    "bottlenecks",
    "special_teams",
)
_DATE_FIELDS = ("founded_on", "registered_on", "grade_awarded_on")


class OrganizationForm(BootstrapFormMixin, forms.ModelForm):
    """The ledger entry of an organisation, without status and merge fields."""

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 3}) for name in _LONG_TEXT_FIELDS},
            **{
                name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for name in _DATE_FIELDS
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        communities = organization_communities(user=user)
        if self.instance.pk:
            # Keep the current community selectable even if it is no longer in use.
            communities = communities.filter(is_active=True) | communities.filter(
                pk=self.instance.community_id
            )
        else:
            communities = communities.filter(is_active=True)
        self.fields["community"].queryset = communities
        self.fields["ledger_keeper"].queryset = ledger_keeper_candidates(user=user)
        self.fields["category"].queryset = self.fields["category"].queryset.filter(
            is_active=True
        ) | self.fields["category"].queryset.filter(pk=self.instance.category_id)
        for name in _LOOSE_LENGTH_FIELDS:
            field = self.fields[name]
            field.max_length = None
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs.pop("maxlength", None)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-testid", f"field-{name}")

    def clean_credit_code(self) -> str:
        value = self.cleaned_data.get("credit_code") or ""
        return validate_credit_code(value) if value.strip() else ""

    def clean_leader_phone(self) -> str:
        value = self.cleaned_data.get("leader_phone") or ""
        return validate_mobile(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        cleaned.update(normalize_organization_fields(cleaned))
        # Rules across fields only read fields that passed their own checks.
        checked = {name: value for name, value in cleaned.items() if name not in self.errors}
        errors = organization_rule_errors(
            actor=self.user, fields=checked, organization=self.instance
        )
        for field, field_errors in errors.items():
            if field in self.errors:
                continue
            for error in field_errors:
                self.add_error(field, error)
        return cleaned
