"""Facts the rules read from a document's text, the same way for every format (PDF, XLS/XLSX, DOC/DOCX/WPS, OFD).

Readers give page texts whose lines break where the printed line broke (a heading or a table header wrapped one
character per line, a 科目名称 cut in two), so names are looked for in a page's lines joined back together.

- `title` as printed on the first page (wrapped over lines, joined; a sheet's header row of cells is not part of it),
  `headings` (bounded): those the format marks itself (DOCX styles) and crawler.facts.content's (一、/（一）/第一章,
  inline 一、…二、…三、) outside table rows.
- `dates`: the document's own date lines: 成文日期/印发日期 labels and a closing line that is only a date.
- `personal`: ID numbers with a valid checksum and mobile numbers (crawler.facts.personal), masked, with the page
  (or sheet) they are on; the stored page texts are masked the same way (`masked_texts`).
- `budget` (a 部门/单位 预算 or 决算, or a document printing 科目编码 tables): doc_type, fiscal_year, unit, the 三公
  items given with a figure or an explicit 0/无, whether their change is explained, the sections of 财政预决算领域
  基层政务公开标准目录, and the depth of the 科目编码: 支出功能分类 codes start with 201–234 (类 3 digits, 款 5,
  项 7), 经济分类 codes with 301–399 or 501–599; printed joined (`2080505`) or split across columns (`208 05 05`,
  `201	13	01` in a sheet), one code per row, several rows on one text line when a reader merged them.
- `annual_report` (政府信息公开工作年度报告): year and the six sections of 国办公开办函〔2021〕30号 found as headings.
- `notice` (a 公示/公告 of at most NOTICE_MAX_PAGES pages, not a report): what it states about itself, read as a
  page's notice is (crawler.facts.notices: 公示期, 受理日期 also from a 受理日期 column, 听证告知). Never from a
  报告书/报告表: a 全本's 公众参与 chapter quotes the builder's own earlier 公示, which is not the bureau's.
"""
from __future__ import annotations

import re
from datetime import date

from lxml import etree

from crawler.facts import budget as budget_tables
from crawler.facts import content, dates, notices, personal

from .model import Document

MAX_HEADINGS, MAX_HEADING_LINE, MAX_DATES, MAX_PERSONAL = 60, 40, 10, 20
MIN_CODES = 3  # a document printing fewer coded rows of a kind has no 科目 table of that kind
NOTICE_MAX_PAGES = 10  # a longer document is a report or a compilation, not a 公示

# --- text as printed, lines joined back ------------------------------------------------------------

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")
_FOLIO = re.compile(r"[-－—]\s+\d{1,3}\s+[-－—]")  # a page number printed "- 2 -", often glued to a line
_CJK_END = re.compile(rf"[{_CJK}]\s*$")
_LEADER = re.compile(r"…{2,}|\.{4,}|·{4,}")
_TOC = re.compile(r"^\s*目\s*录\s*$", re.MULTILINE)


def _squeeze(line: str) -> str:
    """A line without page numbers and without the spaces a PDF puts between ideographs (2024 年度 → 2024年度)."""
    return _CJK_GAP.sub("", _FOLIO.sub("", line)).strip()


def _joined(text: str) -> str:
    """A page's lines joined back (a name or a header wrapped over lines, one character per line, is whole again);
    cells of one row stay apart (tab → space)."""
    joined = "".join(_squeeze(line).replace("\t", " ") + ("" if _CJK_END.search(line) else " ")
                     for line in text.splitlines())
    return _CJK_GAP.sub("", joined)


def _is_toc(text: str) -> bool:
    return bool(_TOC.search(text[:200]))


# --- headings --------------------------------------------------------------------------------------

_SENTENCE_END = ("。", "；", "，", "：", ":", ";", ",")


def _heading_lines(pages: list[str]) -> list[tuple[int, str]]:
    """(page, line) of short lines that read as headings: not on a 目录 page, no leader dots, not ending a
    sentence, at most 40 characters (spaces aside), not only figures."""
    out = []
    for number, text in enumerate(pages, 1):
        if _is_toc(text):
            continue
        for raw in text.splitlines():
            line = _squeeze(raw).replace("\t", "")
            if (2 <= len(line) <= MAX_HEADING_LINE and not line.endswith(_SENTENCE_END) and not _LEADER.search(line)
                    and re.search(r"[\u4e00-\u9fff]{2}", line)):
                out.append((number, line))
    return out


_TABLE_ROW = re.compile(r"(?:^|\s)[\d,.]*\d(?:\s|$)")  # a row of a table: a figure as a cell of its own


