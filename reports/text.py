"""The one text-cleaning step every writer applies (HTML, XLSX, DOCX, JUnit, SARIF), and mainland punctuation.

Text copied from an audited page may hold characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF) or lone
surrogates from a broken encoding; one of them makes openpyxl refuse the workbook and python-docx or an XML
parser fail. ``clean_text`` drops them, so one hostile character cannot cost a bureau its documents.
``clean_filename`` also drops bidi controls, which would make a file name read differently than it is.
``mainland_quotes`` writes “ ” and ‘ ’ for the checks' 「」 and 『』 (GB/T 15834) in what a bureau reads.
"""

from __future__ import annotations

import re
from typing import Any

# XML 1.0 Char excludes U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, surrogates, U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Bidirectional formatting characters (LRE…RLO, LRI…PDI, LRM/RLM/ALM): harmless in text, misleading in a name.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def clean_text(value: Any) -> str:
    """Text safe for any XML writer: None → '', everything else str() with XML-illegal characters removed."""
    text = "" if value is None else str(value)
    return _XML_ILLEGAL.sub("", text)


def clean_filename(value: Any) -> str:
    """clean_text without bidi overrides, for file and sheet names."""
    return _BIDI.sub("", clean_text(value))


def mainland_quotes(value: Any) -> str:
    """「」 and 『』 as “ ” and ‘ ’ (GB/T 15834), after clean_text."""
    return clean_text(value).translate(_QUOTES)


def bureau_text(value: Any) -> str:
    """What a bureau document shows of any text: cleaned, with mainland quotation marks."""
    return mainland_quotes(value)


def clean_json(value: Any) -> Any:
    """Every string of a JSON value (keys included) through clean_text: a lone surrogate cannot even be written
    as UTF-8."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_json(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v) for v in value]
    return value
