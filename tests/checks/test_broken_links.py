"""broken_links: every link target is ok, broken or unverified; unverified is never scored (GWS-DLINK)."""
from __future__ import annotations

from tests.builders import BASE


def test_dead_links_weigh_more_on_the_homepage_and_name_their_parent(site):
    art = f"{BASE}art/1.html"
    site.extra_pages += [
        {"url": art, "status": 200, "title": "一篇文章"},
        {"url": f"{BASE}gone.html", "status": 404, "confirmed": True, "confirm_status": 404},
        {"url": f"{BASE}old.pdf", "status": 410, "confirmed": True, "confirm_status": 410},
        {"url": f"{BASE}soft.html", "status": 200, "soft_404": True},
        {"url": f"{BASE}flaky.html", "status": 503, "confirmed": True, "confirm_status": 200},  # healed: fine
    ]
    site.links += [(BASE, f"{BASE}gone.html", "办事服务"), (art, f"{BASE}gone.html", "办事服务"),
                   (art, f"{BASE}old.pdf", "附件"), (art, f"{BASE}soft.html", "旧文"), (art, f"{BASE}flaky.html", "x")]
    result = site.judge()
    rows = {(f.url, f.parent_url, f.evidence["homepage"]) for f in result.findings}
    assert rows == {(f"{BASE}gone.html", BASE, True), (f"{BASE}old.pdf", art, False), (f"{BASE}soft.html", art, False)}
    assert result.sites[0].score == 98.8  # 1 + 0.1 + 0.1


def test_broken_needs_confirmation_and_blocked_or_slow_links_are_unverified(site):
    art = f"{BASE}art/1.html"
    pages = {
        "e500.html": {"status": 500, "confirmed": True, "confirm_status": 502},  # persists: broken
        "refused.html": {"error": "refused", "confirmed": True, "confirm_error": "refused"},  # own host: broken
        "unconfirmed.html": {"status": 404},  # the second attempt never came (interrupted): unverified
        "forbidden.html": {"status": 403},
        "challenge.html": {"status": 200, "challenge": "acw_sc__v2"},
        "slow.html": {"error": "timeout"},
        "robots.html": {"error": "robots"},  # not checked at all
        "fake.pdf": {"status": 200, "content_type": "text/html; charset=utf-8", "length": 2048},
        "empty.doc": {"status": 200, "content_type": "application/msword", "length": 0},
        "good.pdf": {"status": 200, "content_type": "application/pdf", "length": 5000},
    }
    for name, fields in pages.items():
        site.extra_pages.append({"url": f"{BASE}{name}"} | fields)
        site.links.append((art, f"{BASE}{name}", name))
    site.extra_pages.append({"url": art, "status": 200, "title": "文章"})
    result = site.judge()
    broken = {f.url.rsplit("/", 1)[1]: f.evidence["error"] for f in result.findings}
    assert broken == {"e500.html": "HTTP 502", "refused.html": "连接被拒绝",
                      "fake.pdf": "附件地址返回的是网页（HTML），不是附件", "empty.doc": "附件为空文件"}
    unverified = [n for n in result.sites[0].not_tested if n.reason == "unverified"]
    assert len(unverified) == 1 and unverified[0].detail.startswith("4 个链接无法验证")


def test_a_page_looking_like_the_sites_own_not_found_answer_is_a_soft_404(site):
    art = f"{BASE}art/1.html"
    site.extra_pages += [
        {"url": art, "status": 200, "title": "文章"},
        {"url": f"{BASE}gkaudit-probe-1.html", "status": 200, "title": "出错了 - 测试局", "probe": True},
        {"url": f"{BASE}moved.html", "status": 200, "title": "出错了 - 测试局"},
        {"url": f"{BASE}fine.html", "status": 200, "title": "关于开展检查的通知"},
    ]
    site.links += [(art, f"{BASE}moved.html", "旧链接"), (art, f"{BASE}fine.html", "通知")]
    result = site.judge()
    assert [(f.url, f.evidence["error"]) for f in result.findings] == [
        (f"{BASE}moved.html", "HTTP 200，与本站“页面不存在”页面相同")]


def test_external_links_checked_once_count_for_every_site_that_links_them(site):
    site.extra_pages += [{"url": "http://127.0.0.77/gone", "status": 404, "confirmed": True, "confirm_status": 404,
                          "external": True},
                         {"url": "http://127.0.0.78/", "error": "dns", "confirmed": True, "confirm_error": "dns",
                          "external": True}]
    site.links += [(BASE, "http://127.0.0.77/gone", "友情链接"), (BASE, "http://127.0.0.78/", "旧站")]
    result = site.judge()
    assert [(f.url, f.message) for f in result.findings] == [
        ("http://127.0.0.77/gone", "首页外部链接「友情链接」无法访问（HTTP 404）")]
    assert any(n.reason == "unverified" for n in result.sites[0].not_tested)  # external DNS: unverified


