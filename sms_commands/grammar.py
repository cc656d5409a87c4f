"""The SMS command grammar: a typed text message in, one ``Command`` out. Pure: no database, no settings.

People type on Persian, Arabic and Latin keyboards on basic phones, so the parser
accepts Persian, Arabic-Indic and Latin digits, Persian or Latin command letters
in either case, any spacing (``ت۱۲`` and ``ت  ۱۲``), ZWNJ and direction controls.

    ت ۱۲ / T 12             report 12 units made today on the owner's only accepted quota
    ت ۱۲ ک۴۵ / T 12 K45     the same, on quota 45 (a quota's short code is ک/K + its id)
    و / S                   status of the owner's quotas
    ق ک۴۵ / A K45           accept the offered quota 45
    ر ک۴۵ / D K45           decline it
    ح ABCD2345 ۴۰ / C ...   a health center confirms delivery ABCD2345 with 40 units received
    راهنما / HELP           the commands
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from core.persian import normalize_text, to_latin_digits, to_persian_digits


class Action(StrEnum):
    REPORT = "report"
    STATUS = "status"
    ACCEPT = "accept"
    DECLINE = "decline"
    RECEIVE = "receive"
    HELP = "help"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Command:
    """What a message asks for; ``quota_id`` is None when the owner named no quota."""

    action: Action
    quantity: int | None = None
    quota_id: int | None = None
    delivery_code: str = ""


# Persian and Latin spellings of each command word; compared after upper-casing and normalising ي/ك.
_WORDS = {
    Action.REPORT: {"ت", "T"},
    Action.STATUS: {"و", "S"},
    Action.ACCEPT: {"ق", "A"},
    Action.DECLINE: {"ر", "D"},
    Action.RECEIVE: {"ح", "C"},
    Action.HELP: {"راهنما", "HELP", "H", "?", "؟"},
}
_ACTION_OF = {word: action for action, words in _WORDS.items() for word in words}
QUOTA_PREFIXES = ("ک", "K")
# Delivery short codes use fulfilment.models.deliveries.new_short_code's alphabet (no 0/O, 1/I/L), 8 letters.
_DELIVERY_CODE = re.compile(r"^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}$")
_NUMBER = re.compile(r"^\d{1,9}$")
# A command letter glued to what follows (``ت۱۲``, ``ک۴۵``, ``K45``): split letters from digits.
_SPLIT = re.compile(r"(\d+)")


def quota_short_code(quota_id: int) -> str:
    """The code an owner types for a quota: quotas have no code field, so ک + id (stable, never reused).

    In Persian digits, as the replies show it; the parser reads it back in any digits.
    """
    return "ک" + to_persian_digits(quota_id)


# Brackets and punctuation people copy from the help text ("T 12 [K45]") or add out of habit.
_PUNCTUATION = str.maketrans(dict.fromkeys("[](){}.,،:;-_\u200c\u200d", " "))


def _tokens(text: str) -> list[str]:
    text = normalize_text(to_latin_digits(text).translate(_PUNCTUATION)).upper()
    tokens: list[str] = []
    for word in text.split():
        tokens.extend(part for part in _SPLIT.split(word) if part)
    return tokens


def _quota_id(tokens: list[str]) -> tuple[int | None, bool]:
    """``(id, ok)`` from ``["ک", "45"]`` (or nothing: ``(None, True)``); anything else is not ok."""
    if not tokens:
        return None, True
    if len(tokens) == 2 and tokens[0] in QUOTA_PREFIXES and _NUMBER.match(tokens[1]):
        return int(tokens[1]), True
    if len(tokens) == 1 and _NUMBER.match(tokens[0]):  # the owner left the letter out: ۴۵ alone
        return int(tokens[0]), True
    return None, False


def _delivery(text: str) -> Command:
    """``ح ABCD2345 40``: the code may be split or glued to digits (``ABCD2345``), so read it from the raw words."""
    words = normalize_text(to_latin_digits(text)).replace("\u200c", " ").upper().split()
    if words and words[0] in _WORDS[Action.RECEIVE] and len(words) == 3:
        code, count = words[1], words[2]
    elif words and len(words) == 2 and words[0][:1] in _WORDS[Action.RECEIVE] and len(words[0]) == 9:
        code, count = words[0][1:], words[1]
    else:
        return Command(Action.UNKNOWN)
    if not _DELIVERY_CODE.match(code) or not _NUMBER.match(count):
        return Command(Action.UNKNOWN)
    return Command(Action.RECEIVE, quantity=int(count), delivery_code=code)


def parse(text: str) -> Command:
    """The command in ``text``, or ``Action.UNKNOWN`` for anything the grammar does not read."""
    tokens = _tokens(text or "")
    if not tokens:
        return Command(Action.UNKNOWN)
    action = _ACTION_OF.get(tokens[0])
    if action is Action.RECEIVE or (action is None and tokens[0][:1] in _WORDS[Action.RECEIVE]):
        return _delivery(text)
    rest = tokens[1:]
    if action in (Action.HELP, Action.STATUS):
        return Command(action) if not rest else Command(Action.UNKNOWN)
    if action is Action.REPORT:
        if not rest or not _NUMBER.match(rest[0]):
            return Command(Action.UNKNOWN)
        quota_id, ok = _quota_id(rest[1:])
        return Command(Action.REPORT, quantity=int(rest[0]), quota_id=quota_id) if ok else Command(Action.UNKNOWN)
    if action in (Action.ACCEPT, Action.DECLINE):
        quota_id, ok = _quota_id(rest)
        return Command(action, quota_id=quota_id) if ok and quota_id is not None else Command(Action.UNKNOWN)
    return Command(Action.UNKNOWN)
