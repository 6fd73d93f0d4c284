"""Link verdicts: a link target is ok, broken or unverified (never scored).

broken: 404/410, a 5xx or a refused connection / unresolvable own host that a second attempt confirmed, a soft 404
(a 200 that says 页面不存在, or looks like the site's own answer to a URL that cannot exist), a document whose
bytes are not what its name says (HTML served as .pdf, an empty file).
unverified: 401/403/412/429/521, challenge pages, timeouts and other transport failures, or a broken-looking
answer whose second attempt never happened (interrupted crawl): reported apart, never as broken.
"""
from __future__ import annotations

from core.attachments import is_document
from core.vocab import BLOCKING_STATUSES
from store.models import Page

TAG_LABELS = {"a": "链接", "area": "链接", "img": "图片", "script": "脚本", "link": "样式表", "iframe": "内嵌页面",
              "embed": "嵌入对象", "object": "嵌入对象"}
ERRORS = {"refused": "连接被拒绝", "dns": "域名无法解析", "timeout": "超时", "redirect-loop": "重定向循环",
          "data-loss": "连接中断", "failed": "下载失败"}


def classify(page: Page, probe: Page | None, statuses: set[int]) -> tuple[str, str] | None:
    """('broken', why) or ('unverified', why) for a link target; None when it is fine or not checked (robots)."""
    if page.error == "robots":
        return None
    status, error = page.status, page.error
    looks_broken = status in statuses or (status or 0) >= 500 or error in ("refused", "dns")
    if looks_broken:
        if not page.confirmed:
            return "unverified", "未完成复核"
        status, error = page.confirm_status, page.confirm_error
    if error:
        if error in ("refused", "dns") and not page.external:
            return "broken", ERRORS[error]
        return "unverified", ERRORS.get(error, error)
    if page.challenge or status in BLOCKING_STATUSES:
        return "unverified", BLOCKING_STATUSES.get(status, "反爬虫验证") if not page.challenge else "反爬虫验证页"
    if status in statuses or (status or 0) >= 500:
        return "broken", f"HTTP {status}"
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
