"""popup_cover: a pop-up or advertisement covers the homepage at first visit (GUIDE-12b)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from checks.types.accessibility import ERRORS, NOT_RUN


class PopupCover(CheckType):
    """In chromium (1366×768, crawler/render/a11y.py, only with rendering on), the homepage at load shows a fixed
    or absolutely positioned element covering at least `min_share` of the window (default 0.3) above the page
    (z-index ≥ `min_z_index`, default 10): a pop-up, floating advertisement or notice that older visitors and
    screen-reader users must find and close before they can use the page. A 返回顶部 button or a bottom bar smaller
    than the share is no finding. The finding gives the element's text and size."""

    def validate(self, params: dict) -> str | None:
        share = params.get("min_share", 0.3)
        if not isinstance(share, (int, float)) or not 0 < share <= 1:
            return "params.min_share 必须是 0 到 1 之间的小数"
        if not isinstance(params.get("min_z_index", 10), int):
            return "params.min_z_index 必须是整数"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        home = snap.home
        seen = (home.extra or {}).get("a11y") if home else None
        if not seen or seen.get("error"):
            why = NOT_RUN if not seen else ERRORS.get(seen["error"], seen["error"])
            return CheckResult(not_tested=[("not_browser_checked", f"首页未在浏览器中检测（{why}）")])
        share, z = rule.params.get("min_share", 0.3), rule.params.get("min_z_index", 10)
        covers = [p for p in seen.get("popups") or () if p["share"] >= share and p["z"] >= z]
        if not covers:
            return CheckResult()
        top = covers[0]
        text = f"「{top['text'][:60]}」" if top["text"] else "（无文字）"
        return CheckResult([Hit(home.url, f"首页打开时有浮层遮挡页面{text}，{top['width']}×{top['height']} 像素，"
                                          f"占窗口的 {top['share']:.0%}",
                                {"text": top["text"], "width": top["width"], "height": top["height"],
                                 "share": top["share"], "z_index": top["z"], "position": top["position"],
                                 "count": len(covers)}, locator="popup")])
