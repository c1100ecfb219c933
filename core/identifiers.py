"""Validation and normalisation of Chinese identifiers: ID numbers, credit codes, mobiles.

Every ``validate_*`` function returns the normalised value or raises a ``ValidationError``
whose message (a module-level constant) tells the user in Chinese what to fix.
"""

import operator
import re
from collections.abc import Callable
from datetime import date
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from core.text import match_key

# --- User-facing messages (Simplified Chinese; %(name)s placeholders are filled via params) ---

ID_NUMBER_LENGTH_MESSAGE = "身份证号应为18位，当前为%(length)s位，请检查是否多输或漏输。"
ID_NUMBER_BODY_MESSAGE = "身份证号前17位只能是数字，请删除或改正其中的字母和符号。"
ID_NUMBER_LAST_CHAR_MESSAGE = "身份证号最后一位只能是数字或字母X，请核对。"
ID_NUMBER_AREA_MESSAGE = "身份证号前6位是地区码，第1位不能为0，请核对。"
ID_NUMBER_BIRTH_DATE_MESSAGE = (
    "身份证号第7至14位应为出生日期（年月日，如19491231），当前不是有效日期，请核对年、月、日。"
)
ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE = "身份证号中的出生日期（第7至14位）晚于今天，请核对。"
ID_NUMBER_BIRTH_DATE_TOO_EARLY_MESSAGE = (
    "身份证号中的出生日期（第7至14位）早于1900年1月1日，请核对。"
)
ID_NUMBER_CHECKSUM_MESSAGE = "身份证号未通过校验，可能有数字输错或前后颠倒，请对照身份证逐位核对。"

CREDIT_CODE_LENGTH_MESSAGE = "统一社会信用代码应为18位，当前为%(length)s位，请检查是否多输或漏输。"
CREDIT_CODE_CHARS_MESSAGE = (
    "统一社会信用代码含有不允许的字符：%(chars)s。"
    "代码只能由数字和大写字母组成，且不能含有字母 I、O、Z、S、V"
    "（字母 I、O 多为数字 1、0 之误），请改正。"
)
CREDIT_CODE_AUTHORITY_MESSAGE = (
    "统一社会信用代码第1位是登记管理部门代码，只能是数字1–9或字母A、N、Y，请核对。"
)
CREDIT_CODE_AREA_MESSAGE = "统一社会信用代码第3至8位是行政区划码，只能是数字，请核对。"
CREDIT_CODE_CHECKSUM_MESSAGE = (
    "统一社会信用代码未通过校验，可能有字符输错或前后颠倒，请对照登记证书逐位核对。"
)

MOBILE_CHARS_MESSAGE = "手机号只能包含数字，请删除其中的字母和符号。"
MOBILE_LENGTH_MESSAGE = (
    "手机号应为11位数字，以13–19开头，当前为%(length)s位，请检查是否多输或漏输。"
)
MOBILE_PREFIX_MESSAGE = "手机号应为11位数字，以13–19开头，请核对前两位。"

# --- Error codes ---

ID_NUMBER_CODE = "invalid_id_number"
CREDIT_CODE_CODE = "invalid_credit_code"
MOBILE_CODE = "invalid_mobile"

# --- Resident ID number, GB 11643 (ISO 7064 MOD 11-2) ---

ID_NUMBER_LENGTH = 18
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# --- Unified social credit code, GB 32100 (MOD 31) ---

CREDIT_CODE_LENGTH = 18
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
REGISTRATION_AUTHORITY_CODES = "123456789ANY"
CIVIL_AFFAIRS_AUTHORITY_CODE = "5"
CIVIL_AFFAIRS_LEGAL_FORMS = {
    "1": "社会团体",
    "2": "社会服务机构（民办非企业单位）",
    "3": "基金会",
    "9": "其他",
}

# --- Mobile numbers ---

MOBILE_RE = re.compile(r"1[3-9]\d{9}")
MOBILE_LENGTH = 11
_MOBILE_SEPARATORS_RE = re.compile(r"[\s\-\u2010-\u2015\u2212()\[\]]")
_MOBILE_COUNTRY_PREFIXES = ("+86", "0086")
_MOBILE_BARE_COUNTRY_PREFIX = "86"

