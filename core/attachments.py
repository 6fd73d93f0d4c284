"""What a file is, by the suffix of its URL: one definition for the crawler and the checks.

- A *document* (PDF, Office, WPS, OFD, an archive) is what a bureau attaches to a page: its bytes must be the
  file its name says (not an HTML page, not empty), and a page whose text is only a lead to one has its content
  in the attachment.
- A *file* is anything the crawler checks with HEAD and never parses: documents, images, media, plain text.
"""
from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".et", ".wps", ".ofd", ".ppt", ".pptx",
                               ".zip", ".rar", ".7z"})
FILE_SUFFIXES = DOCUMENT_SUFFIXES | {".txt", ".csv", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".mp4"}


def suffix(url: str) -> str:
    """The lower-cased suffix of the URL's path (query and fragment ignored)."""
    return PurePosixPath(urlsplit(url).path).suffix.lower()


def is_document(url: str) -> bool:
    return suffix(url) in DOCUMENT_SUFFIXES


def is_file(url: str) -> bool:
    return suffix(url) in FILE_SUFFIXES
