"""Forms and filters for people and memberships: shape checks; rules live in the services."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from areas.models import Community, Township
from core.forms import (
    EMPTY_CHOICE_LABEL,
    BootstrapFormMixin,
    CommunitySelect,
    offer_communities_of_township,
)
from core.identifiers import (
    birth_date_from_id,
    gender_from_id,
    validate_id_number,
    validate_mobile,
)
from core.text import clean_name, clean_text, match_key
from orgs.models import Membership, Person
from orgs.permissions import can_see_sensitive
from orgs.selectors.people import person_search
from orgs.services.people import (
    GENDER_FROM_ID,
    check_person_rules,
    id_number_taken_error,
)

# Room for spaces, dashes and a +86 prefix that the normalisation removes.
RAW_IDENTIFIER_LENGTH = 40
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _label(name: str):
    return capfirst(Person._meta.get_field(name).verbose_name)


def _communities():
    return Community.objects.select_related("township").order_by("township__code", "code")


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.township.name} · {obj.name}"


def clean_id_number_value(value: str) -> str:
    """Normalise and check an ID number field; empty stays empty."""
    value = match_key(value)
    return validate_id_number(value) if value else ""


def clean_mobile_value(value: str) -> str:
    """Normalise and check a mobile field; empty stays empty."""
    value = match_key(value)
    return validate_mobile(value) if value else ""


def fill_from_id_number(cleaned_data: dict) -> None:
    """Take the birth date and gender from a valid ID number (the ID is authoritative)."""
    id_number = cleaned_data.get("id_number")
    if id_number:
        cleaned_data["birth_date"] = birth_date_from_id(id_number)
        cleaned_data["gender"] = GENDER_FROM_ID[gender_from_id(id_number)]


class PersonRulesMixin:
    """Surface the Party and grid rules on their fields."""

    def check_rules(self, cleaned_data: dict) -> None:
        try:
            check_person_rules(
                is_party_member=cleaned_data.get("is_party_member", False),
                party_status=cleaned_data.get("party_status", ""),
                grid_role=cleaned_data.get("grid_role", ""),
                grid_community=cleaned_data.get("grid_community"),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)


class PersonForm(PersonRulesMixin, BootstrapFormMixin, forms.ModelForm):
    id_number = forms.CharField(
        label=_label("id_number"),
        max_length=RAW_IDENTIFIER_LENGTH,
        required=False,
        help_text=_("18 characters; the birth date and gender are taken from it."),
    )
    mobile = forms.CharField(
        label=_label("mobile"), max_length=RAW_IDENTIFIER_LENGTH, required=False
    )
    community = CommunityChoiceField(
        label=_label("community"), queryset=Community.objects.none(), required=False
    )
    grid_community = CommunityChoiceField(
        label=_label("grid_community"), queryset=Community.objects.none(), required=False
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "mobile",
            "community",
            "is_party_member",
            "party_status",
            "party_relation_place",
            "grid_role",
            "grid_community",
            "notes",
        ]
        labels = {"name": _("Full name")}
        widgets = {"birth_date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["community"].queryset = _communities()
        self.fields["grid_community"].queryset = _communities()

    def clean_name(self):
        return clean_name(self.cleaned_data["name"])

    def clean_party_relation_place(self):
        return clean_name(self.cleaned_data["party_relation_place"])

    def clean_notes(self):
        return clean_text(self.cleaned_data["notes"])

    def clean_id_number(self):
        id_number = clean_id_number_value(self.cleaned_data["id_number"])
        taken = id_number_taken_error(
            user=self.user, id_number=id_number, exclude_pk=self.instance.pk
        )
        if taken:
            raise ValidationError(taken)
        return id_number

    def clean_mobile(self):
        return clean_mobile_value(self.cleaned_data["mobile"])

    def clean(self):
        cleaned_data = super().clean()
        fill_from_id_number(cleaned_data)
        self.check_rules(cleaned_data)
        return cleaned_data


class MembershipAddForm(PersonRulesMixin, BootstrapFormMixin, forms.Form):
    """A member to add: an existing resident (found by ID number) or a new one."""

    id_number = forms.CharField(
        label=_label("id_number"),
        max_length=RAW_IDENTIFIER_LENGTH,
        required=False,
        help_text=_("If the resident is already recorded, they are found by this number."),
    )
    name = forms.CharField(label=_("Full name"), max_length=50)
    gender = forms.ChoiceField(
        label=_label("gender"),
        choices=[("", EMPTY_CHOICE_LABEL), *Person.Gender.choices],
        required=False,
    )
    mobile = forms.CharField(
        label=_label("mobile"), max_length=RAW_IDENTIFIER_LENGTH, required=False
    )
    community = CommunityChoiceField(
        label=_label("community"), queryset=Community.objects.none(), required=False
    )
    is_party_member = forms.BooleanField(label=_label("is_party_member"), required=False)
    party_status = forms.ChoiceField(
        label=_label("party_status"),
        choices=[("", "---------"), *Person.PartyStatus.choices],
        required=False,
    )
    party_relation_place = forms.CharField(
        label=_label("party_relation_place"), max_length=100, required=False
    )
    role = forms.ChoiceField(
        label=capfirst(Membership._meta.get_field("role").verbose_name),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
    )
    joined_on = forms.DateField(
        label=capfirst(Membership._meta.get_field("joined_on").verbose_name), widget=DATE_WIDGET
    )

    def __init__(self, *args, organization, **kwargs):
        kwargs.setdefault(
            "initial",
            {"joined_on": timezone.localdate(), "community": organization.community_id},
        )
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _communities()

    def clean_id_number(self):
        return clean_id_number_value(self.cleaned_data["id_number"])

    def clean_mobile(self):
        return clean_mobile_value(self.cleaned_data["mobile"])

    def clean_name(self):
        return clean_name(self.cleaned_data["name"])

    def clean_party_relation_place(self):
        return clean_name(self.cleaned_data["party_relation_place"])

    def clean(self):
        cleaned_data = super().clean()
        self.check_rules(cleaned_data)
        return cleaned_data

    def person_data(self) -> dict:
        """The person's fields, as the membership_add service takes them."""
        return {
            key: self.cleaned_data[key] for key in self.fields if key not in {"role", "joined_on"}
        }


