"""Persian number words for receipts and cheques: ``50_000_000`` -> «پنجاه میلیون».

Groups of three digits are spelled and joined with « و » (``1_250_000`` ->
«یک میلیون و دویست و پنجاه هزار»). A lone thousand is «هزار», not «یک هزار»,
as people say it; every larger scale keeps its «یک» («یک میلیون»).
Works up to 10^18 - 1 (scales up to کوادریلیون).
"""

from __future__ import annotations

_ONES = ["", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"]
_TEENS = ["ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده"]
_TENS = ["", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود"]
_HUNDREDS = ["", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"]
_SCALES = ["", "هزار", "میلیون", "میلیارد", "تریلیون", "کوادریلیون"]
_AND = " و "

LIMIT = 1000 ** len(_SCALES)


def _below_thousand(n: int) -> str:
    parts = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        parts.append(_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        parts.append(_TEENS[rest - 10])
    else:
        tens, ones = divmod(rest, 10)
        if tens:
            parts.append(_TENS[tens])
        if ones:
            parts.append(_ONES[ones])
    return _AND.join(parts)


def _persian_group(group: int, scale: int) -> str:
    if scale == 1 and group == 1:
        return _SCALES[1]  # «هزار», not «یک هزار»
    return " ".join(filter(None, [_below_thousand(group), _SCALES[scale]]))


def _spell(number: int, name: str, *, zero: str, minus: str, group_words, joiner: str) -> str:
    """``number`` in words: each group of three digits spelled with its scale by ``group_words``, largest first."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"{name} takes an int")
    if number == 0:
        return zero
    if number < 0:
        return minus + _spell(-number, name, zero=zero, minus=minus, group_words=group_words, joiner=joiner)
    if number >= LIMIT:
        raise ValueError(f"{name} supports numbers below {LIMIT}")
    groups = []
    scale = 0
    while number:
        number, group = divmod(number, 1000)
        if group:
            groups.append(group_words(group, scale))
        scale += 1
    return joiner.join(reversed(groups))


def number_to_words(number: int) -> str:
    """Persian words for an integer (``0`` -> «صفر», negatives get «منفی»); refuses 10^18 and above."""
    return _spell(number, "number_to_words", zero="صفر", minus="منفی ", group_words=_persian_group, joiner=_AND)


# --- English, for the English version of printed sheets -------------------------------------------------------

_EN_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_SCALES = ["", "thousand", "million", "billion", "trillion", "quadrillion"]


def _en_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_EN_ONES[hundreds]} hundred"] if hundreds else []
    if 10 <= rest < 20:
        parts.append(_EN_TEENS[rest - 10])
    elif rest:
        tens, ones = divmod(rest, 10)
        parts.append("-".join(filter(None, [_EN_TENS[tens], _EN_ONES[ones]])))
    return " ".join(parts)


def _en_group(group: int, scale: int) -> str:
    return " ".join(filter(None, [_en_below_thousand(group), _EN_SCALES[scale]]))


def number_to_words_en(number: int) -> str:
    """English words for an integer, as written on forms: ``1_250`` -> "one thousand two hundred fifty"."""
    return _spell(number, "number_to_words_en", zero="zero", minus="minus ", group_words=_en_group, joiner=" ")
