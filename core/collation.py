"""Chinese names in pinyin order (阿 < 北 < 长 < 张) on both databases.

PostgreSQL orders with its ICU collation ``zh-x-icu``; SQLite gets a collation of the same name,
registered on every new connection, that compares the pinyin of the two strings. ``pinyin_order``
wraps a field or expression in that collation, so one expression serves both databases.
"""

import functools

from django.db.backends.signals import connection_created
from django.db.models.functions import Collate
from pypinyin import Style, lazy_pinyin

PINYIN_COLLATION = "zh-x-icu"


def pinyin_order(expression):
    """The expression collated in pinyin order; use it in order_by()."""
    return Collate(expression, PINYIN_COLLATION)


@functools.lru_cache(maxsize=65536)
def pinyin_key(value: str) -> tuple:
    """Sort key: the toneless pinyin syllables, then tones, then the text itself as tie-break."""
    syllables = lazy_pinyin(value, style=Style.TONE3, neutral_tone_with_five=True)
    return (
        [syllable.rstrip("012345").lower() for syllable in syllables],
        syllables,
        value,
    )


def compare_pinyin(left: str, right: str) -> int:
    left_key, right_key = pinyin_key(left), pinyin_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(PINYIN_COLLATION, compare_pinyin)


def connect() -> None:
    connection_created.connect(register_sqlite_collation, dispatch_uid="core.pinyin_collation")
