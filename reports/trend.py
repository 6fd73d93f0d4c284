"""Score trend per site: the geometry of an inline SVG sparkline (no JavaScript, no library).

Only layout happens here: the scores are the checks' (``site.history`` oldest first, then this run's
``site.score``); a run that could not audit the site has no score and shows as a gap. The y axis is
fixed at 0–100, so two sites' sparklines can be compared by eye.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks.result import SiteVerdict
from core.vocab import VERDICTS, label

from . import labels as L

WIDTH, HEIGHT, PAD = 120, 30, 3


@dataclass(frozen=True)
class Point:
    run: int | None
    verdict: str
    score: float | None
    current: bool  # this run


def _score(value: float | None) -> float | None:
    return None if value is None else max(0.0, min(100.0, float(value)))


def trend_points(site: SiteVerdict, run_id: int | None = None) -> list[Point]:
    """Oldest first: the site's history, then this run."""
    return [Point(h.run, h.verdict, h.score, False) for h in site.history] + [
        Point(run_id, site.verdict, site.score, True)]


def _point_text(p: Point) -> str:
    who = "本次" + (f"（批次 {p.run}）" if p.run is not None else "") if p.current \
        else (f"批次 {p.run}" if p.run is not None else "此前")
    if _score(p.score) is None:
        return f"{who}：{label(VERDICTS, p.verdict or 'not_tested')}"
    verdict = f"（{label(VERDICTS, p.verdict)}）" if p.verdict else ""
    return f"{who}：{L.value_text(p.score)} 分{verdict}"


def sparkline(site: SiteVerdict, run_id: int | None = None) -> dict[str, Any]:
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
        score = _score(p.score)
        if score is None:
            gaps.append({"x": x, "y": HEIGHT - PAD})
            if segments[-1]:
                segments.append([])
            continue
        y = round(PAD + (100.0 - score) / 100.0 * (HEIGHT - 2 * PAD), 2)
        segments[-1].append(f"{x:g},{y:g}")
        dots.append({"x": x, "y": y, "current": p.current})
    history = "；".join(_point_text(p) for p in points)
    title = "得分趋势（0–100 分）：" + (history if n > 1 else f"暂无历史记录；{history}")
    return {"width": WIDTH, "height": HEIGHT, "segments": [" ".join(s) for s in segments if len(s) > 1],
            "dots": dots, "gaps": gaps, "title": title}
