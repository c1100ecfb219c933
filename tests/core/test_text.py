"""The text helpers: prose keeps what was typed, names are tidied, keys compare."""

import pytest

from core.text import clean_name, clean_text, match_key

PROSE = "需要排练场地，缺少音响；时间：周末（上午）"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (PROSE, PROSE),
        (f"  {PROSE}\u3000\n", PROSE),
        (f"\ufeff{PROSE}\u200b", PROSE),
        ("第一行，\n第二行：（甲）", "第一行，\n第二行：（甲）"),
        ("１２３ＡＢＣ", "１２３ＡＢＣ"),
        ("a\u3000\u3000b", "a\u3000\u3000b"),
        ("ab\u200bc\u2060", "abc"),
        ("", ""),
        (None, ""),
        ("\u3000\u200b ", ""),
    ],
)
def test_clean_text_trims_and_drops_zero_width_only(raw, expected) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("临海市\u3000\u3000志愿者协会（筹）", "临海市 志愿者协会（筹）"),
        ("  张\t 三 ", "张 三"),
        ("ＡＢＣｘｙｚ１２３", "ABCxyz123"),
        ("第１社区，东区", "第1社区，东区"),
        ("\ufeff王\u200b五", "王五"),
        ("", ""),
    ],
)
def test_clean_name_collapses_spaces_and_half_widths_letters_and_digits(raw, expected) -> None:
    assert clean_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("abc", "abc"),
        ("  abc  ", "abc"),
        ("\t\n abc \r\n", "abc"),
        ("\u3000abc\u3000", "abc"),
        ("\ufeffabc\u200b", "abc"),
        ("ab\u200bc", "abc"),
        ("\u2060abc", "abc"),
        ("１２３４５６７８９０", "1234567890"),
        ("ＡＢＣｘｙｚ", "ABCxyz"),
        ("\u3000 \u200b１３８\u3000", "138"),
        ("临海市 志愿者协会", "临海市 志愿者协会"),
        ("（临海）", "(临海)"),
        ("", ""),
        ("\u3000\u200b ", ""),
    ],
)
def test_match_key_applies_nfkc_and_strips_whitespace_and_zero_width(raw, expected) -> None:
    assert match_key(raw) == expected
