"""Publish dates: how a page says when it was published, from most to least trustworthy.

Freshness findings hang on these dates, so each one carries its source, and anything that merely
looks like a date (a copyright range, a year in a title, an event's start time, a date after the
audit's as_of day) is refused rather than guessed.
"""
from __future__ import annotations

import re
from datetime import date

from crawler.cms import DATE_METAS, DATED_URLS

# Full-width digits and separators → ASCII, so one pattern reads them all (：is matched as is).
WIDTH = str.maketrans("０１２３４５６７８９／．－", "0123456789/.-")
_WIDE = re.compile("[０-９／．－]")


def widen(text: str) -> str:
    """text with full-width digits made ASCII (translate is slow on CJK text: only when needed)."""
    return text.translate(WIDTH) if _WIDE.search(text) else text

_NUM = r"((?:19|20)\d{2})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)"
_CN_YEAR = "〇○零ＯO0一二三四五六七八九"  # 〇 is also typed as ○, 零, a full-width or Latin O, or 0
_CN = rf"([{_CN_YEAR}]{{4}})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月\s*([一二三四五六七八九十]{{1,3}})\s*日"
DATE_RE = re.compile(r"(?<!\d)" + _NUM + "|" + _CN)

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0}

# Keywords that label a publish date, ranked: 0 publish, 1 bare 日期/时间, 2 update, 3 document date.
_KEYWORDS = {
    "发布时间": 0, "发布日期": 0, "发稿时间": 0, "公开日期": 0, "公开时间": 0, "发表时间": 0, "发表日期": 0,
    "公布日期": 0, "公布时间": 0, "发布于": 0, "发布": 0, "发表": 0,
    "日期": 1, "时间": 1,
    "更新时间": 2, "更新日期": 2, "更新于": 2,
    "成文日期": 3, "成文时间": 3, "印发日期": 3, "发文日期": 3, "签发日期": 3,
}
_BARE = ("日期", "时间", "发布", "发表")
_SPECIFIC = "|".join(sorted((k for k in _KEYWORDS if k not in _BARE), key=len, reverse=True))
# A specific label may be followed by a colon or a closing bracket (【发布时间】); a bare 日期/时间/发布 needs
# one, and must not be the tail of another label (开始时间, 出生日期, 展会时间, 信息发布 …).
_KW_RE = re.compile(
    rf"(?:({_SPECIFIC})\s*[】\]］]?\s*[:：∶]?|(?<![\u4e00-\u9fff])({'|'.join(_BARE)})\s*(?:[:：∶]|[】\]］]\s*[:：∶]?))\s*"
    rf"(?=(?:19|20)\d\d|[{_CN_YEAR}]{{4}}\s*年)"
)
# A date right after some other label (开始时间：, 截止日期) is that label's date, not the page's.
_LABEL_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,6})\s*([:：∶]?)\s*$")
_PUBLISH_WORDS = ("发布", "发稿", "发表", "公布", "更新", "公开", "发文", "印发", "成文")
# Between a headline (or a 来源 label) and its date there is no sentence: a date after 。，；！？ is prose.
_SENTENCE = re.compile(r"[。，；！？]")
# A header date stands alone in its element: no ideograph right before it, and after it (and its time)
# the element ends; 于2024年1月10日召开 is prose.
_TIME_AFTER = re.compile(r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?(?:\s|$|[|｜/】\]）)])")
_SOURCE_RE = re.compile(r"(?:信息|文章|稿件|新闻)?来源\s*[:：∶]")
_COPYRIGHT = re.compile(r"©|版权|copyright", re.I)

META_NAMES = DATE_METAS  # lower-cased <meta name|property>, in order of trust (crawler/cms/generic.py)
# (search, read, source) of each CMS family's dated document URL (crawler/cms), in the order they are tried
_URL_DATES = tuple((url.pattern.search, url.read, url.source) for url in DATED_URLS)


def _cn_number(s: str) -> int:
    """一 … 三十一 → 1 … 31."""
    if "十" not in s:
        return _CN_DIGIT.get(s, 0) if len(s) == 1 else 0
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)


def _to_date(m: re.Match) -> date | None:
    g = m.groups()
    try:
        if g[0]:
            month, day = (g[2], g[3]) if g[1] else (g[4], g[5])
            return date(int(g[0]), int(month), int(day))
        year = int("".join(str(_CN_DIGIT[c]) for c in g[6]))
        return date(year, _cn_number(g[7]), _cn_number(g[8]))
    except (ValueError, KeyError):
        return None


