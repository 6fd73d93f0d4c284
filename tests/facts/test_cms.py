"""The CMS family tables (crawler/cms): where each family's patterns must fire, and the near misses where they must
not, read through the extractors that use them."""
from __future__ import annotations

import re
from datetime import date

import pytest

from crawler import cms
from crawler.cms import hanweb, trs
from crawler.facts import extract
from crawler.facts.dates import from_url
from crawler.facts.links import MAX_PAGES, pagination
from crawler.facts.lists import numbered_column

AS_OF = date(2024, 12, 31)
HOST = "http://www.example.gov.cn"


# --- dated document URLs --------------------------------------------------------------------------------

FIRES = [  # (URL, date, source)
    ("/xxdt/gzdt/202403/t20240305_123.html", date(2024, 3, 5), "url:trs"),
    ("/zcfg/zcwj/201812/t20181231_9.shtml", date(2018, 12, 31), "url:trs"),
    ("/a/202401/t20240109_1.htm?from=list", date(2024, 1, 9), "url:trs"),
    ("/art/2024/3/5/art_1_2.html", date(2024, 3, 5), "url:hanweb"),
    ("/art/2024/03/05/art_1002_5101.shtml", date(2024, 3, 5), "url:hanweb"),
    ("/art/2024/12/31/art_9_9.htm", date(2024, 12, 31), "url:hanweb"),
]
NEAR_MISSES = [
    "/202403/t20240405_1.html",  # TRS-looking, but the month folder disagrees with the day
    "/202413/t20241305_1.html",  # folder and day agree on a 13th month
    "/202402/t20240230_1.html",  # 30 February
    "/202403/t20240305.html",  # no document number
    "/202403/t20240305_12.jsp",  # not a static page
    "/202403/T20240305_1.html",  # upper-case T
    "/2024/t20240305_1.html",  # no month folder
    "/art/2024/13/5/art_1_2.html",  # month 13
    "/art/2024/2/30/art_1_2.html",  # 30 February
    "/art/2024/3/5/article_1_2.html",  # not art_<column>_<document>
    "/art/2024/3/5/art_1.html",  # no document number
    "/art/24/3/5/art_1_2.html",  # two-digit year
    "/art/2025/1/2/art_1_2.html",  # after the audit date
    "/art/1989/12/31/art_1_1.html",  # before 1990
    "/202501/t20250102_1.html",  # after the audit date
    "/gkmlpt/content/0/1/post_1234.html",  # gkmlpt documents carry no date
    "/xwzx/gzdt/content/post_2095.html",
    "/xxdt/gzdt/index_1.html",
]


@pytest.mark.parametrize("path,day,source", FIRES)
def test_document_url_gives_its_date(path, day, source):
    assert from_url(HOST + path, AS_OF) == (day, source)


@pytest.mark.parametrize("path", NEAR_MISSES)
def test_near_miss_url_gives_no_date(path):
    assert from_url(HOST + path, AS_OF) is None


@pytest.mark.parametrize("url", [u for family in cms.FAMILIES for u in family.dated_urls], ids=lambda u: u.source)
@pytest.mark.parametrize("day", [date(1999, 12, 31), date(2024, 1, 9), date(2024, 11, 30)])
def test_a_url_written_from_the_table_is_read_back(url, day):
    """The fixture generator writes document URLs with DatedUrl.write: the crawler must read their date back."""
    written = url.write(day, 5101, column=1002)
    assert from_url(f"{HOST}/xxdt/gzdt/{written.lstrip('/')}", AS_OF) == (day, url.source)


def test_every_dated_url_is_labelled_with_its_family():
    """published_source says which family's URL gave the date (url:trs, url:hanweb)."""
    assert [(family.key, u.source) for family in cms.FAMILIES for u in family.dated_urls] == [
        ("trs", "url:trs"), ("hanweb", "url:hanweb")]


def test_family_keys_are_distinct_and_known():
    assert [f.key for f in cms.FAMILIES] == ["generic", "trs", "hanweb", "gkmlpt"]
    assert cms.BY_KEY["trs"] is cms.TRS and cms.BY_KEY["hanweb"] is cms.HANWEB


# --- pager scripts ---------------------------------------------------------------------------------------

LIST = f"{HOST}/xxdt/gzdt/index.html"


def pages(script: str, page_url: str = LIST) -> list[str]:
    return [link.url for link in pagination(script, page_url)]


def test_trs_pager_call_lists_the_further_pages():
    assert pages('createPageHTML(5, 0, "index", "html");') == [f"{HOST}/xxdt/gzdt/index_{i}.html" for i in range(1, 5)]


def test_trs_pager_on_a_further_page_lists_the_same_pages():
    assert pages('createPageHTML(5, 2, "index", "html");', f"{HOST}/xxdt/gzdt/index_2.html") == \
        pages('createPageHTML(5, 0, "index", "html");')


def test_trs_pager_call_with_quoted_numbers_and_spaces():
    assert pages("createPageHTML ( '3' , '1' , 'index' , 'shtml' )") == [
        f"{HOST}/xxdt/gzdt/index_1.shtml", f"{HOST}/xxdt/gzdt/index_2.shtml"]


