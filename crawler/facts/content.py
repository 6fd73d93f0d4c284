"""The content area of a page, and what it shows: "标签：值" field labels, section headings.

The content area is the body minus its chrome: <nav>/<header>/<footer>/<aside> and block elements
whose class or id names a footer, navigation, menu, breadcrumb, page top, logo, sidebar, link box,
share bar or banner. A chrome-looking element is kept when it holds a known content container (from the
CMS families' tables, crawler/cms: TRS_Editor, TRS_UEDITOR, #zoom, .article-content …) or more than half
of the body's text (a page wrapper such as `bg-bottom`). 信息公开 header tables (索引号/成文日期 …) sit
outside TRS_Editor, so the content area is deliberately wider than the article's text container.

Extraction is the crawler's hot path, so nothing here walks the tree again or joins its text twice:
`Marker.see()` is fed by extract()'s single element walk; `Marker.insert()` writes private-use
marker characters into the tree (chrome start/end, label cells, headings, data tables) just before
the one text collection, and `Marker.restore()` puts the tree back right after it. `split()` then
gives the page text exactly as before (markers removed) and the content text (chrome cut out, label
and heading markers kept), which one regex pass per fact reads in order of appearance.
"""
from __future__ import annotations

import re

from lxml import etree

from crawler.cms import CONTENT_CONTAINERS, PAGE_METAS

# Private-use marker characters (never in real text).
LABEL_END = "\ue0f1"  # after a label cell: th, dt, td.label, key cell of a key-value table
HEAD_START, HEAD_END = "\ue0f2", "\ue0f3"  # around h1-h4
TABLE_START, TABLE_END = "\ue0f4", "\ue0f5"  # around a data table (a row of >= 3 cells)
CHROME_START, CHROME_END = "\ue0f6", "\ue0f7"  # around a chrome candidate
MARK_CHARS = "\ue0f1\ue0f2\ue0f3\ue0f4\ue0f5\ue0f6\ue0f7"
MARKS = re.compile("[\ue0f1-\ue0f7] ?")

_TEXTS = etree.XPath("descendant-or-self::text()", smart_strings=False)
_CJK = re.compile(r"[\u4e00-\u9fff]")

# --- which elements matter --------------------------------------------------------------------------

HEADING_TAGS = ("h1", "h2", "h3", "h4")
CHROME_TAGS = ("nav", "header", "footer", "aside")
BLOCK_TAGS = ("div", "ul", "ol", "section", "table", "dl", "center", "form")
TAGS = (*HEADING_TAGS, *CHROME_TAGS, *BLOCK_TAGS, "th", "dt", "tr")
_BLOCKS = frozenset((*CHROME_TAGS, *BLOCK_TAGS))

_CHROME_WORDS = re.compile(
    r"foot|copy_?right|banquan|bottom|nav|menu|crumb|curmb|location|position|dqwz|sidebar|yqlj|friend"
    r"|related|xgwz|xgxw|xglj|share|banner"
    r"|(?:^|\s)(?:bot|top|head|header|side|place|logo|links?)(?:$|[-_\s\d])|(?:main|site|page|g)[-_]?header")
_CONTENT_WORDS = re.compile("|".join(CONTENT_CONTAINERS))  # every CMS family's content containers
_LABEL_CELL_WORDS = re.compile(r"label|lable|tit|key")
CHROME, CONTENT, LABEL = 1, 2, 4
_KINDS: dict[str, int] = {}  # "class id" → flags; class names repeat across a site's pages


def _kind(names: str) -> int:
    """CHROME | CONTENT | LABEL flags of a "class id" string (cached)."""
    low = names.lower()
    kind = ((CHROME if _CHROME_WORDS.search(low) else 0) | (CONTENT if _CONTENT_WORDS.search(low) else 0)
            | (LABEL if _LABEL_CELL_WORDS.search(low) else 0))
    if kind & CONTENT:
        kind &= ~CHROME
    if len(_KINDS) > 20000:
        _KINDS.clear()
    _KINDS[names] = kind
    return kind


_INLINE = {"strong", "b", "span", "font", "label", "em", "i", "u", "br"}
_KEY_BAD = re.compile(r"[\d。，；！？,;!?]")
_VALUE_NUMERIC = re.compile(r"^[\d\s.,，%％\-—–/()（）]*$")


def _cell_text(cell) -> str:
    if len(cell) == 0:
        return "".join((cell.text or "").split())
    return "".join("".join(_TEXTS(cell)).split())


