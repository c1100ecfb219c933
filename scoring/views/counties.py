"""The city's comparison of its counties: figures side by side, each county's ranking its own."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.quarters import format_quarter, quarter_label
from scoring import permissions, selectors
from scoring.views._common import quarter_param


def county_comparison(request):
    if not permissions.may_compare_counties(request.user):
        raise PermissionDenied
    quarter = quarter_param(request.GET)
    rows = selectors.county_comparison(user=request.user, quarter=quarter)
    return render(
        request,
        "scoring/county_comparison.html",
        {
            "rows": rows,
            "quarter_code": format_quarter(quarter),
            "quarter_label": quarter_label(quarter),
            "quarter_choices": [
                (format_quarter(q), quarter_label(q))
                for q in selectors.quarter_choices(around=quarter)
            ],
        },
    )