def test_trs_pager_is_capped():
    assert len(pages('createPageHTML(900, 0, "index", "html")')) == MAX_PAGES - 1


@pytest.mark.parametrize("script", [
    'createPageHTML(1, 0, "index", "html");',  # one page: nothing further
    'createPageHTML(countPage, currentPage, "index", "html");',  # computed arguments: unknown
    'createPageHTMLEx(5, 0, "index", "html");',  # another function
    'createPage(5, 0, "index", "html");',
    "var pages = 5; // index_1.html",
])
def test_pager_near_misses_give_no_pages(script):
    assert pages(script) == []


def test_pager_call_written_from_the_table_is_read_back():
    call = trs.PAGER.write(7, 3, "index", "html")
    assert call == 'createPageHTML(7, 3, "index", "html");'
    assert pages(call) == [f"{HOST}/xxdt/gzdt/{trs.PAGER.page_name('index', i, 'html')}" for i in range(1, 7)]
    assert trs.PAGER.page_name("index", 0, "html") == "index.html"


def test_trs_list_page_gets_its_pager_through_extract():
    body = ('<html><head><meta name="ColumnName" content="工作动态"></head><body><ul>'
            '<li><a href="./202403/t20240305_1.html">检查</a><span>2024-03-05</span></li></ul>'
            '<script>createPageHTML(3, 0, "index", "html");</script></body></html>').encode()
    f = extract(body, LIST, as_of=AS_OF)
    assert [link.url for link in f.links if link.tag == "pagination"] == [
        f"{HOST}/xxdt/gzdt/index_1.html", f"{HOST}/xxdt/gzdt/index_2.html"]


# --- lists kept in a script (Hanweb <datastore>) ---------------------------------------------------------

def hanweb_list(records: str) -> bytes:
    return ('<html><head><meta name="ColumnName" content="通知公告"></head><body><div id="8802">'
            f'<script type="text/xml"><datastore><recordset>{records}</recordset></datastore></script>'
            '</div></body></html>').encode()


def test_datastore_records_are_the_columns_list():
    records = "\n".join(hanweb.DATASTORE.write(markup) for markup in (
        '<li><a href="/art/2024/3/5/art_1002_2.html">关于开展检查的通知</a><span>2024-03-05</span></li>',
        '<li><a href="/art/2024/2/1/art_1002_1.html">关于征集线索的公告</a></li>'))
    f = extract(hanweb_list(records), f"{HOST}/col/col1002/index.html", as_of=AS_OF)
    assert f.is_list
    assert [(i.title, i.url, i.date, i.date_source) for i in f.list_items] == [
        ("关于开展检查的通知", f"{HOST}/art/2024/3/5/art_1002_2.html", date(2024, 3, 5), "text"),
        ("关于征集线索的公告", f"{HOST}/art/2024/2/1/art_1002_1.html", date(2024, 2, 1), "url:hanweb")]
    assert [link.url for link in f.links if link.tag == "datastore"] == [i.url for i in f.list_items]


@pytest.mark.parametrize("records", [
    '<record><li><a href="/art/2024/3/5/art_1002_2.html">通知</a><span>2024-03-05</span></li></record>',  # no CDATA
    '<recordx><![CDATA[<li><a href="/art/2024/3/5/art_1002_2.html">通知</a></li>]]></recordx>',  # not a record
])
def test_datastore_near_misses_give_no_items(records):
    f = extract(hanweb_list(records), f"{HOST}/col/col1002/index.html", as_of=AS_OF)
    assert f.list_items == [] and not [link for link in f.links if link.tag == "datastore"]


def test_record_written_from_the_table_is_read_back():
    markup = '<li><a href="/art/2024/3/5/art_1_2.html">标题</a></li>'
    assert hanweb.DATASTORE.records(f"<recordset>\n{hanweb.DATASTORE.write(markup)}\n</recordset>") == [markup]


# --- content containers ----------------------------------------------------------------------------------

PROSE = "本局召开专题会议，研究部署下一阶段生态环境保护重点工作。" * 12


def labels_kept(box: str) -> list[str]:
    """Field labels of a page whose only label sits in `box`, inside a footer-looking wrapper: a content container
    keeps its wrapper in the content area, anything else is cut as chrome."""
    body = (f'<html><body><div class="main"><h1>工作动态</h1><p>{PROSE}</p></div>'
            f'<div class="bottom"><div {box}><p>联系电话：0517-86001234</p></div></div></body></html>').encode()
    return extract(body, f"{HOST}/a/index.html", as_of=AS_OF).field_labels


CONTAINERS = [  # (family, attributes of a content container as sites write them)
    ("trs", 'class="TRS_Editor"'), ("trs", 'class="TRS_UEDITOR"'),
    ("trs", 'class="view TRS_UEDITOR trs_paper_default"'),
    ("hanweb", 'id="zoom"'), ("hanweb", 'id="fontzoom"'), ("hanweb", 'class="main-txt" id="zoom"'),
    ("generic", 'class="article-content"'), ("generic", 'class="article_content"'),
    ("generic", 'class="content-article"'), ("generic", 'class="detailContent"'),
]


