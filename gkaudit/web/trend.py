"""Findings of a site across its audits as an inline SVG sparkline: geometry only (no script, no style attribute,
so the Content-Security-Policy holds)."""
from __future__ import annotations

from markupsafe import Markup, escape

from store.overview import SiteRunResult

WIDTH, HEIGHT, PAD = 120, 30, 3


def findings_trend(results: list[SiteRunResult]) -> dict | None:
    """{"width", "height", "points": "x,y …", "dots": [{"x", "y"}], "title"} for results given newest first;
    None without any result. The y axis runs from 0 to the site's largest count."""
    if not results:
        return None
    ordered = list(reversed(results))
    top = max(r.findings for r in ordered) or 1
    span = WIDTH - 2 * PAD
    dots = []
    for i, r in enumerate(ordered):
        x = PAD + (span * i / (len(ordered) - 1) if len(ordered) > 1 else span / 2)
        y = PAD + (1 - r.findings / top) * (HEIGHT - 2 * PAD)
        dots.append({"x": round(x, 1), "y": round(y, 1)})
    title = "问题数趋势：" + "；".join(f"批次 {r.run_id}（{r.as_of}）{r.findings} 项" for r in ordered)
    return {"width": WIDTH, "height": HEIGHT, "points": " ".join(f"{d['x']:g},{d['y']:g}" for d in dots),
            "dots": dots, "title": title}


def sparkline(trend: dict | None) -> Markup:
    """The trend as one inline SVG element (built here, not by a template macro: a dashboard holds 150 of them)."""
    if not trend:
        return Markup("—")
    size = f'width="{trend["width"]}" height="{trend["height"]}" viewBox="0 0 {trend["width"]} {trend["height"]}"'
    dots = "".join(f'<circle cx="{d["x"]:g}" cy="{d["y"]:g}" r="2" fill="#1f5fa8"/>' for d in trend["dots"])
    return Markup(f'<svg class="trend" {size} role="img" aria-label="{escape(trend["title"])}">'
                  f'<title>{escape(trend["title"])}</title><polyline points="{escape(trend["points"])}" fill="none" '
                  f'stroke="#1f5fa8" stroke-width="1.5"/>{dots}</svg>')
