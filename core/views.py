from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role
from core.health import health_report


def home(request):
    """The start page: the work waiting for the user's role (officials: the overview)."""
    # The dashboards app reads every other app; imported here to keep core independent.
    from dashboards.home import home_context
    from dashboards.selectors import parse_year
    from dashboards.views import overview_context

    context = home_context(user=request.user)
    if context["home_role"] == Role.OFFICIAL:
        context.update(overview_context(user=request.user, township=None, year=parse_year("")))
    return render(request, "core/home.html", context)


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """Report the database, the broker and the workers; 503 when any is down."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
