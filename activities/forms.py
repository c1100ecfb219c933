from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, MediationCase
from activities.permissions import (
    co_organizer_choices,
    recordable_communities,
    recordable_organizations,
)
from activities.services import COMMENT_MAX_LENGTH
from areas.models import Community
from core.forms import BootstrapFormMixin
from orgs.forms.fields import OrganizationChoiceField, OrganizationMultipleChoiceField
from orgs.models import Organization

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _communities_offered(user, *, current_id):
    """The user's own communities, and the one already on the record (e.g. a booked room's)."""
    offered = recordable_communities(user)
    if current_id is not None:
        offered = offered | Community.objects.filter(pk=current_id)
    return offered.order_by("code")


class ActivityForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "lead_organization",
            "co_organizers",
            "kind",
            "title",
            "start",
            "end",
            "place",
            "community_served",
            "participants",
            "beneficiaries",
            "volunteer_hours",
            "help_cases",
            "description",
        ]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
            "description": forms.Textarea(attrs={"rows": 4}),
            "co_organizers": forms.SelectMultiple(attrs={"size": 4}),
        }
        field_classes = {
            "lead_organization": OrganizationChoiceField,
            "co_organizers": OrganizationMultipleChoiceField,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = recordable_organizations(user).pickable().order_by("name")
        self.fields["lead_organization"].queryset = organizations
        co_organizers = co_organizer_choices(user).pickable()
        if self.instance.pk:
            # Those already on the record stay offered.
            co_organizers = co_organizers | Organization.objects.filter(
                co_organized_activities=self.instance
            )
        self.fields["co_organizers"].queryset = co_organizers.distinct().order_by("name")
        self.fields["community_served"].queryset = _communities_offered(
            user, current_id=self.instance.community_served_id
        )
        self.fields["community_served"].required = False
        self.fields["community_served"].help_text = _("Empty: the organisation's community.")
        if self.instance.pk and self.instance.booking_id:
            self.fields["place"].disabled = True
        for name in ("start", "end"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        if not self.instance.pk and organizations.count() == 1:
            only = organizations.first()
            self.fields["lead_organization"].initial = only.pk
            self.fields["community_served"].initial = only.community_id

    def clean(self):
        # The model's full_clean runs in the service (community may default there).
        return self.cleaned_data

    def _post_clean(self):
        pass


class MediationCaseForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MediationCase
        fields = ["organization", "occurred_on", "kind", "parties_summary", "outcome", "community"]
        widgets = {"occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"organization": OrganizationChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            recordable_organizations(user).pickable().order_by("name")
        )
        self.fields["community"].queryset = _communities_offered(
            user, current_id=self.instance.community_id
        )
        self.fields["community"].required = False
        self.fields["community"].help_text = _("Empty: the organisation's community.")

    def _post_clean(self):
        pass


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=200)


SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]


class PublicFeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your score"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class PhoneSurveyForm(BootstrapFormMixin, forms.Form):
    activity = forms.ModelChoiceField(
        label=_("Activity (optional)"), queryset=Activity.objects.none(), required=False
    )
    score = forms.TypedChoiceField(label=_("Score"), choices=SCORE_CHOICES, coerce=int)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(
            lead_organization=organization
        ).order_by("-start")
