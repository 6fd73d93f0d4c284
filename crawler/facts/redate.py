"""What the publish-date rules (GWS-V1 (5), 伪造发稿日期) need from one page: the text without its own date, as a
fingerprint to compare with the next audit's, and a publish date the page states after the audit date.

Both are read with str.find on the text extract() already has: a page costs a few scans, no regular expression over
its whole text.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache

from .dates import DATE_RE, META_NAMES, _to_date, parse_date

# View counters change between audits on pages nobody edited: 浏览次数：123, 阅读量 45, 点击：6次, 浏览123次.
_COUNTER_LABELS = ("浏览", "阅读", "点击", "访问", "查看")
_COUNTER = re.compile(r"(?:次数|人次|量|数|率|总数)?\s*[】\]）)]?\s*[:：∶]?\s*\d+\s*(?:次|人次)?")
_TIME = re.compile(r"\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
_CN_DIGITS = "〇一二三四五六七八九"
# Publish labels of an article header, the only visible place a claimed future date is read from: a label
# standing alone (成绩公布时间、拟发布日期 are other dates), before the first sentence of the page.
_LABELS = ("发布时间", "发布日期", "发稿时间", "发表时间", "发表日期", "公开日期", "公布日期")
_LABEL_GAP = re.compile(r"\s*[】\]］]?\s*[:：∶]?\s*")
_LABEL_ENDS = ("时间", "日期", "发布", "发表", "更新")


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


@lru_cache(maxsize=4096)  # a site's articles share their dates: the forms are built once per date
def date_forms(d: date) -> tuple[str, ...]:
    """How a page writes a date: 2026-03-05, 2026-3-5, 2026/03/05, 2026.03.05, 2026年3月5日, 二〇二六年三月五日 …"""
    y, m, dd = d.year, d.month, d.day
    forms = {f"{y}{sep}{m:02d}{sep}{dd:02d}" for sep in "-/."} | {f"{y}{sep}{m}{sep}{dd}" for sep in "-/."}
    forms |= {f"{y}年{m}月{dd}日", f"{y}年{m:02d}月{dd:02d}日"}
    cn_year = "".join(_CN_DIGITS[int(c)] for c in str(y))
    cn_day = f"年{_cn_number(m)}月{_cn_number(dd)}日"
    forms |= {cn_year + cn_day, cn_year.replace("〇", "○") + cn_day}
    return tuple(sorted(forms, key=len, reverse=True))


def _header_field(text: str, start: int, end: int) -> bool:
    """The date stands alone as a field (发布时间：2026-03-05 10:00 | 来源：…), not inside a sentence (于2026年3月5日召开,
    2026年3月5日，我局…)."""
    if start and _ideograph(text[start - 1]) and not text.endswith(_LABEL_ENDS, 0, start):
        return False
    m = _TIME.match(text, end)
    after = text[m.end() if m else end:][:1]
    return not after or not (_ideograph(after) or after in "，、；。：:")


def text_hash(text: str, title: str | None, published: date | None) -> str:
    """A fingerprint of the page's content that ignores what changes when nobody edited the text: its own publish
    date where it stands as a field (with its time), view counters, whitespace. The same text re-dated keeps its
    fingerprint; any other change of the text (a sentence, a figure, a date inside a sentence) changes it."""
    cuts: list[tuple[int, int]] = []
    for label in _COUNTER_LABELS:
        i = text.find(label)
        while i >= 0:
            m = _COUNTER.match(text, i + len(label))
            if m and any(c.isdigit() for c in m.group()):
                cuts.append((i + len(label), m.end()))
            i = text.find(label, i + len(label))
    if published:
        for form in date_forms(published):
            i = text.find(form)
            while i >= 0:
                end = i + len(form)
                if _header_field(text, i, end) and not any(a <= i < b for a, b in cuts):
                    m = _TIME.match(text, end)
                    cuts.append((i, m.end() if m else end))
                i = text.find(form, end)
    if cuts:
        cuts.sort()
        parts, pos = [], 0
        for a, b in cuts:
            if a >= pos:
                parts.append(text[pos:a])
                pos = b
        parts.append(text[pos:])
        text = "".join(parts)
    body = f"{title or ''}\x1f{''.join(text.split())}"
    return hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def future_claim(metas: dict, text: str, as_of: date) -> dict | None:
    """{"date", "source"}: the publish date a page states when it is after as_of — its first dated publish-date meta
    (PubDate …), else the first publish label of its header (发布时间：…) before any sentence. None otherwise; only
    these two, the places a page says when it was published (a URL date is the CMS's, a bare 时间： an event's)."""
    for key in META_NAMES:
        if key in metas:
            name, content = metas[key]
            d = parse_date(content)
            if d:
                return {"date": d.isoformat(), "source": f"meta:{name}"} if d > as_of else None
    if str(as_of.year) not in text and str(as_of.year + 1) not in text:
        return None  # no date of this year or the next anywhere: nothing can be in the future (a str.find)
    limit = text.find("。")
    limit = len(text) if limit < 0 else limit
    first = None
    for label in _LABELS:
        i = text.find(label, 0, limit)
        while i >= 0 and i > 0 and _ideograph(text[i - 1]):
            i = text.find(label, i + 1, limit)
        if i >= 0 and (first is None or i < first[0]):
            first = (i, label)
    if first is None:
        return None
    i, label = first
    m = DATE_RE.match(text, _LABEL_GAP.match(text, i + len(label)).end())
    d = _to_date(m) if m else None
    if d and d > as_of:
        return {"date": d.isoformat(), "source": f"text:{label}"}
    return None