def parse_date(s: str | None, as_of: date | None = None) -> date | None:
    """The first plausible date in a short string (a meta value, a list cell)."""
    if not s:
        return None
    for m in DATE_RE.finditer(widen(s)):
        d = _to_date(m)
        if d and d.year >= 1990 and (as_of is None or d <= as_of):
            return d
    return None


def last_date(s: str, as_of: date | None = None) -> date | None:
    """The last plausible date in a list item's text (titles come before the item date)."""
    found = None
    for m in DATE_RE.finditer(widen(s)):
        d = _to_date(m)
        if d and d.year >= 1990 and (as_of is None or d <= as_of):
            found = d
    return found


def from_meta(metas: dict[str, tuple[str, str]], as_of: date) -> tuple[date, str] | None:
    """metas: lower-cased name → (name as written, content)."""
    for key in META_NAMES:
        if key in metas:
            name, content = metas[key]
            d = parse_date(content, as_of)
            if d:
                return d, f"meta:{name}"
    return None


def from_keywords(text: str, as_of: date) -> tuple[date, str] | None:
    """Keyword-anchored dates (发布时间：2024-03-05 …) in the page text; best keyword rank wins, then first."""
    best = None
    for m in _KW_RE.finditer(text):
        kw = m.group(1) or m.group(2)
        rank = _KEYWORDS[kw]
        if best and best[0] <= rank:
            continue
        dm = DATE_RE.match(text, m.end())
        d = _to_date(dm) if dm else None
        if d and d.year >= 1990 and d <= as_of:
            best = (rank, d, f"text:{kw}")
            if rank == 0:
                break
    return (best[1], best[2]) if best else None


def from_url(url: str | None, as_of: date) -> tuple[date, str] | None:
    """The date a CMS wrote into a document URL (crawler/cms: TRS /YYYYMM/tYYYYMMDD_N.html → url:trs, Hanweb
    /art/YYYY/M/D/art_C_N.html → url:hanweb): the first family whose pattern says a date; an impossible date
    (/art/2024/13/5/…) is no date at all."""
    if not url:
        return None
    for search, read, source in _URL_DATES:
        m = search(url)
        if m is None:
            continue
        try:
            d = read(m)
        except ValueError:
            return None
        if d is not None:
            return (d, source) if 1990 <= d.year and d <= as_of else None
    return None


def _other_label(before: str) -> bool:
    """True if the text before a date makes it something else: another label (开始时间：, 出生日期),
    or the end of a range."""
    if before.rstrip().endswith(("至", "到", "~", "～", "—", "–", "-")):
        return True  # the end of a range (2024年5月8日至2024年5月10日)
    m = _LABEL_BEFORE.search(before)
    if not m:
        return False
    label, colon = m.groups()
    if not colon and not label.endswith(("期", "间")):
        return False  # plain text (来源：云南日报 2016-08-11) does not label the date
    return label not in ("日期", "时间") and not any(w in label for w in _PUBLISH_WORDS)


def _alone(text: str, m: re.Match) -> bool:
    """The date is the whole of its text segment (a header field), not part of a sentence."""
    before = text[m.start() - 1] if m.start() else " "
    return not ("\u4e00" <= before <= "\u9fff") and _TIME_AFTER.match(text, m.end()) is not None


def _header_date(text: str, start: int, end: int, as_of: date) -> date | None:
    """The first date in text[start:end] that no other label claims, not in a copyright line, and with
    no sentence between start and the date."""
    for m in DATE_RE.finditer(text, start, end):
        if _SENTENCE.search(text, start, m.start()):
            return None
        if _other_label(text[max(start, m.start() - 12):m.start()]) or not _alone(text, m):
            continue
        if _COPYRIGHT.search(text, max(0, m.start() - 20), m.start()):
            continue
        d = _to_date(m)
        if d and d.year >= 1990 and d <= as_of:
            return d
    return None


def near_title(text: str, headlines: list[str], as_of: date, window: int = 160) -> tuple[date, str] | None:
    """An unlabelled date in the article header: the first date shortly after the headline in the body
    text, unless another label claims it (开始时间：…), it sits in a copyright line, or a sentence
    comes first (then it is the article's prose, not its header)."""
    for title in headlines:
        pos = text.find(title) if len(title) >= 4 else -1
        if pos >= 0:
            break
    else:
        return None
    start = pos + len(title)
    d = _header_date(text, start, start + window, as_of)
    return (d, "text:header") if d else None