def _headings(doc: Document, pages: list[str]) -> list[str]:
    out: dict[str, None] = dict.fromkeys(h for h in doc.headings if h)
    for number, text in enumerate(pages, 1):
        if _is_toc(text):
            continue
        prose = [line for line in text.splitlines() if "\t" not in line and not _TABLE_ROW.search(line)]
        for head in content.headings(" ".join(" ".join(_FOLIO.sub("", line).split()) for line in prose)):
            out.setdefault(head)
    return list(out)[:MAX_HEADINGS]


_FIGURE_TOKEN = re.compile(r"\d\.\d|\d{2,}(?![\d年])")  # 123.45, 500 (a year before 年 is a title's)
_TITLE_END = re.compile(r"(?:报告|预算|决算|函|通知|决定|书|规范|办法|意见|方案|公告|通告|批复|说明|规定|细则)$")


def _title(doc: Document, pages: list[str]) -> str | None:
    """The title as printed on the first page: its first short lines (a title wrapped over two or three lines is
    joined), up to a label line, a sentence or a date; the reader's title when it is not where the text begins."""
    lines = []
    for raw in (pages[0] if pages else "").splitlines():
        line = _squeeze(raw).replace("\t", "")
        if not line or _FOLIO.fullmatch(raw.strip()) or re.fullmatch(r"[\d\s\-－—]+", line):
            if lines:
                break
            continue
        if lines and "\t" in raw.strip():
            break  # a row of cells under a sheet's title (序号 | 姓名 | …) is its table's header, not the title
        if not re.search(r"[\u4e00-\u9fff]", line) or re.fullmatch(r"附件\d*", line):
            continue  # a cover's code (HJ, GB/T …), an English title, 附件2 above the title
        if (re.search(r"[:：。，《]", line) or len(line) > MAX_HEADING_LINE or lines and len(line) >= 26
                or dates.DATE_RE.search(line) or _FIGURE_TOKEN.search(line)):
            break  # a label line, a sentence, a body line, a date or a figure ends the title
        lines.append(line)
        if len(lines) == 3 or len("".join(lines)) >= 60 or _TITLE_END.search(line):
            break
    printed = "".join(lines) or None
    if doc.title and printed and re.search(r"[\u4e00-\u9fff]", doc.title) and not printed.startswith(
            _squeeze(doc.title)):
        return doc.title
    return printed or doc.title


# --- dates -----------------------------------------------------------------------------------------

_DATE_LABELS = {"成文日期", "成文时间", "印发日期", "印发时间", "发文日期", "签发日期", "形成日期"}


def _dates(pages: list[str]) -> list[dict]:
    """成文日期/印发日期 … labels with their date, and closing lines that are only a date (2023年7月12日,
    二〇二三年七月十二日), with their page; a date inside a sentence is not the document's date."""
    out = []
    for number, text in enumerate(pages, 1):
        flat = _joined(text)
        for pos, label in dates.labels_at(flat, _DATE_LABELS):
            if found := dates.date_at(flat, pos + len(label)):
                out.append({"label": label, "date": found[0].isoformat(), "page": number})
        for raw in text.splitlines():
            line = re.sub(r"\s", "", raw)
            if 8 <= len(line) <= 16 and dates.DATE_RE.fullmatch(dates.widen(line)) and (day := dates.parse_date(line)):
                out.append({"label": "落款", "date": day.isoformat(), "page": number})
    return out[:MAX_DATES]


# --- budget ------------------------------------------------------------------------------------------

_BUDGET_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})年度?(?:[^\d。，：]{0,12}?)(部门|单位)(预算|决算)(?!执行|公开工作)")
_UNIT_LABEL = re.compile(r"(?:预算主管部门|预算单位|编制部门|编制单位|部门名称|单位名称)[:：]\s*([^\s:：]{2,40}?)"
                         r"(?=单位[:：]|\s|$)")