def _key_cell(cell) -> bool:
    """A short label-like cell: text (maybe bold) only, ideographs, no digits or sentence marks."""
    if any(child.tag not in _INLINE for child in cell):
        return False
    k = _cell_text(cell)
    return 0 < len(k) <= 14 and bool(_CJK.search(k)) and not _KEY_BAD.search(k)


class Marker:
    """Collects the elements of interest during extract()'s walk and marks them in the tree."""

    __slots__ = ("chrome", "content", "headings", "labels", "rows", "undo")

    def __init__(self):
        self.chrome, self.content, self.headings, self.labels, self.rows, self.undo = [], [], [], [], [], []

    def see(self, el, tag: str) -> None:
        if tag in _BLOCKS:
            cls = el.get("class")
            id_ = el.get("id")
            if cls is None and id_ is None:
                if tag in CHROME_TAGS:
                    self.chrome.append(el)
                return
            key = cls if id_ is None else f"{cls} {id_}"
            kind = _KINDS.get(key)
            if kind is None:
                kind = _kind(key)
            if kind & CHROME or tag in CHROME_TAGS:
                self.chrome.append(el)
            elif kind & CONTENT:
                self.content.append(el)
        elif tag == "tr":
            self.rows.append(el)
        elif tag == "th" or tag == "dt":
            self.labels.append(el)
        else:  # h1-h4
            self.headings.append(el)

    def _prefix_text(self, el, mark: str) -> None:
        self.undo.append((el, "text", el.text))
        el.text = mark + (el.text or "")

    def _prefix_tail(self, el, mark: str) -> None:
        self.undo.append((el, "tail", el.tail))
        el.tail = mark + (el.tail or "")

    def insert(self, body) -> None:
        """Write the markers into the tree (after <script>/<style> were stripped)."""
        if self.chrome:
            keep = set()
            for el in self.content:
                keep.update(el.iterancestors())
            for el in self.chrome:  # elements of the walk: all attached, never <body>
                if el not in keep:
                    self._prefix_text(el, CHROME_START)
                    self._prefix_tail(el, CHROME_END)
        for el in self.headings:
            self._prefix_text(el, HEAD_START)
            self._prefix_tail(el, HEAD_END)
        labelled = set()
        for el in self.labels:
            self._prefix_tail(el, LABEL_END)
            labelled.add(el)
        data_tables, kv = set(), {}
        for tr in self.rows:
            for cell in tr:
                if cell.tag == "td" and (cls := cell.get("class")):
                    kind = _KINDS.get(cls)
                    if (kind if kind is not None else _kind(cls)) & LABEL and cell not in labelled:
                        self._prefix_tail(cell, LABEL_END)
                        labelled.add(cell)
            n = len(tr)
            table = tr.getparent()
            if table is not None and table.tag in ("tbody", "thead", "tfoot"):
                table = table.getparent()
            if table is None:
                continue
            if n >= 3 and sum(1 for c in tr if c.tag in ("td", "th")) >= 3:
                data_tables.add(table)
            if n not in (2, 4):
                continue
            cells = [c for c in tr if c.tag == "td"]
            if len(cells) != n:
                continue
            keys = []
            for key, value in zip(cells[::2], cells[1::2]):
                if not _key_cell(key):
                    break
                v = _cell_text(value)
                if not v or _VALUE_NUMERIC.match(v):
                    break
                keys.append(key)
            else:
                kv.setdefault(table, []).extend(keys)
        for table, keys in kv.items():
            if len(keys) >= 2:  # at least two key cells: a key-value table, not one layout row
                for key in keys:
                    if key not in labelled:
                        self._prefix_tail(key, LABEL_END)
        for table in data_tables:
            self._prefix_text(table, TABLE_START)
            self._prefix_tail(table, TABLE_END)

    def restore(self) -> None:
        for el, attr, value in reversed(self.undo):
            setattr(el, attr, value)
        self.undo.clear()


def _positions(s: str, chars: str) -> list[int]:
    """Sorted positions of the given (rare) characters: str.find is far faster than a regex class."""
    out = []
    for c in chars:
        i = s.find(c)
        while i >= 0:
            out.append(i)
            i = s.find(c, i + 1)
    out.sort()
    return out


def _without(s: str, drop: list[int]) -> str:
    """s without the characters at positions drop (sorted), nor the one space after each."""
    pieces, pos = [], 0
    for i in drop:
        if i < pos:
            continue
        pieces.append(s[pos:i])
        pos = i + 2 if s[i + 1:i + 2] == " " else i + 1
    pieces.append(s[pos:])
    return "".join(pieces)


