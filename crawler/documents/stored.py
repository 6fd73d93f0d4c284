"""What the crawl keeps of an attachment it read: page.extra["document"], re-judgeable without the network.

The reader runs in a separate, bounded process (sandbox.read_bounded); this turns its Document into the stored
dict: what the document is (format, pages, text layer, title, producer), why it could not be read, the facts the
rules read (crawler.documents.facts) and the page texts, bounded and with personal numbers masked, so that rules can
be judged again later.
"""
from __future__ import annotations

import hashlib
from datetime import date

from crawler.facts.links import Resolver
from crawler.facts.model import Link

from .facts import document_facts, personal_pages
from .model import Document
from .ocr import OcrSettings
from .sandbox import read_bounded

MAX_STORED_TEXT = 200_000  # characters of page text kept per document in the database
MAX_LINKS = 200  # link annotations / hyperlinks of a document followed and checked
LINK_TAG = "document"  # a link inside an attachment: checked like a page's, counted apart (checks.link_verdict)


def read_document(body: bytes, url: str, content_type: str | None, as_of: date | None = None,
                  ocr: OcrSettings | None = None) -> dict:
    """The stored facts of one downloaded attachment; never raises for a bad file (it says why in `unreadable`).
    `sha1` of the bytes lets a repeat audit reuse them for the same file (crawler.revalidate).
    ocr: recognise scanned pages (--ocr; crawler.documents.ocr)."""
    doc = read_bounded(body, url.rsplit("/", 1)[-1], content_type, ocr=ocr)
    return {"sha1": body_digest(body)} | stored(doc, as_of)


def body_digest(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def stored(doc: Document, as_of: date | None = None) -> dict:
    out = {"format": doc.format, "pages": doc.pages, "text_layer": doc.text_layer,
           "scanned_pages": doc.scanned_pages[:50], "title": doc.title, "producer": doc.producer,
           "unreadable": doc.unreadable, "truncated": doc.truncated, "links": len(doc.links),
           "link_urls": doc.links[:MAX_LINKS]}
    if doc.ocr is not None:  # only under --ocr: a reading without it stays as it always was
        out["ocr"] = doc.ocr
    if doc.unreadable:
        return out
    scanned = personal_pages(doc)
    out.update(document_facts(doc, scanned, as_of))
    texts, left = [], MAX_STORED_TEXT
    for text in scanned[1]:  # never an ID or mobile number in clear in the database
        texts.append(text[:left])
        left -= len(texts[-1])
        if left <= 0:
            out["truncated"] = True
            break
    out["page_texts"] = texts
    return out


def document_links(url: str, document: dict | None) -> list[Link]:
    """The web links inside a document (PDF link annotations, DOCX/XLSX hyperlinks), made absolute against the
    document's address; mailto:, javascript: and file-internal targets are not links to check."""
    resolve, out = Resolver(url), []
    for uri in (document or {}).get("link_urls") or ():
        target = resolve(uri) if isinstance(uri, str) else None
        if target and target[0].lower().startswith(("http://", "https://")):
            out.append(Link(url=target[0], tag=LINK_TAG, fragment=target[1]))
    return out
