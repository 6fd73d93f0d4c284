"""extract(): every fact of one page from a single lxml parse.

This is the crawler's hot path, so the tree is walked once for the elements we need (metas,
references, scripts), the visible text is joined once into a whitespace-normalised string, and
all text facts (dates, identifiers, breadcrumb) are read from that string.
"""
from __future__ import annotations

from datetime import date

from lxml import etree

from core.columns import classify_column

from . import (budget, care, dates, fragments, identifiers, injected, interaction, lists, notices, personal, redate,
               scripted, signals, wording)
from . import content as area
from .breadcrumb import breadcrumb_column
from .decode import decode
from .links import REF_TAGS, Resolver, element_link, element_refs, empty_anchor, page_css_links, pagination
from .model import Link, PageFacts
from .parse import parse, raw_refs, too_deep

_TAGS = ("title", "base", *REF_TAGS, *area.TAGS)
_AREA_TAGS = frozenset(area.TAGS)
_TITLE_SEPARATORS = "_｜|-—－ "
MAX_EMPTY = 20
MAX_RAW_LINKS = 100_000  # links read by pattern from a page nested too deep for the tree
# Every text node under an element, as plain str, in C (itertext costs twice as much on big pages).
_TEXTS = etree.XPath("descendant-or-self::text()", smart_strings=False)


def _plain(s: str) -> str:
    """Title text; some CMSs put escaped markup in <title> (&lt;h1 …&gt;标题&lt;/h1&gt;)."""
    if "<" in s and ">" in s:
        s = "".join(etree.HTML(f"<div>{s}</div>").itertext())
    return " ".join(s.split())


def _headlines(metas: dict, title: str | None) -> list[str]:
    """Where the body may repeat the headline: ArticleTitle, else <title> and its prefixes before a
    separator (「标题_栏目_站名」, 「标题-站名」), longest first."""
    if metas.get("articletitle", ("", ""))[1]:
        return [" ".join(metas["articletitle"][1].split())]
    if not title:
        return []
    title = " ".join(title.split())
    cuts = sorted({i for i, c in enumerate(title) if c in _TITLE_SEPARATORS}, reverse=True)
    return [title] + [title[:i].strip() for i in cuts if i >= 6]