_FIGURE = r"(?:\d[\d,]*(?:\.\d+)?|[Xx]{2,}|无|零|未安排|没有)"
_SANGONG = {
    # a scan read by OCR turns the brackets into look-alikes: 因公出国〈境)费, 因公出国《境〉费
    "因公出国（境）费": r"因公出国[（(〈《<【\[]{0,2}境[)）〉》>】\]]?费",
    "公务用车购置费": r"公务用车购置(?:费|支出)|(?<![及和与])购置费",
    "公务用车运行费": r"公务用车运行(?:维护)?(?:费|支出)|(?<![购置及和与])运行(?:维护)?费",
    "公务接待费": r"公务接待(?:费|支出)",
}
_CARS = re.compile(r"公务用车购置(?:及|和)运行(?:维护)?费")  # one figure for both car items
_SANGONG_RE = {item: re.compile(pattern) for item, pattern in _SANGONG.items()}
_FIGURE_AFTER = re.compile(rf"[^。；;]{{0,24}}?(?<![第\d]){_FIGURE}")
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# a table's row of figures: two figures or more, or one with decimals (a page number "- 12 -" or "12" is not one)
_FIGURE_ROW = re.compile(rf"^[ \t\-—–]*(?:{_NUMBER}[ \t\-—–]+)+{_NUMBER}[ \t\-—–]*$|^[ \t]*\d[\d,]*\.\d+[ \t]*$", re.MULTILINE)
_NO_SANGONG = re.compile(r"(?:无|没有|未安排)[“\"]?三公|三公[”\"]?经费[^。]{0,10}(?:为零|为0|均为0)")
_CHANGE = re.compile(r"增加|减少|持平|下降|增长|上升|降低|不变|增减|变化|变动")
_REASON = re.compile(r"原因|主要是|由于|因为")
_REASON_NEXT = re.compile(r"\s*[^。；]{0,4}?(?:原因|主要是|由于|因为)")  # 持平。主要原因是…
SECTIONS = {  # label → what a heading or an explaining sentence says
    "部门职责": r"部门职责|主要职责|主要职能|职能职责",
    "机构设置": r"机构设置|内设机构",
    "机关运行经费": r"机关运行经费",
    "政府采购": r"政府采购",
    "国有资产占有使用情况": r"国有资产占有使用|国有资产使用|国有资产",
    "绩效": r"绩效",
    "名词解释": r"名词解释|专业名词|术语解释",
}
_SECTION_RE = {name: re.compile(pattern) for name, pattern in SECTIONS.items()}
_EXPLAINED = re.compile(rf"[^。；]{{0,30}}?(?:为|共有|共计|合计|预算|支出|金额)[^。；]{{0,12}}?{_FIGURE}")
_PLACEHOLDER = re.compile(r"XX|ＸＸ|xxx")

# 科目编码 in running text: at a line start (or after the previous row's figures, when a reader merged rows), joined
# (2080505 机关事业单位…) or split into 类/款/项 columns (208 05 05 机关事业单位…), followed by its 科目名称. A figure
# followed by its unit (500 万元, 300 人次) is not a code.
_NAME = r"[ \t\u3000]*\n?[ \t\u3000]*(?!万|亿|千|元|个|人|年|月|日|次|号|辆|台|家|项|%)[\u4e00-\u9fff（(]"
_START = r"(?:^|(?<=\d[ \t\u3000])|(?<=\d[ \t\u3000]{2}))"
_JOINED = re.compile(_START + r"[ \t\u3000]*((?:2(?:0[1-9]|1\d|2\d|3[0-4])|3\d\d|5\d\d)(?:\d{2}){0,2})(?!\d)" + _NAME,
                     re.MULTILINE)
_SPLIT = re.compile(_START + r"[ \t\u3000]*((?:2(?:0[1-9]|1\d|2\d|3[0-4])|3\d\d|5\d\d))[ \t\u3000]+(\d{2})"
                    r"(?:[ \t\u3000]+(\d{2}))?(?!\d)" + _NAME, re.MULTILINE)
KINDS = {"2": "function", "3": "economic", "5": "economic"}


def _text_codes(texts: list[str]) -> list[tuple[str, list[str]]]:
    """(header, codes) per page from the running text; the kind is told by the code's first digit."""
    out = []
    for text in texts:
        found = {m.start(): "".join(p for p in m.groups() if p) for m in _SPLIT.finditer(text)}
        for m in _JOINED.finditer(text):
            if not any(s <= m.start(1) < s + len(c) + 6 for s, c in found.items()):
                found[m.start()] = m.group(1)
        out.append(("", [code for _, code in sorted(found.items())]))
    return out


def _codes(doc: Document) -> dict:
    tables = [budget_tables.rows_codes([["".join(c.split()) for c in row] for row in table[:budget_tables.MAX_ROWS]],
                                       header_rows=6) for table in doc.tables]
    summary = budget_tables.summarise([*_text_codes(doc.page_texts), *tables])
    out = {}
    for kind in ("function", "economic"):
        if (found := summary.get(kind)) and found["count"] >= MIN_CODES:
            out[f"{kind}_code_max_digits"] = found["max_digits"]
            out[f"{kind}_code_example"] = found["example"]
    return out


