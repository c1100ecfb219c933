"""Forms check shape; the branch rules live in the services and surface through the forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from orgs.models import Organization, Person
from party_branches.models import BranchMember, MeetingKind, Period

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


class BranchCreateForm(BootstrapFormMixin, forms.Form):
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organization.objects.none(),
        widget=forms.MultipleHiddenInput,
    )
    name = forms.CharField(label=_("Branch name"), max_length=100)
    parent_org = forms.CharField(label=_("Parent Party organisation"), max_length=100)
    established_on = forms.DateField(label=_("Set up on"), initial=_today, widget=DATE_WIDGET)
    member_people = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    secretary = forms.ModelChoiceField(
        label=_("Branch secretary"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = Organization.objects.editable_by(user).pickable()
        people = Person.objects.visible_to(user).current().filter(is_party_member=True)
        self.fields["member_people"].queryset = people
        self.fields["secretary"].queryset = people


class MemberAddForm(BootstrapFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Party member"), queryset=Person.objects.none())
    joined_on = forms.DateField(label=_("Joined on"), initial=_today, widget=DATE_WIDGET)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates


class MemberRemoveForm(BootstrapFormMixin, forms.Form):
    left_on = forms.DateField(label=_("Left on"), initial=_today, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason for leaving"), max_length=200)


class DissolveForm(BootstrapFormMixin, forms.Form):
    dissolved_on = forms.DateField(label=_("Dissolved on"), initial=_today, widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason for dissolving"),
        max_length=200,
        help_text=_("Members leave the branch on that day; its records are kept."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class MeetingForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Held on"), initial=_today, widget=DATE_WIDGET)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=BranchMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    chair = forms.ModelChoiceField(
        label=_("Chair"), queryset=BranchMember.objects.none(), required=False
    )
    note_taker = forms.ModelChoiceField(
        label=_("Note taker"), queryset=BranchMember.objects.none(), required=False
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(
        label=_("Minutes or photos"),
        required=False,
        help_text=_("PDF, Word, JPEG or PNG; several files may be chosen."),
    )

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        members = list(branch.members.select_related("person").order_by("left_on", "person__name"))
        for name in ("attendees", "chair", "note_taker"):
            self.fields[name].queryset = branch.members.select_related("person").order_by(
                "left_on", "person__name"
            )
            self.fields[name].label_from_instance = lambda member: member.person.name
        if not self.is_bound:
            self.initial.setdefault(
                "attendees", [member.pk for member in members if member.left_on is None]
            )
        # One reason box per current member: filled in for those who did not attend.
        self.absence_fields = []
        for member in members:
            if member.left_on is not None:
                continue
            name = f"absence_{member.pk}"
            self.fields[name] = forms.CharField(
                label=_("Reason %(name)s was absent") % {"name": member.person.name},
                max_length=200,
                required=False,
            )
            self.fields[name].widget.attrs["class"] = "form-control"
            self.absence_fields.append((member.pk, name))

    def absence_reasons(self) -> dict[int, str]:
        return {
            pk: self.cleaned_data.get(name, "")
            for pk, name in self.absence_fields
            if self.cleaned_data.get(name)
        }


class InstructorForm(BootstrapFormMixin, forms.Form):
    instructor_name = forms.CharField(label=_("Instructor"), max_length=50)
    instructor_phone = forms.CharField(
        label=_("Instructor's mobile"), max_length=20, required=False
    )
    unit = forms.CharField(label=_("Instructor's unit"), max_length=100, required=False)
    started_on = forms.DateField(label=_("From"), initial=_today, widget=DATE_WIDGET)


class InstructorEndForm(BootstrapFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("Until"), initial=_today, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason for ending"), max_length=200, required=False)


class FrequencyForm(BootstrapFormMixin, forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    count = forms.IntegerField(label=_("Meetings per period"), min_value=0, max_value=31)
