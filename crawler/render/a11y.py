"""Automated accessibility checks of a page in chromium (GUIDE-12a, GUIDE-12b): axe-core's WCAG 2.x rules, and the
pop-ups that cover the page at first visit.

The page is opened in a fresh context as crawler/render/browser.py opens pages for rendering, but with its own
style sheets (contrast and visibility need the layout); images, media, fonts and everything outside the site are
still aborted. axe-core (crawler/render/assets/axe.min.js) is injected after the page settled. What comes back is
bounded here: the page's scripts run beside axe and are hostile.

On the homepage (keyboard=True) the keyboard is tried last: Tab through the first FOCUS_STEPS focus stops, each
looked at focused and again once focus has moved on. A stop whose element is not visible, or that looks the same
focused and unfocused (itself, its ::before/::after and its parent: outline, shadow, colours, borders, underline), has
no visible focus; focus that comes back to where it was before every focusable element was reached, and stays in
that loop after Escape, is trapped. Both come back as violations of their own ids (KEYBOARD_RULES), beside axe's.

`run(context_page, …)` → {"violations": [{"id", "impact", "wcag", "count", "examples": [{"target", "html"}]}],
"popups": [{"text", "share", "z", "width", "height", "position"}], "keyboard": {"stops", "tabbable", "frame"},
"seconds"}.
"""
from __future__ import annotations

import asyncio
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
FOCUS_STEPS = 30  # focus stops tried with Tab on the homepage (the header, navigation and first links)
KEYBOARD_SECONDS = 15.0  # the whole Tab walk at most (~0.5 s on a fixture homepage)
KEYBOARD_RULES = {"focus-visible": "wcag247", "keyboard-trap": "wcag212"}  # id → WCAG success criterion tag
NO_MOTION_CSS = "*, *::before, *::after { transition: none !important; animation: none !important; }"

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


# The element that has focus now (inside open shadow roots), described and looked at; the one that had it before is
# looked at again, unfocused: its focus indicator is whatever differs. State is kept on the window under a symbol.
FOCUS_STEP_JS = """() => {
  const K = Symbol.for('gkaudit.focus');
  const st = window[K] || (window[K] = {ids: new Map(), prev: null, prevLook: null});
  const look = (el) => {
    const parts = [];
    for (const [e, pseudo] of [[el, null], [el, '::before'], [el, '::after'], [el.parentElement, null]]) {
      if (!e) continue;
      const s = getComputedStyle(e, pseudo);
      const outline = s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0 ? 'none'
        : [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset].join(' ');
      const border = ['Top', 'Right', 'Bottom', 'Left'].map((side) => s['border' + side + 'Style'] === 'none' ? 'none'
        : [s['border' + side + 'Style'], s['border' + side + 'Width'], s['border' + side + 'Color']].join(' '));
      parts.push([outline, border.join(' '), s.boxShadow, s.backgroundColor, s.backgroundImage, s.color,
                  s.textDecorationLine, s.fontWeight, s.transform, s.opacity, s.content, s.width, s.height].join('|'));
    }
    return parts.join('#');
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width * r.height < 4 || r.right <= 0 || r.bottom <= 0) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (parseFloat(s.opacity) === 0 || s.visibility === 'hidden') return false;
      if (s.clipPath && s.clipPath.startsWith('inset(50%')) return false;
    }
    return true;
  };
  const name = (el) => {
    let t = el.tagName.toLowerCase();
    if (el.id) return t + '#' + String(el.id).slice(0, 40);
    const c = typeof el.className === 'string' ? el.className.trim().split(/\\s+/)[0] : '';
    return c ? t + '.' + c.slice(0, 40) : t;
  };
  const prevIndicator = st.prev ? look(st.prev) !== st.prevLook : null;
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    st.prev = null;
    return {id: null, prevIndicator};
  }
  const frame = /^(IFRAME|FRAME|OBJECT|EMBED)$/.test(el.tagName);
  const seen = st.ids.has(el);
  if (!seen) st.ids.set(el, st.ids.size);
  st.prev = el; st.prevLook = look(el);
  return {id: st.ids.get(el), seen, frame, visible: visible(el), prevIndicator,
          target: name(el), html: String(el.outerHTML || '').slice(0, 200)};
}"""

