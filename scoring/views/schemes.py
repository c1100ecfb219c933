"""The scoring scheme of a year: the county admin edits it, the overview roles read it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from scoring import permissions
from scoring.forms import NewSchemeForm, RuleFormSet, SchemeForm
from scoring.models import Scheme, ScoringQuarter
from scoring.services.schemes import create_scheme, update_scheme
from scoring.views._common import county_and_choices, county_param, error_text, year_param


def _scheme_url(year: int, county) -> str:
    return f"{reverse('scoring:scheme')}?year={year}&county={county.pk}"


def _surface(error: ValidationError, form, formset) -> None:
    """Put the service's errors on the fields they name ("code.field" for a rule)."""
    forms_by_code = {rule_form.instance.code: rule_form for rule_form in formset.forms}
    for key, messages_ in error.message_dict.items():
        code, _dot, field = key.partition(".")
        if field and code in forms_by_code:
            for message in messages_:
                forms_by_code[code].add_error(field, message)
        elif key in form.fields:
            for message in messages_:
                form.add_error(key, message)
        else:
            for message in messages_:
                form.add_error(None, message)


@require_http_methods(["GET", "POST"])
def scheme(request):
    if not permissions.may_read_overview(request.user):
        raise PermissionDenied
    editable = permissions.is_county_admin(request.user)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    year = year_param(data)
    county, choices = county_and_choices(request, data)
    schemes = Scheme.objects.filter(county=county)
    years = list(schemes.order_by("-year").values_list("year", flat=True))
    current = schemes.filter(year=year).first()
    context = {
        "county": county,
        "county_choices": choices,
        "year": year,
        "years": years,
        "scheme": current,
        "editable": editable,
        "new_form": NewSchemeForm(initial={"year": (max(years) + 1) if years else year}),
        "quarters": list(
            ScoringQuarter.objects.filter(county=county, year=year).order_by("quarter")
        ),
    }
    if current is None:
        return render(request, "scoring/scheme.html", context)
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, instance=Scheme.objects.get(pk=current.pk))
    formset = RuleFormSet(data, queryset=current.rules.order_by("pk"), prefix="rules")
    if not editable:
        for each in [form, *formset.forms]:
            for field in each.fields.values():
                field.disabled = True
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        values = {field: form.cleaned_data[field] for field in form.Meta.fields}
        rules = {
            rule_form.instance.code: {
                field: rule_form.cleaned_data[field] for field in rule_form.Meta.fields
            }
            for rule_form in formset.forms
        }
        try:
            changes = update_scheme(actor=request.user, scheme=current, values=values, rules=rules)
        except ValidationError as error:
            _surface(error, form, formset)
        else:
            if changes:
                messages.success(
                    request,
                    _("Scheme saved as version %(version)s (%(count)s changes).")
                    % {
                        "version": Scheme.objects.get(pk=current.pk).version,
                        "count": len(changes),
                    },
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(_scheme_url(year, county))
    context.update({"form": form, "formset": formset})
    return render(request, "scoring/scheme.html", context)


@require_POST
def scheme_create(request):
    if not permissions.is_county_admin(request.user):
        raise PermissionDenied
    county = county_param(request, request.POST)
    form = NewSchemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a year between 2000 and 2100."))
        return redirect(_scheme_url(year_param(request.POST), county))
    try:
        created = create_scheme(actor=request.user, year=form.cleaned_data["year"], county=county)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(_scheme_url(form.cleaned_data["year"], county))
    messages.success(request, _("Scheme of %(year)s ready.") % {"year": created.year})
    return redirect(_scheme_url(created.year, county))
