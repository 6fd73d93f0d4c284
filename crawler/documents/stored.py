"""What the crawl keeps of an attachment it read: page.extra["document"], re-judgeable without the network.

The reader runs in a separate, bounded process (sandbox.read_bounded); this turns its Document into the stored
dict: what the document is (format, pages, text layer, title, producer), why it could not be read, the facts the
rules read (crawler.documents.facts) and the page texts, bounded and with personal numbers masked, so that rules can
be judged again later.
"""
from __future__ import annotations

from .facts import document_facts, personal_pages
from .model import Document
from .sandbox import read_bounded

MAX_STORED_TEXT = 200_000  # characters of page text kept per document in the database


def read_document(body: bytes, url: str, content_type: str | None) -> dict:
    """The stored facts of one downloaded attachment; never raises for a bad file (it says why in `unreadable`)."""
    doc = read_bounded(body, url.rsplit("/", 1)[-1], content_type)
    return stored(doc)


def stored(doc: Document) -> dict:
    out = {"format": doc.format, "pages": doc.pages, "text_layer": doc.text_layer,
           "scanned_pages": doc.scanned_pages[:50], "title": doc.title, "producer": doc.producer,
           "unreadable": doc.unreadable, "truncated": doc.truncated, "links": len(doc.links)}
    if doc.unreadable:
        return out
    scanned = personal_pages(doc)
    out.update(document_facts(doc, scanned))
    texts, left = [], MAX_STORED_TEXT
    for text in scanned[1]:  # never an ID or mobile number in clear in the database
        texts.append(text[:left])
        left -= len(texts[-1])
        if left <= 0:
            out["truncated"] = True
            break
    out["page_texts"] = texts
    return out
