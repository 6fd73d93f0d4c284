"""<site>/整改通知.docx (python-docx): the formal notice a supervisor sends a bureau by OA or mail.

One per site: title, recipient (the site's name), the audit's as-of date, verdict and score, the table
序号 / 问题类型 / 问题描述 / 问题页面 / 整改要求 / 整改时限, what could not be tested, a closing line asking for
rectification by the deadline, and the sender (the 主管单位 when the sites file names one) and date.
A4 landscape; East Asian text in 宋体 (SimSun), headings in 黑体 (SimHei), set through ``w:eastAsia`` so
Word and WPS pick the CJK font instead of substituting one.

Waived findings (已豁免) are not asked to be fixed, so they are left out of the table (the notice says how
many); 序号 stays the 整改清单's number, so a row in the notice points at the same row in the list.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from checks.result import AuditResult, SiteVerdict
from core.vocab import SEVERITIES, label

from . import labels as L
from .rows import Row, SiteReport
from .text import bureau_text

NAME = "整改通知.docx"
BODY_FONT, TITLE_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
NOTICE_COLUMNS = ["序号", "问题类型", "问题描述", "问题页面", "整改要求", "整改时限"]
COLUMN_WIDTHS_MM = [14, 32, 78, 62, 58, 26]  # 270 mm: A4 landscape (297) minus 2 × 13.5 mm margins
# Said to a site the crawler could not get into: what to let through (README, "Allow-listing").
ALLOW_LIST = ("请将请求头 User-Agent 含“gkaudit”的访问和检测单位告知的检测主机地址加入网站防护（防火墙、"
              "反爬虫或 CDN）的白名单，确认后申请复查。")
BLOCKING_REASONS = {"blocked", "robots", "unreachable"}


def _clean(value: Any) -> str:
    """Plain text safe for XML (page text may carry any character), with mainland quotation marks."""
    return bureau_text(value)


def cn_date(value: date | None) -> str:
    """2026-11-20 → 2026年11月20日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _fonts(rpr_parent, east: str, latin: str = LATIN_FONT) -> None:
    """Set the Latin and the East Asian font (w:rFonts w:eastAsia) on a run or a style."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east)


def _run(paragraph, text: Any, *, bold: bool = False, size: float | None = None, east: str = BODY_FONT,
         color: RGBColor | None = None):
    run = paragraph.add_run(_clean(text))
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    _fonts(run._element, east)
    return run


def _para(doc_or_cell, text: Any = "", *, bold=False, size=None, align=None, east=BODY_FONT, indent=False,
          space_after: float | None = None):
    p = doc_or_cell.add_paragraph()
    if text != "":
        _run(p, text, bold=bold, size=size, east=east)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * (size or 12))
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def _cell_text(cell, lines: list[str], *, bold: bool = False, size: float = 10.5,
               align=None) -> None:
    """Fill a cell with one paragraph per line (the cell's first paragraph is reused)."""
    lines = [line for line in lines if line] or [""]
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        if align is not None:
            p.alignment = align
        _run(p, line, bold=bold, size=size)


def _repeat_header(row) -> None:
    """Repeat the header row on every page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(13.5))
    section.top_margin = section.bottom_margin = Mm(15)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    _fonts(normal.element, BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)


def row_cells(row: Row) -> list[list[str]]:
    """The six notice cells of one 整改清单 row, each as lines."""
    f = row.finding
    severity = f"扣 {L.value_text(f.points)} 分" if f.severity == "deduct" else label(SEVERITIES, f.severity)
    page = [_clean(f.url) or "—"]
    if f.parent_url:
        page.append(f"父页面：{_clean(f.parent_url)}")
    message = [_clean(f.message) or "—"] + [f"{k}：{L.value_text(v)}" for k, v in row.extras if v not in (None, "")]
    return [[str(row.seq)], [row.type, f"（{severity}）"], message, page, [_clean(f.fix) or "—"],
            [cn_date(f.deadline) or "—"]]


def _summary_sentence(site: SiteVerdict, as_of: date, rows: list[Row], waived: int) -> str:
    counts = site.counts
    when = cn_date(as_of)
    where = f"（{site.url}" + (f"，网站标识码 {site.site_id_code}" if site.site_id_code else "") + "）" \
        if site.url else ""
    if site.verdict == "not_tested":
        return (f"{when}对你单位网站{where}进行检测时，网站未能完成检测（见下文未检测项），本次不作结论。"
                "请确认网站对检测程序可访问后申请复查。")
    text = (f"经检测（评估基准日 {when}），你单位网站{where}检测结论为「{site.verdict_label}」，"
            f"得分 {L.value_text(site.score) if site.score is not None else '—'} 分；"
            f"发现单项否决问题 {counts.veto} 项、扣分问题 {counts.deduct} 项、提示问题 {counts.advice} 项")
    if waived:
        text += f"（另有 {waived} 项已豁免，不列入本通知）"
    if site.resolved:
        text += f"；较上次检测已整改 {site.resolved} 项"
    return text + ("。现将问题清单通知如下，请认真核查并按期整改。" if rows else "。未发现需要整改的问题。")


def write(folder: Path, result: AuditResult, report: SiteReport) -> Path:
    """Write the site's 整改通知 and return its path."""
    path = folder / NAME
    site, rows = report.site, report.rows
    doc = Document()
    _setup(doc)
    as_of = result.as_of
    site_name = site.name or site.site
    doc.core_properties.title = _clean(f"{site_name} 网站检测问题整改通知")
    doc.core_properties.author = "gkaudit"
    todo = [r for r in rows if r.finding.status != "waived"]
    waived = len(rows) - len(todo)

    _para(doc, "政府网站检测问题整改通知", bold=True, size=20, align=WD_ALIGN_PARAGRAPH.CENTER, east=TITLE_FONT,
          space_after=12)
    _para(doc, f"{site_name}：", bold=True, size=14)
    _para(doc, _summary_sentence(site, as_of, todo, waived), size=12, indent=True)

    if todo:
        table = doc.add_table(rows=1, cols=len(NOTICE_COLUMNS))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        header = table.rows[0]
        _repeat_header(header)
        for cell, name in zip(header.cells, NOTICE_COLUMNS):
            _cell_text(cell, [name], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for row in todo:
            cells = table.add_row().cells
            for i, (cell, lines) in enumerate(zip(cells, row_cells(row))):
                _cell_text(cell, lines, align=WD_ALIGN_PARAGRAPH.CENTER if i in (0, 5) else None)
        for r in table.rows:
            for cell, width in zip(r.cells, COLUMN_WIDTHS_MM):
                cell.width = Mm(width)

    if site.not_tested:
        titles = {r.id: r.title for r in result.rules}
        _para(doc, "以下项目本次未能检测，既不代表合格，也不代表不合格：", size=12, indent=True)
        for n in site.not_tested:
            _para(doc, L.not_tested_line(n, titles), size=12, indent=True)
        if any(n.reason in BLOCKING_REASONS for n in site.not_tested):
            _para(doc, ALLOW_LIST, size=12, indent=True)

    if todo:
        deadlines = [r.finding.deadline for r in todo if r.finding.deadline]
        by = f"最迟于 {cn_date(max(deadlines))} 前" if deadlines else "并"
        closing = (f"请你单位按上表所列整改要求和整改时限完成整改，{by}将整改情况报送"
                   f"{site.supervisor or '检测单位'}。整改完成后可申请复查。")
    else:
        closing = "请继续做好网站日常运维，确保信息及时准确。"
    _para(doc, closing, size=12, indent=True)
    _para(doc, "特此通知。", size=12, indent=True, space_after=18)
    _para(doc, site.supervisor or "", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, cn_date(as_of), size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, f"本通知由 gkaudit 根据检测结果生成；问题序号与《{site_name} 整改清单》一致。",
         size=9, color=RGBColor(0x59, 0x63, 0x6E))
    doc.save(path)
    return path
