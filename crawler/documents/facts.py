"""Placeholder: the facts engineer's crawler/documents/facts.py replaces this file (budget, annual_report …)."""
from __future__ import annotations

from crawler.documents.model import Document


def document_facts(doc: Document) -> dict:
    """Facts read from a document's text, merged into `gkaudit inspect FILE --json`; none yet."""
    return {}
