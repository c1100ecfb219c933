"""Cleaning of what users type: prose, names, and keys for comparing them.

Stored text keeps what the user typed. Three helpers, each for one purpose:

- ``clean_text`` for prose (needs, reasons, notes, purposes, minutes...): trims surrounding
  whitespace and drops zero-width characters; every punctuation mark and inner newline stays.
- ``clean_name`` for names of people, organisations and places: ``clean_text``, then runs of
  whitespace (the ideographic space U+3000 too) become one ASCII space and full-width ASCII
  letters and digits become half-width. Full-width punctuation such as （筹） stays.
- ``match_key`` for *comparing* (matching a name, a category, a header; dedupe): NFKC, no
  zero-width characters, trimmed. Never store its result: it rewrites ，；：（） to ,;:().

Identifiers, codes and digits (ID numbers, credit codes, mobiles) are NFKC-normalised by their
own helpers in ``core.identifiers``.
"""

import re
import unicodedata

from django import forms

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_WHITESPACE_RE = re.compile(r"\s+")
# Full-width digits (U+FF10-FF19), upper-case (U+FF21-FF3A) and lower-case (U+FF41-FF5A) letters.
_FULL_WIDTH_ALNUM = {
    code: code - 0xFEE0
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(start, end + 1)
}


def clean_text(value: object) -> str:
    """Return prose as typed: surrounding whitespace trimmed, zero-width characters dropped."""
    if value is None:
        return ""
    return _ZERO_WIDTH_RE.sub("", str(value)).strip()


def clean_name(value: object) -> str:
    """Return a name: clean_text, whitespace runs as one space, full-width letters/digits half."""
    text = _WHITESPACE_RE.sub(" ", clean_text(value))
    return text.translate(_FULL_WIDTH_ALNUM)


def match_key(value: object) -> str:
    """Return a key for comparing text (NFKC, no zero-width, trimmed). Never store it."""
    if value is None:
        return ""
    return _ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFKC", str(value))).strip()


class CleanTextField(forms.CharField):
    """A prose form field: keeps what the user typed, trimmed, without zero-width characters."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


class CleanNameField(forms.CharField):
    """A name form field: cleaned with ``clean_name``."""

    def to_python(self, value):
        return clean_name(super().to_python(value))