def extract(body: bytes, url: str, content_type: str | None = None, *, as_of: date,
            wording_terms: wording.Vocabulary | None = None) -> PageFacts:
    """Parse the page once with lxml and return all facts. A date after as_of (the audit date) is never
    a publish date. wording_terms: the site's wording list (wording.vocabulary(additions)), else the library."""
    html, encoding = decode(body, content_type)
    facts = PageFacts(url=url, encoding=encoding)
    root = parse(body, html, encoding)
    if root is None:
        return facts
    deep = too_deep()

    metas: dict[str, tuple[str, str]] = {}
    present: set[str] = set()  # meta names with non-empty content
    refs, scripts, empties = [], [], []
    title = base = jiucuo = None
    marker = area.Marker()
    for el in root.iter(*_TAGS):
        tag = el.tag
        if tag in _AREA_TAGS:
            marker.see(el, tag)
            if tag == "form" and (action := el.get("action")):  # a search box's target (GUIDE-09)
                refs.append((el, tag, action))
            continue
        if tag == "meta":
            name = el.get("name") or el.get("property")
            if name and (content := el.get("content")) is not None:
                key = name.strip().lower()
                metas.setdefault(key, (name.strip(), content.strip()))
                if content.strip():
                    present.add(key)
            refs += element_refs(el, tag)  # <meta http-equiv=refresh>
            continue
        if tag == "title":
            title = title or _plain("".join(el.itertext())) or None
            continue
        if tag == "base":
            base = base or el.get("href")
            continue
        if tag == "script":
            if el.text:
                scripts.append(el.text)
            if el.get("id") == "_jiucuo_" and el.get("sitecode"):
                jiucuo = el.get("sitecode")
        elif tag == "a" and len(empties) < MAX_EMPTY and empty_anchor(el):
            empties.append(el)
        refs += element_refs(el, tag)

    resolve = Resolver(url)
    if base and (target := resolve(base)):  # <base href> moves every relative reference
        resolve = Resolver(target[0])
    found_links = [(el, link) for el, tag, ref in refs if (link := element_link(el, tag, ref, resolve))]
    links = [link for _, link in found_links]
    links += page_css_links(root, html, resolve)
    if deep:  # nested beyond libxml2's limit: the tree lost what followed, the bytes still hold its links
        facts.extra["nesting_too_deep"] = True
        known = {link.url for link in links}
        for tag, ref in raw_refs(html.encode("utf-8"), MAX_RAW_LINKS):
            target = resolve(ref)
            if target and target[0] not in known:
                known.add(target[0])
                links.append(Link(url=target[0], tag=tag, text="", fragment=target[1]))
    script_text = "\n".join(scripts)
    if jiucuo is None and ("jiucuo" in html or "Jiucuo" in html):  # before the scripts go: their attributes and text count
        jiucuo = identifiers.jiucuo_entrance(root, scripts)

    if care.WORDS.search(html) and (entry := care.entrance(root, html)):  # 无障碍/适老化 entrance (GUIDE-12)
        facts.extra["care_entrance"] = entry
    script_files = any(tag == "script" for _, tag, _ in refs)
    if scripts or script_files:  # what running its scripts may add (crawler/render/need.py)
        if signs := scripted.read(root, scripts, script_files):
            facts.extra["scripted"] = signs
    styles = [el.text for el in root.iter("style") if el.text]
    etree.strip_elements(root, "script", "style", with_tail=False)
    body_el = root.find("body")
    body = body_el if body_el is not None else root
    # The content area's markers go into the tree for this one text collection only (content.py).
    marker.insert(body)
    texts = _TEXTS(body)
    marker.restore()
    text, ctext = area.split(" ".join(" ".join(texts).split()))
    widened = dates.widen(text)
    if widened is not text:  # full-width digits somewhere: the content text needs it too
        text, ctext = widened, dates.widen(ctext)

    # Hidden links and advertising a hacker injected (GWS-V1c/d), read on the DOM (the markers are out again)
    anchors = [(el, link.url) for el, link in found_links if link.tag in ("a", "area")]
    if suspicious := injected.read(body, anchors, styles, scripts, text, html, url):
        facts.extra["injected"] = suspicious
    if empties:  # <a href=""> menu items and links (LINK-EMPTY)
        facts.extra["empty_links"] = [{"text": " ".join("".join(el.itertext()).split())[:100],
                                       "path": el.getroottree().getpath(el)} for el in empties]

    facts.title = " ".join(metas["articletitle"][1].split()) if metas.get("articletitle", ("", ""))[1] else title
    facts.challenge = signals.challenge(html, script_text, len(text))
    # An article page: a standard ArticleTitle, or real prose. Never a list, never a soft 404.
    article = "articletitle" in metas or sum(len(t.lstrip(area.MARK_CHARS)) for t in texts if "。" in t) >= 200
    facts.soft_404 = not article and signals.soft_404(title, text)

    ids = identifiers.read(text, metas.get("siteidcode", ("", None))[1], jiucuo,
                           [link.url for link in links if "beian.gov.cn" in link.url])
    facts.site_id_code, facts.icp, facts.police_record = ids.site_id_code, ids.icp, ids.police_record
    facts.jiucuo_sitecode, facts.disagreements = ids.jiucuo_sitecode, list(dict.fromkeys(ids.disagreements))
    facts.conac = any(m in script_text for m in identifiers.CONAC_MARKS) or any(
        "conac.cn" in link.url for link in links) or ("_ideConac" in html and bool(root.xpath("//*[@id='_ideConac']")))

    facts.column_name = metas.get("columnname", ("", ""))[1] or breadcrumb_column(text)
    facts.column_type = classify_column(facts.column_name)

    # Lists: never on an article page (its 相关新闻 box is not the column's list).
    if not article:
        for script in scripts:
            if lists.holds_list(script):
                items, store_links = lists.datastore(script, resolve, as_of)
                facts.list_items += items
                links += store_links
                facts.is_list = True
        if not facts.is_list:
            column_page = facts.column_name is not None or lists.numbered_column(url) is not None
            items = lists.find_list(root, resolve, as_of, min_dated=1 if column_page else 3)
            if items is None and column_page:
                items = lists.find_undated_list(root, resolve, url)
            if items is not None:
                facts.is_list, facts.list_items = True, items
            elif column_page and lists.has_placeholder(t.lstrip(area.MARK_CHARS).strip() for t in texts):
                facts.is_list = True
    # Publish date (docs/page-facts.md): metadata, then a labelled date in the text; an unlabelled date
    # in the header (under the headline, beside 来源) only on a page that is not a list (on a list it is
    # an item's date); a CMS URL last, since a URL date can differ from the document date.
    found = dates.from_meta(metas, as_of)
    if found:
        if note := dates.meta_disagreement(found, text, as_of):
            facts.disagreements.append(note)
    else:
        found = dates.from_keywords(text, as_of)
        if not found and not facts.is_list:
            found = dates.near_title(text, _headlines(metas, title), as_of) or dates.near_source(text, as_of)
        found = (found or dates.from_url(url, as_of) or dates.from_url(metas.get("url", ("", ""))[1], as_of))
    if found:
        facts.published, facts.published_source = found
    links += pagination(script_text, url)  # a pager script's further list pages (TRS createPageHTML)
    if scripts or any(link.tag == "script" for link in links):  # headers/footers/menus its scripts load
        if loaded := fragments.includes(scripts, [lk.url for lk in links if lk.tag == "script"], resolve):
            facts.extra["fragments"] = loaded
    facts.links = links
    facts.anchor_ids = sorted(set(root.xpath("//@id | //a/@name")))[:500]  # targets of #fragment links
    _content_facts(facts, present, ctext, as_of, wording_terms)
    _extra_facts(facts, root, ctext, as_of)
    _date_facts(facts, metas, text, ctext, as_of)
    return facts


