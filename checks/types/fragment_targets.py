"""fragment_targets: a `page#fragment` link's target page has that id (or <a name>)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot


class FragmentTargets(CheckType):
    """Links to `page#fragment` on the site whose target page has no element with that id (or <a name>)."""

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result, seen = CheckResult(), set()
        for link in snap.links:
            frag = link.fragment
            target = snap.pages.get(link.target_url)
            if not frag or target is None or target.status != 200 or target.encoding is None:
                continue
            if frag in (target.anchor_ids or []) or frag.lower() in ("top", "") or (link.target_url, frag) in seen:
                continue
            seen.add((link.target_url, frag))
            result.hits.append(Hit(f"{link.target_url}#{frag}", f"页面内锚点「#{frag}」在目标页面中不存在（链接文字「{link.text or ''}」）",
                                   {"anchor": link.text, "fragment": frag}, parent_url=link.page_url))
        return result
