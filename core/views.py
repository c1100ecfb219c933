from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import health_report


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """Report the database, the broker and the workers; 503 when any is down."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
