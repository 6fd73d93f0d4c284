"""Every crawl option travels every path to the crawl's Scrapy settings: the command line, a sites file's
`crawl:` section, and a scheduled job handed to Scrapyd (spider arguments as strings). They are all derived from
core.options.OPTIONS, so an option cannot be forgotten on one path (as `revalidate` once was for Scrapyd)."""
from __future__ import annotations

import inspect
from datetime import date

import click
import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from core import options as crawl_options
from core.sites import Site, load_sites
from core.yamlfile import ConfigError
from crawler.runner import crawl_settings
from crawler.spiders.remote import RunSpider
from gkaudit.cli import AUDIT_OPTIONS, audit, recheck
from gkaudit.jobs import scrapyd_arguments
from gkaudit.recheck import INHERITED
from gkaudit.schedules import load_schedules
from store import connect
from store.runs import start_run

AS_OF = date(2026, 11, 20)
SITE = Site("s", "测试局", "city", "http://127.0.0.9/")


# Text options need a value of their own kind: an address, a file that exists
TEXT_VALUES = {"nameserver": "127.0.0.1:5353", "ca_bundle": __file__, "allow_addresses": "10.1.0.0/16, 192.168.1.5"}


def other_value(option: crawl_options.CrawlOption):
    """A valid value that is not the option's default, so it must travel to arrive."""
    if option.type is str:
        return TEXT_VALUES[option.name]
    if option.choices:
        return next(c for c in reversed(option.choices) if c != option.default)
    return option.type(option.default + 3) if option.type is int else option.default + 0.75


# A value for every option (derived: an option added to core.options is covered without editing this file).
GIVEN = {option.name: other_value(option) for option in crawl_options.OPTIONS}


def test_the_values_given_are_valid_and_not_the_defaults():
    for option in crawl_options.OPTIONS:
        assert option.problem(GIVEN[option.name]) is None and GIVEN[option.name] != option.default, option.name


def settings_of(options: dict) -> Settings:
    return crawl_settings([SITE], run_id=1, db_url="sqlite://", as_of=AS_OF, options=options)


def assert_arrived(settings: Settings, names) -> None:
    for name in names:
        option = crawl_options.BY_NAME[name]
        assert settings.get(option.setting) == GIVEN[name], name


def test_defaults_are_the_scrapy_settings_of_a_crawl_without_options():
    settings = settings_of({})
    for option in crawl_options.OPTIONS:
        assert settings.get(option.setting) == option.default, option.name


def test_command_line_flags_reach_the_crawl_settings():
    args = ["--sites", "sites.yaml", "--out", "out"]
    for option in crawl_options.OPTIONS:
        args += [option.flag, str(GIVEN[option.name])]
    params = audit.make_context("audit", args).params
    named = set(inspect.signature(audit.callback).parameters) - {"options"}
    assert set(params) - named == set(AUDIT_OPTIONS) == set(GIVEN)  # what `**options` of the command receives
    assert_arrived(settings_of({name: params[name] for name in AUDIT_OPTIONS}), GIVEN)


def test_command_line_refuses_a_value_outside_the_options_range():
    with pytest.raises(click.BadParameter) as err:
        audit.make_context("audit", ["--sites", "s.yaml", "--out", "o", "--max-pages", "0"])
    assert err.value.param.name == "max_pages"


def test_sites_file_crawl_section_reaches_the_crawl_settings(tmp_path):
    crawl = "\n".join(f"  {k}: {v}" for k, v in GIVEN.items())
    path = tmp_path / "sites.yaml"
    path.write_text(f"crawl:\n{crawl}\nsites:\n  - {{id: s, name: 测试局, level: city, url: 'http://127.0.0.9/'}}\n",
                    encoding="utf-8")
    assert_arrived(settings_of(load_sites(path).crawl), GIVEN)


@pytest.mark.parametrize("key, value, words", [("max_pages", 0, "不能小于 1"), ("delay", -1, "非负数"),
                                               ("max_depth", 2.5, "整数"), ("revalidate", "never", "fresh/all/off"),
                                               ("speed", 3, "未知的抓取设置"),
                                               ("nameserver", "dns.example.cn", "DNS 服务器的 IP 地址"),
                                               ("ca_bundle", "/nonexistent/ca.pem", "不存在")])
