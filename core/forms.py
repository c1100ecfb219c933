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


# Options a select of model choices renders at most; beyond it, the chosen one only.
BOUNDED_CHOICES_LIMIT = 300


class BoundedSelect(forms.Select):
    """A select of model choices that never renders more than BOUNDED_CHOICES_LIMIT options.

    Up to the limit it offers every choice; beyond it, only the chosen one, after an empty
    choice reading ``too_many_label`` (what to do instead: type to search, or choose a township
    first). A county-wide picker at province scale would otherwise write 20,000 organisations
    or 21,000 communities into every page. Validation is the field's: any choice of its
    queryset is still accepted. Plain (non-model) choices are rendered as they are.
    """

    too_many_label = _("Too many to list: narrow the search first")
    # A narrower queryset to offer (e.g. the chosen township's communities); validation still
    # accepts the whole field's queryset.
    offered = None

    def get_context(self, name, value, attrs):
        choices = self.choices
        field = getattr(choices, "field", None)
        queryset = self.offered if self.offered is not None else getattr(choices, "queryset", None)
        if queryset is None or field is None:
            return super().get_context(name, value, attrs)
        rows = list(queryset[: BOUNDED_CHOICES_LIMIT + 1])
        lazy = len(rows) > BOUNDED_CHOICES_LIMIT
        if lazy:
            chosen = [item for item in self.format_value(value) if str(item).isdigit()]
            rows = list(queryset.filter(pk__in=chosen)) if chosen else []
        bounded = []
        if field.empty_label is not None:
            bounded.append(("", self.too_many_label if lazy else field.empty_label))
        bounded += [(obj.pk, field.label_from_instance(obj)) for obj in rows]
        self.choices = bounded
        try:
            context = super().get_context(name, value, attrs)
        finally:
            self.choices = choices
        context["widget"]["lazy"] = lazy
        return context


class CommunitySelect(BoundedSelect):
    """A community filter: every community up to the limit, else choose a township first."""

    too_many_label = _("Choose a township first")


def offer_communities_of_township(field, township_value) -> None:
    """Offer only the chosen township's communities in a community filter (when one is chosen)."""
    if township_value and str(township_value).isdigit():
        field.widget.offered = field.queryset.filter(township_id=int(township_value))
