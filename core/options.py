"""Crawl options, each defined once: name, type, default, unit, Scrapy setting and Chinese help.

Every path a crawl option travels is derived from OPTIONS: the command-line flags (gkaudit.cli), the `crawl:`
mapping of a sites file or a scheduled job (check_crawl), the Scrapy settings of an in-process crawl
(crawler.runner), the spider arguments of Scrapyd and shared-frontier workers (strings, parsed back by
`parse`), the Scrapy defaults (crawler.settings) and what a run stores to be resumed (`run.crawl_options`).
Adding an option is one entry here.
"""
from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from core.addresses import allow_list_problem
from core.yamlfile import ConfigError, ConfigErrors


@dataclass(frozen=True)
class CrawlOption:
    name: str  # sites-file key, spider argument, key of run.crawl_options; the flag is --name-with-dashes
    type: type | tuple[str, ...]  # int, float, str, or the words allowed
    default: Any
    setting: str  # the Scrapy setting it becomes
    help: str  # Chinese, for the command line and the docs
    unit: str = ""  # of a number; a text option's kind of value (its metavar: FILE, IP[:PORT])
    minimum: float = 0
    stored: bool = True  # part of run.crawl_options (resumed with the run); False: display only
    check: Callable[[str], str | None] | None = None  # a str option's own validation: why a value is wrong
    listed: bool = False  # a str option that a sites file may also write as a YAML list (joined with ", ")
    bare: str | None = None  # the value of the flag given alone (`--ocr` is `--ocr on`)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def choices(self) -> tuple[str, ...] | None:
        return self.type if isinstance(self.type, tuple) else None

    def from_yaml(self, value: Any) -> Any:
        """YAML 1.1 reads a bare `off` / `on` as false / true: they mean the words here."""
        if isinstance(value, bool) and self.choices and ("on" if value else "off") in self.choices:
            return "on" if value else "off"
        if self.type is str and self.listed and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return ", ".join(value)  # allow_addresses: [10.1.0.0/16, 192.168.1.5]
        return value

    def problem(self, value: Any) -> str | None:
        """Why `value` (from YAML or a parsed string) is not valid for this option, or None."""
        if self.choices:
            return None if value in self.choices else f"必须是 {'/'.join(self.choices)} 之一"
        if self.type is str:
            if not isinstance(value, str):
                return "必须是文字"
            return self.check(value) if value and self.check else None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or \
                (self.type is int and value != int(value)):  # .inf and .nan are YAML numbers, not settings
            return f"必须是{'整数' if self.type is int else '有限的数字'}"
        if value < self.minimum:
            return "必须是非负数" if self.minimum == 0 else f"不能小于 {self.minimum:g}"
        return None

    def parse(self, text: Any) -> Any:
        """A value given as text (a Scrapyd or `scrapy crawl -a` argument) in its own type; ValueError if invalid."""
        if self.choices or self.type is str:
            value = str(text)
        else:
            try:
                value = self.type(float(text)) if self.type is int and float(text).is_integer() else self.type(text)
            except (TypeError, ValueError):
                raise ValueError(f"抓取设置 {self.name}={text!r} 无效：{self.problem(None)}") from None
        if problem := self.problem(value):
            raise ValueError(f"抓取设置 {self.name}={text!r} 无效：{problem}")
        return value


def nameserver_address(value: str) -> tuple[str, int]:
    """(address, port) of a nameserver given as `IP`, `IP:PORT` or `[IPv6]:PORT`; ValueError when it is none."""
    text, port = value.strip(), 53
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":") or not rest[1:].isdigit():
                raise ValueError(value)
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, number = text.partition(":")
        if not number.isdigit():
            raise ValueError(value)
        port = int(number)
    else:
        host = text
    ipaddress.ip_address(host)  # ValueError for a name: the resolver of the resolver would be needed
    if not 0 < port < 65536:
        raise ValueError(value)
    return host, port


def _ca_bundle_problem(value: str) -> str | None:
    return None if Path(value).is_file() else f"CA 证书文件 {value} 不存在"


