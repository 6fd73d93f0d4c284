"""Score trend per site: the geometry of an inline SVG sparkline (no JavaScript, no library).

Only layout happens here: the scores are the checks' (``site["history"]`` oldest first, then this run's
``site["score"]``); a run that could not audit the site has no score and shows as a gap. The y axis is
fixed at 0–100, so two sites' sparklines can be compared by eye.
"""

from __future__ import annotations

from typing import Any

from . import labels as L

WIDTH, HEIGHT, PAD = 120, 30, 3


def _score(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return max(0.0, min(100.0, float(value)))


def trend_points(site: dict, run_id: Any = None) -> list[dict]:
    """[{run, verdict, score, current}] oldest first: the site's history, then this run."""
    points = [{"run": h.get("run"), "verdict": h.get("verdict"), "score": h.get("score"), "current": False}
              for h in site.get("history") or []]
    points.append({"run": run_id, "verdict": site.get("verdict"), "score": site.get("score"), "current": True})
    return points


def _point_text(p: dict) -> str:
    who = "本次" + (f"（批次 {p['run']}）" if p.get("run") is not None else "") if p["current"] \
        else (f"批次 {p['run']}" if p.get("run") is not None else "此前")
    if _score(p["score"]) is None:
        return f"{who}：{L.label(L.VERDICT, p.get('verdict') or 'not_tested')}"
    verdict = f"（{L.label(L.VERDICT, p['verdict'])}）" if p.get("verdict") else ""
    return f"{who}：{L.value_text(p['score'])} 分{verdict}"


def sparkline(site: dict, run_id: Any = None) -> dict:
    """Everything the template needs to draw the site's sparkline.

    ``{"width", "height", "segments": ["x,y x,y", …], "dots": [{"x", "y", "current"}],
    "gaps": [{"x", "y"}], "title": "…"}``; a segment joins consecutive scored runs.
    """
    points = trend_points(site, run_id)
    n = len(points)
    span = WIDTH - 2 * PAD
    segments: list[list[str]] = [[]]
    dots, gaps = [], []
    for i, p in enumerate(points):
        x = round(PAD + (span * i / (n - 1) if n > 1 else span / 2), 2)
        score = _score(p["score"])
        if score is None:
            gaps.append({"x": x, "y": HEIGHT - PAD})
            if segments[-1]:
                segments.append([])
            continue
        y = round(PAD + (100.0 - score) / 100.0 * (HEIGHT - 2 * PAD), 2)
        segments[-1].append(f"{x:g},{y:g}")
        dots.append({"x": x, "y": y, "current": p["current"]})
    history = "；".join(_point_text(p) for p in points)
    title = "得分趋势（0–100 分）：" + (history if n > 1 else f"暂无历史记录；{history}")
    return {"width": WIDTH, "height": HEIGHT, "segments": [" ".join(s) for s in segments if len(s) > 1],
            "dots": dots, "gaps": gaps, "title": title}
