"""The serious-wording library (config/wording.yaml, WORD-02) as the crawler reads it: each category fires once per
wrong form, correct forms, quotations, drafts and historical figures do not; a province's additions and a
deployment's leader list are validated with file, line and field."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.sites import load_sites
from core.wording import CATEGORIES, library, load_wording_file
from core.yamlfile import ConfigError
from crawler.facts import extract
from crawler.facts.wording import hits, vocabulary

PAGES = Path(__file__).parent / "pages"
AS_OF = date(2026, 11, 20)


def serious(name: str, **kw) -> list[dict]:
    facts = extract((PAGES / name).read_bytes(), f"http://x.gov.cn/{name}", as_of=AS_OF, **kw)
    return [h for h in facts.term_hits if h["list"] == "serious"]


def test_each_category_fires_once_per_wrong_form_with_its_correct_form_and_source():
    found = serious("wording_serious.html")
    assert [(h["term"], h["category"]) for h in found] == [
        ("中华人名共和国", "国名/机构名称"),  # twice on the page, once here; the nav's correct name is chrome
        ("中华人民共和国固体废弃物污染环境防治法", "法律法规名称"),
        ("社会主义核心价值现", "政治性表述"),
        ("宁夏自治区", "行政区划"),
        ("《中华人民共和国环境保护法（2018年修正）》", "法律法规名称"),  # a version year the law never had
    ]
    assert found[0]["right"] == "中华人民共和国" and found[0]["source"].startswith("《中华人民共和国宪法》")
    assert "中华人名共和国成立77周年" in found[0]["snippet"]
    assert "2014年修订" in found[-1]["right"] and found[-1]["source"] == "国家法律法规数据库"


def test_correct_forms_quotations_drafts_compilations_and_unverified_years_do_not_fire():
    """Correct names, a law's real version years (修订 for 修正 and the year in force are plausible variants), a year
    after the history was verified (2029), a 法律法规汇编 title, a draft's name, 所谓“台湾总统”, 价值现已…, a statistical
    label, and an error in the footer (not content)."""
    assert serious("wording_near_miss.html") == []


def test_the_library_has_every_category_but_leaders_and_no_wrong_form_inside_a_correct_one():
    shipped = library()
    # leaders: per deployment; renamed places: their own list (WORD-03)
    assert {e.category for e in shipped.entries} == set(CATEGORIES) - {"领导人姓名职务"} | {"已变更的行政区划名称"}
    assert len(shipped.entries) >= 100 and len(shipped.laws) >= 15
    rights = {e.right for e in shipped.entries}
    assert not [e.wrong for e in shipped.entries if any(e.wrong in r for r in rights)]
    assert all(e.source and len(e.wrong) >= 3 for e in shipped.entries)
    # each wrong form is found by the one compiled pattern, and none of the correct forms is
    assert all([h["term"] for h in hits(e.wrong) if h["list"] in ("serious", "renamed")] == [e.wrong]
               for e in shipped.entries)
    assert not [h for r in sorted(rights) for h in hits(r) if h["list"] in ("serious", "renamed")]


LEADERS = """\
leaders:
  - name: 张三
    title: 厅长
    since: 2026-03-01
    wrong_titles: [副厅长]
    wrong_names: [张叁厅长]
    source: 江南省人民政府关于张三同志任职的通知（江南政任〔2026〕3号）
serious:
  国名/机构名称:
    - {wrong: 江南省人名政府, right: 江南省人民政府, source: 江南省人民政府网站}