def _nameserver_problem(value: str) -> str | None:
    try:
        nameserver_address(value)
    except ValueError:
        return "必须是 DNS 服务器的 IP 地址，可带端口（如 10.1.1.53、127.0.0.1:5353、[::1]:5353）"
    return None


OPTIONS: tuple[CrawlOption, ...] = (
    CrawlOption("max_pages", int, 2000, "GKAUDIT_MAX_PAGES", "每个站点最多抓取的网址数", "个", minimum=1),
    CrawlOption("max_depth", int, 8, "GKAUDIT_MAX_DEPTH", "最大抓取深度（首页为 0）", "层"),
    CrawlOption("delay", float, 1.0, "DOWNLOAD_DELAY", "同一主机两次请求的间隔秒数", "秒"),
    CrawlOption("timeout", float, 15.0, "DOWNLOAD_TIMEOUT", "单个请求的超时秒数（与检查指标一致）", "秒", minimum=0.1),
    CrawlOption("confirm_delay", float, 2.0, "GKAUDIT_CONFIRM_DELAY", "疑似失效的链接隔多少秒后第二次请求", "秒"),
    CrawlOption("external", ("off", "on", "sample"), "off", "GKAUDIT_EXTERNAL",
                "是否检查指向其他网站的链接：off 不检查，on 全部检查，sample 抽查 20%"),
    CrawlOption("revalidate", ("fresh", "all", "off"), "fresh", "GKAUDIT_REVALIDATE",
                "重复检查时复用同一站点上次完整检查的结果：fresh 仍新鲜的页面不再请求、其余条件请求（304 则复用），"
                "all 每个页面都条件请求，off 全部重新下载"),
    CrawlOption("documents", ("on", "off"), "on", "GKAUDIT_DOCUMENTS",
                "是否读取本站附件（PDF、XLS/XLSX、DOC/DOCX/WPS、OFD）的内容供规则检查：on 读取（在独立进程中，限时限内存），"
                "off 只检查能否下载"),
    CrawlOption("ocr", ("off", "on"), "off", "GKAUDIT_OCR",
                "是否对扫描件（无文字层的 PDF 页）做文字识别（Tesseract 中文 chi_sim，在附件解析进程中限时限内存）："
                "off 不识别（扫描件记为未检测），on 识别，置信度达到 ocr_confidence 的页供规则检查；"
                "单写 --ocr 即 on。每页约需 2–5 秒 CPU", bare="on"),
    CrawlOption("ocr_pages", int, 20, "GKAUDIT_OCR_MAX_PAGES", "文字识别时每个附件最多识别的扫描页数", "页", minimum=1),
    CrawlOption("ocr_confidence", int, 60, "GKAUDIT_OCR_MIN_CONFIDENCE",
                "文字识别结果的最低平均置信度（0–100），低于它的页仍记为扫描件、不作判断", "%"),
    CrawlOption("network", ("on", "off"), "on", "GKAUDIT_NETWORK",
                "抓取结束后检测每个站点的 HTTPS（证书、跳转、HSTS）和 IPv6（AAAA 记录、通过 IPv6 访问首页和二、三级页面）："
                "on 检测，off 不检测（相关规则记为未检测）"),
    CrawlOption("render", ("auto", "off"), "auto", "GKAUDIT_RENDER",
                "是否用无头 chromium 渲染内容由脚本生成的页面（应用根节点为空、首页底部标识由脚本生成、列表由数据接口加载）："
                "auto 只渲染这些页面（未安装 chromium 时不渲染，并在未检测项中说明），off 不渲染"),
    CrawlOption("render_pages", int, 20, "GKAUDIT_RENDER_PAGES", "每个站点最多渲染的页面数", "个"),
    CrawlOption("render_seconds", float, 120.0, "GKAUDIT_RENDER_SECONDS", "每个站点渲染页面最多用时", "秒"),
    CrawlOption("a11y", ("off", "on"), "off", "GKAUDIT_A11Y",
                "无障碍/适老化自动检测（GUIDE-12a/b）：on 在无头 chromium 中用 axe-core 检测首页和 a11y_pages 个二级页面，"
                "并检查首页弹窗遮挡（每页约 2–3 秒 CPU；需 render: auto）；off 不检测（相关规则记为未检测）。单写 --a11y 即 on",
                bare="on"),
    CrawlOption("a11y_pages", int, 3, "GKAUDIT_A11Y_PAGES",
                "a11y: on 时，除首页外再用 axe-core 做无障碍自动检测的页面数（首页上前几个本站链接指向的页面；0 只检测首页）",
                "个", minimum=0),
    CrawlOption("ca_bundle", str, "", "GKAUDIT_CA_BUNDLE",
                "验证 HTTPS 证书所用的 CA 证书文件（PEM；如政务内网自建 CA），默认用系统的 CA", "FILE",
                check=_ca_bundle_problem),
    CrawlOption("nameserver", str, "", "GKAUDIT_NAMESERVER",
                "解析站点域名（A 和 AAAA 记录）所用的 DNS 服务器，默认用系统的解析设置", "IP[:PORT]",
                check=_nameserver_problem),
    CrawlOption("allow_addresses", str, "", "GKAUDIT_ALLOW_ADDRESSES",
                "允许访问的内网地址或网段（逗号分隔，如 10.1.0.0/16, 192.168.1.5）；默认只访问公网地址和站点清单中各站点自己的地址",
                "CIDR[,CIDR]", check=allow_list_problem, listed=True),
    CrawlOption("max_links_per_page", int, 5000, "GKAUDIT_MAX_LINKS_PER_PAGE",
                "每个页面最多记录和检查的链接数（超出部分计数并在报告中说明）", "个", minimum=1),
    CrawlOption("progress", float, 10.0, "GKAUDIT_PROGRESS_INTERVAL", "进度行的间隔秒数（0 关闭）", "秒", stored=False),
)
BY_NAME = {option.name: option for option in OPTIONS}