def _content_facts(facts: PageFacts, present: set[str], ctext: str, as_of: date,
                   terms: wording.Vocabulary | None = None) -> None:
    """Facts of the content area (docs/page-facts.md, "Content facts"); ctext keeps the label,
    heading and table markers of content.py."""
    facts.meta_names = area.meta_names(present)
    facts.written = dates.written_date(ctext, as_of)
    facts.field_labels = area.field_labels(ctext)
    facts.headings = area.headings(ctext)
    # Personal data and terms are read on the marked text (markers are neither digits nor ideographs);
    # their snippets are cleaned of markers.
    facts.personal_data, masked = personal.scan(ctext, as_of)
    facts.term_hits = wording.hits(masked, terms)


def _extra_facts(facts: PageFacts, root, ctext: str, as_of: date) -> None:
    """Facts stored in page.extra (docs/page-facts.md, "Extra facts"): messages with their dates, and what a
    公示 states about itself, the codes of 预决算 tables. Each reader is gated on a cheap text test, so most pages cost a few str.find."""
    found = interaction.messages(root, ctext, facts.title, as_of)
    if found:
        facts.extra["messages"] = found
    if not facts.is_list:
        notice = notices.notice(root, ctext, facts.title, as_of)
        if notice is not None:
            facts.extra["notice"] = notice
        # 预决算 tables (BUD-03): a table and the word 预算/决算; most pages stop at the str.find
        if ("预算" in ctext or "决算" in ctext) and root.find(".//table") is not None:
            found_codes = budget.codes(root)
            if found_codes:
                facts.extra["budget_codes"] = found_codes


def _date_facts(facts: PageFacts, metas: dict, text: str, ctext: str, as_of: date) -> None:
    """For the publish-date rules (GWS-V1e1/e2), on pages that are not lists: a publish date stated after as_of
    (extra "future_date"), and the fingerprint of a dated page's text without its date (extra "text_hash")."""
    if facts.is_list:
        return
    claim = redate.future_claim(metas, text, as_of)
    if claim:
        facts.extra["future_date"] = claim
    if facts.published:
        facts.extra["text_hash"] = redate.text_hash(ctext, facts.title, facts.published)
