"""The attachments `make bench-docs` reads: files shaped like a bureau's publications, generated from a seed.

Mostly text PDFs (部门预算/决算 with 科目编码 tables, 政府信息公开工作年度报告, 环评 reports of 30–60 pages with
scanned 附图, 通知/批复 of a few pages), a few scans (image-only pages), and XLSX, XLS and DOCX budget tables and
notices. The PDFs embed subsets of a TrueType CJK font (Droid Sans Fallback, Debian's fonts-droid-fallback), as
WPS, Word and 方正 do, with figures and Latin letters in a second font (reportlab's Vera) as a 仿宋 + Times New
Roman document has them; WPS-made budgets clip each table cell's text to the cell (the part that overflows is not
shown) and some carry an off-page copy of a paragraph, both of which the reader must drop. A few PDFs use the
non-embedded STSong-Light CID font, as iText-made 公示 lists do: pdfium then outlines the glyphs of a substitute
font for every character, so they are reported as a class of their own.

Why not tests/documents/pdfs.py: the bench is not a test and must not depend on the test tree; it needs more
kinds of document, and a font that is embedded.

The set is cached under .bench/docs/<key>/ with a manifest; the key hashes this file, the count, the seed, the
font and the writers' versions, so a change to the generator makes a new set.
"""
from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

FONT_FILES = ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",)
A4 = (595.0, 842.0)
EMBEDDED, LATIN, CID = "DroidSans", "Vera", "STSong-Light"  # Vera: reportlab's own TrueType font

# share of the set per kind (the rest of `count` goes to notices)
MIX = {"budget": 0.22, "final": 0.08, "annual": 0.10, "eia": 0.08, "scan": 0.03, "cid": 0.03,
       "xlsx": 0.09, "xls": 0.06, "docx": 0.08}


@dataclass
class Item:
    name: str  # file name inside the set's folder
    kind: str  # budget, final, annual, eia, notice, scan, cid (PDF); xlsx, xls, docx
    format: str  # pdf, xlsx, xls, docx
    pages: int = 0  # PDF pages, sheets; 0 for DOCX
    scanned: list[int] = field(default_factory=list)  # 1-based image-only pages


def font_file() -> Path | None:
    return next((Path(p) for p in FONT_FILES if Path(p).is_file()), None)


def cache_key(count: int, seed: int) -> str:
    import docx
    import openpyxl
    import reportlab
    import xlwt

    font = font_file()
    parts = [Path(__file__).read_bytes(), str(count).encode(), str(seed).encode(),
             f"{font}:{font.stat().st_size if font else 0}".encode(),
             f"{reportlab.Version} {openpyxl.__version__} {xlwt.__VERSION__} {docx.__version__}".encode()]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:12]


def ensure(root: Path, count: int, seed: int, log=print) -> tuple[Path, list[Item]]:
    """The cached set for (count, seed, this generator), generated first when missing; older sets are removed."""
    key = cache_key(count, seed)
    folder = root / f"{count}-{seed}-{key}"
    manifest = folder / "manifest.json"
    if manifest.is_file():
        return folder, [Item(**row) for row in json.loads(manifest.read_text())]
    if root.is_dir():
        for old in root.iterdir():
            if old.is_dir() and old.name.startswith(f"{count}-{seed}-"):
                shutil.rmtree(old)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    items = generate(tmp, count, seed, log)
    (tmp / "manifest.json").write_text(json.dumps([asdict(i) for i in items], ensure_ascii=False, indent=0))
    tmp.rename(folder)
    return folder, items


def generate(folder: Path, count: int, seed: int, log=print) -> list[Item]:
    _register_fonts()
    kinds = []
    for kind, share in MIX.items():
        kinds += [kind] * round(count * share)
    kinds = (kinds + ["notice"] * count)[:count]
    random.Random(seed).shuffle(kinds)
    items = []
    for index, kind in enumerate(kinds):
        rng = random.Random(f"{seed}:{index}")
        writer = WRITERS[kind]
        data, item = writer(rng, index)
        (folder / item.name).write_bytes(data)
        items.append(item)
        if (index + 1) % 100 == 0:
            log(f"  generated {index + 1} of {count} attachments")
    return items