def check_crawl(path, crawl: dict, field: str) -> dict:
    """The options of a `crawl:` mapping (a sites file's, or a scheduled job's), each a known option with a valid
    value, exactly as the command-line flag would take it; a ConfigError names file, line and field of each one
    that is not, all at once."""
    out, errors = {}, []
    for key, value in crawl.items():
        option = BY_NAME.get(key)
        line = crawl.line_of(key) if hasattr(crawl, "line_of") else None
        if option is None:
            errors.append(ConfigError(path, line, f"{field}.{key}", f"未知的抓取设置（可选: {', '.join(map(str, BY_NAME))}）"))
            continue
        value = option.from_yaml(value)
        if problem := option.problem(value):
            errors.append(ConfigError(path, line, f"{field}.{key}", f"{problem}，而不是 {value!r}"))
            continue
        out[key] = value
    ConfigErrors.raise_all(errors)
    return out


def given(options: dict) -> dict:
    """The options actually set (None means "not given": the sites file or the default decides)."""
    unknown = set(options) - set(BY_NAME)
    if unknown:
        raise ValueError(f"unknown crawl options: {sorted(unknown)}")
    return {k: v for k, v in options.items() if v is not None}


def stored(options: dict) -> dict:
    """What a run keeps of its options, to crawl with them again when resumed (display-only ones left out)."""
    return {k: v for k, v in given(options).items() if BY_NAME[k].stored}


def to_settings(options: dict) -> dict:
    """Scrapy settings for the options given."""
    return {BY_NAME[k].setting: v for k, v in given(options).items()}


def to_arguments(options: dict) -> dict[str, str]:
    """Spider arguments (Scrapyd's schedule.json, `scrapy crawl -a`) for the stored options given."""
    return {k: str(v) for k, v in stored(options).items()}


def from_arguments(arguments: dict) -> dict:
    """The options among spider arguments (strings), parsed; other arguments are left to the caller."""
    return {name: BY_NAME[name].parse(value) for name, value in arguments.items()
            if name in BY_NAME and value not in (None, "")}


def defaults() -> dict[str, Any]:
    """Scrapy setting → default, for crawler.settings."""
    return {option.setting: option.default for option in OPTIONS}
