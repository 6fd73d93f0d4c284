"""GWS-V1e1/e2 and WORD-02 through real audits: a static export audited twice into one database, its articles
re-dated, re-counted and rewritten in between (crawler, store, checks and findings.json; nothing built by hand)."""
from __future__ import annotations

import json
from datetime import date, timedelta

from tests.conftest import gkaudit

BASE = "https://sthjj.qingchuan.gov.cn/"
HOME = """<html><head><meta charset="utf-8"><title>青川市生态环境局</title></head><body>
<div class="nav"><a href="a1.html">通知一</a> <a href="a2.html">通知二</a> <a href="a3.html">通知三</a>
<a href="a4.html">通知四</a></div></body></html>"""
ARTICLE = """<html><head><meta charset="utf-8"><title>{title}</title>{meta}</head><body>
<div class="nav"><a href="index.html">首页</a></div>
<h1>{title}</h1><div class="info">发布时间：{date} 09:30 来源：青川市生态环境局 浏览次数：{views}</div>
<div class="TRS_Editor"><p>{body}</p><p>青川市生态环境局</p></div></body></html>"""
FUTURE = date.today() + timedelta(days=60)  # after the crawl day whenever the test runs


def write(folder, pages):
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(HOME, encoding="utf-8")
    for name, (title, day, views, body, meta) in pages.items():
        (folder / name).write_text(ARTICLE.format(title=title, date=day, views=views, body=body, meta=meta),
                                   encoding="utf-8")


def audit(tmp_path, out):
    proc = gkaudit("audit", "--export", tmp_path / "export", "--base-url", BASE, "--level", "city",
                   "--as-of", "2026-11-20", "--out", tmp_path / out, "--db", f"sqlite:///{tmp_path / 'gk.db'}",
                   "--revalidate", "off")
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / out / "findings.json").read_text(encoding="utf-8"))
    return {(f["rule"], f["url"].removeprefix(BASE)): f for f in data["findings"]
            if f["rule"] in ("GWS-V1e1", "GWS-V1e2", "WORD-02")}


TEXT = "为深入打好污染防治攻坚战，现将有关事项通知如下，请各单位认真落实。"


def test_redated_articles_future_dates_and_serious_wording_across_two_audits(tmp_path):
    write(tmp_path / "export", {
        "a1.html": ("关于开展大气污染防治专项检查的通知", "2026-03-02", 10, TEXT, ""),
        "a2.html": ("关于做好汛期环境安全工作的通知", "2026-03-05", 10, TEXT + "请于月底前报送。", ""),
        "a3.html": ("关于印发年度工作要点的通知", "2026-04-01", 10, TEXT + "要点见附件。", ""),
        "a4.html": ("关于召开工作会议的通知", "2026-05-06", 10, "坚决反对所谓“台湾总统”的说法。" + TEXT,
                    f'<meta name="PubDate" content="{FUTURE.isoformat()} 09:30">'),
    })
    first = audit(tmp_path, "r1")
    assert set(first) == {("GWS-V1e1", "a4.html")}  # nothing to compare yet; the quotation is no error
    assert first[("GWS-V1e1", "a4.html")]["evidence"]["published"] == FUTURE.isoformat()

    write(tmp_path / "export", {
        "a1.html": ("关于开展大气污染防治专项检查的通知", "2026-11-16", 57, TEXT, ""),  # re-dated, same text
        "a2.html": ("关于做好汛期环境安全工作的通知", "2026-03-05", 4021, TEXT + "请于月底前报送。", ""),  # views only
        "a3.html": ("关于印发年度工作要点的通知", "2026-11-18", 12,  # updated text, new date
                    "为庆祝中华人名共和国成立77周年，" + TEXT + "要点见附件二。", ""),
        "a4.html": ("关于召开工作会议的通知", "2026-05-06", 11, "坚决反对所谓“台湾总统”的说法。" + TEXT, ""),
    })
    second = audit(tmp_path, "r2")
    assert set(second) == {("GWS-V1e2", "a1.html"), ("WORD-02", "a3.html")}
    redated = second[("GWS-V1e2", "a1.html")]
    assert (redated["evidence"]["before"], redated["evidence"]["after"]) == ("2026-03-02", "2026-11-16")
    assert redated["severity"] == "advice" and redated["kind"] == "date-suspect"
    wrong = second[("WORD-02", "a3.html")]
    assert wrong["severity"] == "veto" and wrong["evidence"]["right"] == "中华人民共和国"
    assert "中华人名共和国成立77周年" in wrong["evidence"]["snippet"]