def _holds_content(raw: str, start: int, stop: int) -> bool:
    """A big chrome-looking span is a page wrapper if it holds a heading or prose (a footer's link lists
    of 国务院部门网站 … can be half the page, but have neither)."""
    return raw.find(HEAD_START, start, stop) >= 0 or raw.count("。", start, stop) >= 3


def split(raw: str) -> tuple[str, str]:
    """(page text without markers, content text: chrome cut out, label/heading/table markers kept).

    raw is the whitespace-normalised joined text with markers. A chrome span holding more than half of
    the page's text and a heading or prose is a wrapper, not chrome: its markers are dropped and its
    inner spans are judged."""
    marks = _positions(raw, MARK_CHARS)
    if not marks:
        return raw, raw
    text = _without(raw, marks).strip()
    chrome = [i for i in marks if raw[i] == CHROME_START or raw[i] == CHROME_END]
    if not chrome:
        return text, raw
    half = len(text) // 2
    spans, stack = [], []
    for i in chrome:
        if raw[i] == CHROME_START:
            stack.append(i)
        elif stack:
            start = stack.pop()
            spans.append((start, i + 1))
    spans.sort()
    pieces, pos = [], 0
    for start, stop in spans:  # outermost first; a wrapper's inner spans are judged on their own
        if start < pos or stop - start > half and _holds_content(raw, start, stop):
            continue
        pieces.append(raw[pos:start])
        pos = stop
    pieces.append(raw[pos:])
    ctext = "".join(pieces)
    if CHROME_START in ctext or CHROME_END in ctext:  # a wrapper's markers
        ctext = ctext.replace(CHROME_START, "").replace(CHROME_END, "")
    return text, ctext


def strip_marks(s: str) -> str:
    """s without markers (for snippets and tests)."""
    return _without(s, _positions(s, MARK_CHARS)) if s else s


# --- field labels ----------------------------------------------------------------------------------

_NUMBERING = r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[、.．)）]|[①-⑳])"
_SEP = r"\s。；;！？!?，,|│\ue0f1-\ue0f5"
_LABEL_CHARS = r"[\u4e00-\u9fffA-Za-z【】\[\]（）()/、·\-]"
_COLONS = ":：∶\ue0f1】]］"
# The label ending at a colon: the longest run of label characters after a separator (or the start).
# The label ending at a colon, read backwards: the text is reversed once, so one anchored match per
# colon finds the label characters before it (and a leading 一、/（1）/1. numbering) up to a separator.
_REV_NUMBERING = r"(?:[、.．]\s*[一二三四五六七八九十]{1,3}|[)）]\s*[一二三四五六七八九十\d]{1,3}\s*[（(]|[、.．)）]\s*\d{1,2}|[①-⑳])"
_LABEL_BEFORE = re.compile(
    rf"\s*([\u4e00-\u9fff](?: [\u4e00-\u9fff]){{1,5}}|{_LABEL_CHARS}{{1,30}})(?:\s*{_REV_NUMBERING})?(?=[{_SEP}]|$)")
_BRACKET_LABEL = re.compile(rf"([\u4e00-\u9fff]{{2,12}})[【\[［](?=[{_SEP}]|$)")  # reversed: 】 already passed
_LEAD_NUMBERING = re.compile(rf"^{_NUMBERING}")
_PAREN = re.compile(r"[（(][^（()）]*[)）]")
_BRACKETS = re.compile(r"[【】\[\]（）()\s]")
_LATIN_LABELS = {"email", "e-mail", "tel", "fax"}
_NOT_LABELS = {"当前页面", "打印本页", "关闭窗口", "打印", "关闭", "返回顶部", "收藏", "分享"}
_NOT_LABEL_ENDS = ("指出", "强调", "表示", "认为", "说", "介绍", "如下", "以下", "获悉", "了解到", "提出")
_EMPTY_VALUE = re.compile(r"[\s\ue0f1-\ue0f5:：∶、,，;；。.\-—_/|]*")
MAX_LABEL, MAX_LABELS = 12, 100


_NORMALISED: dict[str, str | None] = {}  # labels repeat across a site's pages


def normalise_label(raw: str) -> str | None:
    """normalise_label_uncached, cached."""
    try:
        return _NORMALISED[raw]
    except KeyError:
        if len(_NORMALISED) > 20000:
            _NORMALISED.clear()
        label = _NORMALISED[raw] = normalise_label_uncached(raw)
        return label


