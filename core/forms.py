from django import forms
from django.db.models import fields
from django.utils.translation import gettext_lazy as _

# The empty choice of every select reads "Please choose" (请选择), never "---------".
EMPTY_CHOICE_LABEL = _("Please choose")


def use_please_choose() -> None:
    """Replace Django's dashes in the one list and the one default every select draws from.

    Called once from CoreConfig.ready. Model fields with choices copy ``BLANK_CHOICE_DASH`` when
    building their form field (it is changed in place, so every module that imported it sees the
    new label); foreign keys build a ``ModelChoiceField`` whose ``empty_label`` defaults to dashes.
    """
    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE_LABEL)]
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE_LABEL


class BootstrapFormMixin:
    """Give every widget its Bootstrap class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
