"""What the HTML pages share: the Jinja environment and its filters.

Autoescape is always on: finding messages, anchors and snippets are text copied from the audited pages, so they
are untrusted and must never reach the output as markup. Templates read the typed result by attribute
(``site.verdict_label``, ``finding.short_id``); the filters only format.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from core.vocab import SITE_LEVELS, label

from . import labels as L
from .rows import safe_href
from .text import bureau_text

TEMPLATES = Path(__file__).with_name("templates")


def _finalize(value: Any) -> Any:
    """Every {{ … }}: cleaned text with mainland quotation marks (markup from a macro stays markup)."""
    if isinstance(value, Markup):
        return Markup(bureau_text(value))
    return bureau_text(value)


def _num(value: Any) -> str:
    return "—" if value is None or value == "" else L.value_text(value)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,  # a misspelt attribute of the result fails the test, not the page
        finalize=_finalize,
    )
    env.filters.update(
        level=lambda v: label(SITE_LEVELS, v),
        points=L.points_text,
        evidence=L.evidence_pairs,
        href=safe_href,
        num=_num,
        dt=L.when_text,
        day=lambda v: L.when_text(L.day(v)),
        short_basis=short_basis,
    )
    return env


def short_basis(basis: Any) -> str:
    """The rule's basis as printed in the list: the document's name up to its first clause break (the full text
    follows in a note), e.g. 「国办秘函〔2019〕19号」 of 「国办秘函〔2019〕19号 扣分指标 …」."""
    text = "" if basis is None else str(basis).strip()
    for sep in ("；", "。", "，", " ", "：", "（"):
        head = text.split(sep, 1)[0]
        if 0 < len(head) < len(text):
            text = head
    return text
