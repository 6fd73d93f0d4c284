"""Automated accessibility checks of a page in chromium (GUIDE-12a, GUIDE-12b): axe-core's WCAG 2.x rules, and the
pop-ups that cover the page at first visit.

The page is opened in a fresh context as crawler/render/browser.py opens pages for rendering, but with its own
style sheets (contrast and visibility need the layout); images, media, fonts and everything outside the site are
still aborted. axe-core (crawler/render/assets/axe.min.js) is injected after the page settled. What comes back is
bounded here: the page's scripts run beside axe and are hostile.

`run(context_page, …)` → {"violations": [{"id", "impact", "wcag", "count", "examples": [{"target", "html"}]}],
"popups": [{"text", "share", "z", "width", "height", "position"}], "seconds"}.
"""
from __future__ import annotations

from importlib.resources import files

AXE_VERSION = "4.14.1"
VIEWPORT = {"width": 1366, "height": 768}  # the commonest desktop screen of the audited sites' visitors
MAX_RULES = 60
MAX_EXAMPLES = 3
MAX_SNIPPET = 200
MAX_POPUPS = 5
MIN_SHARE = 0.2  # recorded from this share of the viewport; the rule's min_share decides what is a finding
SKIPPED_TYPES = {"image", "media", "font"}
LOAD_SECONDS = 8.0

_axe_source: str | None = None


def axe_source() -> str:
    global _axe_source
    if _axe_source is None:
        # through importlib.resources: a zipped Scrapyd egg has no file path (pyproject's package-data ships it)
        _axe_source = files("crawler.render").joinpath("assets/axe.min.js").read_text(encoding="utf-8")
    return _axe_source


# Elements fixed or absolute, visible, covering at least MIN_SHARE of the viewport at load (the largest first).
POPUPS_JS = """(minShare) => {
  const vw = window.innerWidth, vh = window.innerHeight, found = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    const s = getComputedStyle(el);
    if (s.position !== 'fixed' && s.position !== 'absolute') continue;
    if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) continue;
    const r = el.getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0));
    const h = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    const share = (w * h) / (vw * vh);
    if (share < minShare) continue;
    const z = parseInt(s.zIndex, 10);
    found.push({text: (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 120), share: Math.round(share * 1000) / 1000,
                z: isNaN(z) ? 0 : z, width: Math.round(w), height: Math.round(h), position: s.position,
                tag: el.tagName.toLowerCase(), id: String(el.id || '').slice(0, 60)});
  }
  return found.sort((a, b) => b.share - a.share).slice(0, 20);
}"""

AXE_JS = """async () => {
  if (!window.axe || !window.axe.run) return null;
  const result = await window.axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                                resultTypes: ['violations']});
  return result.violations.map(v => ({id: String(v.id), impact: String(v.impact || ''),
    wcag: (v.tags || []).filter(t => /^wcag\\d+$/.test(t)).map(String), count: v.nodes.length,
    examples: v.nodes.slice(0, 3).map(n => ({target: String((n.target || []).join(' ')).slice(0, 200),
                                              html: String(n.html || '').slice(0, 200)}))}));
}"""


def _text(value, limit: int) -> str:
    return str(value if value is not None else "")[:limit]


def _clean_violations(raw) -> list[dict]:
    """axe's answer, re-typed and bounded: a page may have replaced window.axe with anything."""
    out = []
    for v in (raw if isinstance(raw, list) else [])[:MAX_RULES]:
        if not isinstance(v, dict):
            continue
        examples = [{"target": _text(e.get("target"), MAX_SNIPPET), "html": _text(e.get("html"), MAX_SNIPPET)}
                    for e in (v.get("examples") or [])[:MAX_EXAMPLES] if isinstance(e, dict)]
        count = v.get("count")
        out.append({"id": _text(v.get("id"), 60), "impact": _text(v.get("impact"), 20),
                    "wcag": [_text(t, 20) for t in (v.get("wcag") or [])[:6]],
                    "count": count if isinstance(count, int) and count >= 0 else len(examples),
                    "examples": examples})
    return out


def _clean_popups(raw) -> list[dict]:
    out = []
    for p in (raw if isinstance(raw, list) else [])[:MAX_POPUPS]:
        if not isinstance(p, dict):
            continue
        try:
            out.append({"text": _text(p.get("text"), 120), "share": float(p.get("share") or 0),
                        "z": int(p.get("z") or 0), "width": int(p.get("width") or 0),
                        "height": int(p.get("height") or 0), "position": _text(p.get("position"), 10),
                        "tag": _text(p.get("tag"), 20), "id": _text(p.get("id"), 60)})
        except (TypeError, ValueError):
            continue
    return out


async def check(page, url: str, seconds: float, settle: float) -> dict:
    """Open url in page (a fresh page of a routed context), let it settle, measure pop-ups, then run axe."""
    # parsed, then up to LOAD_SECONDS for its style sheets and scripts: a resource that never answers (a hung
    # server) must not cost the page its check
    response = await page.goto(url, wait_until="domcontentloaded", timeout=seconds * 1000)
    if response is not None and response.status != 200:
        return {"error": "status"}
    if response is not None and "html" not in (response.headers.get("content-type") or "html"):
        return {"error": "not-html"}
    for state, wait in (("load", LOAD_SECONDS), ("networkidle", settle)):
        try:
            await page.wait_for_load_state(state, timeout=wait * 1000)
        except Exception:  # still fetching: judge what is shown
            pass
    popups = _clean_popups(await page.evaluate(POPUPS_JS, MIN_SHARE))
    await page.add_script_tag(content=axe_source())
    violations = await page.evaluate(AXE_JS)
    if violations is None:
        return {"error": "failed", "popups": popups}
    return {"violations": _clean_violations(violations), "popups": popups, "axe": AXE_VERSION}