"""


def test_a_deployments_leader_list_expands_into_entries_counted_from_the_appointment(tmp_path):
    path = tmp_path / "leaders.yaml"
    path.write_text(LEADERS, encoding="utf-8")
    entries = load_wording_file(path)
    assert {(e.wrong, e.right, e.since) for e in entries} == {
        ("张叁厅长", "张三", None), ("副厅长张三", "厅长张三", "2026-03-01"), ("张三副厅长", "张三厅长", "2026-03-01"),
        ("江南省人名政府", "江南省人民政府", None)}
    vocab = vocabulary([e.as_dict() for e in entries])
    text = "副厅长张三主持会议，原副厅长张三、时任副厅长张三的讲话，江南省人名政府。张叁厅长出席。"
    found = [(h["term"], h.get("since")) for h in hits(text, vocab) if h["list"] == "serious"]
    assert found == [("副厅长张三", "2026-03-01"), ("江南省人名政府", None), ("张叁厅长", None)]
    assert [h for h in hits(text) if h["list"] == "serious"] == []  # not in the shipped library


@pytest.mark.parametrize("text, where", [
    ("serious:\n  国名/机构名称:\n    - {wrong: 人民政府, right: 江南省人民政府, source: x}\n",
     ":3: 字段 'serious.国名/机构名称[0].wrong'"),
    ("serious:\n  人名:\n    - {wrong: 张叁厅长, right: 张三厅长, source: x}\n", ":2: 字段 'serious.人名'"),
    ("leaders:\n  - name: 张三\n    title: 厅长\n    since: 三月\n    wrong_titles: [副厅长]\n    source: x\n",
     ":4: 字段 'leaders[0].since'"),
    ("leaders:\n  - name: 张三\n    title: 副厅长\n    wrong_titles: [厅长]\n    source: x\n", ":4: 字段 'leaders[0].wrong_titles'"),
    ("serious:\n  政治性表述:\n    - {wrong: 中华人民共和国, right: 中华人民共和国国歌, source: x}\n", "包含在正确写法"),
    ("leaders:\n  - {name: 李四, wrong_names: [李肆], source: x}\n", "少于 3 个字"),
])
def test_wording_files_are_refused_with_file_line_and_field(tmp_path, text, where):
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        from gkaudit.wording_check import check_file

        check_file(path)
    assert where in str(exc.value)


SITES = """\
wording:
  include: [leaders.yaml]
sites:
  - id: a
    name: 江南省生态环境厅
    level: province
    url: http://127.0.0.2:8808/
    wording:
      serious:
        行政区划:
          - {wrong: 江南省青川县市, right: 江南省青川市, source: 江南省民政厅行政区划公告（2024）}
  - id: b
    name: 江南省青川市生态环境局
    level: city
    url: http://127.0.0.3:8808/
"""


def test_the_sites_file_carries_the_provinces_additions_to_every_site_and_a_sites_own(tmp_path):
    (tmp_path / "leaders.yaml").write_text(LEADERS, encoding="utf-8")
    (tmp_path / "sites.yaml").write_text(SITES, encoding="utf-8")
    a, b = load_sites(tmp_path / "sites.yaml").sites
    assert len(b.settings["wording"]) == 4 and len(a.settings["wording"]) == 5
    assert a.settings["wording"][-1] == {"wrong": "江南省青川县市", "right": "江南省青川市", "category": "行政区划",
                                         "source": "江南省民政厅行政区划公告（2024）"}
    found = serious("wording_serious.html", wording_terms=vocabulary(a.settings["wording"]))
    assert len(found) == 5  # the library still applies
    (tmp_path / "sites.yaml").write_text(SITES.replace("include: [leaders.yaml]", "include: [missing.yaml]"),
                                         encoding="utf-8")
    with pytest.raises(ConfigError, match="missing.yaml"):
        load_sites(tmp_path / "sites.yaml")


def test_wording_check_command(tmp_path):
    from gkaudit.cli import main

    (tmp_path / "leaders.yaml").write_text(LEADERS, encoding="utf-8")
    ok = CliRunner().invoke(main, ["wording", "check", str(tmp_path / "leaders.yaml")])
    assert ok.exit_code == 0 and "领导人姓名职务" in ok.output and "检查通过" in ok.output
    (tmp_path / "bad.yaml").write_text("leaders:\n  - {name: 李四, source: x}\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["wording", "check", str(tmp_path / "bad.yaml")])
    assert bad.exit_code == 2 and "bad.yaml:2" in bad.output
    library_ok = CliRunner().invoke(main, ["wording", "check", "config/wording.yaml"])
    assert library_ok.exit_code == 0 and "法律法规名称" in library_ok.output


def test_renamed_places_are_their_own_list_and_said_as_such_are_not_hits():
    from crawler.facts.wording import hits

    def found(text):
        return [(h["term"], h["list"]) for h in hits(text)]

    assert found("2024年襄樊市召开生态环境保护大会。") == [("襄樊市", "renamed")]
    assert found("位于闸北区的企业") == [("闸北区", "renamed")]
    for right in ("原襄樊市环保局", "襄樊市更名为襄阳市", "根据《襄樊市环境保护条例》", "襄樊市场监管", "塘沽区域",
                  "前宣武区"):
        assert found(right) == [], right


def test_a_renamed_entry_without_its_date_is_refused_with_file_line_and_field(tmp_path):
    from core.wording import load_library
    from core.yamlfile import ConfigError

    path = tmp_path / "w.yaml"
    path.write_text("outdated: []\nrenamed:\n  - {wrong: 襄樊市, right: 襄阳市, source: 国务院批复}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_library(path)
    assert "renamed[0].since" in str(e.value) and ":3" in str(e.value)