# ------------------------------------------------------------------------------------------ words

COUNTIES = ["清河县", "临江市", "南山区", "东城区", "永安县", "白沙县", "青山区", "长宁县", "安平市", "西湖区"]
BUREAUS = ["财政局", "教育局", "生态环境局", "卫生健康委员会", "交通运输局", "市场监督管理局", "自然资源和规划局",
           "商务局", "水利局", "农业农村局", "民政局", "人力资源和社会保障局"]
PHRASES = [
    "深入贯彻落实党中央、国务院决策部署", "坚持以人民为中心的发展思想", "严格执行预算法及其实施条例",
    "加强财政资金全过程绩效管理", "持续推进政务公开标准化规范化建设", "统筹发展和安全", "落实过紧日子要求",
    "进一步压减一般性支出", "保障机构正常运转和重点项目支出", "强化预算约束和绩效评价结果运用",
    "规范政府采购行为", "加强国有资产管理", "推动各项工作任务落地见效", "完善内部控制制度",
    "做好信息公开和政策解读工作", "提高财政资金使用效益", "按照相关规定和程序办理", "主动接受社会监督",
    "围绕中心、服务大局", "切实履行部门职责", "加快推进重点项目建设", "提升公共服务水平",
]
FUNCTION_CODES = [
    ("201", "一般公共服务支出"), ("20103", "政府办公厅（室）及相关机构事务"), ("2010301", "行政运行"),
    ("2010302", "一般行政管理事务"), ("2010350", "事业运行"), ("20113", "商贸事务"), ("2011301", "行政运行"),
    ("205", "教育支出"), ("20502", "普通教育"), ("2050201", "学前教育"), ("2050202", "小学教育"),
    ("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"), ("2080501", "行政单位离退休"),
    ("2080505", "机关事业单位基本养老保险缴费支出"), ("2080506", "机关事业单位职业年金缴费支出"),
    ("210", "卫生健康支出"), ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗"), ("2101102", "事业单位医疗"),
    ("211", "节能环保支出"), ("21101", "环境保护管理事务"), ("2110101", "行政运行"), ("2110104", "生态环境保护宣传"),
    ("221", "住房保障支出"), ("22102", "住房改革支出"), ("2210201", "住房公积金"), ("2210203", "购房补贴"),
]
ECONOMIC_CODES = [
    ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"),
    ("30108", "机关事业单位基本养老保险缴费"), ("30113", "住房公积金"), ("302", "商品和服务支出"),
    ("30201", "办公费"), ("30207", "邮电费"), ("30211", "差旅费"), ("30216", "培训费"), ("30217", "公务接待费"),
    ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"), ("303", "对个人和家庭的补助"), ("30302", "退休费"),
]
BUDGET_SECTIONS = ["一、部门主要职能", "二、部门机构设置", "三、名词解释", "四、部门预算编制说明",
                   "五、“三公”经费预算情况说明", "六、机关运行经费", "七、政府采购预算情况", "八、国有资产占有使用情况",
                   "九、绩效目标设置情况"]
REPORT_SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                   "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
EIA_CHAPTERS = ["第一章 概述", "第二章 总则", "第三章 建设项目概况", "第四章 工程分析", "第五章 环境现状调查与评价",
                "第六章 环境影响预测与评价", "第七章 环境保护措施及其可行性论证", "第八章 环境影响经济损益分析",
                "第九章 环境管理与监测计划", "第十章 结论"]
POLLUTANTS = ["SO2", "NO2", "PM10", "PM2.5", "CO", "O3", "COD", "氨氮", "总磷", "石油类"]


def sentence(rng: random.Random) -> str:
    parts = rng.sample(PHRASES, rng.randint(2, 4))
    if rng.random() < 0.4:
        parts.append(f"全年安排资金{rng.randint(10, 9000)}.{rng.randint(0, 99):02d}万元")
    return "，".join(parts) + "。"


def paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 6)) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def unit_name(rng: random.Random) -> str:
    return rng.choice(COUNTIES) + rng.choice(BUREAUS)