def _kind(flat_pages: list[str], title: str | None) -> re.Match | None:
    """The 年度 部门/单位 预算/决算 the document is, from its title or first pages (not a notice about one)."""
    for text in [_squeeze(title or ""), *flat_pages[:2]]:
        head = text[:300]
        if head.startswith("关于") or "通知" in head[:40]:
            return None
        if m := _BUDGET_TITLE.search(head):
            return m
    return None


def _unit(pages: list[str], flat_pages: list[str], kind: re.Match | None, title: str | None) -> str | None:
    """The unit a 预决算 is of: 预算主管部门：… on the cover, else what the title prints before its year, else the
    编制部门：… of a table."""
    lines = [[_squeeze(line).replace("\t", " ") for line in text.splitlines()] for text in pages]
    for line in lines[0] if lines else ():
        if m := _UNIT_LABEL.search(line):
            return m.group(1)
    if kind is not None:
        for text in [_squeeze(title or ""), *flat_pages[:1]]:
            if (i := text.find(kind.group(0))) > 1 and re.fullmatch(r"[\u4e00-\u9fff（）()]{2,40}", text[:i]):
                return text[:i]
    for line in (line for page in lines for line in page):
        if m := _UNIT_LABEL.search(line):
            return m.group(1)
    return None


def _sangong(pages: list[str], flat_pages: list[str]) -> tuple[list[str], bool]:
    """The 三公 items given with a figure (or 0, 无, a template's XXX) on a page about 三公, and whether a change
    of them is explained (增加/减少/持平 … 主要原因是 …)."""
    items: set[str] = set()
    explained = False
    for text, flat in zip(pages, flat_pages):
        if "三公" not in flat:
            continue
        figures_row = bool(_FIGURE_ROW.search(text)) or bool(_NO_SANGONG.search(flat))
        for m in _CARS.finditer(flat):
            if figures_row or _FIGURE_AFTER.match(flat, m.end()):
                items.update(("公务用车购置费", "公务用车运行费"))
        for item, pattern in _SANGONG_RE.items():
            for m in pattern.finditer(flat):
                if figures_row or _FIGURE_AFTER.match(flat, m.end()):
                    items.add(item)
                    break
        sentences = re.split(r"(?<=[。；])", flat)
        for i, sentence in enumerate(sentences):
            about = "三公" in sentence or any(p.search(sentence) for p in _SANGONG_RE.values())
            if about and _CHANGE.search(sentence) and (
                    _REASON.search(sentence) or i + 1 < len(sentences) and _REASON_NEXT.match(sentences[i + 1])):
                explained = True
    return [item for item in _SANGONG if item in items], explained


def _sections(found: dict[str, re.Pattern], pages: list[str], flat_pages: list[str], explain: bool) -> list[str]:
    """The sections named in a heading line (not on a 目录 page), or, when `explain`, in a sentence that gives
    its figure (机关运行经费预算为171.01万元)."""
    lines = [line for _, line in _heading_lines(pages)]
    out = []
    for name, pattern in found.items():
        if any(pattern.search(line) for line in lines):
            out.append(name)
        elif explain:
            for text, flat in zip(pages, flat_pages):
                if not _is_toc(text) and any(_EXPLAINED.match(flat, m.end()) for m in pattern.finditer(flat)):
                    out.append(name)
                    break
    return out


def _budget(doc: Document, pages: list[str], flat_pages: list[str], title: str | None) -> dict:
    kind = _kind(flat_pages, title)
    codes = _codes(doc)
    if kind is None and not codes:
        return {}
    items, explained = _sangong(pages, flat_pages)
    out = {"doc_type": kind.group(2) + kind.group(3) if kind else None,
           "fiscal_year": int(kind.group(1)) if kind else None,
           "unit": _unit(pages, flat_pages, kind, title),
           "sangong_items": items, "sangong_change_explained": explained,
           "sections": _sections(_SECTION_RE, pages, flat_pages, explain=True)}
    if out["unit"] and _PLACEHOLDER.search(out["unit"]) or any(_PLACEHOLDER.search(t[:3000]) for t in flat_pages[:4]):
        out["template"] = True  # a 模板 with XX placeholders, not a unit's budget
    out.update(codes)
    return out


# --- 政府信息公开工作年度报告 ------------------------------------------------------------------------------

_REPORT_TITLE = (re.compile(r"((?:19|20)\d{2})年度?[^。，\d]{0,12}?政府信息公开(?:工作)?(?:年度报告|年报)"),
                 re.compile(r"政府信息公开(?:工作)?(?:年度报告|年报)[（(]((?:19|20)\d{2})年?度?[)）]"),
                 re.compile(r"政府信息公开(?:工作)?(?:年度报告|年报)()"))