# Focusable elements a keyboard user can reach, visible ones only (an estimate of the page's tab order's length).
TABBABLE_JS = """() => {
  const q = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, iframe, summary, [tabindex], [contenteditable=""], [contenteditable=true]';
  let n = 0;
  for (const el of document.querySelectorAll(q)) {
    if (el.disabled || el.tabIndex < 0) continue;
    const r = el.getBoundingClientRect();
    if (r.width * r.height === 0) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    n++;
  }
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  window.scrollTo(0, 0);
  return n;
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


async def check(page, url: str, seconds: float, settle: float, keyboard: bool = False) -> dict:
    """Open url in page (a fresh page of a routed context), let it settle, measure pop-ups, then run axe, and on
    the homepage (keyboard) Tab through its first focus stops."""
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
    found = {"violations": _clean_violations(violations), "popups": popups, "axe": AXE_VERSION}
    if keyboard:  # last: its key presses may open menus, which must not change what axe and the pop-ups saw
        before = page.url
        try:
            walked, failures = await asyncio.wait_for(tab_through(page), KEYBOARD_SECONDS)
        except Exception:  # a page that navigated away or hung on a key: axe's results stand, the walk is lost
            walked, failures = {"error": "failed"}, []
        if page.url != before:  # a focus stop took the tab elsewhere: what was walked is not this page
            walked, failures = {"error": "navigated"}, []
        found["keyboard"] = walked
        found["violations"] += failures
    return found


def _stop(raw) -> dict | None:
    """One answer of FOCUS_STEP_JS, re-typed (the page's scripts run beside it)."""
    if not isinstance(raw, dict):
        return None
    prev = raw.get("prevIndicator")
    out = {"prev_indicator": prev if isinstance(prev, bool) else None, "id": raw.get("id")}
    if not isinstance(out["id"], int):
        out["id"] = None
        return out
    out.update(seen=raw.get("seen") is True, frame=raw.get("frame") is True, visible=raw.get("visible") is True,
               target=_text(raw.get("target"), MAX_SNIPPET), html=_text(raw.get("html"), MAX_SNIPPET))
    return out


async def tab_through(page, steps: int = FOCUS_STEPS) -> tuple[dict, list[dict]]:
    """Tab through the first `steps` focus stops of the page: (what was walked, violations of KEYBOARD_RULES).
    After its last stop, focus leaves the page (headless chromium has no toolbar: the document itself) and the walk
    ends; an element reached again before that, with stops the walk never reached, was sent back by a script."""
    await page.add_style_tag(content=NO_MOTION_CSS)  # a focus style that fades in is read at its end
    tabbable = await page.evaluate(TABBABLE_JS)
    tabbable = tabbable if isinstance(tabbable, int) else 0
    stops: list[dict] = []
    ids: list[int] = []
    trapped: list[dict] = []
    frame = False
    for _ in range(steps + 1):  # one more Tab: the last stop is looked at unfocused too
        await page.keyboard.press("Tab")
        step = _stop(await page.evaluate(FOCUS_STEP_JS))
        if step is None:
            break
        if stops and step["prev_indicator"] is not None and "indicator" not in stops[-1]:
            stops[-1]["indicator"] = step["prev_indicator"]
        if step["id"] is None or len(stops) >= steps:
            break  # focus left the page after its last element, or enough stops
        if step["frame"]:
            frame = True  # what has focus inside a frame is the frame's own page: not judged from here
            break
        if step["seen"]:
            if len(set(ids)) < min(tabbable, steps) and await _stays(page, set(ids[ids.index(step["id"]):])):
                cycle = ids[ids.index(step["id"]):]
                trapped = [s for s in stops if s["id"] in cycle]
            break
        stops.append(step)
        ids.append(step["id"])
    unseen = [s for s in stops if not s["visible"] or s.get("indicator") is False]
    failures = []
    if unseen:
        failures.append(_keyboard_violation("focus-visible", "serious", unseen))
    if trapped:
        failures.append(_keyboard_violation("keyboard-trap", "critical", trapped))
    return {"stops": len(stops), "tabbable": tabbable, "frame": frame}, failures


async def _stays(page, cycle: set) -> bool:
    """Focus back where it was: trapped if Escape (a dialog's way out) and three more Tabs keep it in the loop."""
    await page.keyboard.press("Escape")
    for _ in range(3):
        await page.keyboard.press("Tab")
        step = _stop(await page.evaluate(FOCUS_STEP_JS))
        if step is None or step["id"] is None or step["id"] not in cycle:
            return False
    return True


def _keyboard_violation(rule: str, impact: str, stops: list[dict]) -> dict:
    return {"id": rule, "impact": impact, "wcag": [KEYBOARD_RULES[rule]], "count": len(stops), "source": "keyboard",
            "examples": [{"target": s["target"], "html": s["html"]} for s in stops[:MAX_EXAMPLES]]}
