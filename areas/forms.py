from django import forms

from areas.models import Community, Township
from core.forms import BootstrapFormMixin


class TownshipForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Township
        fields = ["name", "kind", "code", "is_active"]


class CommunityForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Community
        fields = ["township", "name", "kind", "code", "address", "is_active"]
