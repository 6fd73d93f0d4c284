"""The generator's CMS families (fixtures/generator/trs.py, hanweb.py, gkmlpt.py): each writes its family's URL
shapes, and the crawler's extractors read the dates, lists and pagination of every family's generated pages."""
from __future__ import annotations

import re
from datetime import date

import pytest

from crawler import cms
from crawler.facts import extract
from crawler.facts.dates import from_url
from fixtures import generator
from fixtures.generator import gkmlpt, hanweb, trs

AS_OF = date(2026, 11, 20)
PAGES = 200  # enough articles for several list pages in the paged families
HOST = "http://127.0.0.1:8000"

# What a user of the fixture sites relies on: they look like the real CMSs (docs, tests and benches name these shapes).
DOCUMENT_URLS = {
    "trs": re.compile(r"^/[a-z]+/(?:[a-z]+/)?\d{6}/t\d{8}_\d+\.html$"),
    "hanweb": re.compile(r"^/art/\d{4}/\d{1,2}/\d{1,2}/art_\d{4}_\d+\.html$"),
    "gkmlpt": re.compile(r"^(?:/gkmlpt/content/0/\d/|/[a-z]+/[a-z]+/content/)post_\d+\.html$"),
}
URL_DATES = {"trs": "url:trs", "hanweb": "url:hanweb", "gkmlpt": None}


@pytest.fixture(scope="module", params=generator.FAMILIES)
def site(request):
    """The planned and rendered site of each family (sites rotate through the families: site i is family i mod 3)."""
    index = generator.FAMILIES.index(request.param)
    planned = generator.plan_site(index, 11, AS_OF, PAGES, "127.0.1.1", "青川")
    generator.render_site(planned, AS_OF)
    assert planned.family == request.param
    return planned


def page_facts(site, path: str):
    return extract(site.files[path].encode("utf-8"), HOST + path, "text/html; charset=utf-8", as_of=AS_OF)


def test_each_family_module_writes_its_url_shapes():
    day = date(2024, 3, 5)
    assert trs.FAMILY.article("work_news", day, 123) == "/xxdt/gzdt/202403/t20240305_123.html"
    assert [trs.FAMILY.list_page("work_news", i) for i in range(3)] == [
        "/xxdt/gzdt/index.html", "/xxdt/gzdt/index_1.html", "/xxdt/gzdt/index_2.html"]
    assert hanweb.FAMILY.article("notices", day, 123) == "/art/2024/3/5/art_1002_123.html"
    assert hanweb.FAMILY.list_page("notices", 0) == "/col/col1002/index.html"
    assert gkmlpt.FAMILY.article("work_news", day, 123) == "/xwzx/gzdt/content/post_123.html"
    assert gkmlpt.FAMILY.article("policy_docs", day, 123) == "/gkmlpt/content/0/1/post_123.html"
    assert [gkmlpt.FAMILY.list_page("ogi_statutory", i) for i in range(2)] == ["/gkmlpt/fdzdgknr", "/gkmlpt/fdzdgknr_1"]


def test_each_family_is_the_crawlers_family():
    for key, family in generator.SITE_FAMILIES.items():
        assert family.key == key and family.cms is cms.BY_KEY[key]


def test_documents_have_their_familys_urls_and_url_dates(site):
    articles = [a for col in site.columns.values() for a in col.items]
    assert len(articles) > 80
    for art in articles:
        assert DOCUMENT_URLS[site.family].match(art.path), art.path
        want = (art.day, URL_DATES[site.family]) if URL_DATES[site.family] else None
        assert from_url(HOST + art.path, AS_OF) == want, art.path


def test_list_pages_give_their_items_and_further_pages(site):
    paged = 0
    for col in site.columns.values():
        if col.blank:
            continue
        per_page = site.cms.per_page
        for i, path in enumerate(col.pages):
            f = page_facts(site, path)
            chunk = col.items[i * per_page:(i + 1) * per_page]
            assert f.is_list, path
            assert [(item.title, item.url, item.date) for item in f.list_items] == [
                (a.title, HOST + a.path, a.day) for a in chunk], path
            others = {HOST + p for p in col.pages} - {HOST + path}
            links = {link.url for link in f.links}
            assert others <= links, path  # every other list page of the column is reachable
            pager = [link.url for link in f.links if link.tag == "pagination"]
            if site.family == "trs":  # from the createPageHTML call, not from links
                assert pager == [HOST + p for p in col.pages[1:]], path
            else:
                assert pager == [], path
            if site.family == "hanweb":  # the list is read from the <datastore> records
                assert [link.url for link in f.links if link.tag == "datastore"] == [HOST + a.path for a in chunk]
            paged += len(col.pages) > 1
    assert paged >= (0 if site.family == "hanweb" else 2)  # Hanweb ships all records with the first page


def test_articles_give_their_dates(site):
    for col in site.columns.values():
        for art in col.items:
            f = page_facts(site, art.path)
            assert not f.is_list and f.published == art.day, art.path
            assert f.written == art.written, art.path  # the 信息公开 header's 成文日期, where there is one
