"""Untrusted text in: numbers from ASCII digits only, names without direction controls.

Python's ``str.isdigit()`` is true for "²" and ``int()`` reads "٣" (Arabic-Indic) and "１２"
(full-width); ``\\d`` in a regex matches every Unicode digit. An id, page, period, account
or phone number is read here instead, so "²" is simply not an id (no ``ValueError`` → 500)
and a number too big for any key is not one either (SQLite raises ``OverflowError``).

Account and phone numbers typed with a Chinese input method come out full-width: they become
ASCII digits (``fold_width``); anything else that is not 0-9 afterwards is refused by the field's
validator, so such numbers are never stored as they came.

Names (enterprise, contacts, payees) lose the Unicode direction controls (U+202E "right to
left override" and friends), which make ``有限公司\\u202e`` display differently from what is
stored and can disguise a name on a bank list or a notice.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID = 2**63 - 1  # the largest BigAutoField / bigint key
MAX_PAGE = 100_000
_ASCII_NUMBER = re.compile(r"[0-9]{1,19}", re.ASCII)
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_int(value: object, *, maximum: int = MAX_ID) -> int | None:
    """A non-negative integer written with ASCII digits only (at most ``maximum``), or None."""
    text = str(value).strip() if value is not None else ""
    if not _ASCII_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if number <= maximum else None


def page_number(value: object, *, maximum: int = MAX_PAGE) -> int:
    """A list page from the query string: 1 for anything that is not a page number, and at
    most ``maximum`` (the offset of page 10**30 overflows the database's integers)."""
    number = parse_int(value, maximum=MAX_ID)
    if number is None or number < 1:
        return 1
    return min(number, maximum)


_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def fold_width(value: object) -> str:
    """Full-width ASCII forms ("１３８", "ＭＡ", the ideographic space) as ASCII: the part of
    NFKC a Chinese input method needs. "²" or "٣" stay as they are (NFKC would make "²" a 2)."""
    return str(value or "").translate(_FULL_WIDTH)


def ascii_digits(value: object) -> str:
    """Full-width digits as ASCII, without spaces and hyphens: for account and phone numbers.
    Other digits (Arabic-Indic, superscripts) stay as they are, for the validator to refuse."""
    return re.sub(r"[\s\-]", "", fold_width(value))


def clean_name(value: object) -> str:
    """A person's or company's name: no direction or control characters, trimmed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    return _CONTROL.sub("", BIDI_CONTROLS.sub("", text)).strip()


def has_nul(value: object) -> bool:
    """True when ``value`` (text, or lists and dicts of it) holds a NUL character, which
    PostgreSQL cannot store in text or jsonb."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False
