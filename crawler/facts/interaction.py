"""Messages (留言/信件) a page shows with their dates: what GWS-V5 (2) judges (unanswered > 3 months).

Two shapes, both common to TRS, Hanweb and gkmlpt sites:

- a header-row grid (信件标题 | 来信时间 | 回复时间 or 办理状态), one row per message (list pages, 信箱 pages);
- labelled values (留言时间：… 回复时间：… 办理状态：…), a detail page or a list whose rows repeat the labels.

Each message is `{"asked", "answered", "state", "title", "source", "snippet"}`: `asked`/`answered` ISO dates
(`answered` None when no reply date is shown); `state` says what the page shows: `replied` (a reply date, a
已回复/已办结 status or a reply text), `pending` (未回复/办理中 …, or an empty reply-date cell), `invalid`
(不予受理, 重复 … — not a 有效留言), `unknown` (the page does not say); `source` how it was read
(`table:来信时间|回复时间`, `label:留言时间|回复时间`). Only the page's own statements are recorded: a message
whose page says nothing about a reply is `unknown`, never `pending`.
"""
from __future__ import annotations

import re
from datetime import date

from . import dates
from .content import MARK_CHARS, strip_marks
from .grids import cell_text, header_grids

ASKED = frozenset(("留言时间", "留言日期", "来信时间", "来信日期", "提问时间", "咨询时间", "写信时间", "发信时间",
                   "投诉时间", "提交时间", "信件时间", "诉求时间"))
ANSWERED = frozenset(("回复时间", "回复日期", "答复时间", "答复日期", "办结时间", "办结日期", "反馈时间", "反馈日期"))
STATUS = frozenset(("办理状态", "处理状态", "回复状态", "答复状态", "状态", "办理情况", "信件状态"))
TITLES = frozenset(("留言标题", "信件标题", "来信标题", "咨询标题", "投诉标题", "留言主题", "信件主题", "来信主题", "标题",
                    "主题", "信件名称"))
REPLIES = ("回复内容", "答复内容", "回复意见", "答复意见", "办理结果", "处理结果")
INVALID = ("不予受理", "不受理", "无效", "重复", "不予处理", "不属于", "已删除", "退回")
PENDING = ("未回复", "未答复", "暂未回复", "尚未回复", "暂未答复", "待回复", "待答复", "办理中", "处理中", "正在办理",
           "正在处理", "未办结", "待处理", "未处理", "已受理", "受理中", "未反馈", "待反馈", "暂无回复", "暂无答复")
REPLIED = ("已回复", "已答复", "已办结", "办结", "已处理", "已反馈", "已完成", "完成", "已解决")
MAX_MESSAGES = 50
_EMPTY = frozenset(("", "-", "—", "--", "/", "无", "暂无"))
_LABELS = ASKED | ANSWERED
_CJK = re.compile(r"[\u4e00-\u9fff]{2}")


def state_of(value: str) -> str | None:
    """The state a status or reply text states: invalid, pending, replied; None when it says none of these."""
    v = "".join(value.split())
    if v.startswith(INVALID):
        return "invalid"
    if v.startswith(PENDING):
        return "pending"
    if v.startswith(REPLIED):
        return "replied"
    return None


def messages(root, ctext: str, page_title: str | None, as_of: date) -> list[dict]:
    """The messages of one page (empty unless it shows a 留言时间-like label)."""
    found = dates.labels_at(ctext, _LABELS)
    if not any(label in ASKED for _, label in found):
        return []
    out = _labelled(ctext, found, page_title, as_of)
    if not out:  # a grid's header row reads 来信时间 回复时间 in the text: no label is followed by its date
        out = _grid(root, as_of)
    return out[:MAX_MESSAGES]


def _snippet(s: str) -> str:
    return " ".join(strip_marks(s).split())[:80]


def _value(text: str, pos: int, limit: int = 16) -> str | None:
    """The short value after a label ending at pos, if a colon or cell boundary follows the label."""
    gap = dates.LABEL_GAP.match(text, pos)
    if not any(c in ":：∶】" or c in MARK_CHARS for c in text[pos:gap.end()]):
        return None  # prose (标题为…), not a label
    start = gap.end()
    stop = start
    while stop < len(text) and stop - start < limit and not text[stop].isspace() and text[stop] not in MARK_CHARS:
        stop += 1
    return text[start:stop]


