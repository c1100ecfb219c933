"""Masking of sensitive identifiers for display, exports and logs."""

import re

# A percent-escape (once or twice encoded, as in `?next=/x/%3Fq%3D...`) also starts a number:
# access log lines quote URLs.
_AFTER_ESCAPE = r"(?<=%[0-9A-Fa-f]{2})|(?<=%25[0-9A-Fa-f]{2})"
# An 18-character resident ID number not glued to other letters or digits.
ID_NUMBER_RE = re.compile(rf"(?:{_AFTER_ESCAPE}|(?<![0-9A-Za-z]))(\d{{17}}[\dXx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(rf"(?:{_AFTER_ESCAPE}|(?<!\d))(1[3-9]\d{{9}})(?!\d)")


def mask_id_number(value: str) -> str:
    """Show the first 3 and last 4 characters of an ID number (hides the birth date)."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_mobile(value: str) -> str:
    """Show a mobile number as 138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_sensitive_text(text: str) -> str:
    """Mask every ID number and mobile number found in free text."""
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(1)), text)
    return MOBILE_RE.sub(lambda m: mask_mobile(m.group(1)), text)
