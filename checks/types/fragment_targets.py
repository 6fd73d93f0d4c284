"""fragment_targets: a `page#fragment` link's target page has that id (or <a name>)."""
from __future__ import annotations

from datetime import date
from urllib.parse import unquote

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

# Fragments that are not element ids: the top of the page (HTML standard), client-side routes (#/news, #!/news),
# text fragments (#:~:text=).
_NOT_IDS = ("/", "!", ":~:")
MAX_IDS = 500  # the extractor keeps at most this many ids of a page: beyond, a missing one is not known missing


class FragmentTargets(CheckType):
    """Links to `page#fragment` on the site, the page's own `#fragment` links included, whose target page has no
    element with that id (or `<a name>`). Compared percent-decoded as the HTML standard does (`#a%20b` reaches
    `id="a b"`); `#top`, client-side routes (`#/…`, `#!…`) and text fragments are not ids and never reported."""

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result, seen = CheckResult(), set()
        for link in snap.links:
            frag = link.fragment
            target = snap.pages.get(link.target_url)
            if not frag or target is None or target.status != 200 or target.encoding is None:
                continue
            if frag.lower() == "top" or frag.startswith(_NOT_IDS) or (link.target_url, frag) in seen:
                continue
            ids = target.anchor_ids or []
            if len(ids) >= MAX_IDS or frag in ids or unquote(frag) in ids:
                continue
            seen.add((link.target_url, frag))
            message = f"页面内锚点「#{unquote(frag)}」在目标页面中不存在（链接文字「{link.text or ''}」）"
            result.hits.append(Hit(f"{link.target_url}#{frag}", message, {"anchor": link.text, "fragment": frag},
                                   parent_url=link.page_url))
        return result
