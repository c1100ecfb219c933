from django import forms

from areas.models import Community, County, Township
from core.forms import BootstrapFormMixin


class TownshipForm(BootstrapFormMixin, forms.ModelForm):
    """A township of one of the counties the user serves (preselected when there is one)."""

    class Meta:
        model = Township
        fields = ["county", "name", "kind", "code", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        counties = County.objects.visible_to(user)
        field = self.fields["county"]
        field.queryset = counties
        only = list(counties[:2])
        # One county (a county's own installation): it is the township's, without asking.
        self.single_county = only[0] if len(only) == 1 else None
        if self.single_county is not None:
            field.required = False
            field.widget = forms.HiddenInput()
            self.initial.setdefault("county", self.single_county.pk)

    def clean_county(self):
        return self.cleaned_data.get("county") or self.single_county


class CommunityForm(BootstrapFormMixin, forms.ModelForm):
    """A community of a township the user serves."""

    class Meta:
        model = Community
        fields = ["township", "name", "kind", "code", "address", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Township.objects.visible_to(user).select_related(
            "county"
        )
