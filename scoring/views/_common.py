from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from areas.models import County
from areas.selectors import counties_and_choice
from core.quarters import Quarter, parse_quarter
from scoring.selectors import current_quarter


def quarter_param(data) -> Quarter:
    """The quarter a request names ("2026Q3"), the current one when it names none or nonsense."""
    return parse_quarter(data.get("quarter")) or current_quarter()


def county_and_choices(request, data=None) -> tuple[County, list[County]]:
    """The county the request is about (`areas.selectors.counties_and_choice`: the user's
    own, or the one it names among theirs) and the counties to switch between; 404 for a user
    who serves none."""
    data = request.GET if data is None else data
    county, choices = counties_and_choice(request.user, data.get("county"))
    if county is None:
        raise Http404
    return county, choices


def county_param(request, data=None) -> County:
    """The county the request is about (`county_and_choices`)."""
    return county_and_choices(request, data)[0]


def year_param(data) -> int:
    try:
        year = int(data.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)