def normalise_label_uncached(raw: str) -> str | None:
    """One label as stored: no whitespace, colons, brackets or leading numbering; <= 12 characters;
    a bracketed aside is kept (传真（号码） → 传真号码) unless that makes it too long (then dropped)."""
    s = _LEAD_NUMBERING.sub("", "".join(raw.split()))
    full = _BRACKETS.sub("", s)
    if len(full) > MAX_LABEL:
        full = _BRACKETS.sub("", _PAREN.sub("", s))
    full = full.strip("、/·-")
    if not full or len(full) > MAX_LABEL:
        return None
    if not _CJK.search(full):
        return full if full.lower() in _LATIN_LABELS else None
    if full in _NOT_LABELS or "位置" in full or full.startswith("各") or full.endswith(_NOT_LABEL_ENDS):
        return None  # breadcrumb (您所在的位置), addressee (各区生态环境分局：), reported speech (会议强调：)
    return full


def field_labels(ctext: str) -> list[str]:
    """Labels of "标签：值" pairs and of marked label cells, in order of appearance, de-duplicated.
    A colon label needs a value before the next label (文号：<empty cell> is no pair); a label cell
    (th, dt, td.label, key cell) does not (a header row's cells have their values below)."""
    n = len(ctext)
    rev = ctext[::-1]
    found = []  # (label start, colon end, raw label, needs a value)
    last_colon = None
    for pos in _positions(ctext, _COLONS):
        c = ctext[pos]
        cell = c == LABEL_END
        if cell and last_colon is not None and ctext[last_colon + 1:pos].strip() == "":
            continue  # 名称：</td> — the colon already made the label
        if c in "】]］":  # 【办理流程】受理—审查… : a bracketed label at a segment start
            lm = _BRACKET_LABEL.match(rev, n - pos)
            if lm:
                last_colon = pos
                found.append((n - lm.end(1), pos + 1, lm.group(1)[::-1], True))
            continue
        if not cell:
            last_colon = pos
        lm = _LABEL_BEFORE.match(rev, n - pos)
        if lm:
            found.append((n - lm.end(1), pos + 1, lm.group(1)[::-1], not cell))
    out: dict[str, None] = {}
    for i, (start, end, raw, needs_value) in enumerate(found):
        if needs_value:
            stop = found[i + 1][0] if i + 1 < len(found) else len(ctext)
            if _EMPTY_VALUE.fullmatch(ctext, end, stop):
                continue
        label = normalise_label(raw)
        if label and label not in out:
            out[label] = None
            if len(out) >= MAX_LABELS:
                break
    return list(out)


# --- headings --------------------------------------------------------------------------------------

_N = "一二三四五六七八九十"
_HEAD_RE = re.compile(  # starts with a character class, so the regex engine skips ahead fast
    rf"[{_N}（(第\ue0f2](?:(?<=\ue0f2)([^\ue0f3]*)\ue0f3|(?<=[\s\ue0f1-\ue0f5][{_N}（(第])"
    rf"(?:(?<=[（(])[{_N}]{{1,3}}[)）]|(?<=第)[{_N}百零〇\d]{{1,4}}(?:章|节|部分|篇|编)|(?<=[{_N}])[{_N}]{{0,2}}、)"
    r"(\s*)([^\s。，,；;：:！？!?\ue0f1-\ue0f5]*))")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
_MORE = re.compile(r"\s*(?:更多|more|MORE)?\s*[>＞»›]+\s*$|\s*更多\s*$")
MAX_HEADING, MAX_HEADINGS = 40, 50


def _table_spans(ctext: str) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, 0
    for i in _positions(ctext, TABLE_START + TABLE_END):
        if ctext[i] == TABLE_START:
            if depth == 0:
                start = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def _tag_heading(raw: str) -> str:
    """An h1-h4 text as stored: markers and spaces between ideographs removed, a trailing 更多>> dropped,
    cut to 40 characters."""
    head = raw.strip()
    if any(c in head for c in MARK_CHARS):
        head = strip_marks(head).strip()
    if " " in head:
        head = _CJK_SPACE.sub("", head)
    if head.endswith((">", "＞", "»", "›", "更多")):
        head = _MORE.sub("", head)
    return head[:MAX_HEADING].strip()


