"""What the activity pages share."""

from django.core.exceptions import ValidationError

from core.paging import DEFAULT_CAP

PAGE_SIZE = 25
# County-wide lists count at most this many rows (and say "more than" beyond it).
LIST_CAP = DEFAULT_CAP


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)
