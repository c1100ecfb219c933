from django.core.exceptions import ValidationError
from django.utils import timezone

from core.quarters import Quarter, parse_quarter
from scoring.selectors import current_quarter


def quarter_param(data) -> Quarter:
    """The quarter a request names ("2026Q3"), the current one when it names none or nonsense."""
    return parse_quarter(data.get("quarter")) or current_quarter()


def year_param(data) -> int:
    try:
        year = int(data.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)
