"""Whole numbers read from what a browser or a server sends.

``str.isdigit`` also accepts « ² » or « ٣ », which ``int()`` refuses or reads otherwise: a
number sent to us is made of ASCII digits, and a database id of at most 18 of them (a bigint
holds 19 digits, not all of them)."""

MAX_ID_DIGITS = 18


def whole_number(text: str, max_digits: int | None = None) -> int | None:
    """``text`` as a non-negative integer written in ASCII digits (at most ``max_digits``); else None."""
    if not (text.isascii() and text.isdigit()) or (max_digits is not None and len(text) > max_digits):
        return None
    return int(text)


def database_id(text: str) -> int | None:
    """``text`` as a database id (``whole_number`` of at most ``MAX_ID_DIGITS`` digits); else None."""
    return whole_number(text, MAX_ID_DIGITS)