def test_sites_file_refuses_bad_options_naming_line_and_field(tmp_path, key, value, words):
    path = tmp_path / "sites.yaml"
    path.write_text(f"crawl:\n  {key}: {value}\nsites:\n  - {{id: s, name: 测试局, level: city, url: 'http://127.0.0.9/'}}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_sites(path)
    assert (err.value.line, err.value.field) == (2, f"crawl.{key}") and words in str(err.value)


def test_scheduled_job_via_scrapyd_reaches_the_spiders_settings(tmp_path):
    """schedules file `crawl:` → the job's options → Scrapyd's string arguments → the site-run spider's settings."""
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - {id: s, name: 测试局, level: city, url: 'http://127.0.0.9/'}\n", encoding="utf-8")
    stored = {k: v for k, v in GIVEN.items() if crawl_options.BY_NAME[k].stored}
    crawl = "\n".join(f"      {k}: {v}" for k, v in stored.items())
    schedules = tmp_path / "schedules.yaml"
    schedules.write_text(f"jobs:\n  - id: a\n    kind: audit\n    cron: '0 2 * * *'\n    crawl:\n{crawl}\n",
                         encoding="utf-8")
    job = load_schedules(schedules, sites).job("a")
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    run_id = start_run(connect(db), [SITE], AS_OF, None, "test")
    arguments = scrapyd_arguments(db, run_id, job.crawl)
    assert all(isinstance(v, str) for v in arguments.values())  # what schedule.json carries
    crawler = Crawler(RunSpider, Settings({"GKAUDIT_REVALIDATE": "off"}))  # "off": no previous audit to read
    spider = RunSpider.from_crawler(crawler, **{k: v for k, v in arguments.items() if k != "revalidate"})
    assert_arrived(crawler.settings, set(stored) - {"revalidate"})
    assert crawler.settings.get("GKAUDIT_AS_OF") == AS_OF.isoformat() and [s.id for s in spider.sites] == ["s"]
    # revalidate travels too: parsed back into its setting like every other option
    crawler = Crawler(RunSpider, Settings())
    RunSpider.from_crawler(crawler, **arguments)
    assert crawler.settings.get("GKAUDIT_REVALIDATE") == GIVEN["revalidate"]


def test_off_and_on_in_yaml_are_the_words_not_booleans(tmp_path):
    """YAML 1.1 reads a bare `off` as false: `external: off` must still mean off."""
    path = tmp_path / "sites.yaml"
    path.write_text("crawl:\n  external: on\n  revalidate: off\n"
                    "sites:\n  - {id: s, name: 测试局, level: city, url: 'http://127.0.0.9/'}\n", encoding="utf-8")
    assert load_sites(path).crawl == {"external": "on", "revalidate": "off"}


def test_a_bad_spider_argument_is_refused_in_chinese():
    with pytest.raises(ValueError, match="抓取设置 max_pages='many' 无效"):
        crawl_options.from_arguments({"max_pages": "many"})


def test_a_run_stores_what_resume_needs_and_not_the_display_options():
    stored = crawl_options.stored(GIVEN)
    assert set(stored) == set(GIVEN) - {"progress"} and stored["revalidate"] == GIVEN["revalidate"]


def test_ocr_alone_turns_it_on_and_a_recheck_takes_it_too():
    params = audit.make_context("audit", ["--sites", "s.yaml", "--ocr", "--out", "o"]).params
    assert params["ocr"] == "on" and params["out_dir"] == "o"
    assert audit.make_context("audit", ["--sites", "s.yaml", "--out", "o", "--ocr", "off"]).params["ocr"] == "off"
    assert audit.make_context("audit", ["--sites", "s.yaml", "--out", "o"]).params["ocr"] is None  # default: off
    assert recheck.make_context("recheck", ["--out", "o", "--ocr"]).params["ocr"] == "on" and "ocr" in INHERITED