def test_every_status_class_has_a_verdict(site):
    """README "Link verdicts": missing, invalid and refused-to-all 4xx and every confirmed 5xx but 521 are broken;
    access restrictions, request-dependent and passing-state 4xx, unfinished redirects, non-standard codes are
    unverified; nothing passes as ok by omission."""
    art = f"{BASE}art/1.html"
    site.extra_pages.append({"url": art, "status": 200, "title": "文章"})
    broken = [400, 404, 405, 410, 414, 451, 500, 501, 505, 508, 511, 520, 522, 524, 599]
    unverified = [401, 402, 403, 406, 407, 408, 409, 411, 412, 413, 415, 416, 417, 418, 421, 422, 423, 424, 425,
                  426, 428, 429, 431, 499, 521, 300]
    for status in broken + unverified:
        site.extra_pages.append({"url": f"{BASE}{status}.html", "status": status, "confirmed": True,
                                 "confirm_status": status})
        site.links.append((art, f"{BASE}{status}.html", str(status)))
    result = site.judge()
    assert sorted(int(f.url.rsplit("/", 1)[1][:3]) for f in result.findings) == broken
    detail = next(n.detail for n in result.sites[0].not_tested if n.reason == "unverified")
    assert detail.startswith(f"{len(unverified)} 个链接无法验证")


def test_a_broken_looking_answer_without_its_second_attempt_is_unverified(site):
    art = f"{BASE}art/1.html"
    site.extra_pages += [{"url": art, "status": 200, "title": "文章"}, {"url": f"{BASE}a.html", "status": 501},
                         {"url": f"{BASE}b.html", "status": 400}]
    site.links += [(art, f"{BASE}a.html", "a"), (art, f"{BASE}b.html", "b")]
    result = site.judge()
    assert not result.findings
    assert "未完成复核×2" in next(n.detail for n in result.sites[0].not_tested if n.reason == "unverified")


def test_the_host_that_failed_decides_own_or_foreign(site):
    art = f"{BASE}art/1.html"
    own = {"error": "dns", "confirmed": True, "confirm_error": "dns"}
    site.extra_pages += [{"url": art, "status": 200, "title": "文章"},
                         {"url": f"{BASE}own.html", "final_url": f"{BASE}own.html"} | own,
                         {"url": f"{BASE}moved.html", "final_url": "http://gone.example.invalid/a.html"} | own,
                         {"url": f"{BASE}bad", "error": "invalid-url"},
                         {"url": f"{BASE}ftp.html", "status": 302, "error": "redirect:ftp"}]
    site.links += [(art, f"{BASE}{name}", name) for name in ("own.html", "moved.html", "bad", "ftp.html")]
    result = site.judge()
    assert {f.url.rsplit("/", 1)[1]: f.evidence["error"] for f in result.findings} == {
        "own.html": "域名无法解析", "bad": "链接地址无效"}
    detail = next(n.detail for n in result.sites[0].not_tested if n.reason == "unverified")
    assert "域名无法解析×1" in detail and "重定向到非网页地址（ftp:），未检查×1" in detail


def test_links_beyond_the_per_page_cap_are_reported_not_tested(site):
    site.extra_pages += [{"url": f"{BASE}huge.html", "status": 200, "title": "链接很多", "extra": {"links_over_cap": 995000}},
                         {"url": f"{BASE}small.html", "status": 200, "title": "链接不多", "extra": {"fragment": None}}]
    site.links += [(BASE, f"{BASE}huge.html", "很多"), (BASE, f"{BASE}small.html", "不多")]
    notes = [n.detail for n in site.judge().sites[0].not_tested if n.rule == "GWS-DLINK" and n.reason == "budget"]
    assert notes == [f"1 个页面的链接数超过每页上限（max_links_per_page），超出的 995000 个链接未检查，如 {BASE}huge.html"]


def test_an_external_link_whose_domain_lapsed_and_is_parked_is_a_wrong_link(site):
    """A 友情链接 to a lapsed domain now redirected to a parking or for-sale service is a 错链; a link to the
    marketplace itself, or a redirect to another ordinary host, is not."""
    site.extra_pages += [
        {"url": "http://www.old-partner.com/", "status": 200, "external": True,
         "final_url": "https://www.sedoparking.com/old-partner.com"},
        {"url": "https://www.juming.com/", "status": 200, "external": True, "final_url": "https://www.juming.com/index"},
        {"url": "http://www.renamed.com/", "status": 200, "external": True, "final_url": "https://www.renamed.cn/"},
    ]
    site.links += [(BASE, "http://www.old-partner.com/", "合作单位"), (BASE, "https://www.juming.com/", "聚名网"),
                   (BASE, "http://www.renamed.com/", "改名网站")]
    result = site.judge()
    assert [(f.url, f.message) for f in result.findings if f.rule == "GWS-DLINK"] == [
        ("http://www.old-partner.com/", "首页外部链接「合作单位」指向的域名已失效，被停放或出售（跳转到 www.sedoparking.com）")]