_WHITESPACE_RE = re.compile(r"\s+")


def _compact(value: str) -> str:
    """NFKC-normalise an identifier, remove all inner whitespace and upper-case it."""
    return _WHITESPACE_RE.sub("", match_key(value)).upper()


def _invalid(message: str, code: str, **params: object) -> ValidationError:
    """Build a ValidationError, passing params only when the message has placeholders."""
    return ValidationError(message, code=code, params=params or None)


# --- Resident ID number ---


def normalize_id_number(value: str) -> str:
    """Normalise an ID number: NFKC, no whitespace, lower-case x as X."""
    return _compact(value)


def id_number_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of an ID number."""
    if len(first17) != len(ID_NUMBER_WEIGHTS) or not (first17.isascii() and first17.isdigit()):
        raise ValueError("first17 must be exactly 17 ASCII digits")
    # the lengths are equal (checked above); map() keeps the loop in C for an import's rows
    total = sum(map(operator.mul, map(int, first17), ID_NUMBER_WEIGHTS))
    return ID_NUMBER_CHECK_CHARS[total % 11]


def _id_number_error(message: str, **params: object) -> ValidationError:
    """Build an ID-number ValidationError."""
    return _invalid(message, ID_NUMBER_CODE, **params)


def _check_id_number_format(number: str) -> None:
    """Reject ID numbers with the wrong length or characters."""
    if len(number) != ID_NUMBER_LENGTH:
        raise _id_number_error(ID_NUMBER_LENGTH_MESSAGE, length=len(number))
    body = number[:17]
    if not (body.isascii() and body.isdigit()):
        raise _id_number_error(ID_NUMBER_BODY_MESSAGE)
    if number[17] not in "0123456789X":
        raise _id_number_error(ID_NUMBER_LAST_CHAR_MESSAGE)
    if number[0] == "0":
        raise _id_number_error(ID_NUMBER_AREA_MESSAGE)


def _parse_birth_date(number: str, today: date) -> date:
    """Return the birth date in positions 7-14, rejecting impossible or out-of-range dates."""
    digits = number[6:14]
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _id_number_error(ID_NUMBER_BIRTH_DATE_MESSAGE) from None
    if born < EARLIEST_BIRTH_DATE:
        raise _id_number_error(ID_NUMBER_BIRTH_DATE_TOO_EARLY_MESSAGE)
    if born > today:
        raise _id_number_error(ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE)
    return born


def validate_id_number(value: str, *, today: date | None = None) -> str:
    """Return the normalised ID number or raise ValidationError saying what to fix."""
    number = normalize_id_number(value)
    _check_id_number_format(number)
    _parse_birth_date(number, today or timezone.localdate())
    if id_number_check_char(number[:17]) != number[17]:
        raise _id_number_error(ID_NUMBER_CHECKSUM_MESSAGE)
    return number


def birth_date_and_gender(number: str) -> tuple[date, str]:
    """The birth date and "男"/"女" of an ID number `validate_id_number` already returned.

    No second validation: an import checks tens of thousands of numbers, and validating each
    three times (here and in the two functions below) was a third of its preview.
    """
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return born, "男" if int(number[16]) % 2 else "女"


def birth_date_from_id(value: str) -> date:
    """Return the birth date of a valid ID number (raises ValidationError if invalid)."""
    return birth_date_and_gender(validate_id_number(value))[0]


def gender_from_id(value: str) -> str:
    """Return "男" or "女" from the 17th digit of a valid ID number (odd means male)."""
    return birth_date_and_gender(validate_id_number(value))[1]


# --- Unified social credit code ---


def normalize_credit_code(value: str) -> str:
    """Normalise a credit code: NFKC, no whitespace, upper case."""
    return _compact(value)


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a credit code."""
    if len(first17) != len(CREDIT_CODE_WEIGHTS) or any(
        char not in CREDIT_CODE_ALPHABET for char in first17
    ):
        raise ValueError("first17 must be exactly 17 characters of the credit-code alphabet")
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _credit_code_error(message: str, **params: object) -> ValidationError:
    """Build a credit-code ValidationError."""
    return _invalid(message, CREDIT_CODE_CODE, **params)


