"""A page and the header, footer and menu files its scripts load are one page to a visitor.

The crawl reads each fragment (crawler.facts.fragments: jQuery .load/$.get of an HTML file, a script file that
writes markup) as a page of its own. Here, before any check runs, a page takes from the fragments it loads the
footer identifiers it lacks (网站标识码, ICP备案, 公安备案, 找错 sitecode, 党政机关标识), and the homepage their
links (its navigation) and 无障碍 entrance, so a footer loaded by a script is never reported missing; `extra.from_fragment` says which
fact came from which file. A fragment that could not be fetched adds nothing: a footer really missing is still
reported.
"""
from __future__ import annotations

from types import SimpleNamespace

FIELDS = ("site_id_code", "icp", "police_record", "jiucuo_sitecode", "conac")


def merge(pages: dict, links: list) -> tuple[dict, list]:
    """(pages with their fragments' footer facts, links with the homepage's fragment links added as its own)."""
    merged, extra_links = dict(pages), []
    for url, page in pages.items():
        loaded = (page.extra or {}).get("fragments") if page.status == 200 else None
        if not loaded:
            continue
        parts = [pages[f["url"]] for f in loaded if f["url"] in pages and pages[f["url"]].status == 200
                 and pages[f["url"]].encoding is not None]
        taken: dict[str, str] = {}
        for field in FIELDS:
            if getattr(page, field):
                continue
            source = next((part for part in parts if getattr(part, field)), None)
            if source is not None:
                taken[field] = source.url
        care = None if (page.extra or {}).get("care_entrance") or not page.is_home else next(
            (part for part in parts if (part.extra or {}).get("care_entrance")), None)
        if care is not None:  # a header loaded by a script holds the 无障碍 button (GUIDE-12)
            taken["care_entrance"] = care.url
        if taken:
            values = {field: getattr(pages[src], field) for field, src in taken.items() if field in FIELDS}
            extra = dict(page.extra or {}, from_fragment=taken)
            if care is not None:
                extra["care_entrance"] = care.extra["care_entrance"]
            merged[url] = SimpleNamespace(**(page._asdict() | values | {"extra": extra}))
        if page.is_home and parts:
            urls = {part.url for part in parts}
            extra_links += [SimpleNamespace(**(lk._asdict() | {"page_url": url})) for lk in links
                            if lk.page_url in urls]
    return merged, (list(links) + extra_links if extra_links else links)
