"""Page snapshots: in the site's folder, inert (no script survives, a CSP forbids any that would), with a banner
naming the capture time and the original address, and the evidence marked."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import datetime
from urllib.parse import unquote

import lxml.html
import pytest

from reports import write_outputs
from reports.snapshot_html import CSP, FOLDER, needles, render

from .browser import CHROMIUM, Browser
from .sample import FINDINGS, SNAPSHOT, make_result

HOSTILE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>首页</title>
<meta http-equiv="refresh" content="0; url=http://evil.example/">
<base href="http://evil.example/">
<script>document.title = "ran"</script>
<link rel="import" href="http://evil.example/x.html">
</head><body onload="document.title='onload ran'">
<p>欢迎访问 <a href="/zwfw/">政务服务</a> 与 <a href="javascript:alert(1)">点我</a></p>
<img src="x" onerror="document.title='onerror ran'">
<svg><script>document.title='svg ran'</script><a xlink:href="javascript:alert(2)"><text>x</text></a></svg>
<iframe src="http://evil.example/"></iframe><object data="x.swf"></object>
<form action="http://evil.example/post"><button formaction="javascript:alert(3)">提交</button></form>
<!--[if IE]><script>alert(4)</script><![endif]-->
<p>下一步，市环境保护局将持续加强监管</p>
</body></html>""".encode("gb18030")
URL = "http://127.0.0.2:8808/"
FETCHED = datetime(2026, 11, 20, 10, 0)


@pytest.fixture(scope="module")
def snapshot() -> str:
    return render(HOSTILE, URL, FETCHED, ["政务服务", "环境保护局"]).decode("utf-8")


def test_nothing_that_runs_survives(snapshot):
    doc = lxml.html.fromstring(snapshot)
    assert not doc.xpath("//script|//iframe|//object|//embed|//base|//link[@rel='import']")
    assert not doc.xpath("//meta[@http-equiv and not(@http-equiv='Content-Security-Policy')]")  # no refresh
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.tag
            for name, value in el.attrib.items():
                assert not value.strip().lower().startswith("javascript:"), (el.tag, name)
    assert "<script" not in snapshot.lower() and "alert(" not in snapshot


def test_csp_is_the_first_element_of_head(snapshot):
    head = lxml.html.fromstring(snapshot).find("head")
    first = head[0]
    assert first.tag == "meta" and first.get("http-equiv") == "Content-Security-Policy"
    assert first.get("content") == CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert head[1].get("charset") == "utf-8"  # the GBK page is re-encoded, its own charset dropped


def test_banner_names_capture_time_and_address_and_evidence_is_marked(snapshot):
    doc = lxml.html.fromstring(snapshot)
    banner = doc.get_element_by_id("gkaudit-snapshot-banner")
    text = banner.text_content()
    assert "本页为检测时的快照" in text and "抓取时间：2026-11-20 10:00" in text and URL in text
    assert banner.find("a").get("href") == URL
    assert [m.text for m in doc.iter("mark")] == ["政务服务", "环境保护局"]
    assert doc.xpath("//a[mark]")[0].get("href") == URL + "zwfw/"  # relative links lead to the live site


def test_needles_are_what_can_be_found_in_the_page():
    assert needles({"anchor": "政务服务", "snippet": "…问题清单，跟踪督促整改到位。 下一步，市环境保护局将持续加强监管…",
                    "terms": ["环境保护局"], "status": 404}) == ["政务服务", "环境保护局", "下一步，市环境保护局将持续加强监管"]
    assert needles(None) == []


def test_a_page_that_is_not_html_still_gets_a_banner():
    page = render(b"\xff\xfe\x00garbage", None, None, []).decode("utf-8")
    assert "本页为检测时的快照" in page and CSP in page


def test_each_site_folder_holds_its_own_snapshots(tmp_path):
    city = replace(FINDINGS[6], snapshot=SNAPSHOT)  # another site resting on the same stored page
    result = make_result(findings=FINDINGS + (city,))
    write_outputs(tmp_path, result, lambda hashes: {SNAPSHOT: HOSTILE} if SNAPSHOT in hashes else {})
    for site in ("sthjt-trs", "hbj-city"):
        listing = lxml.html.fromstring((tmp_path / site / "整改清单.html").read_text(encoding="utf-8"))
        hrefs = [unquote(a.get("href")) for a in listing.cssselect("a.snapshot")]
        assert hrefs == [f"{FOLDER}/{SNAPSHOT}.html"]
        assert (tmp_path / site / hrefs[0]).is_file()
    assert not (tmp_path / "snapshots").exists()


needs_chromium = pytest.mark.skipif(not (shutil.which("chromium") or os.access(CHROMIUM, os.X_OK)),
                                    reason="chromium not installed (make install adds it)")


@needs_chromium
def test_in_chromium_no_script_of_the_snapshot_runs(snapshot, tmp_path):
    # The rendered snapshot, and the same with a script put back in: the CSP stops what the cleaning missed.
    plain = tmp_path / "plain.html"
    plain.write_text(snapshot, encoding="utf-8")
    injected = tmp_path / "injected.html"
    injected.write_text(snapshot.replace("</body>", '<script>document.title = "ran"</script>'
                                                   '<img src="x" onerror="document.title=\'onerror ran\'"></body>'),
                        encoding="utf-8")
    with Browser() as browser:
        for page in (plain, injected):
            browser.call("Page.navigate", session=True, url=page.as_uri())
            browser.wait_for("Page.loadEventFired")
            title = browser.call("Runtime.evaluate", session=True, expression="document.title",
                                 returnByValue=True)["result"]["value"]
            assert title == "首页", page.name


def test_without_the_pages_own_time_the_banner_gives_the_runs_span_never_the_as_of_date():
    from checks.result import RunInfo

    run = RunInfo(3, datetime(2026, 12, 4, 8, 0), datetime(2026, 12, 4, 9, 40), True)
    page = render(b"<p>x</p>", URL, run, []).decode("utf-8")
    assert "抓取时间：本次检测期间（2026-12-04 08:00 至 2026-12-04 09:40）" in page
