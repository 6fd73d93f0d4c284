"""What an attached document says for the page that announces it.

Bureaus often publish a 批复 or a 公示 as a PDF/XLS behind a one-line lead page. The page's own facts come first;
a document fills only what the page leaves unsaid, and only a document that is the page's own: its 成文日期 is
read from the one attachment that prints the page's title (an application form attached to a news item has a
date of its own, not the item's), its 公示期 and 受理日期 from an attachment the crawl read as a notice (never from
a 报告书/报告表, whose 公众参与 chapter quotes the builder's earlier 公示: crawler.documents.facts).
"""
from __future__ import annotations

import re
from datetime import date

from checks.snapshot import Attached, SiteSnapshot
from store.models import Page

_NOISE = re.compile(r"[\s\u3000《》“”\"'‘’（）()〔〕\[\]【】:：，,。、·—\-_]")
MIN_TITLE = 6  # a shorter title (「批复」, 「公示」) names no particular document
HEAD_CHARS = 400  # where a document prints its title: the top of its first page
# Which date line is the document's 成文日期 (GB/T 9704: the date under the 落款); lower is better.
_DATE_RANK = {"成文日期": 0, "成文时间": 0, "落款": 1, "形成日期": 2, "签发日期": 3, "发文日期": 3,
              "印发日期": 4, "印发时间": 4}
_SAME_FACT = ({"period", "days"}, {"accepted", "accepted_snippet"})  # filled together or not at all


def _key(text: str) -> str:
    return _NOISE.sub("", text or "")


def own_document(snap: SiteSnapshot, page: Page) -> Attached | None:
    """The readable attachment that is the page's document: it prints the page's title at the top of its first
    page, or its printed title is the page's. The first such one (the same 批复 as PDF and OFD says the same)."""
    want = _key(page.title)
    if len(want) < MIN_TITLE:
        return None
    readable, _ = snap.attached(page.url)
    for att in readable:
        printed = _key(att.doc.get("title"))
        head = _key(((att.doc.get("page_texts") or [""])[0])[:HEAD_CHARS])
        if want in head or (len(printed) >= MIN_TITLE and (printed in want or want in printed)):
            return att
    return None


def written_in_document(snap: SiteSnapshot, page: Page) -> tuple[date, dict] | None:
    """(成文日期, evidence) of a page that states none itself, from its own document's date lines; a date after
    the page was published is no 成文日期 of it."""
    if page.written:
        return None
    att = own_document(snap, page)
    if att is None:
        return None
    lines = [d for d in att.doc.get("dates") or [] if d.get("label") in _DATE_RANK]
    for line in sorted(lines, key=lambda d: _DATE_RANK[d["label"]]):
        day = date.fromisoformat(line["date"])
        if page.published is None or day <= page.published:
            label = "落款日期" if line["label"] == "落款" else line["label"]
            return day, {"attachments": [att.evidence(page=line.get("page"), quote=f"{label}：{_cn(day)}")],
                         "how": f"附件「{att.name}」第 {line.get('page') or 1} 页的{label}"}
    return None


def notice_of(snap: SiteSnapshot, page: Page) -> dict | None:
    """A 公示 page's notice facts (crawler.facts.notices), what it leaves unsaid filled from the first attachment
    read as a notice; `attachment` names that document and `from_attachment` the facts it gave."""
    own = (page.extra or {}).get("notice")
    readable, _ = snap.attached(page.url)
    for att in readable:
        theirs = att.doc.get("notice")
        if not theirs:
            continue
        have = set(own or ())
        added = {k: v for k, v in theirs.items()
                 if k not in have and not any(k in group and group & have for group in _SAME_FACT)}
        if added:
            return dict(own or {}) | added | {"attachment": att.evidence(), "from_attachment": sorted(added)}
    return own


def source_evidence(notice: dict | None, *keys: str) -> dict:
    """The attachment a judged notice fact came from, as evidence (nothing when the page stated it)."""
    if notice and notice.get("attachment") and set(keys) & set(notice.get("from_attachment") or ()):
        return {"attachments": [notice["attachment"]]}
    return {}


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
