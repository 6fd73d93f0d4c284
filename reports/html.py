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

from core.vocab import SITE_LEVELS, label

from . import labels as L
from .rows import safe_href

TEMPLATES = Path(__file__).with_name("templates")


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
    )
    env.filters.update(
        level=lambda v: label(SITE_LEVELS, v),
        points=L.points_text,
        evidence=L.evidence_pairs,
        href=safe_href,
        num=_num,
        dt=L.when_text,
    )
    return env
