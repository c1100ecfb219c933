from django import forms
from django.forms import formset_factory, modelformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import BootstrapFormMixin
from scoring.models import Award, Rule, Scheme
from scoring.rules import rule_label


class SchemeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "name",
            "activity_cap",
            "service_cap",
            "satisfaction_cap",
            "governance_cap",
            "bonus_cap",
            "prior_weight",
            "awards_per_category",
        ]


class RuleForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["points", "per", "cap", "enabled"]

    @property
    def label(self) -> str:
        return rule_label(self.instance.code)


RuleFormSet = modelformset_factory(Rule, form=RuleForm, extra=0, can_delete=False)


class NewSchemeForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class ReopenForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why re-open this quarter"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssessmentForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput)
    community_score = forms.IntegerField(
        label=_("Community assessment (0–5)"),
        min_value=0,
        max_value=5,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": 1}),
    )
    commendations = forms.IntegerField(
        label=_("Commendations"),
        min_value=0,
        max_value=20,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": 1}),
    )
    note = forms.CharField(
        label=pgettext_lazy("scoring", "Note"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


AssessmentFormSet = formset_factory(AssessmentForm, extra=0, max_num=200, validate_max=True)


class AwardDecisionForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Award.Status.CONFIRMED, _("Confirm")),
            (Award.Status.REJECTED, _("Do not confirm")),
        ],
    )
    note = forms.CharField(label=pgettext_lazy("scoring", "Note"), max_length=300, required=False)