def near_source(text: str, as_of: date, before: int = 40, after: int = 60) -> tuple[date, str] | None:
    """The 来源 block of an article header (「2022-05-07 00:00　来源：某厅」, 「来源：某报　2016-08-11」):
    an unlabelled date just before or after the first 来源 label, with no sentence in between. Used
    when the headline cannot be found in the body (a <title> that is only the site name)."""
    m = _SOURCE_RE.search(text) if "来源" in text else None
    if not m:
        return None
    d = _header_date(text, m.end(), m.end() + after, as_of)
    if d is None:  # before the label: the last date of the window, with no sentence up to the label
        lo = max(0, m.start() - before)
        for dm in reversed(list(DATE_RE.finditer(text, lo, m.start()))):
            if (_SENTENCE.search(text, dm.end(), m.start()) or not _alone(text, dm)
                    or _other_label(text[max(lo, dm.start() - 12):dm.start()])):
                break
            if (x := _to_date(dm)) and x.year >= 1990 and x <= as_of:
                d = x
            break
    return (d, "text:来源") if d else None


def meta_disagreement(found: tuple[date, str], text: str, as_of: date) -> str | None:
    """A note when the page shows a publish date (发布时间/日期/时间 label) other than its metadata's."""
    shown = from_keywords(text, as_of)
    if shown and shown[1][5:] in _SHOWN and shown[0] != found[0]:
        return f"元数据 {found[1][5:]} {found[0].isoformat()} 与页面显示的{shown[1][5:]} {shown[0].isoformat()} 不一致"
    return None


_SHOWN = {k for k, rank in _KEYWORDS.items() if rank <= 1}


# 成文日期 and its synonyms (the document's own date; OGI-26 counts 20 working days from it to 发布日期),
# best first. Label and date may be separated by a colon, a bracket or a table-cell boundary (the
# private-use markers of content.py). Found with str.find (much faster than a regex on CJK text).
_WRITTEN = {"成文日期": 0, "成文时间": 0, "形成日期": 1, "形成时间": 1, "生成日期": 1,
            "签发日期": 2, "签发时间": 2, "印发日期": 2, "印发时间": 2, "发文日期": 2, "发文时间": 2}
_WRITTEN_GAP = re.compile(r"[\s:：∶【】\[\]］\ue0f1-\ue0f5]*")


def written_date(text: str, as_of: date) -> date | None:
    """The document's 成文日期 (or 形成/生成/签发/印发/发文日期) shown in the text; best label wins, then first."""
    best = None
    for suffix in ("日期", "时间"):
        i = text.find(suffix, 2)
        while i >= 0:
            rank = _WRITTEN.get(text[i - 2:i + 2])
            if rank is not None and (best is None or rank < best[0] or rank == best[0] and i < best[2]):
                gap = _WRITTEN_GAP.match(text, i + 2)
                dm = DATE_RE.match(text, gap.end())
                d = _to_date(dm) if dm else None
                if d and d.year >= 1990 and d <= as_of:
                    best = (rank, d, i)
            i = text.find(suffix, i + 2)
    return best[1] if best else None


# A label and its value: a colon, a bracket or a table-cell boundary (content.py's markers) in between.
LABEL_GAP = _WRITTEN_GAP


def date_at(text: str, pos: int, as_of: date | None = None) -> tuple[date, int] | None:
    """The date right after a label ending at pos (past a colon, bracket or cell boundary), and where it ends."""
    dm = DATE_RE.match(text, LABEL_GAP.match(text, pos).end())
    d = _to_date(dm) if dm else None
    if d and d.year >= 1990 and (as_of is None or d <= as_of):
        return d, dm.end()
    return None


def labels_at(text: str, labels) -> list[tuple[int, str]]:
    """(position, label) of the 4-character labels ending in 时间/日期 (留言时间, 受理日期 …), in order.

    One str.find pass per suffix: much cheaper than a regex on CJK text, and such labels are few per page."""
    out = []
    for suffix in ("时间", "日期"):
        i = text.find(suffix, 2)
        while i >= 0:
            label = text[i - 2:i + 2]
            if label in labels:
                out.append((i - 2, label))
            i = text.find(suffix, i + 2)
    out.sort()
    return out
