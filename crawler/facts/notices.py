"""What a 公示 page states about itself: its period, the 受理 date, a 听证 notice (EIA-03, EIA-04).

Read from the content text (content.py's markers kept, so a label cell and its value still pair):

- `period`: the first date range after 公示/征求意见/意见反馈/公告期 (「公示期为2026年3月2日至2026年3月13日」,
  「公示时间：2026-03-02—03-13」, 「二〇二六年十月十日至十月十五日」; an end without a year takes the start's);
- `days`: a stated length there (「公示期为10个工作日」 → `{"n": 10, "unit": "工作日"}`; 日/天 are calendar days),
  never one in a sentence about 听证 (「自公示起5个工作日内…要求听证」 is the hearing window, not the period);
- `accepted`: 受理日期/受理时间 values, 「于2026年6月11日受理」, or a 受理日期 column of a project table;
- `hearing`: a snippet around 听证 next to 申请/要求/提出/权利/告知, when the page gives a 听证 notice;
- `documents`: 报告书 / 报告表 named (the title first; the generic 「报告书（表）」 names neither).

The check types decide which pages are 受理 or 拟审批 notices (title patterns are rule parameters).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from . import dates
from .content import strip_marks
from .grids import cell_text, header_grids

KEYWORDS = ("公示", "征求意见", "意见反馈", "公告期")
TITLE_WORDS = ("公示", "公告", "受理", "征求")  # not 公开: every 政府信息公开 page would read as a notice
_SEP = re.compile(r"\s*(?:起)?\s*(?:至|到|—{1,2}|–|-|－|~|～)\s*")
_CN_NUM = "一二三四五六七八九十"
_PARTIAL = re.compile(rf"(?:(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月\s*)?(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日")
_ISO_PARTIAL = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?!\d)")
_DAYS = re.compile(rf"(?<![\d月年/.\-~～—–至到{_CN_NUM}])(\d{{1,3}}|[{_CN_NUM}]{{1,3}})\s*个?\s*(工作日|自然日|日|天)")
_NOT_PERIOD = ("满", "后", "。", "；", "听证")  # 公示期满后60日内…: not the period's length
_SENTENCE_END = "。；！？\n"
_ACCEPTED = frozenset(("受理日期", "受理时间"))
_ACCEPTED_BEFORE = re.compile(r"(?:正式|依法|已)?\s*$")
_HEARING_WORDS = ("申请", "要求", "提出", "权利", "告知")
WINDOW = 70  # characters after a keyword where its period may be stated
MAX_DAYS = 120  # a longer "period" is something else (a plan's term)


def _number(s: str) -> int:
    return int(s) if s.isdigit() else dates._cn_number(s)


def _range_at(text: str, lo: int, hi: int) -> tuple[date, date, int, int] | None:
    """The first 「date 至 date」 between lo and hi: (start, end, where it starts, where it ends)."""
    for dm in dates.DATE_RE.finditer(text, lo, hi):
        start = dates._to_date(dm)
        sep = _SEP.match(text, dm.end())
        if start is None or not sep or sep.end() == dm.end():
            continue
        em = dates.DATE_RE.match(text, sep.end())
        end = dates._to_date(em) if em else None
        stop = em.end() if em else None
        if end is None:
            pm = _PARTIAL.match(text, sep.end()) if dm.group(1) is None or "年" in dm.group(0) else None
            pm = pm or _ISO_PARTIAL.match(text, sep.end())
            if pm:
                month = _number(pm.group(1)) if pm.group(1) else start.month
                try:
                    end = date(start.year, month, _number(pm.group(2)))
                except ValueError:
                    end = None
                if end is not None and end < start:
                    end = date(end.year + 1, end.month, end.day) if (end.month, end.day) != (2, 29) else None
                stop = pm.end()
        if end is not None and start <= end <= start + timedelta(days=MAX_DAYS):
            return start, end, dm.start(), stop
    return None


def _sentence(text: str, lo: int, hi: int) -> str:
    a = max((text.rfind(c, 0, lo) for c in _SENTENCE_END), default=-1) + 1
    ends = [i for c in _SENTENCE_END if (i := text.find(c, hi)) >= 0]
    return text[a:min(ends) if ends else len(text)]


def _period(text: str) -> tuple[dict | None, dict | None]:
    period = days = None
    for word in KEYWORDS:
        i = text.find(word)
        while i >= 0 and period is None:
            hi = min(len(text), i + WINDOW)
            got = _range_at(text, i + len(word), hi)
            if got and got[2] - i <= 40 and not any(c in text[i:got[2]] for c in _SENTENCE_END):
                start, end, at, stop = got
                k = text.rfind(word, i, at)  # the keyword nearest the range names it
                period = {"start": start.isoformat(), "end": end.isoformat(),
                          "label": strip_marks(text[k:at]).strip(" :：∶（(为")[:12],
                          "snippet": " ".join(strip_marks(text[k:stop + 20]).split())[:100]}
            if days is None:
                dm = _DAYS.search(text, i + len(word), hi)
                between = text[i + len(word):dm.start()] if dm else ""
                if (dm and len(between) <= 12 and not any(w in between for w in _NOT_PERIOD)
                        and "听证" not in _sentence(text, dm.start(), dm.end())):
                    days = {"n": _number(dm.group(1)), "unit": "工作日" if dm.group(2) == "工作日" else "日",
                            "snippet": " ".join(strip_marks(text[i:dm.end() + 10]).split())[:60]}
            i = text.find(word, i + len(word))
        if period:
            break
    return period, days


def _snippet(text: str, lo: int, hi: int) -> str:
    return " ".join(strip_marks(text[max(0, lo):hi]).split())[:80]


def _accepted(root, text: str, as_of: date) -> tuple[list[str], str | None]:
    """(受理日期 stated, ISO, at most 20; a snippet showing the first one)."""
    found, snippet = set(), None
    for i, _ in dates.labels_at(text, _ACCEPTED):
        got = dates.date_at(text, i + 4, as_of)
        if got:
            found.add(got[0])
            snippet = snippet or _snippet(text, i, got[1] + 20)
    i = text.find("受理")
    while i >= 0:  # 「我局于2026年6月11日受理…」
        before = text[max(0, i - 24):i]
        gap = _ACCEPTED_BEFORE.search(before)
        for dm in dates.DATE_RE.finditer(before, 0, gap.start()):
            if dm.end() == gap.start() and (d := dates._to_date(dm)) and 1990 <= d.year and d <= as_of:
                found.add(d)
                snippet = snippet or _snippet(text, i - 30, i + 40)
        i = text.find("受理", i + 2)
    if "受理" in text and not found:  # a project table with a 受理日期 column
        for names, rows in header_grids(root, _ACCEPTED):
            col = next(n for n, name in enumerate(names) if name in _ACCEPTED)
            for cs in rows:
                if col < len(cs) and (d := dates.parse_date(cell_text(cs[col]), as_of)):
                    found.add(d)
                    snippet = snippet or f"{names[col]}：" + " | ".join(cell_text(c) for c in cs)[:70]
    return sorted(d.isoformat() for d in found)[:20], snippet


def _hearing(text: str) -> str | None:
    i = text.find("听证")
    while i >= 0:
        around = text[max(0, i - 40):i + 40]
        if any(w in around for w in _HEARING_WORDS):
            return " ".join(strip_marks(_sentence(text, i, i + 2)).split())[:120]
        i = text.find("听证", i + 2)
    return None


def _documents(title: str, text: str) -> list[str]:
    for s in (title, text):
        s = s.replace("报告书（表）", "").replace("报告书(表)", "")
        named = [doc for doc in ("报告书", "报告表") if doc in s]
        if named:
            return named
    return []


def notice(root, ctext: str, title: str | None, as_of: date) -> dict | None:
    """The notice facts of an article page: a dict (maybe empty) when its title reads like a notice or
    its text states a period or a 受理 date; None otherwise (the page is no notice)."""
    titled = bool(title) and any(w in title for w in TITLE_WORDS)
    if not titled and not any(w in ctext for w in ("公示", "征求意见", "受理")):
        return None
    out: dict = {}
    period, days = _period(ctext)
    if period:
        out["period"] = period
    if days:
        out["days"] = days
    if "受理" in ctext:
        accepted, snippet = _accepted(root, ctext, as_of)
        if accepted:
            out["accepted"], out["accepted_snippet"] = accepted, snippet
    if "听证" in ctext and (hearing := _hearing(ctext)):
        out["hearing"] = hearing
    if not (out or titled):
        return None
    documents = _documents(title or "", ctext)
    if documents:
        out["documents"] = documents
    return out
