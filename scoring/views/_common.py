from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from areas.models import County
from areas.selectors import county_for_user
from core.quarters import Quarter, parse_quarter
from scoring.selectors import current_quarter


def quarter_param(data) -> Quarter:
    """The quarter a request names ("2026Q3"), the current one when it names none or nonsense."""
    return parse_quarter(data.get("quarter")) or current_quarter()


def county_param(request, data=None) -> County:
    """The county whose programme the request is about: the user's own, or (a city's or a
    province's staff) the one it names among theirs; 404 for a user who serves none."""
    data = request.GET if data is None else data
    county = county_for_user(request.user, data.get("county"))
    if county is None:
        raise Http404
    return county


def county_and_choices(request, data=None) -> tuple[County, list[County]]:
    """The request's county (as `county_param`) and the counties the user may switch between,
    read in one query."""
    data = request.GET if data is None else data
    choices = list(County.objects.visible_to(request.user).order_by("code"))
    if not choices:
        raise Http404
    requested = str(data.get("county") or "")
    chosen = next((c for c in choices if requested.isdigit() and c.pk == int(requested)), None)
    return chosen or choices[0], choices


def year_param(data) -> int:
    try:
        year = int(data.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)