def _illegal_credit_code_chars(code: str) -> list[str]:
    """Return the distinct characters outside the credit-code alphabet, in order of appearance."""
    return list(dict.fromkeys(char for char in code if char not in CREDIT_CODE_ALPHABET))


def validate_credit_code(value: str) -> str:
    """Return the normalised credit code or raise ValidationError saying what to fix."""
    code = normalize_credit_code(value)
    if len(code) != CREDIT_CODE_LENGTH:
        raise _credit_code_error(CREDIT_CODE_LENGTH_MESSAGE, length=len(code))
    illegal = _illegal_credit_code_chars(code)
    if illegal:
        raise _credit_code_error(CREDIT_CODE_CHARS_MESSAGE, chars="、".join(illegal))
    if code[0] not in REGISTRATION_AUTHORITY_CODES:
        raise _credit_code_error(CREDIT_CODE_AUTHORITY_MESSAGE)
    if not code[2:8].isdigit():
        raise _credit_code_error(CREDIT_CODE_AREA_MESSAGE)
    if credit_code_check_char(code[:17]) != code[17]:
        raise _credit_code_error(CREDIT_CODE_CHECKSUM_MESSAGE)
    return code


def is_civil_affairs_code(code: str) -> bool:
    """Tell whether a credit code was issued by civil affairs (first character "5")."""
    return normalize_credit_code(code).startswith(CIVIL_AFFAIRS_AUTHORITY_CODE)


def credit_code_legal_form(code: str) -> str | None:
    """Return the civil-affairs legal form named by the second character, or None."""
    code = normalize_credit_code(code)
    if len(code) < 2 or not is_civil_affairs_code(code):
        return None
    return CIVIL_AFFAIRS_LEGAL_FORMS.get(code[1])


# --- Mobile numbers ---


def _strip_country_prefix(number: str) -> str:
    """Remove a leading +86 / 0086, or a bare 86 in front of 11 more digits."""
    for prefix in _MOBILE_COUNTRY_PREFIXES:
        if number.startswith(prefix):
            return number[len(prefix) :]
    bare = _MOBILE_BARE_COUNTRY_PREFIX
    if number.startswith(bare) and len(number) == len(bare) + MOBILE_LENGTH:
        return number[len(bare) :]
    return number


def normalize_mobile(value: str) -> str:
    """Normalise a mobile: NFKC, no spaces/dashes/brackets, no +86 / 0086 / 86 prefix."""
    number = _MOBILE_SEPARATORS_RE.sub("", match_key(value))
    return _strip_country_prefix(number)


def validate_mobile(value: str) -> str:
    """Return the normalised mainland mobile number or raise ValidationError."""
    number = normalize_mobile(value)
    if number and not (number.isascii() and number.isdigit()):
        raise _invalid(MOBILE_CHARS_MESSAGE, MOBILE_CODE)
    if len(number) != MOBILE_LENGTH:
        raise _invalid(MOBILE_LENGTH_MESSAGE, MOBILE_CODE, length=len(number))
    if not MOBILE_RE.fullmatch(number):
        raise _invalid(MOBILE_PREFIX_MESSAGE, MOBILE_CODE)
    return number


# --- Django validators for model and form fields ---


class _IdentifierValidator:
    """Base for callable validators that delegate to a validate_* function."""

    check: ClassVar[Callable[[str], str]]

    def __call__(self, value: str) -> None:
        """Raise ValidationError if the value is invalid."""
        self.check(value)

    def __eq__(self, other: object) -> bool:
        """Compare equal to validators of the same class (keeps migrations stable)."""
        return type(self) is type(other)

    def __hash__(self) -> int:
        """Hash by class, consistent with __eq__."""
        return hash(type(self))


@deconstructible
class IdNumberValidator(_IdentifierValidator):
    """Validate a resident ID number (GB 11643)."""

    check = staticmethod(validate_id_number)


@deconstructible
class CreditCodeValidator(_IdentifierValidator):
    """Validate a unified social credit code (GB 32100)."""

    check = staticmethod(validate_credit_code)


@deconstructible
class MobileValidator(_IdentifierValidator):
    """Validate a mainland China mobile number."""

    check = staticmethod(validate_mobile)