REPORT_SECTIONS = {  # 国办公开办函〔2021〕30号
    "一、总体情况": r"总体情况",
    "二、主动公开政府信息情况": r"主动公开政府信息(?:情况)?",
    "三、收到和处理政府信息公开申请情况": r"收到和处理政府信息公开申请",
    "四、政府信息公开行政复议、行政诉讼情况": r"政府信息公开行政复议[、和及]?行政诉讼",
    "五、存在的主要问题及改进情况": r"存在的主要问题(?:及|和)改进",
    "六、其他需要报告的事项": r"其他需要报告的事项",
}
_REPORT_RE = {name: re.compile(pattern) for name, pattern in REPORT_SECTIONS.items()}


def _annual_report(pages: list[str], flat_pages: list[str], title: str | None, heads: list[str]) -> dict:
    heads_text = [_squeeze(title or ""), *(f[:300] for f in flat_pages[:1])]
    m = next((m for pattern in _REPORT_TITLE for text in heads_text if (m := pattern.search(text))), None)
    if m is None or heads_text[-1].startswith("关于"):
        return {}
    year = m.group(1)
    lines = [line for _, line in _heading_lines(pages)]
    numbered = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]部分)")
    candidates = [h for h in heads] + [line for line in lines if numbered.match(line)]
    sections = [name for name, pattern in _REPORT_RE.items() if any(pattern.search(h) for h in candidates)]
    return {"year": int(year) if year else None, "sections": sections}


# --- notice ----------------------------------------------------------------------------------------

# a report by its printed title (…报告书（全本）); a notice's title names the report too, but ends in 公示/公告/表
_EIA_REPORT_TITLE = re.compile(r"(?:报告[书表]|全本|简本)(?:[（(][^）)]{0,8}[）)])?$")
MAX_NOTICE_ROWS, MAX_NOTICE_CELLS = 200, 30
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # lxml refuses them


def _table_root(tables: list[list[list[str]]]):
    """The document's tables as HTML rows, so a 受理日期 column is read as on a page (crawler.facts.grids)."""
    root = etree.Element("div")
    for rows in tables[:20]:
        table = etree.SubElement(root, "table")
        for row in rows[:MAX_NOTICE_ROWS]:
            tr = etree.SubElement(table, "tr")
            for cell in row[:MAX_NOTICE_CELLS]:
                etree.SubElement(tr, "td").text = _NOT_XML.sub("", str(cell or ""))
    return root


def _notice(doc: Document, flat_pages: list[str], title: str | None, as_of: date) -> dict | None:
    if len(flat_pages) > NOTICE_MAX_PAGES or _EIA_REPORT_TITLE.search(title or ""):
        return None
    text = "\n".join(flat_pages)
    root = _table_root(doc.tables if "受理" in text else [])  # a 受理日期 column is the only use of the cells
    return notices.notice(root, text, title, as_of) or None


# --- the facts -------------------------------------------------------------------------------------


def document_facts(doc: Document, scanned: tuple[list[dict], list[str]] | None = None,
                   as_of: date | None = None) -> dict:
    """scanned: `personal_pages(doc)` when the caller has it already (the crawl also stores the masked texts).
    as_of: the audit's date (dates after it are not read as 受理日期); today when not given."""
    pages = doc.page_texts
    flat_pages = [_joined(text) for text in pages]
    title = _title(doc, pages)
    heads = _headings(doc, pages)
    out: dict = {"title": title, "headings": heads}
    if found := _dates(pages):
        out["dates"] = found
    personal_items, _ = scanned or personal_pages(doc)
    if personal_items:
        out["personal"] = personal_items[:MAX_PERSONAL]
    if notice := _notice(doc, flat_pages, title, as_of or date.today()):
        out["notice"] = notice
    if report := _annual_report(pages, flat_pages, title, heads):
        out["annual_report"] = report
    elif budget := _budget(doc, pages, flat_pages, title):
        out["budget"] = budget
    return out


def personal_pages(doc: Document) -> tuple[list[dict], list[str]]:
    """The personal numbers of every page (with its page number), and the page texts with each of them masked in
    place: what the database keeps. One scan serves both."""
    items, masked = [], []
    for number, text in enumerate(doc.page_texts, 1):
        found, hidden = personal.scan(text)
        items += [item | {"page": number} for item in found]
        masked.append(hidden)
    return items, masked


def masked_texts(doc: Document) -> list[str]:
    """The page texts with every ID and mobile number masked in place."""
    return personal_pages(doc)[1]