def amount(rng: random.Random) -> str:
    return f"{rng.randint(0, 3000):,}.{rng.randint(0, 99):02d}"


# ------------------------------------------------------------------------------------------ PDF pages

class Pdf:
    """A reportlab canvas with a page cursor: headings, wrapped paragraphs, tables, scans, all on A4."""

    def __init__(self, rng: random.Random, *, font: str = EMBEDDED, size: float = 12, clip_cells: bool = False,
                 producer: str = "WPS 文字", title: str | None = None):
        from reportlab.pdfgen import canvas

        self.rng, self.font, self.size, self.clip_cells = rng, font, size, clip_cells
        self.out = io.BytesIO()
        self.c = canvas.Canvas(self.out, pagesize=A4, invariant=1)
        self.c.setProducer(producer)
        if title:
            self.c.setTitle(title)
        self.pages, self.scanned = 0, []
        self.y = None  # cursor; None: no page started

    # page handling
    def _start(self):
        if self.y is None:
            self.y = A4[1] - 72
            self.c.setFont(self.font, self.size)

    def new_page(self):
        if self.y is not None:
            self._folio()
            self.c.showPage()
            self.pages += 1
        self.y = None

    def _folio(self):
        self.draw(A4[0] / 2, 40, f"- {self.pages + 1} -", 9, centred=True)

    def width(self, text: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        runs = _runs(text) if self.font == EMBEDDED else [(self.font, text)]
        return sum(stringWidth(t, f, size) for f, t in runs)

    def draw(self, x: float, y: float, text: str, size: float, *, centred: bool = False):
        """One text object per run of one font: CJK in the CJK font, figures and Latin in the Latin one."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        runs = _runs(text) if self.font == EMBEDDED else [(self.font, text)]
        if centred:
            x -= sum(stringWidth(t, f, size) for f, t in runs) / 2
        for font, run in runs:
            self.c.setFont(font, size)
            self.c.drawString(x, y, run)
            x += stringWidth(run, font, size)

    def _room(self, height: float):
        self._start()
        if self.y - height < 72:
            self.new_page()
            self._start()

    def line(self, text: str, *, size: float | None = None, x: float = 72, centred: bool = False, gap: float = 1.5):
        size = size or self.size
        self._room(size * gap)
        self.draw(A4[0] / 2 if centred else x, self.y - size, text, size, centred=centred)
        self.y -= size * gap

    def heading(self, text: str, size: float | None = None):
        self.line(text, size=size or self.size + 2, gap=1.9)

    def para(self, text: str, *, size: float | None = None, indent: bool = True):
        size = size or self.size
        per_line = int((A4[0] - 144) // size)
        text = ("　　" if indent else "") + text
        for start in range(0, len(text), per_line):
            self.line(text[start:start + per_line], size=size)

    def off_page_copy(self, text: str):
        """A paragraph WPS leaves beside the page (outside the mediabox): never shown, never read."""
        self._start()
        self.draw(A4[0] + 40, 400, text[:40], self.size)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], *, size: float = 9.5):
        """A ruled table, one text object per cell; with clip_cells each cell's text is clipped to the cell (WPS)."""
        height = size * 2
        row_list = [header] + rows
        i = 0
        while i < len(row_list):
            self._room(height * 2)
            top = self.y
            rows_here = []
            while i < len(row_list) and top - height * (len(rows_here) + 1) >= 72:
                rows_here.append(row_list[i])
                i += 1
            self.c.setLineWidth(0.5)
            for r, cells in enumerate(rows_here):
                x = 60
                y = top - height * (r + 1)
                for text, width in zip(cells, widths):
                    self.c.rect(x, y, width, height, stroke=1, fill=0)
                    if text:
                        self._cell(text, x, y, width, height, size)
                    x += width
            self.y = top - height * len(rows_here) - size
            if i < len(row_list):
                self.new_page()

    def _cell(self, text: str, x: float, y: float, width: float, height: float, size: float):
        if self.clip_cells:
            self.c.saveState()
            path = self.c.beginPath()
            path.rect(x, y, width, height)
            self.c.clipPath(path, stroke=0, fill=0)
            self.draw(x + 2, y + size * 0.6, text, size)
            self.c.restoreState()
        else:
            while len(text) > 1 and self.width(text, size) > width - 4:  # Word wraps or cuts; here: cut
                text = text[:-1]
            self.draw(x + 2, y + size * 0.6, text, size)

    def scan(self, image):
        """An image-only page, as a scanner makes it."""
        self.new_page()
        self.c.drawImage(image, 0, 0, width=A4[0], height=A4[1])
        self.scanned.append(self.pages + 1)
        self.c.showPage()
        self.pages += 1

    def link(self, uri: str):
        self._start()
        self.c.linkURL(uri, (72, self.y - 14, 300, self.y), relative=0)

    def save(self) -> bytes:
        self.new_page()
        self.c.save()
        return self.out.getvalue()


_CJK_GLYPHS: set[int] = set()


def _runs(text: str) -> list[tuple[str, str]]:
    """The text cut where the font changes: what the CJK font has a glyph for, and the rest (figures, Latin, “”…)."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = EMBEDDED if ord(ch) in _CJK_GLYPHS else LATIN
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


_SCANS: dict[int, object] = {}


def _scan_image(variant: int):
    """A grey page with dark lines of 'text' and a stamp, JPEG like a 150 dpi scan (a few variants, reused)."""
    if variant not in _SCANS:
        from PIL import Image, ImageDraw
        from reportlab.lib.utils import ImageReader

        rng = random.Random(f"scan:{variant}")
        image = Image.new("L", (1240, 1754), 236)
        draw = ImageDraw.Draw(image)
        y = 160
        while y < 1600:
            x = 150 + (120 if rng.random() < 0.2 else 0)
            end = rng.randint(700, 1090)
            while x < end:
                w = rng.randint(18, 26)
                draw.rectangle((x, y, x + w, y + 24), fill=rng.randint(30, 90))
                x += w + rng.randint(4, 8)
            y += rng.randint(44, 52)
        draw.ellipse((800, 1300, 1050, 1550), outline=110, width=8)
        noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1]))
        image = Image.blend(image, noise, 0.06)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=55)
        buffer.seek(0)
        _SCANS[variant] = ImageReader(buffer)
    return _SCANS[variant]


def _codes_rows(rng: random.Random, codes, split: bool, n: int) -> list[list[str]]:
    rows = []
    start = rng.randrange(len(codes))
    for k in range(n):
        code, name = codes[(start + k) % len(codes)]
        cells = ([code[:3], code[3:5], code[5:7]] if split else [code]) + [name]
        rows.append(cells + [amount(rng), amount(rng), amount(rng)])
    return rows


def _budget_pdf(rng: random.Random, index: int, final: bool = False) -> tuple[bytes, Item]:
    unit, year = unit_name(rng), rng.choice([2024, 2025, 2026])
    what = "部门决算" if final else "部门预算"
    pages_wanted = rng.randint(12, 40)
    wps = rng.random() < 0.7
    pdf = Pdf(rng, clip_cells=wps, size=rng.choice([10.5, 12]), producer="WPS 文字" if wps else "Microsoft Word",
              title=f"{unit}{year}年{what}")
    pdf.y = None
    pdf.line(f"{unit}", size=22, centred=True, gap=3)
    pdf.line(f"{year}年{what}", size=26, centred=True, gap=4)
    pdf.line(f"编制单位：{unit}", size=14, centred=True)
    pdf.line(f"{year}年{rng.randint(1, 3)}月", size=14, centred=True)
    pdf.new_page()
    pdf.heading("目  录")
    for number, section in enumerate(BUDGET_SECTIONS, 1):
        pdf.line(f"{section}{'…' * 20}{number + 2}")
    pdf.new_page()
    for section in BUDGET_SECTIONS:
        pdf.heading(section)
        if section.startswith("五"):
            pdf.para(f"{year}年“三公”经费预算数为{amount(rng)}万元，比上年减少{rng.randint(1, 90)}.{rng.randint(0, 9)}万元，"
                     "主要原因是严格落实过紧日子要求。其中：因公出国（境）费0万元；公务用车购置费0万元；"
                     f"公务用车运行费{amount(rng)}万元；公务接待费{amount(rng)}万元。")
        for _ in range(rng.randint(1, 3)):
            pdf.para(paragraph(rng))
        if wps and rng.random() < 0.3:
            pdf.off_page_copy(paragraph(rng, (1, 1)))
    split = rng.random() < 0.4
    code_head = ["类", "款", "项"] if split else ["科目编码"]
    widths = ([30, 30, 30] if split else [70]) + [150, 70, 70, 70]
    titles = ["一般公共预算支出功能分类预算表", "部门支出预算总表", "一般公共预算基本支出经济分类预算表",
              "政府性基金预算支出表", "财政拨款收支预算总表"]
    table_no = 0
    while pdf.pages < pages_wanted - 1:
        pdf.new_page()
        table_no += 1
        pdf.heading(f"{table_no}. {year}年{rng.choice(titles)}", size=13)
        pdf.line("单位：万元", size=9, x=440)
        economic = "经济分类" in titles[table_no % len(titles)]
        codes = ECONOMIC_CODES if economic else FUNCTION_CODES
        rows = _codes_rows(rng, codes, split, rng.randint(12, 32))
        pdf.table(code_head + ["科目名称", "合计", "基本支出", "项目支出"], rows, widths)
    pdf.new_page()
    pdf.heading("名词解释")
    for k in range(rng.randint(3, 8)):
        pdf.para(f"（{'一二三四五六七八'[k]}）{rng.choice(['财政拨款收入', '基本支出', '项目支出', '机关运行经费'])}：{sentence(rng)}")
    data = pdf.save()
    return data, Item(f"{index:03d}_{'juesuan' if final else 'yusuan'}.pdf", "final" if final else "budget", "pdf",
                      pdf.pages, pdf.scanned)


def _annual_pdf(rng: random.Random, index: int) -> tuple[bytes, Item]:
    unit, year = unit_name(rng), rng.choice([2023, 2024, 2025])
    pdf = Pdf(rng, size=12, producer=rng.choice(["WPS 文字", "Microsoft Word"]))
    pdf.line(f"{unit}{year}年政府信息公开工作年度报告", size=16, centred=True, gap=2.5)
    pdf.para(f"本报告依据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关要求编制。"
             f"报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。{paragraph(rng, (1, 2))}")
    for section in REPORT_SECTIONS:
        pdf.heading(section)
        for _ in range(rng.randint(1, 3)):
            pdf.para(paragraph(rng))
        if section.startswith(("二", "三", "四")):
            rows = [[rng.choice(["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"]),
                     str(rng.randint(0, 60)), str(rng.randint(0, 60)), str(rng.randint(0, 900))]
                    for _ in range(rng.randint(6, 14))]
            pdf.table(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], rows, [150, 100, 100, 100])
    if rng.random() < 0.3:
        pdf.link(f"http://www.example.gov.cn/xxgk/ndbg/{year}.html")
    data = pdf.save()
    return data, Item(f"{index:03d}_ndbg.pdf", "annual", "pdf", pdf.pages, pdf.scanned)


def _eia_pdf(rng: random.Random, index: int) -> tuple[bytes, Item]:
    project = rng.choice(["年产5万吨再生铝", "污水处理厂提标改造", "城市快速路", "220千伏输变电", "垃圾焚烧发电"])
    pdf = Pdf(rng, size=12, producer="Microsoft Word")
    pdf.line(f"{rng.choice(COUNTIES)}{project}项目", size=20, centred=True, gap=3)
    pdf.line("环境影响报告书", size=24, centred=True, gap=3)
    pdf.line("（全本公示）", size=16, centred=True, gap=3)
    pdf.line(f"建设单位：{rng.choice(COUNTIES)}城市建设投资有限公司", size=14, centred=True)
    pages_wanted = rng.randint(30, 60)
    scans = rng.randint(1, 4)
    for chapter in EIA_CHAPTERS:
        pdf.new_page()
        pdf.heading(chapter, size=16)
        for sub in range(1, rng.randint(3, 6)):
            pdf.heading(f"{chapter.split()[0][1:-1]}.{sub} {rng.choice(['评价等级', '评价范围', '环境保护目标', '污染源强', '预测结果'])}")
            for _ in range(rng.randint(2, 5)):
                pdf.para(paragraph(rng))
            if rng.random() < 0.5:
                rows = [[f"{k + 1}", rng.choice(POLLUTANTS), f"{rng.random() * 10:.3f}", f"{rng.random() * 10:.3f}",
                         rng.choice(["达标", "达标", "超标"])] for k in range(rng.randint(8, 24))]
                pdf.table(["序号", "监测因子", "监测值（mg/m³）", "标准限值", "达标情况"], rows, [40, 90, 110, 90, 80])
        if pdf.pages >= pages_wanted - scans:
            break
    while pdf.pages < pages_wanted - scans:
        pdf.new_page()
        pdf.heading(f"附表{pdf.pages} 监测数据", size=13)
        rows = [[f"{k + 1}", rng.choice(POLLUTANTS), f"{rng.random() * 10:.3f}", f"{rng.random() * 10:.3f}", "达标"]
                for k in range(rng.randint(20, 30))]
        pdf.table(["序号", "监测因子", "监测值（mg/m³）", "标准限值", "达标情况"], rows, [40, 90, 110, 90, 80])
    for k in range(scans):
        pdf.scan(_scan_image(k % 3))
    data = pdf.save()
    return data, Item(f"{index:03d}_hpbgs.pdf", "eia", "pdf", pdf.pages, pdf.scanned)


def _notice_pdf(rng: random.Random, index: int, font: str = EMBEDDED) -> tuple[bytes, Item]:
    unit = unit_name(rng)
    pdf = Pdf(rng, font=font, size=16 if font == EMBEDDED else 12,
              producer="iText 5.5.13" if font == CID else rng.choice(["WPS 文字", "Microsoft Word"]))
    kind = rng.choice(["通知", "批复", "公告", "决定", "公示"])
    pdf.line(f"{unit}关于{rng.choice(['做好', '印发', '公布', '调整'])}{rng.choice(['年度工作', '实施方案', '名单', '有关事项'])}的{kind}",
             size=20, centred=True, gap=2.5)
    pdf.line(f"{rng.choice(COUNTIES)[:2]}{unit[-3:-1]}〔{rng.choice([2024, 2025])}〕{rng.randint(1, 99)}号", centred=True)
    for _ in range(rng.randint(2, 12 if font == EMBEDDED else 6)):
        pdf.para(paragraph(rng))
    if font == CID or rng.random() < 0.3:
        rows = [[str(k + 1), rng.choice(["张", "王", "李", "赵", "刘", "陈"]) + rng.choice(["某某", "某", "伟", "芳"]),
                 unit_name(rng), rng.choice(["合格", "通过", "拟录用"])] for k in range(rng.randint(10, 60))]
        pdf.table(["序号", "姓名", "单位", "结果"], rows, [40, 90, 220, 100], size=10.5)
    pdf.line(unit, x=330)
    pdf.line(f"{rng.choice([2024, 2025])}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日", x=330)
    if font == EMBEDDED and rng.random() < 0.1:
        pdf.scan(_scan_image(rng.randrange(3)))  # a scanned page with the seal at the end
    data = pdf.save()
    name = f"{index:03d}_{'gongshi_itext' if font == CID else 'tongzhi'}.pdf"
    return data, Item(name, "cid" if font == CID else "notice", "pdf", pdf.pages, pdf.scanned)


def _scan_pdf(rng: random.Random, index: int) -> tuple[bytes, Item]:
    pdf = Pdf(rng, producer="Canon iR-ADV C5535")
    for k in range(rng.randint(1, 10)):
        pdf.scan(_scan_image((index + k) % 3))
    data = pdf.save()
    return data, Item(f"{index:03d}_saomiao.pdf", "scan", "pdf", pdf.pages, pdf.scanned)


# ------------------------------------------------------------------------------------------ office files

def _sheets(rng: random.Random) -> list[tuple[str, list[list]]]:
    """Budget tables as sheets: a title row, a unit row, a header and coded rows (codes as numbers or split)."""
    year, unit = rng.choice([2024, 2025, 2026]), unit_name(rng)
    sheets = []
    for k in range(rng.randint(1, 6)):
        economic = k % 3 == 2
        codes = ECONOMIC_CODES if economic else FUNCTION_CODES
        split = rng.random() < 0.4
        title = f"{year}年{unit}{'一般公共预算基本支出经济分类' if economic else '一般公共预算支出功能分类'}预算表"
        rows: list[list] = [[title], ["单位：万元"], (["类", "款", "项"] if split else ["科目编码"]) + ["科目名称", "合计"]]
        for _ in range(rng.randint(2, 12)):
            for code, name in codes:
                value = round(rng.random() * 3000, 2)
                rows.append(([code[:3], code[3:5], code[5:7]] if split else [float(code)]) + [name, value])
        if k == 0:
            rows.append([f"“三公”经费预算{amount(rng)}万元，比上年减少，主要原因是压减公务接待。"])
        sheets.append((f"表{k + 1}", rows))
    return sheets


def _xlsx(rng: random.Random, index: int) -> tuple[bytes, Item]:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = _sheets(rng)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return _fixed_zip(out.getvalue()), Item(f"{index:03d}_yusuanbiao.xlsx", "xlsx", "xlsx", len(sheets))


def _xls(rng: random.Random, index: int) -> tuple[bytes, Item]:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    sheets = _sheets(rng)
    for name, rows in sheets:
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), Item(f"{index:03d}_yusuanbiao.xls", "xls", "xls", len(sheets))


def _docx(rng: random.Random, index: int) -> tuple[bytes, Item]:
    import docx

    document = docx.Document()
    unit = unit_name(rng)
    document.add_heading(f"{unit}关于{rng.choice(['做好', '印发', '公布'])}{rng.choice(['年度工作', '实施方案', '有关事项'])}的通知", 0)
    for section in rng.sample(BUDGET_SECTIONS, rng.randint(2, 6)):
        document.add_heading(section, 1)
        for _ in range(rng.randint(1, 5)):
            document.add_paragraph(paragraph(rng))
    if rng.random() < 0.6:
        rows = _codes_rows(rng, FUNCTION_CODES, False, rng.randint(5, 30))
        table = document.add_table(rows=len(rows) + 1, cols=5)
        for c, text in enumerate(["科目编码", "科目名称", "合计", "基本支出", "项目支出"]):
            table.cell(0, c).text = text
        for r, row in enumerate(rows, 1):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    document.add_paragraph(unit)
    document.core_properties.created = document.core_properties.modified = _FIXED_DATETIME
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue()), Item(f"{index:03d}_tongzhi.docx", "docx", "docx", 0)


def _fixed_datetime():
    from datetime import datetime

    return datetime(2026, 1, 1)


_FIXED_DATETIME = _fixed_datetime()


def _fixed_zip(data: bytes) -> bytes:
    """The package with fixed member dates, so that the same seed gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def _register_fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    font = font_file()
    if font is None:
        raise SystemExit("bench-docs: no TrueType CJK font to embed (apt-get install fonts-droid-fallback)")
    names = pdfmetrics.getRegisteredFontNames()
    if EMBEDDED not in names:
        cjk = TTFont(EMBEDDED, str(font))
        pdfmetrics.registerFont(cjk)
        _CJK_GLYPHS.update(code for code in cjk.face.charToGlyph if code >= 0x2E80)  # its Latin part is a stub
    if LATIN not in names:
        pdfmetrics.registerFont(TTFont(LATIN, "Vera.ttf"))
    if CID not in names:
        pdfmetrics.registerFont(UnicodeCIDFont(CID))


WRITERS = {
    "budget": _budget_pdf,
    "final": lambda rng, i: _budget_pdf(rng, i, final=True),
    "annual": _annual_pdf,
    "eia": _eia_pdf,
    "notice": _notice_pdf,
    "cid": lambda rng, i: _notice_pdf(rng, i, font=CID),
    "scan": _scan_pdf,
    "xlsx": _xlsx,
    "xls": _xls,
    "docx": _docx,
}