class MembershipEndForm(BootstrapFormMixin, forms.Form):
    left_on = forms.DateField(
        label=capfirst(Membership._meta.get_field("left_on").verbose_name), widget=DATE_WIDGET
    )
    reason = forms.CharField(
        label=capfirst(Membership._meta.get_field("left_reason").verbose_name), max_length=200
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"left_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_reason(self):
        return clean_text(self.cleaned_data["reason"])


class MembershipRejoinForm(forms.Form):
    joined_on = forms.DateField(required=False, widget=DATE_WIDGET)

    def clean_joined_on(self):
        return self.cleaned_data["joined_on"] or timezone.localdate()


class PersonMergeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for the merge"), max_length=200)

    def clean_reason(self):
        return clean_text(self.cleaned_data["reason"])


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        field_name="community__township",
        queryset=Township.objects.none(),
        empty_label=_("All townships"),
    )
    community = django_filters.ModelChoiceFilter(
        label=_label("community"),
        queryset=Community.objects.none(),
        empty_label=_("All communities"),
        widget=CommunitySelect,
    )
    is_party_member = django_filters.ChoiceFilter(
        label=_label("is_party_member"),
        choices=[("true", _("Party members")), ("false", _("Not Party members"))],
        empty_label=_("Party members or not"),
        method="filter_party_member",
    )
    grid_role = django_filters.ChoiceFilter(
        label=_label("grid_role"),
        choices=[("any", _("Any grid role")), *Person.GridRole.choices],
        empty_label=_("With or without a grid role"),
        method="filter_grid_role",
    )

    class Meta:
        model = Person
        fields = ["q", "township", "community", "is_party_member", "grid_role"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Offer only the communities the user may see.
        self.filters["township"].queryset = Township.objects.visible_to(user).order_by("code")
        self.filters["community"].queryset = Community.objects.visible_to(user).order_by("code")
        self.form.fields["q"].widget.attrs["placeholder"] = (
            _("Name, ID number, mobile or last 4")
            if can_see_sensitive(user)
            else _("Name, or last 4 digits of ID number or mobile")
        )
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if hasattr(field, "choices") else "form-control"
            )

        offer_communities_of_township(self.form.fields["community"], self.data.get("township"))

    def search(self, queryset, name, value):
        return person_search(queryset, value, user=self.user)

    def filter_party_member(self, queryset, name, value):
        return queryset.filter(is_party_member=(value == "true"))

    def filter_grid_role(self, queryset, name, value):
        if value == "any":
            return queryset.exclude(grid_role="")
        return queryset.filter(grid_role=value)