@pytest.mark.parametrize("family,box", CONTAINERS)
def test_content_container_is_kept_inside_chrome(family, box):
    assert labels_kept(box) == ["联系电话"]


@pytest.mark.parametrize("box", ['class="editor"', 'id="zoomer"', 'id="zoom-in"', 'class="article"', 'class="content"',
                                 'class="TRS"'])
def test_other_boxes_inside_chrome_are_cut(box):
    assert labels_kept(box) == []


def test_every_content_container_pattern_has_an_example():
    """A pattern added to a table needs an example above (and one keeps each family's examples honest)."""
    for family in cms.FAMILIES:
        examples = [box.lower() for key, box in CONTAINERS if key == family.key]
        for pattern in family.content_containers:
            names = [" ".join(re.findall(r'"([^"]*)"', box)) for box in examples]
            assert any(re.search(pattern, name) for name in names), (family.key, pattern)


# --- metadata names --------------------------------------------------------------------------------------

def metas_page(metas: str) -> bytes:
    return f"<html><head>{metas}</head><body><p>正文</p></body></html>".encode()


def test_pubdate_is_trusted_before_other_date_metas():
    f = extract(metas_page('<meta name="publishdate" content="2024-01-02">'
                           '<meta name="PubDate" content="2024-03-05 10:00">'
                           '<meta property="article:published_time" content="2023-12-01">'),
                f"{HOST}/a.html", as_of=AS_OF)
    assert (f.published, f.published_source) == (date(2024, 3, 5), "meta:PubDate")


@pytest.mark.parametrize("meta,source", [
    ('<meta name="firstpublishedtime" content="2024-03-05 10:00:00">', "meta:firstpublishedtime"),
    ('<meta property="article:published_time" content="2024-03-05T10:00:00+08:00">', "meta:article:published_time"),
    ('<meta name="DC.Date" content="2024-03-05">', "meta:DC.Date"),
])
def test_other_date_metas_give_the_date(meta, source):
    f = extract(metas_page(meta), f"{HOST}/a.html", as_of=AS_OF)
    assert (f.published, f.published_source) == (date(2024, 3, 5), source)


@pytest.mark.parametrize("meta", ['<meta name="MakeTime" content="2024-03-05">',
                                  '<meta name="createDate" content="2024-03-05">',
                                  '<meta name="PubDateX" content="2024-03-05">'])
def test_generation_times_are_not_publish_dates(meta):
    assert extract(metas_page(meta), f"{HOST}/a.html", as_of=AS_OF).published is None


def test_page_metas_are_the_design_vocabulary_in_its_spelling_and_order():
    f = extract(metas_page('<meta name="pubdate" content="2024-03-05"><meta name="SITENAME" content="某局">'
                           '<meta name="publishdate" content="2024-03-05"><meta name="ColumnName" content="">'),
                f"{HOST}/a.html", as_of=AS_OF)
    assert f.meta_names == ["SiteName", "PubDate"]  # publishdate is no 网页设计规范 name; an empty ColumnName is absent


# --- numbered columns (Hanweb /col/colN/ lists /art/…/art_N_M.html) ----------------------------------------------

@pytest.mark.parametrize("page_url, item_url", [
    (f"{HOST}/col/col1002/index.html", f"{HOST}/art/2024/3/5/art_1002_5101.html"),
    (f"{HOST}/col/col1002/index.html?uid=7800&pageNum=2", f"{HOST}/art/2024/12/31/art_1002_1.shtml"),
    (f"{HOST}/col/col1002/", "https://cdn.example.gov.cn/art/2024/3/5/art_1002_5101.html"),
])
def test_a_numbered_column_lists_the_documents_of_its_number(page_url, item_url):
    kind, number = numbered_column(page_url)
    assert number == "1002" and kind.lists(number, item_url)


@pytest.mark.parametrize("page_url, item_url", [
    (f"{HOST}/col/col1002/index.html", f"{HOST}/art/2024/3/5/art_1001_5101.html"),  # another column's document
    (f"{HOST}/col/col1002/index.html", f"{HOST}/col/col1002/index.html"),  # the list itself
    (f"{HOST}/col/col1002/index.html", f"{HOST}/art/2024/3/5/art_10021_5101.html"),  # a longer number
])
def test_a_numbered_column_does_not_list_other_urls(page_url, item_url):
    kind, number = numbered_column(page_url)
    assert not kind.lists(number, item_url)


@pytest.mark.parametrize("url", [f"{HOST}/xxdt/gzdt/index.html", f"{HOST}/col/colabc/index.html",
                                 f"{HOST}/col/col1002/art_1.html", f"{HOST}/art/2024/3/5/art_1002_5101.html"])
def test_urls_that_are_no_numbered_column_page(url):
    assert numbered_column(url) is None


def test_generated_hanweb_column_and_document_urls_belong_together():
    kind, number = numbered_column(HOST + "/col/col1002/index.html")
    assert kind.lists(number, HOST + hanweb.DOCUMENT.write(date(2024, 3, 5), 5101, 1002))