def _near(text: str, names, lo: int, hi: int, at: int) -> str | None:
    """The value of the label (one of names) between lo and hi nearest to position at."""
    best = None
    for name in names:
        i = text.find(name, lo, hi)
        while i >= 0:
            value = _value(text, i + len(name), 60)
            if value and (best is None or abs(i - at) < best[0]):
                best = (abs(i - at), value)
            i = text.find(name, i + len(name), hi)
    return best[1] if best else None


def _title_before(text: str, lo: int, at: int) -> str | None:
    """A list row's title: the last chunk of text before its 留言时间 label (no label of its own)."""
    chunk = strip_marks(text[lo:at]).split()
    title = chunk[-1] if chunk else ""
    if 4 <= len(title) <= 60 and not any(c in title for c in ":：∶") and any("\u4e00" <= c <= "\u9fff" for c in title):
        return title
    return None


def _labelled(text: str, found: list[tuple[int, str]], page_title: str | None, as_of: date) -> list[dict]:
    asked = [(i, label) for i, label in found if label in ASKED]
    single = len(asked) == 1
    out, prev_end = [], 0
    for k, (i, label) in enumerate(asked):
        stop = asked[k + 1][0] if k + 1 < len(asked) else len(text)
        got = dates.date_at(text, i + 4, as_of)
        if not got:
            continue
        day, end = got
        lo = 0 if single else prev_end
        msg = {"asked": day.isoformat(), "answered": None, "state": "unknown", "title": None,
               "source": f"label:{label}"}
        for j, other in found:
            if end <= j < stop and other in ANSWERED:
                reply = dates.date_at(text, j + 4, as_of)
                msg["source"] += f"|{other}"
                if reply and reply[0] >= day:
                    msg["answered"], msg["state"] = reply[0].isoformat(), "replied"
                elif (value := _value(text, j + 4)) is not None:
                    msg["state"] = state_of(value) or ("pending" if value in _EMPTY else "unknown")
                break
        if msg["state"] in ("unknown", "pending") and (status := _near(text, STATUS, lo, stop, i)):
            msg["state"] = state_of(status) or msg["state"]
            msg["source"] += "|状态"
        if msg["state"] == "unknown" and (reply_text := _near(text, REPLIES, end, stop, i)):
            msg["state"] = state_of(reply_text) or "replied"
        title = _near(text, TITLES, lo, stop, i)
        if title is None:
            title = page_title if single else _title_before(text, lo, i)
        msg["title"] = title
        msg["snippet"] = _snippet(text[max(lo, i - 30):min(stop, end + 50)])
        out.append(msg)
        prev_end = end
    return out


def _grid(root, as_of: date) -> list[dict]:
    out = []
    for names, rows in header_grids(root, ASKED):
        ia = next(n for n, name in enumerate(names) if name in ASKED)
        ir = next((n for n, name in enumerate(names) if name in ANSWERED), None)
        ist = next((n for n, name in enumerate(names) if name in STATUS), None)
        it = next((n for n, name in enumerate(names) if name in TITLES), None)
        source = "table:" + "|".join(names[n] for n in (ia, ir, ist) if n is not None)
        for cs in rows:
            if len(cs) <= ia:
                continue
            day = dates.parse_date(cell_text(cs[ia]), as_of)
            if day is None:
                continue
            msg = {"asked": day.isoformat(), "answered": None, "state": "unknown", "title": None, "source": source}
            if ir is not None and ir < len(cs):
                value = cell_text(cs[ir])
                reply = dates.parse_date(value, as_of)
                if reply and reply >= day:
                    msg["answered"], msg["state"] = reply.isoformat(), "replied"
                else:
                    msg["state"] = state_of(value) or ("pending" if value in _EMPTY else "unknown")
            if ist is not None and ist < len(cs) and msg["state"] in ("unknown", "pending"):
                msg["state"] = state_of(cell_text(cs[ist])) or msg["state"]
            anchors = [a for c in ([cs[it]] if it is not None and it < len(cs) else cs) for a in c.iter("a")]
            if anchors:  # a link's title attribute holds the whole title a list cuts short
                a = max(anchors, key=lambda x: len(cell_text(x)))
                msg["title"] = " ".join((a.get("title") or cell_text(a)).split()) or None
            elif it is not None and it < len(cs):
                msg["title"] = cell_text(cs[it]) or None
            else:  # no title column, no link: the first cell that reads like a title
                msg["title"] = next((t for n, c in enumerate(cs) if n not in (ia, ir, ist)
                                     and len(t := cell_text(c)) >= 4 and _CJK.search(t)), None)
            msg["snippet"] = " | ".join(cell_text(c) for c in cs)[:80]
            out.append(msg)
    return out
