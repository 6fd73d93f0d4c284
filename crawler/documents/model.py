"""What a reader gets out of one attached document (PDF, XLS/XLSX, DOC/DOCX/WPS, OFD).

Every reader returns a Document; the facts the rules need (budget tables, 年报 sections, date lines, personal data)
are read from its page texts by crawler/documents/facts.py, the same way for every format. A document that could
not be read has `unreadable` set to a Chinese reason and is `not_tested`, never "missing content".
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

MAX_TEXT_CHARS = 400_000  # text kept per document (a 100-page budget is ~150,000 characters)
FORMATS = ("pdf", "xlsx", "xls", "docx", "doc", "wps", "ofd")


@dataclass
class Document:
    format: str  # one of FORMATS
    pages: int = 0  # pages (PDF, OFD), sheets (XLS/XLSX), 0 when the format has no pages (DOC/DOCX)
    page_texts: list[str] = field(default_factory=list)  # per page / sheet; DOC/DOCX: one entry
    text_layer: bool = True  # False: a scan (no PDF page has a text layer) → not_tested (scanned)
    scanned_pages: list[int] = field(default_factory=list)  # 1-based pages without a text layer
    title: str | None = None  # as printed on the first page (first non-empty line), else the metadata title
    producer: str | None = None  # PDF Producer / Creator, OFD creator (WPS, Suwell …)
    links: list[str] = field(default_factory=list)  # URIs of link annotations (PDF), hyperlinks (DOCX/XLSX)
    tables: list[list[list[str]]] = field(default_factory=list)  # rows of cells, where the format has cells
    headings: list[str] = field(default_factory=list)  # marked as headings by the format itself (DOCX styles)
    unreadable: str | None = None  # why the text cannot be trusted or read (encrypted, corrupt, CID without map …)
    truncated: bool = False  # text cut at MAX_TEXT_CHARS or the reader's page bound
    # only when read with --ocr and some page is a scan (crawler.documents.ocr): {"pages": [{"page", "confidence"}],
    # "read": pages whose recognised text is used, "min_confidence", "max_pages", "skipped": why some were not}
    ocr: dict | None = None

    @property
    def text(self) -> str:
        """The pages' text separated by form feeds (as `gkaudit inspect FILE --text` prints it)."""
        return "\f".join(self.page_texts)

    def as_dict(self) -> dict:
        return asdict(self)


class Unreadable(Exception):
    """A reader's refusal, with the Chinese reason a report shows (加密, 文件损坏, 超出大小限制 …)."""
