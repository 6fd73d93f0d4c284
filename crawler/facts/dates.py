"""Publish dates: how a page says when it was published, from most to least trustworthy.

Freshness findings hang on these dates, so each one carries its source, and anything that merely
looks like a date (a copyright range, a year in a title, an event's start time, a date after the
audit's as_of day) is refused rather than guessed.
"""
from __future__ import annotations

import re
from datetime import date

# Full-width digits and separators → ASCII, so one pattern reads them all (：is matched as is).
WIDTH = str.maketrans("０１２３４５６７８９／．－", "0123456789/.-")
_WIDE = re.compile("[０-９／．－]")


def widen(text: str) -> str:
    """text with full-width digits made ASCII (translate is slow on CJK text: only when needed)."""
    return text.translate(WIDTH) if _WIDE.search(text) else text

_NUM = r"((?:19|20)\d{2})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)"
_CN = r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
DATE_RE = re.compile(r"(?<!\d)" + _NUM + "|" + _CN)

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0}

# Keywords that label a publish date, ranked: 0 publish, 1 bare 日期/时间, 2 update, 3 document date.
_KEYWORDS = {
    "发布时间": 0, "发布日期": 0, "发稿时间": 0, "公开日期": 0, "公开时间": 0,
    "日期": 1, "时间": 1,
    "更新时间": 2, "更新日期": 2,
    "成文日期": 3, "印发日期": 3, "发文日期": 3,
}
_SPECIFIC = "|".join(k for k in _KEYWORDS if len(k) > 2)
# A bare 日期/时间 must not be the tail of another label (开始时间, 出生日期, 展会时间 …).
_KW_RE = re.compile(
    rf"(?:({_SPECIFIC})\s*[:：∶]?|(?<![\u4e00-\u9fff])(日期|时间)\s*[:：∶])\s*"
    r"(?=(?:19|20)\d\d|[〇○零Ｏ一二三四五六七八九]{4}\s*年)"
)
# A date right after some other label (开始时间：, 截止日期) is that label's date, not the page's.
_LABEL_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,6})\s*([:：∶]?)\s*$")
_PUBLISH_WORDS = ("发布", "发稿", "更新", "公开", "发文", "印发", "成文")
_COPYRIGHT = re.compile(r"©|版权|copyright", re.I)

META_NAMES = (  # lower-cased <meta name|property>, in order of trust
    "pubdate", "publishdate", "firstpublishedtime", "originalpublishdate", "published", "publishtime",
    "publish_time", "article:published_time", "dc.date.created", "dc.date", "dcterms.created",
)

TRS_URL = re.compile(r"/(\d{6})/t(\d{8})_\d+\.s?html?")
HANWEB_URL = re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_\d+_\d+\.s?html?")


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
    """TRS /YYYYMM/tYYYYMMDD_N.html and Hanweb /art/YYYY/M/D/art_C_N.html."""
    if not url:
        return None
    m = TRS_URL.search(url)
    try:
        if m and m.group(2).startswith(m.group(1)):
            s = m.group(2)
            d, src = date(int(s[:4]), int(s[4:6]), int(s[6:])), "url:trs"
        elif (m := HANWEB_URL.search(url)):
            d, src = date(*map(int, m.groups())), "url:hanweb"
        else:
            return None
    except ValueError:
        return None
    return (d, src) if 1990 <= d.year and d <= as_of else None


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


def near_title(text: str, headlines: list[str], as_of: date, window: int = 160) -> tuple[date, str] | None:
    """An unlabelled date in the article header: the first date shortly after the headline in the body
    text, unless another label claims it (开始时间：…) or it sits in a copyright line."""
    for title in headlines:
        pos = text.find(title) if len(title) >= 4 else -1
        if pos >= 0:
            break
    else:
        return None
    start = pos + len(title)
    for m in DATE_RE.finditer(text, start, start + window):
        if _other_label(text[max(start, m.start() - 12):m.start()]):
            continue
        if _COPYRIGHT.search(text, max(0, m.start() - 20), m.start()):
            continue
        d = _to_date(m)
        if d and d.year >= 1990 and d <= as_of:
            return d, "text:header"
    return None
