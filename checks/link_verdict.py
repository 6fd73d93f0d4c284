"""Link verdicts: a link target is ok, broken or unverified (never scored).

Statuses are judged by one table (core/link_status.py, README "Link verdicts"); a broken-looking answer counts
only once its second attempt confirmed it. broken also: a refused connection / unresolvable host when that host
is the site's own, a soft 404 (a 200 that says 页面不存在, or looks like the site's own answer to a URL that cannot
exist), a document whose bytes are not what its name says (HTML served as .pdf, an empty file), an address that
cannot be a URL or points to the author's own disk (file:), an external link redirected to a parking or
domain-marketplace service (config/parking.yaml: the domain lapsed, another owner holds it). unverified: blocking statuses, challenge pages,
timeouts and other transport failures, a foreign host's failure, a redirect to a non-web scheme, or a
broken-looking answer whose second attempt never happened (interrupted crawl): reported apart, never as broken.
"""
from __future__ import annotations

from functools import lru_cache

import yaml

from core.attachments import is_document
from core.link_status import needs_second_attempt, status_class
from core.resources import CONFIG_DIR
from core.urls import host, netloc
from store.models import Page

TAG_LABELS = {"a": "链接", "area": "链接", "img": "图片", "script": "脚本", "link": "样式表", "iframe": "内嵌页面",
              "frame": "框架页面", "embed": "嵌入对象", "object": "嵌入对象", "meta": "自动跳转", "css": "样式表引用",
              "source": "媒体资源", "track": "字幕文件", "video": "视频", "audio": "音频", "formaction": "表单按钮",
              "document": "附件内链接"}
ERRORS = {"refused": "连接被拒绝", "dns": "域名无法解析", "timeout": "超时", "redirect-loop": "重定向循环",
          "data-loss": "连接中断", "failed": "下载失败", "invalid-url": "链接地址无效",
          "local-file": "链接指向本机文件（file:）", "template": "链接地址是未替换的模板占位符（如 {{…}}）", "too-large": "文件超过下载上限（附件 50 MB、网页 32 MB），未下载",
          "private-address": "目标地址为内网地址，未访问",
          "unsafe-get": "疑似删除、退出等操作地址，HEAD 被拒绝后未用 GET 访问"}
BROKEN_ERRORS = {"invalid-url", "local-file", "template"}  # the address itself is wrong: no second attempt can change that
PARKED = "域名已失效，被停放或出售"  # an external link whose domain another owner now holds (config/parking.yaml)
OWN_HOST_ERRORS = {"refused", "dns"}  # broken when the host that failed is the site's own


def classify(page: Page, probe: Page | None, statuses: set[int] = frozenset()) -> tuple[str, str] | None:
    """('broken', why) or ('unverified', why) for a link target; None when it is fine or not checked (robots).
    statuses: further statuses a rule counts as broken beyond the table."""
    if page.error == "robots":
        return None
    status, error = page.status, page.error
    if error in BROKEN_ERRORS:
        return "broken", ERRORS[error]
    if error and error.startswith("redirect:"):
        return "unverified", f"重定向到非网页地址（{error[9:]}:），未检查"
    if needs_second_attempt(status, error) or status in statuses:
        if not page.confirmed:
            return "unverified", "未完成复核"
        status, error = page.confirm_status, page.confirm_error
    if error:
        if error in OWN_HOST_ERRORS and _own_host_failed(page):
            return "broken", ERRORS[error]
        return "unverified", ERRORS.get(error, error)
    if page.challenge:
        return "unverified", "反爬虫验证页"
    if status in statuses:
        return "broken", f"HTTP {status}"
    found = status_class(status)
    if found is not None:
        return found
    if page.external and (parked := _parked(page)):
        return "broken", f"{PARKED}（跳转到 {parked}）"
    if status == 200:
        if page.soft_404:
            return "broken", "HTTP 200，页面内容为“页面不存在”"
        if probe is not None and probe.status == 200 and probe.title and page.title == probe.title:
            return "broken", "HTTP 200，与本站“页面不存在”页面相同"
        if is_document(page.url):
            if page.content_type and "html" in page.content_type.lower():
                return "broken", "附件地址返回的是网页（HTML），不是附件"
            if page.length == 0:
                return "broken", "附件为空文件"
    return None


def _own_host_failed(page: Page) -> bool:
    """The host that failed decides: the site's own (the link's host, not left by a redirect), not a foreign one."""
    return not page.external and netloc(page.final_url or page.url) == netloc(page.url)


@lru_cache(maxsize=1)
def _parking_hosts() -> tuple[str, ...]:
    data = yaml.safe_load((CONFIG_DIR / "parking.yaml").read_text(encoding="utf-8")) or {}
    return tuple(str(h).lower() for h in data.get("parking_hosts") or ())


def _parked(page: Page) -> str | None:
    """The parking service an external link was redirected to (not one it links on purpose), or None."""
    if not page.final_url or page.final_url == page.url:
        return None
    start, end = host(page.url), host(page.final_url)
    for suffix in _parking_hosts():
        if (end == suffix or end.endswith("." + suffix)) and not (start == suffix or start.endswith("." + suffix)):
            return end
    return None