_INLINE_MARK = re.compile(rf"[{_N}]{{1,3}}、")
_UNITS = "一二三四五六七八九"
_NUMERAL = {n: i for i, n in enumerate([*_UNITS, "十", *(f"十{u}" for u in _UNITS), "二十"], 1)}
_PARAGRAPH_END = frozenset(" 。！？!?" + MARK_CHARS)  # what may stand before a section's number
_HEAD_STOP = re.compile(rf"[\s。，,；;：:！？!?{MARK_CHARS}]")
_SENTENCE_END = re.compile("[。！？!?]")


def _inline_heads(ctext: str, spans) -> list[str]:
    """Section heads written inline: 一、…二、…三、… in one paragraph (一、总体情况 2023年，…。二、主动公开政府信息情况
    …), or run together (一、总体情况二、主动公开…). A sequence counts from 一 at a paragraph's start or after a
    sentence, each next number after a sentence or right after the previous head, at least three numbers, and
    at least one head followed by its own text or the next number; an enumeration (：一、…；二、…, 一、加强领导。
    二、完善制度。…) is not a heading sequence, and 一是…二是… never is."""
    marks = []  # (start, end, number) of each 一、 outside data tables, not inside a word (统一、第一、)
    for m in _INLINE_MARK.finditer(ctext):
        number = _NUMERAL.get(m.group()[:-1])
        start = m.start()
        if number and not (spans and any(a <= start < b for a, b in spans)):
            marks.append((start, m.end(), number))
    heads: list[str] = []
    i = 0
    while i < len(marks):
        start, _, number = marks[i]
        if number != 1 or (start > 0 and ctext[start - 1] not in _PARAGRAPH_END):
            i += 1
            continue
        chain = [marks[i]]
        for mark in marks[i + 1:]:
            if mark[2] != chain[-1][2] + 1:
                continue
            section = ctext[chain[-1][1]:mark[0]]
            before = ctext[mark[0] - 1]
            if before in _PARAGRAPH_END or (not _HEAD_STOP.search(section) and 2 <= len(section) <= MAX_HEADING):
                chain.append(mark)
        i += max(1, len(chain))
        if len(chain) < 3:
            continue
        found, bodied = [], False
        for k, (start, end, _) in enumerate(chain):
            stop = chain[k + 1][0] if k + 1 < len(chain) else len(ctext)
            section = ctext[end:stop]
            cut = _HEAD_STOP.search(section)
            head = section[:cut.start()] if cut else section
            if not 2 <= len(head) <= MAX_HEADING:
                break  # prose, not a head: the sequence ends before it
            found.append(ctext[start:end] + head)
            bodied = bodied or not cut or len(_SENTENCE_END.sub("", section[len(head):]).strip()) >= 8
        if len(found) >= 3 and bodied:
            heads += found
    return heads


def headings(ctext: str) -> list[str]:
    """h1-h4 texts (cut to 40 characters; a trailing 更多>> dropped), paragraph-leading heads
    outside data tables: 一、总体情况, （二）主动公开政府信息情况, 第三章 … up to the first sentence
    mark or space (a head longer than 40 characters is prose, not a heading), and section heads written
    inline (一、…。二、…。三、… in one paragraph: _inline_heads)."""
    spans = _table_spans(ctext) if TABLE_START in ctext else ()
    out: dict[str, None] = {}
    for m in _HEAD_RE.finditer(" " + ctext):  # a separator before a head at the very start
        if m.group(1) is not None:
            head = _tag_heading(m.group(1))
        else:
            start = m.start() - 1  # in ctext
            if spans and any(a <= start < b for a, b in spans):
                continue  # a row of a data table (年报: 一、本年新收 …)
            number = m.group()[: m.start(2) - m.start()]
            space, rest = m.group(2), m.group(3)
            if not rest and not number.startswith("第"):
                continue
            head = number + (" " if space and rest and number.startswith("第") else "") + rest
            if len(head) > MAX_HEADING:
                continue
        if head and head not in out:
            out[head] = None
            if len(out) >= MAX_HEADINGS:
                return list(out)
    for head in _inline_heads(ctext, spans) if "、" in ctext else ():
        if head not in out:
            out[head] = None
            if len(out) >= MAX_HEADINGS:
                break
    return list(out)


# --- metadata --------------------------------------------------------------------------------------

META_VOCABULARY = PAGE_METAS  # the 网页设计规范 names (crawler/cms/generic.py)
_META_KEYS = {name.lower(): name for name in META_VOCABULARY}


def meta_names(present: set[str]) -> list[str]:
    """网页设计规范 tags present with non-empty content (lower-cased names), canonical spelling, in
    the vocabulary's order (Site…, Column…, Article…)."""
    return [name for key, name in _META_KEYS.items() if key in present]
