"""Tests for core.identifiers: resident ID numbers, credit codes and mobile numbers."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.identifiers import (
    CREDIT_CODE_ALPHABET,
    CREDIT_CODE_AREA_MESSAGE,
    CREDIT_CODE_AUTHORITY_MESSAGE,
    CREDIT_CODE_CHARS_MESSAGE,
    CREDIT_CODE_CHECKSUM_MESSAGE,
    CREDIT_CODE_LENGTH_MESSAGE,
    CREDIT_CODE_WEIGHTS,
    ID_NUMBER_AREA_MESSAGE,
    ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE,
    ID_NUMBER_BIRTH_DATE_MESSAGE,
    ID_NUMBER_BIRTH_DATE_TOO_EARLY_MESSAGE,
    ID_NUMBER_BODY_MESSAGE,
    ID_NUMBER_CHECK_CHARS,
    ID_NUMBER_CHECKSUM_MESSAGE,
    ID_NUMBER_LAST_CHAR_MESSAGE,
    ID_NUMBER_LENGTH_MESSAGE,
    ID_NUMBER_WEIGHTS,
    MOBILE_CHARS_MESSAGE,
    MOBILE_LENGTH_MESSAGE,
    MOBILE_PREFIX_MESSAGE,
    CreditCodeValidator,
    IdNumberValidator,
    MobileValidator,
    birth_date_from_id,
    credit_code_check_char,
    credit_code_legal_form,
    gender_from_id,
    id_number_check_char,
    is_civil_affairs_code,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

DIGITS = "0123456789"
FIXED_TODAY = date(2024, 5, 1)

# GB 11643-1999's own worked example, plus fabricated numbers with correct check characters.
VALID_ID_NUMBERS = [
    "11010519491231002X",
    "331082198506151235",
    "331082200002290047",
    "33108219900101001X",
    "331082197511230515",
    "33108220200229002X",
    "331082190012300070",
    "370202198808081231",
    "520102199503174565",
]

# GB 32100's worked example, published codes, and fabricated civil-affairs codes (51/52/53/59).
VALID_CREDIT_CODES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "121200004013590816",
    "91310115MA1K3BTP2B",
    "9115220107837941X1",
    "92340603MA2UK2ECXU",
    "51331082MJ90000120",
    "51331082MJA12345XC",
    "52331082MJ87654324",
    "53330000MJC00001KU",
    "59331082MJ9000045K",
]


def rejection(validate: Callable[..., object], value: str, **kwargs: object) -> ValidationError:
    """Return the ValidationError raised by validate(value)."""
    with pytest.raises(ValidationError) as excinfo:
        validate(value, **kwargs)
    return excinfo.value


def is_rejected(validate: Callable[[str], object], value: str) -> bool:
    """Tell whether validate(value) raises ValidationError."""
    try:
        validate(value)
    except ValidationError:
        return True
    return False


def with_id_check(first17: str) -> str:
    """Append the correct check character to 17 ID-number digits."""
    return first17 + id_number_check_char(first17)


def with_credit_check(first17: str) -> str:
    """Append the correct check character to 17 credit-code characters."""
    return first17 + credit_code_check_char(first17)


def substitute(value: str, position: int, char: str) -> str:
    """Replace the character at position (0-based)."""
    return value[:position] + char + value[position + 1 :]


def swap_with_next(value: str, position: int) -> str:
    """Swap the characters at position and position + 1 (0-based)."""
    return value[:position] + value[position + 1] + value[position] + value[position + 2 :]


def expected_birth_date_message(number: str) -> str | None:
    """Return the birth-date message expected for positions 7-14, or None if the date is fine."""
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return ID_NUMBER_BIRTH_DATE_MESSAGE
    if born < date(1900, 1, 1):
        return ID_NUMBER_BIRTH_DATE_TOO_EARLY_MESSAGE
    if born > timezone.localdate():
        return ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE
    return None


# --- Message wording ---


@pytest.mark.parametrize(
    ("constant", "wording"),
    [
        (ID_NUMBER_LENGTH_MESSAGE, "身份证号应为18位，当前为%(length)s位，请检查是否多输或漏输。"),
        (ID_NUMBER_BODY_MESSAGE, "身份证号前17位只能是数字，请删除或改正其中的字母和符号。"),
        (ID_NUMBER_LAST_CHAR_MESSAGE, "身份证号最后一位只能是数字或字母X，请核对。"),
        (ID_NUMBER_AREA_MESSAGE, "身份证号前6位是地区码，第1位不能为0，请核对。"),
        (
            ID_NUMBER_BIRTH_DATE_MESSAGE,
            "身份证号第7至14位应为出生日期（年月日，如19491231），当前不是有效日期，"
            "请核对年、月、日。",
        ),
        (
            ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE,
            "身份证号中的出生日期（第7至14位）晚于今天，请核对。",
        ),
        (
            ID_NUMBER_BIRTH_DATE_TOO_EARLY_MESSAGE,
            "身份证号中的出生日期（第7至14位）早于1900年1月1日，请核对。",
        ),
        (
            ID_NUMBER_CHECKSUM_MESSAGE,
            "身份证号未通过校验，可能有数字输错或前后颠倒，请对照身份证逐位核对。",
        ),
        (
            CREDIT_CODE_LENGTH_MESSAGE,
            "统一社会信用代码应为18位，当前为%(length)s位，请检查是否多输或漏输。",
        ),
        (
            CREDIT_CODE_CHARS_MESSAGE,
            "统一社会信用代码含有不允许的字符：%(chars)s。代码只能由数字和大写字母组成，"
            "且不能含有字母 I、O、Z、S、V（字母 I、O 多为数字 1、0 之误），请改正。",
        ),
        (
            CREDIT_CODE_AUTHORITY_MESSAGE,
            "统一社会信用代码第1位是登记管理部门代码，只能是数字1–9或字母A、N、Y，请核对。",
        ),
        (CREDIT_CODE_AREA_MESSAGE, "统一社会信用代码第3至8位是行政区划码，只能是数字，请核对。"),
        (
            CREDIT_CODE_CHECKSUM_MESSAGE,
            "统一社会信用代码未通过校验，可能有字符输错或前后颠倒，请对照登记证书逐位核对。",
        ),
        (MOBILE_CHARS_MESSAGE, "手机号只能包含数字，请删除其中的字母和符号。"),
        (
            MOBILE_LENGTH_MESSAGE,
            "手机号应为11位数字，以13–19开头，当前为%(length)s位，请检查是否多输或漏输。",
        ),
        (MOBILE_PREFIX_MESSAGE, "手机号应为11位数字，以13–19开头，请核对前两位。"),
    ],
)
def test_message_constants_keep_their_reviewed_wording(constant: str, wording: str) -> None:
    assert constant == wording


def test_checksum_messages_do_not_reveal_the_expected_check_character() -> None:
    error = rejection(validate_id_number, "110105194912310021")
    assert error.messages == [ID_NUMBER_CHECKSUM_MESSAGE]
    assert error.params is None
    error = rejection(validate_credit_code, "91350100M000100Y44")
    assert error.messages == [CREDIT_CODE_CHECKSUM_MESSAGE]
    assert error.params is None


# --- Resident ID number: check character ---


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        ("33108219850615123", "5"),
        ("33108220000229004", "7"),
        ("33108219900101001", "X"),
        ("33108219751123051", "5"),
        ("33108219001230007", "0"),
        ("33108219900101003", "6"),
        ("33108219900101005", "2"),
    ],
)
def test_id_number_check_char_follows_mod_11_2(first17: str, check: str) -> None:
    assert id_number_check_char(first17) == check


@pytest.mark.parametrize(
    "first17",
    [
        "",
        "1101051949123100",
        "110105194912310021",
        "1101051949123100X",
        "１１０１０５１９４９１２３１００２",
    ],
)
def test_id_number_check_char_requires_17_ascii_digits(first17: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        id_number_check_char(first17)


def test_id_number_weights_are_powers_of_two_mod_11() -> None:
    assert tuple(pow(2, 17 - i, 11) for i in range(17)) == ID_NUMBER_WEIGHTS


# --- Resident ID number: acceptance and normalisation ---


@pytest.mark.parametrize("number", VALID_ID_NUMBERS)
def test_valid_id_numbers_are_accepted_unchanged(number: str) -> None:
    assert validate_id_number(number) == number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        (" 11010519491231002X ", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        ("\u300011010519491231002x\u3000", "11010519491231002X"),
        ("\ufeff11010519491231002X\u200b", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("33108219900101001x", "33108219900101001X"),
        ("3310 8219 8506 1512 35", "331082198506151235"),
    ],
)
def test_id_number_input_is_normalised_before_validation(raw: str, expected: str) -> None:
    assert normalize_id_number(raw) == expected
    assert validate_id_number(raw) == expected


# --- Resident ID number: rejections with exact messages ---


@pytest.mark.parametrize(
    ("value", "length"),
    [
        ("", 0),
        ("   ", 0),
        ("1", 1),
        ("110105491231002", 15),
        ("1101051949123100", 16),
        ("11010519491231002", 17),
        ("11010519491231002X1", 19),
        ("11010519491231002XX", 19),
        ("110105194912310021234", 21),
    ],
)
def test_id_number_must_have_18_characters(value: str, length: int) -> None:
    error = rejection(validate_id_number, value)
    assert error.code == "invalid_id_number"
    assert error.messages == [f"身份证号应为18位，当前为{length}位，请检查是否多输或漏输。"]


@pytest.mark.parametrize(
    "value",
    [
        "A1010519491231002X",
        "11O10519491231002X",
        "1101051949I231002X",
        "11010519491231-02X",
        "1101051949123100XX",
        "１１０１０５１９４９１２３１００Ａ２",
        "1101051949123١002X",
    ],
)
def test_id_number_first_17_characters_must_be_digits(value: str) -> None:
    assert rejection(validate_id_number, value).messages == [ID_NUMBER_BODY_MESSAGE]


@pytest.mark.parametrize(
    "value",
    ["11010519491231002Y", "11010519491231002A", "11010519491231002*", "11010519491231002零"],
)
def test_id_number_last_character_must_be_digit_or_x(value: str) -> None:
    assert rejection(validate_id_number, value).messages == [ID_NUMBER_LAST_CHAR_MESSAGE]


@pytest.mark.parametrize("first17", ["01010519491231002", "00000019491231002", "03108219850615123"])
def test_id_number_area_code_must_not_start_with_zero(first17: str) -> None:
    assert rejection(validate_id_number, with_id_check(first17)).messages == [
        ID_NUMBER_AREA_MESSAGE
    ]


@pytest.mark.parametrize(
    "birth",
    [
        "19490231",  # 31 February
        "19490230",  # 30 February
        "19490229",  # 1949 is not a leap year
        "19000229",  # 1900 is not a leap year (divisible by 100, not by 400)
        "19491301",  # month 13
        "19490001",  # month 0
        "19490100",  # day 0
        "19490431",  # April has 30 days
        "19491232",  # day 32
        "00000000",
    ],
)
def test_id_number_birth_date_must_be_a_real_date(birth: str) -> None:
    number = with_id_check(f"110105{birth}002")
    assert rejection(validate_id_number, number).messages == [ID_NUMBER_BIRTH_DATE_MESSAGE]


@pytest.mark.parametrize("birth", ["20240502", "20240601", "20250101", "29991231"])
def test_id_number_birth_date_must_not_be_in_the_future(birth: str) -> None:
    number = with_id_check(f"331082{birth}002")
    error = rejection(validate_id_number, number, today=FIXED_TODAY)
    assert error.messages == [ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE]


def test_id_number_birth_date_in_the_future_is_rejected_against_the_real_today() -> None:
    number = with_id_check("33108229991231002")
    assert rejection(validate_id_number, number).messages == [ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE]


@pytest.mark.parametrize("birth", ["20240501", "20240430", "19000101", "20000229"])
def test_id_number_birth_date_today_and_earlier_back_to_1900_is_accepted(birth: str) -> None:
    number = with_id_check(f"331082{birth}002")
    assert validate_id_number(number, today=FIXED_TODAY) == number


@pytest.mark.parametrize(
    "number",
    [
        "440524188001010014",  # GB 11643-1999's second worked example: born 1880
        with_id_check("11010518991231002"),
        with_id_check("11010508000101002"),
    ],
)
def test_id_number_birth_date_must_not_be_before_1900(number: str) -> None:
    assert rejection(validate_id_number, number).messages == [
        ID_NUMBER_BIRTH_DATE_TOO_EARLY_MESSAGE
    ]


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",
        "110105194912310020",
        "110105194912310029",
        "331082198506151234",
        "33108219850615123X",
        "331082200002290040",
        "331082199001010010",
    ],
)
def test_id_number_with_wrong_check_character_is_rejected(value: str) -> None:
    error = rejection(validate_id_number, value)
    assert error.code == "invalid_id_number"
    assert error.messages == [ID_NUMBER_CHECKSUM_MESSAGE]


# --- Resident ID number: error detection power ---


@pytest.mark.parametrize("number", VALID_ID_NUMBERS)
@pytest.mark.parametrize("position", range(18))
def test_id_number_every_single_substitution_at_every_position_is_rejected(
    number: str, position: int
) -> None:
    allowed = "123456789" if position == 0 else DIGITS + ("X" if position == 17 else "")
    accepted = []
    for char in allowed.replace(number[position], ""):
        candidate = substitute(number, position, char)
        if not is_rejected(validate_id_number, candidate):
            accepted.append(candidate)
            continue
        expected = expected_birth_date_message(candidate) or ID_NUMBER_CHECKSUM_MESSAGE
        assert rejection(validate_id_number, candidate).messages == [expected], candidate
    assert accepted == []


@pytest.mark.parametrize("number", VALID_ID_NUMBERS)
@pytest.mark.parametrize("position", range(17))
def test_id_number_check_character_alone_catches_every_single_digit_substitution(
    number: str, position: int
) -> None:
    for digit in DIGITS.replace(number[position], ""):
        candidate = substitute(number, position, digit)
        assert id_number_check_char(candidate[:17]) != candidate[17], candidate


def test_mod_11_2_catches_every_single_substitution_in_any_id_number() -> None:
    # Sum of weight * value over all 18 places is 1 (mod 11), the check place having weight 1.
    # Changing one value by delta (1..9 for digits, 1..10 at the check place) changes that sum
    # by weight * delta, which 11 (a prime) never divides because weight and delta are 1..10.
    weights = (*ID_NUMBER_WEIGHTS, 1)
    for place, weight in enumerate(weights):
        max_delta = 10 if place == 17 else 9
        assert all(weight * delta % 11 for delta in range(1, max_delta + 1)), place


@pytest.mark.parametrize("position", range(17))
def test_id_number_every_adjacent_transposition_is_rejected(position: int) -> None:
    swapped = [
        swap_with_next(number, position)
        for number in VALID_ID_NUMBERS
        if number[position] != number[position + 1]
    ]
    assert swapped, "no sample differs at this pair of positions"
    assert [
        candidate for candidate in swapped if not is_rejected(validate_id_number, candidate)
    ] == []


@pytest.mark.parametrize("position", range(16))
def test_id_number_check_character_alone_catches_every_adjacent_transposition(
    position: int,
) -> None:
    for number in VALID_ID_NUMBERS:
        for a in DIGITS:
            for b in DIGITS.replace(a, ""):
                first17 = number[:position] + a + b + number[position + 2 : 17]
                swapped = first17[:position] + b + a + first17[position + 2 :]
                assert id_number_check_char(first17) != id_number_check_char(swapped)


def test_mod_11_2_catches_every_adjacent_transposition_in_any_id_number() -> None:
    # Swapping values a != b at places i, i + 1 changes the weighted sum by
    # (w[i] - w[i + 1]) * (b - a). Weights are powers of 2 mod 11, so w[i] = 2 * w[i + 1] and the
    # difference is w[i + 1] itself, never 0 mod 11; the last pair has weights 2 and 1.
    weights = (*ID_NUMBER_WEIGHTS, 1)
    for place in range(17):
        difference = weights[place] - weights[place + 1]
        assert all(difference * delta % 11 for delta in range(1, 10)), place


def test_id_number_check_chars_are_a_permutation_of_the_eleven_values() -> None:
    assert sorted(ID_NUMBER_CHECK_CHARS) == sorted("0123456789X")


# --- Resident ID number: extraction ---


@pytest.mark.parametrize(
    ("number", "born", "gender"),
    [
        ("11010519491231002X", date(1949, 12, 31), "女"),
        ("11010519491231002x", date(1949, 12, 31), "女"),
        ("331082198506151235", date(1985, 6, 15), "男"),
        ("331082200002290047", date(2000, 2, 29), "女"),
        ("33108219900101001X", date(1990, 1, 1), "男"),
        ("331082197511230515", date(1975, 11, 23), "男"),
        ("33108220200229002X", date(2020, 2, 29), "女"),
        ("331082190012300070", date(1900, 12, 30), "男"),
        ("370202198808081231", date(1988, 8, 8), "男"),
        ("520102199503174565", date(1995, 3, 17), "女"),
        ("１１０１０５１９４９１２３１００２Ｘ", date(1949, 12, 31), "女"),
    ],
)
def test_birth_date_and_gender_are_read_from_the_id_number(
    number: str, born: date, gender: str
) -> None:
    assert birth_date_from_id(number) == born
    assert gender_from_id(number) == gender


@pytest.mark.parametrize(("digit", "gender"), [(d, "男" if d % 2 else "女") for d in range(10)])
def test_gender_is_male_for_odd_17th_digit_and_female_for_even(digit: int, gender: str) -> None:
    assert gender_from_id(with_id_check(f"3310821985061512{digit}")) == gender


@pytest.mark.parametrize("extract", [birth_date_from_id, gender_from_id])
@pytest.mark.parametrize("value", ["110105194912310021", "11010519490231002X", "", "abc"])
def test_extraction_from_an_invalid_id_number_raises_validation_error(
    extract: Callable[[str], object], value: str
) -> None:
    rejection(extract, value)


# --- Unified social credit code: check character ---


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("91350100M000100Y4", "3"),
        ("91110000600037341", "L"),
        ("12120000401359081", "6"),
        ("91310115MA1K3BTP2", "B"),
        ("9115220107837941X", "1"),
        ("92340603MA2UK2ECX", "U"),
        ("51331082MJ9000012", "0"),
        ("52331082MJ8765432", "4"),
        ("53330000MJC00001K", "U"),
        ("59331082MJ9000045", "K"),
        ("53100000MJ0001234", "X"),
        ("51331082MJ1234567", "Q"),
    ],
)
def test_credit_code_check_char_follows_gb_32100(first17: str, check: str) -> None:
    assert credit_code_check_char(first17) == check


@pytest.mark.parametrize(
    "first17",
    ["", "91350100M000100Y", "91350100M000100Y43", "91350100M00010OY4", "91350100m000100y4"],
)
def test_credit_code_check_char_requires_17_alphabet_characters(first17: str) -> None:
    with pytest.raises(ValueError, match="17 characters"):
        credit_code_check_char(first17)


def test_credit_code_alphabet_has_31_characters_without_i_o_z_s_v() -> None:
    assert len(CREDIT_CODE_ALPHABET) == len(set(CREDIT_CODE_ALPHABET)) == 31
    assert not set("IOZSV") & set(CREDIT_CODE_ALPHABET)


def test_credit_code_weights_are_powers_of_three_mod_31() -> None:
    assert tuple(pow(3, i, 31) for i in range(17)) == CREDIT_CODE_WEIGHTS


# --- Unified social credit code: acceptance and normalisation ---


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_valid_credit_codes_are_accepted_unchanged(code: str) -> None:
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100m000100y43", "91350100M000100Y43"),
        (" 91350100M000100Y43 ", "91350100M000100Y43"),
        ("91 350100 M000100Y4 3", "91350100M000100Y43"),
        ("\u300091350100M000100Y43\u3000", "91350100M000100Y43"),
        ("\ufeff91350100M000100Y43\u200b", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
        ("９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"),
        ("51331082mj90000120", "51331082MJ90000120"),
    ],
)
def test_credit_code_input_is_normalised_before_validation(raw: str, expected: str) -> None:
    assert normalize_credit_code(raw) == expected
    assert validate_credit_code(raw) == expected


# --- Unified social credit code: rejections with exact messages ---


@pytest.mark.parametrize(
    ("value", "length"),
    [
        ("", 0),
        ("9", 1),
        ("913501000000100", 15),
        ("91350100M000100Y4", 17),
        ("91350100M000100Y433", 19),
        ("M000100Y4", 9),
    ],
)
def test_credit_code_must_have_18_characters(value: str, length: int) -> None:
    error = rejection(validate_credit_code, value)
    assert error.code == "invalid_credit_code"
    assert error.messages == [f"统一社会信用代码应为18位，当前为{length}位，请检查是否多输或漏输。"]


@pytest.mark.parametrize(
    ("value", "chars"),
    [
        ("9135O100M000100Y43", "O"),
        ("9135o100M000100Y43", "O"),
        ("91350100MI00100Y43", "I"),
        ("91350100M000100Z43", "Z"),
        ("91350100M0001S0Y43", "S"),
        ("91350100MV00100Y43", "V"),
        ("91350100MOIZSV0Y43", "O、I、Z、S、V"),
        ("9135O1O0M000100YO3", "O"),
        ("91350100M0001-0Y43", "-"),
        ("91350100M000100Y4!", "!"),
        ("91350100M000100Y4三", "三"),
        ("9I350100M0001O0Y43", "I、O"),
    ],
)
def test_credit_code_illegal_characters_are_named(value: str, chars: str) -> None:
    error = rejection(validate_credit_code, value)
    assert error.code == "invalid_credit_code"
    assert error.messages == [
        f"统一社会信用代码含有不允许的字符：{chars}。代码只能由数字和大写字母组成，"
        "且不能含有字母 I、O、Z、S、V（字母 I、O 多为数字 1、0 之误），请改正。"
    ]


@pytest.mark.parametrize("first_char", ["0", "B", "C", "M", "X"])
def test_credit_code_first_character_must_be_a_registration_authority(first_char: str) -> None:
    code = with_credit_check(f"{first_char}1350100M000100Y4")
    assert rejection(validate_credit_code, code).messages == [CREDIT_CODE_AUTHORITY_MESSAGE]


@pytest.mark.parametrize("area", ["A50100", "35010L", "3501Y0", "MA1K3B"])
def test_credit_code_positions_3_to_8_must_be_digits(area: str) -> None:
    code = with_credit_check(f"91{area}M000100Y4")
    assert rejection(validate_credit_code, code).messages == [CREDIT_CODE_AREA_MESSAGE]


@pytest.mark.parametrize(
    "value",
    [
        "91350100M000100Y44",
        "91350100M000100Y4X",
        "91350100M000100Y40",
        "51331082MJ90000121",
        "52331082MJ8765432Y",
        "53330000MJC00001K0",
    ],
)
def test_credit_code_with_wrong_check_character_is_rejected(value: str) -> None:
    error = rejection(validate_credit_code, value)
    assert error.code == "invalid_credit_code"
    assert error.messages == [CREDIT_CODE_CHECKSUM_MESSAGE]


# --- Unified social credit code: error detection power ---


def credit_code_allowed_chars(position: int) -> str:
    """Return the characters the structure allows at a 0-based credit-code position."""
    if position == 0:
        return "123456789ANY"
    if 2 <= position <= 7:
        return DIGITS
    return CREDIT_CODE_ALPHABET


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
@pytest.mark.parametrize("position", range(18))
def test_credit_code_every_single_substitution_at_every_position_is_rejected(
    code: str, position: int
) -> None:
    accepted = []
    for char in credit_code_allowed_chars(position).replace(code[position], ""):
        candidate = substitute(code, position, char)
        if not is_rejected(validate_credit_code, candidate):
            accepted.append(candidate)
            continue
        error = rejection(validate_credit_code, candidate)
        assert error.messages == [CREDIT_CODE_CHECKSUM_MESSAGE], candidate
    assert accepted == []


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
@pytest.mark.parametrize("position", range(17))
def test_credit_code_check_character_alone_catches_every_single_substitution(
    code: str, position: int
) -> None:
    for char in CREDIT_CODE_ALPHABET.replace(code[position], ""):
        candidate = substitute(code, position, char)
        assert credit_code_check_char(candidate[:17]) != candidate[17], candidate


def test_mod_31_catches_every_single_substitution_in_any_credit_code() -> None:
    # Sum of weight * value over all 18 places is 0 (mod 31), the check place having weight 1.
    # A change by delta in 1..30 changes it by weight * delta; 31 is prime and both are 1..30.
    weights = (*CREDIT_CODE_WEIGHTS, 1)
    for place, weight in enumerate(weights):
        assert all(weight * delta % 31 for delta in range(1, 31)), place


@pytest.mark.parametrize("position", range(17))
def test_credit_code_every_adjacent_transposition_is_rejected(position: int) -> None:
    swapped = [
        swap_with_next(code, position)
        for code in VALID_CREDIT_CODES
        if code[position] != code[position + 1]
    ]
    assert swapped, "no sample differs at this pair of positions"
    rejected = [candidate for candidate in swapped if is_rejected(validate_credit_code, candidate)]
    assert rejected == swapped


@pytest.mark.parametrize("position", range(16))
def test_credit_code_check_character_alone_catches_every_adjacent_transposition(
    position: int,
) -> None:
    code = VALID_CREDIT_CODES[0]
    for a in CREDIT_CODE_ALPHABET:
        for b in CREDIT_CODE_ALPHABET.replace(a, ""):
            first17 = code[:position] + a + b + code[position + 2 : 17]
            swapped = first17[:position] + b + a + first17[position + 2 :]
            assert credit_code_check_char(first17) != credit_code_check_char(swapped)


def test_mod_31_catches_every_adjacent_transposition_in_any_credit_code() -> None:
    # Weights are powers of 3 mod 31, so w[i + 1] - w[i] = 2 * w[i], never 0 mod 31; the last
    # pair (place 17 with weight 28, check place with weight 1) differs by 27.
    weights = (*CREDIT_CODE_WEIGHTS, 1)
    for place in range(17):
        difference = weights[place] - weights[place + 1]
        assert all(difference * delta % 31 for delta in range(1, 31)), place


# --- Unified social credit code: civil affairs ---


@pytest.mark.parametrize(
    ("code", "civil_affairs", "legal_form"),
    [
        ("51331082MJ90000120", True, "社会团体"),
        ("51331082MJA12345XC", True, "社会团体"),
        ("52331082MJ87654324", True, "社会服务机构（民办非企业单位）"),
        ("53330000MJC00001KU", True, "基金会"),
        ("59331082MJ9000045K", True, "其他"),
        ("54331082MJ90000120", True, None),
        ("5", True, None),
        ("91350100M000100Y43", False, None),
        ("121200004013590816", False, None),
        ("92340603MA2UK2ECXU", False, None),
        ("", False, None),
        ("５２３３１０８２ＭＪ８７６５４３２４", True, "社会服务机构（民办非企业单位）"),
        (" 53330000mjc00001ku", True, "基金会"),
    ],
)
def test_civil_affairs_codes_start_with_5_and_the_second_char_names_the_legal_form(
    code: str, civil_affairs: bool, legal_form: str | None
) -> None:
    assert is_civil_affairs_code(code) is civil_affairs
    assert credit_code_legal_form(code) == legal_form


# --- Mobile numbers ---


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("８６１３８１２３４５６７８", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086 138 1234 5678", "13812345678"),
        ("(+86) 138 1234 5678", "13812345678"),
        ("（+86）138 1234 5678", "13812345678"),
        ("＋８６ １３８ １２３４ ５６７８", "13812345678"),
        ("86-138-1234-5678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138\u30001234\u30005678", "13812345678"),
        ("138—1234—5678", "13812345678"),
        ("138–1234–5678", "13812345678"),
        ("138－1234－5678", "13812345678"),
        ("\ufeff13812345678\u200b", "13812345678"),
        ("86123456789", "86123456789"),  # 11 digits: no prefix to strip
    ],
)
def test_normalize_mobile_removes_separators_and_country_prefix(raw: str, expected: str) -> None:
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "13012345678",
        "14512345678",
        "15912345678",
        "16612345678",
        "17712345678",
        "18812345678",
        "19912345678",
        "+86 138-1234-5678",
        "８６１３８１２３４５６７８",
    ],
)
def test_mobile_with_11_digits_starting_13_to_19_is_accepted(raw: str) -> None:
    assert validate_mobile(raw) == normalize_mobile(raw)


@pytest.mark.parametrize(
    ("value", "length"),
    [
        ("1381234567", 10),
        ("138123456789", 12),
        ("013812345678", 12),
        ("", 0),
        ("138", 3),
        ("+86 138-1234-567", 10),
    ],
)
def test_mobile_must_have_11_digits(value: str, length: int) -> None:
    error = rejection(validate_mobile, value)
    assert error.code == "invalid_mobile"
    assert error.messages == [
        f"手机号应为11位数字，以13–19开头，当前为{length}位，请检查是否多输或漏输。"
    ]


@pytest.mark.parametrize("value", ["12345678901", "10012345678", "11012345678", "12812345678"])
def test_mobile_must_start_with_13_to_19(value: str) -> None:
    error = rejection(validate_mobile, value)
    assert error.code == "invalid_mobile"
    assert error.messages == ["手机号应为11位数字，以13–19开头，请核对前两位。"]


@pytest.mark.parametrize(
    "value", ["138abcd5678", "138.1234.5678", "+1 415 555 0123", "１３８一二三四５６７８"]
)
def test_mobile_must_contain_only_digits(value: str) -> None:
    assert rejection(validate_mobile, value).messages == [MOBILE_CHARS_MESSAGE]


# --- Django validator classes ---


@pytest.mark.parametrize(
    ("validator_class", "valid", "invalid", "code"),
    [
        (IdNumberValidator, "11010519491231002X", "110105194912310021", "invalid_id_number"),
        (CreditCodeValidator, "91350100M000100Y43", "91350100M000100Y44", "invalid_credit_code"),
        (MobileValidator, "13812345678", "12345678901", "invalid_mobile"),
    ],
)
def test_validator_classes_accept_valid_and_reject_invalid_values_with_a_code(
    validator_class: type, valid: str, invalid: str, code: str
) -> None:
    validator = validator_class()
    assert validator(valid) is None
    assert rejection(validator, invalid).code == code


@pytest.mark.parametrize(
    "validator_class", [IdNumberValidator, CreditCodeValidator, MobileValidator]
)
def test_validator_classes_deconstruct_for_migrations_and_compare_equal(
    validator_class: type,
) -> None:
    path, args, kwargs = validator_class().deconstruct()
    assert path == f"core.identifiers.{validator_class.__name__}"
    assert (args, kwargs) == ((), {})
    assert validator_class() == validator_class()
    assert hash(validator_class()) == hash(validator_class())
    others = {IdNumberValidator, CreditCodeValidator, MobileValidator} - {validator_class}
    assert all(validator_class() != other() for other in others)


def test_birth_date_and_gender_read_a_validated_number_as_the_single_functions_do():
    from core.identifiers import birth_date_and_gender, birth_date_from_id, gender_from_id

    for number in ("11010519491231002X", "440524198001010013"):
        valid = validate_id_number(number)
        assert birth_date_and_gender(valid) == (birth_date_from_id(valid), gender_from_id(valid))
    assert birth_date_and_gender("11010519491231002X") == (date(1949, 12, 31), "女")
