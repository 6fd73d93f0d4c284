"""Personal data in a page's content: PRC resident ID numbers and mainland mobile numbers.

Only masked values ever leave this module: an ID number as 110101********123X (area code and the
last four kept), a mobile number as 138****5678, and every snippet is cut from the text after all
numbers found in it were masked in place, so a snippet never shows a neighbouring number either.
"""
from __future__ import annotations

import re
from datetime import date

# 18 digits (the last may be X), not inside a longer run of digits or letters (checked in _alone).
# Both patterns start with a character, so the regex engine skips ahead fast.
_ID = re.compile(r"[1-8]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]")
# 1[3-9] and 9 more digits, written 13812345678, 138-1234-5678 or 138 1234 5678; not part of a longer
# digit run, a code (MA138…), a file name or a URL parameter.
_MOBILE = re.compile(r"1[3-9]\d(?:\d{8}|-\d{4}-\d{4}| \d{4} \d{4})")
_WORD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_BEFORE_MOBILE = _WORD | frozenset("_./=")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
MAX_ITEMS, SNIPPET = 20, 20


def _alone(text: str, start: int, end: int, before: frozenset = _WORD) -> bool:
    """Not glued to letters or digits (nor to a digit across one space: 5 13812345678 9)."""
    if start and (text[start - 1] in before or text[start - 1] == " " and start > 1 and text[start - 2].isdigit()):
        return False
    if end < len(text) and (text[end] in _WORD or text[end] == " " and end + 1 < len(text) and text[end + 1].isdigit()):
        return False
    return True


def valid_id(number: str, as_of: date | None = None) -> bool:
    """ISO 7064 MOD 11-2 check character, and a real birth date (1900 … as_of) in positions 7-14."""
    if len(number) != 18:
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or (as_of is not None and born > as_of):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _WEIGHTS))
    return _CHECK[total % 11] == number[17].upper()


def _mask_mobile(s: str) -> str:
    """Digits 4-7 → *, separators kept (same length as s)."""
    out, n = [], 0
    for c in s:
        if c.isdigit():
            n += 1
            out.append("*" if 4 <= n <= 7 else c)
        else:
            out.append(c)
    return "".join(out)


def scan(text: str, as_of: date | None = None) -> tuple[list[dict], str]:
    """(items, text with every found number masked in place). Items: {"type", "masked", "snippet"},
    at most 20, in order of appearance."""
    found = []  # (start, end, type, masked value, masked in place)
    for m in _ID.finditer(text):
        if _alone(text, m.start(), m.end()) and valid_id(m.group(), as_of):
            v = m.group()
            masked = v[:6] + "*" * 8 + v[14:].upper()
            found.append((m.start(), m.end(), "id_number", masked, masked))
    for m in _MOBILE.finditer(text):
        if _alone(text, m.start(), m.end(), _BEFORE_MOBILE) and not any(s <= m.start() < e for s, e, *_ in found):
            digits = re.sub(r"\D", "", m.group())
            found.append((m.start(), m.end(), "mobile", digits[:3] + "****" + digits[7:], _mask_mobile(m.group())))
    if not found:
        return [], text
    found.sort()
    pieces, pos = [], 0
    for start, end, _, _, in_place in found:
        pieces += [text[pos:start], in_place]
        pos = end
    masked_text = "".join(pieces) + text[pos:]  # same length: offsets are unchanged
    items = [{"type": kind, "masked": masked, "snippet": snippet(masked_text, start, end)}
             for start, end, kind, masked, _ in found[:MAX_ITEMS]]
    return items, masked_text


_MARKS = re.compile("[\ue0f1-\ue0f7] ?")  # content.py's markers


def snippet(text: str, start: int, end: int, width: int = SNIPPET) -> str:
    """text[start:end] with `width` characters either side (markers removed), … where cut."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    return ("…" if lo else "") + _MARKS.sub("", text[lo:hi]).strip() + ("…" if hi < len(text) else "")
