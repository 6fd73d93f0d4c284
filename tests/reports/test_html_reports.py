"""HTML summary and 整改清单: ranking, labels, ordering, locators and escaping."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

import lxml.html
import pytest

from checks.result import Counts
from reports import write_outputs

from .sample import FAIL, FINDINGS, PASS, SITES, load_snapshots, make_result

# 网站名称 and 网站标识码 are the page's heading, not a column of every row.
LIST_COLUMNS = ["序号", "问题类型", "问题描述", "问题页面", "证据",
                "发现时间", "依据", "扣分", "整改要求", "整改时限", "状态"]
SEVERITY_RANK = {"veto": 0, "deduct": 1, "advice": 2}


def parse(path):
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def text(el) -> str:
    return " ".join(el.text_content().split())


def details(td) -> dict[str, str]:
    """The <dt>/<dd> pairs inside a cell (kind-specific columns, evidence)."""
    return {text(dt): text(dd) for dt, dd in zip(td.iter("dt"), td.iter("dd"))}


def test_index_ranks_by_score_with_not_tested_last(written):
    out, _ = written
    rows = parse(out / "index.html").cssselect("tr.site-row")
    assert [r.get("data-site") for r in rows] == ["hbj-city", "sthjt-trs", "hbj-county"]
    cells = [[text(td) for td in r.findall("td")] for r in rows]
    assert [c[0] for c in cells] == ["1", "2", "—"]  # rank
    assert [c[3] for c in cells] == ["市级", "省级", "县级"]
    assert [c[4] for c in cells] == ["合格", "不合格", "未检测"]
    assert [c[5] for c in cells] == ["93", "58", "—"]
    assert [c[6] for c in cells] == ["7", "42", "—"]  # 扣分: points lost
    assert [c[7] for c in cells] == ["—", "GWS-V4a 空白栏目", "—"]  # 否决原因
    assert cells[1][8:11] == ["1", "4", "1"]  # 单项否决项 / 扣分项 / 提示项
    # not-tested reasons are notes, explained once below the table
    assert [c[-1] for c in cells] == ["—", "注1", "注2"]
    legend = {text(tr.findall("td")[0]): text(tr) for tr in parse(out / "index.html").cssselect("table.legend tbody tr")}
    assert "robots.txt 禁止抓取" in legend["注1"] and "GWS-V4a 空白栏目" in legend["注1"]
    assert "被反爬虫拦截" in legend["注2"] and "白名单" in legend["注2"]


def test_index_links_each_site_to_its_list(written):
    out, _ = written
    for row in parse(out / "index.html").cssselect("tr.site-row"):
        href = row.findall("td")[1].find("a").get("href")
        assert (out / unquote(href)).is_file()
        assert unquote(href) == f"{row.get('data-site')}/整改清单.html"


def test_index_shows_run_state(tmp_path):
    write_outputs(tmp_path / "done", make_result(complete=True), load_snapshots)
    write_outputs(tmp_path / "cut", make_result(complete=False), load_snapshots)
    done = text(parse(tmp_path / "done" / "index.html"))
    cut = text(parse(tmp_path / "cut" / "index.html"))
    assert "评估基准日：2026-11-20" in done and "开始时间：2026-11-20 08:00" in done
    assert "运行状态：完成" in done and "未完成" not in done
    assert "运行状态：未完成" in cut


def test_list_has_one_row_per_finding_veto_first(written):
    out, _ = written
    doc = parse(out / "sthjt-trs" / "整改清单.html")
    assert [text(th) for th in doc.cssselect("table.list thead th")] == LIST_COLUMNS
    rows = doc.cssselect("tr.finding")
    mine = [f for f in FINDINGS if f.site == "sthjt-trs"]
    assert len(rows) == len(mine)
    messages = [r.cssselect("span.msg")[0].text_content() for r in rows]
    # the checks' 「」 read as mainland quotation marks (GB/T 15834)
    assert sorted(messages) == sorted(f.message.replace("「", "“").replace("」", "”") for f in mine)
    sev = [c[4:] for r in rows for c in r.get("class").split() if c.startswith("sev-")]
    assert sev[0] == "veto"
    assert [SEVERITY_RANK[s] for s in sev] == sorted(SEVERITY_RANK[s] for s in sev)
    assert [text(r.findall("td")[0]) for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert text(rows[0].findall("td")[7]) == "单项否决"
    # rows of one 问题类型 are adjacent (grouped)
    types = [text(r.findall("td")[1]) for r in rows]
    assert types == sorted(types, key=types.index)


def test_dead_link_row_shows_parent_title_and_error(written):
    out, _ = written
    doc = parse(out / "sthjt-trs" / "整改清单.html")
    row = next(r for r in doc.cssselect("tr.finding") if "missing.html" in text(r))
    page = row.findall("td")[3]
    assert [a.get("href") for a in page.findall(".//a")] == [
        "http://127.0.0.2:8808/missing.html", "http://127.0.0.2:8808/"]
    assert "父页面：http://127.0.0.2:8808/" in text(page)
    assert details(row.findall("td")[2]) == {"链接标题": "政务服务", "错误描述": "HTTP 404（页面不存在）"}
    assert details(row.findall("td")[4]) == {"HTTP 状态": "404", "链接文字": "政务服务",
                                              "抓取时间": "2026-11-20 10:00"}


def test_stale_column_row_shows_column_date_and_days(written):
    out, _ = written
    doc = parse(out / "sthjt-trs" / "整改清单.html")
    row = next(r for r in doc.cssselect("tr.finding") if r.get("data-rule") == "GWS-D3")
    assert details(row.findall("td")[2]) == {"栏目名称": "通知公告", "最后更新日期": "2026-06-01", "未更新天数": "172"}
    assert details(row.findall("td")[4]) == {"栏目名称": "通知公告", "最后更新日期": "2026-06-01", "未更新天数": "172",
                                              "日期来源": "网页元数据 PubDate", "抓取时间": "2026-11-20 10:00"}
    assert text(row.cssselect("span.status")[0]) == "再次出现"


def test_untrusted_page_text_is_escaped(written):
    out, _ = written
    for page in out.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "<script" not in raw.lower(), page  # no JS at all, and none injected
        assert "<img" not in raw.lower(), page
    raw = (out / "sthjt-trs" / "整改清单.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "&lt;img src=x onerror=alert(2)&gt;" in raw


def test_only_http_urls_become_links(written):
    out, _ = written
    doc = parse(out / "hbj-city" / "整改清单.html")
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert "父页面：javascript:void(0)" in text(doc)  # still shown, as text


def test_list_header_verdict_and_not_tested(written):
    out, _ = written
    fail = text(parse(out / "sthjt-trs" / "整改清单.html"))
    assert "结论：不合格" in fail.replace(" ", "") and "得分：58" in fail.replace(" ", "")
    assert "未检测项（1）" in fail and "robots.txt 禁止抓取" in fail and "未发现问题" not in fail
    county = parse(out / "hbj-county" / "整改清单.html")
    assert county.cssselect("tr.finding") == []
    assert "未发现问题" in text(county.cssselect("p.ok")[0])
    assert "被反爬虫拦截" in text(county) and "首页返回 521 加速乐验证页" in text(county)


@pytest.mark.parametrize("page", ["index.html", "sthjt-trs/整改清单.html"])
def test_pages_are_self_contained_and_printable(written, page):
    out, _ = written
    raw = (out / page).read_text(encoding="utf-8")
    doc = lxml.html.fromstring(raw)
    assert doc.get("lang") == "zh-CN"
    assert not doc.cssselect("link[rel=stylesheet], script, [src]")
    assert "@page { size: A4 landscape" in raw
    assert "table-layout: fixed" in raw and "overflow-wrap: anywhere" in raw


@pytest.mark.parametrize("site_id", ["../escape", "a/b", "..", "", "c:evil"])
def test_site_id_that_is_no_folder_name_is_refused_before_writing(tmp_path, site_id):
    bad = make_result(sites=[replace(FAIL, site=site_id), *SITES[1:]])
    with pytest.raises(ValueError, match="directory name"):
        write_outputs(tmp_path / "a", bad, load_snapshots)
    assert not (tmp_path / "a").exists()  # not even findings.json


def test_duplicate_site_ids_are_refused_before_writing(tmp_path):
    twice = make_result(sites=[*SITES, replace(PASS, name="同名站点")])
    with pytest.raises(ValueError, match="duplicate"):
        write_outputs(tmp_path / "b", twice, load_snapshots)
    assert not (tmp_path / "b").exists()


def test_clean_site_says_no_problems_plainly(tmp_path):
    clean = make_result(sites=[*SITES[:2], replace(PASS, score=100.0, counts=Counts())],
                        findings=[f for f in FINDINGS if f.site != "hbj-city"])
    write_outputs(tmp_path, clean, load_snapshots)
    doc = parse(tmp_path / "hbj-city" / "整改清单.html")
    assert text(doc.cssselect("p.ok")[0]) == "未发现问题。"
    assert doc.cssselect("tr.finding") == [] and "未检测项" not in text(doc)