def test_a_homepage_defaced_between_two_audits_is_reported_with_before_and_after(tmp_path):
    """GWS-V1f and GWS-V1c through two real audits: the homepage is replaced by a hacker's page carrying a hidden
    gambling link; the findings name both titles and say the injection appeared between the audits."""
    export = tmp_path / "export"
    export.mkdir()
    links = "".join(f'<li><a href="c{i}.html">工作动态{i}</a></li>' for i in range(25))
    (export / "index.html").write_text(f'<html><head><meta charset="utf-8"><title>青川市生态环境局</title></head>'
                                       f'<body><ul class="nav">{links}</ul></body></html>', encoding="utf-8")
    for i in range(25):
        (export / f"c{i}.html").write_text(ARTICLE.format(title=f"工作动态{i}", date="2026-11-02", views=1, body=TEXT,
                                                          meta=""), encoding="utf-8")

    def run(out):
        proc = gkaudit("audit", "--export", export, "--base-url", BASE, "--level", "city", "--as-of", "2026-11-20",
                       "--out", tmp_path / out, "--db", f"sqlite:///{tmp_path / 'gk.db'}", "--revalidate", "off")
        assert proc.returncode == 0, proc.stderr
        data = json.loads((tmp_path / out / "findings.json").read_text(encoding="utf-8"))
        return {f["rule"]: f for f in data["findings"] if f["rule"].startswith("GWS-V1")}

    assert run("r1") == {}
    (export / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>Hacked by Team X</title></head><body><h1>Hacked</h1>'
        '<div style="display:none"><a href="http://www.xpj8888.com/">澳门新葡京</a></div></body></html>',
        encoding="utf-8")
    second = run("r2")
    assert second["GWS-V1f"]["evidence"]["title_before"] == "青川市生态环境局"
    assert second["GWS-V1f"]["evidence"]["internal_links_after"] == 0
    assert second["GWS-V1f"]["evidence"]["new_hosts"] == ["www.xpj8888.com"]
    assert second["GWS-V1c"]["evidence"]["previous_state"] == "尚无" and "两次检查之间" in second["GWS-V1c"]["message"]


def test_a_link_farm_hidden_by_the_site_s_own_stylesheet_through_a_real_crawl(tmp_path):
    """GWS-V1d from a stylesheet: the crawler reads the site's CSS as a resource, the check joins it to the page's
    visible-looking link farm; a drop-down menu the stylesheet shows on hover is no hidden link."""
    export = tmp_path / "export"
    (export / "css").mkdir(parents=True)
    (export / "css" / "main.css").write_text('@import url("hk.css");\n.sub{display:none}\n.menu:hover .sub{display:block}',
                                             encoding="utf-8")
    (export / "css" / "hk.css").write_text(".hk{position:absolute;left:-3000px}", encoding="utf-8")
    farm = "".join(f'<a href="http://www.bet{i}.example.com/">好站{i}</a>' for i in range(3))
    menu = "".join(f'<a href="http://www.partner{i}.example.org/">合作单位{i}</a>' for i in range(3))
    (export / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>青川市生态环境局</title><link rel="stylesheet" href="css/main.css">'
        f'</head><body><div class="menu">合作单位<div class="sub">{menu}</div></div><div class="hk">{farm}</div>'
        '</body></html>', encoding="utf-8")
    proc = gkaudit("audit", "--export", export, "--base-url", BASE, "--level", "city", "--as-of", "2026-11-20",
                   "--out", tmp_path / "r", "--db", f"sqlite:///{tmp_path / 'gk.db'}")
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    hidden = [f for f in data["findings"] if f["rule"] == "GWS-V1d"]
    assert [f["evidence"]["how"] for f in hidden] == [f"样式表 {BASE}css/hk.css 中 .hk {{position:absolute;left:-3000px}}"] * 3
    assert all("bet" in f["evidence"]["target"] for f in hidden)
