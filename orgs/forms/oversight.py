"""Forms of the oversight pages: they check shape; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.text import CleanTextField
from orgs.forms.fields import OrganizationChoiceField, OrganizationMultipleChoiceField
from orgs.models import AnnualInspection, CreditListing
from orgs.services.merges import MERGE_SURVIVOR_IN_MERGED_MESSAGE
from orgs.services.oversight import ZOMBIE_CLEAR, ZOMBIE_CONFIRM

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MergeSelectionForm(BootstrapFormMixin, forms.Form):
    """Choose the surviving organisation and the ones merged into it."""

    survivor = OrganizationChoiceField(
        label=_("Surviving organisation"), queryset=None, empty_label=None
    )
    merged = OrganizationMultipleChoiceField(
        label=_("Organisations merged into it"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = organizations
        self.fields["merged"].queryset = organizations

    def clean(self):
        cleaned = super().clean()
        survivor, merged = cleaned.get("survivor"), cleaned.get("merged")
        if survivor is not None and merged is not None and survivor in merged:
            self.add_error("merged", MERGE_SURVIVOR_IN_MERGED_MESSAGE)
        return cleaned


class MergeForm(MergeSelectionForm):
    """The confirmation of a merge: the chosen organisations, the date and the reason."""

    merged_on = forms.DateField(label=_("Merged on"), widget=DATE_WIDGET)
    reason = CleanTextField(
        label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].widget = forms.HiddenInput()
        self.fields["merged"].widget = forms.MultipleHiddenInput()


class InspectionForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year inspected"), min_value=1900, max_value=2100)
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=AnnualInspection.Conclusion.choices
    )
    inspected_on = forms.DateField(label=_("Inspected on"), required=False, widget=DATE_WIDGET)
    notes = CleanTextField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CreditListingForm(BootstrapFormMixin, forms.Form):
    list_kind = forms.ChoiceField(label=_("List"), choices=CreditListing.Kind.choices)
    reason = CleanTextField(label=_("Reason"), max_length=200)
    listed_on = forms.DateField(label=_("Listed on"), widget=DATE_WIDGET)
    needs_rectification = forms.BooleanField(
        label=_("Rectification needed"),
        required=False,
        help_text=_(
            "Without rectification an abnormal listing ends by itself 6 months after it was listed."
        ),
    )


class CreditListingRemoveForm(BootstrapFormMixin, forms.Form):
    removed_on = forms.DateField(label=_("Removed on"), widget=DATE_WIDGET)
    reason = CleanTextField(label=_("Reason for removal"), max_length=200)


class ZombieResolveForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (ZOMBIE_CONFIRM, _("Confirm: suspected zombie")),
            (ZOMBIE_CLEAR, _("Clear: the organisation is alive")),
        ]
    )
    note = CleanTextField(label=_("Note"), max_length=200)
