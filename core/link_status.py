"""What an HTTP answer to a link means, one table for the whole project (README "Link verdicts").

The crawler asks again later for every answer that would make a link broken (a second attempt), and
checks/link_verdict.py judges the final answer with the same table: a status is never ok by omission.
"""
from __future__ import annotations

from core.vocab import BLOCKING_STATUSES

# Classes of answers: verdict, and the Chinese reason an unverified one is counted under ("" = "HTTP n").
MISSING = ("broken", "")  # the target is not there: every visitor gets the same answer
INVALID = ("broken", "")  # the link's address itself is wrong (malformed, too long)
REFUSED = ("broken", "")  # the server refuses every visitor the page (method, legal block)
SERVER = ("broken", "")  # a server error that persists on the second attempt
REQUEST = ("unverified", "服务器不接受本次请求方式")  # depends on what our client sent, not on the target
STATE = ("unverified", "服务器状态冲突")  # a passing state of the server (conflict, lock)
NOT_FOLLOWED = ("unverified", "跳转未完成")  # a 1xx/3xx as final answer: no usable Location
UNKNOWN = ("unverified", "非标准状态码")

# status → class. Blocking statuses (core/vocab.py) are unverified with their own label.
STATUS_CLASSES = {
    404: MISSING, 410: MISSING,
    400: INVALID, 414: INVALID,
    405: REFUSED, 451: REFUSED,
    406: REQUEST, 408: REQUEST, 411: REQUEST, 413: REQUEST, 415: REQUEST, 416: REQUEST, 417: REQUEST,
    421: REQUEST, 422: REQUEST, 426: REQUEST, 428: REQUEST, 431: REQUEST,
    409: STATE, 423: STATE, 424: STATE, 425: STATE,
}
BLOCKING_EXTRA = {402: "需要付费", 407: "需要代理认证", 418: "反爬虫拦截"}  # access restricted like 401/403
# Transport errors that get a second attempt (a refused connection or unknown host may be passing).
CONFIRM_ERRORS = {"refused", "dns", "data-loss", "failed"}


def _class(status: int) -> tuple[str, str]:
    if status in STATUS_CLASSES:
        return STATUS_CLASSES[status]
    if 500 <= status <= 599:
        return SERVER
    return NOT_FOLLOWED if status < 400 else UNKNOWN


def status_class(status: int | None) -> tuple[str, str] | None:
    """(verdict, Chinese reason) of an HTTP status: None for 2xx (judged on its content) and for no status."""
    if status is None or 200 <= status < 300:
        return None
    blocking = BLOCKING_STATUSES.get(status) or BLOCKING_EXTRA.get(status)
    if blocking:
        return "unverified", blocking
    verdict, why = _class(status)
    return verdict, f"{why}（HTTP {status}）" if why else f"HTTP {status}"


def needs_second_attempt(status: int | None, error: str | None) -> bool:
    """An answer that would make the link broken is asked again later before it counts."""
    found = status_class(status)
    return (found is not None and found[0] == "broken") or error in CONFIRM_ERRORS
