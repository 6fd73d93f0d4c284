"""availability: the share of failed homepage probes over the monitoring window (GWS-V2)."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot


class Availability(CheckType):
    """Fail when failures ÷ verifiable probes ≥ max_fail_ratio, given enough probes on every day of the window.

    Blocked probes (challenge pages, 403 …) are neither up nor down: they are left out of the ratio.
    """

    def validate(self, params):
        for key in ("window_days", "min_per_day"):
            if not isinstance(params.get(key), int) or params[key] <= 0:
                return f"params.{key} 必须是正整数"
        ratio = params.get("max_fail_ratio")
        return None if isinstance(ratio, float) and 0 < ratio < 1 else "params.max_fail_ratio 必须是 0 到 1 之间的小数"

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        p = rule.params
        start = as_of - timedelta(days=p["window_days"] - 1)
        samples = [s for s in snap.probes if start <= s.at.date() <= as_of]
        per_day = Counter(s.at.date() for s in samples)
        short = [start + timedelta(days=i) for i in range(p["window_days"])
                 if per_day.get(start + timedelta(days=i), 0) < p["min_per_day"]]
        if short:
            return CheckResult(not_tested=[("probes", f"监测样本不足：需要 {p['window_days']} 天每天至少 {p['min_per_day']} 次，"
                                                      f"有 {len(short)} 天不足（共 {len(samples)} 次）")])
        verifiable = [s for s in samples if not s.blocked]
        failures = [s for s in verifiable if not s.ok]
        ratio = len(failures) / len(verifiable) if verifiable else 0.0
        if not verifiable:
            return CheckResult(not_tested=[("blocked", f"{len(samples)} 次监测均被反爬虫拦截")])
        if ratio < p["max_fail_ratio"]:
            return CheckResult()
        return CheckResult([Hit(
            snap.site.url,
            f"首页监测 {len(verifiable)} 次，{len(failures)} 次无法在 {p.get('timeout', 15)} 秒内打开，"
            f"不可访问比例 {ratio:.1%}（达到 {p['max_fail_ratio']:.0%} 即单项否决）",
            {"probes": len(verifiable), "failures": len(failures), "ratio": round(ratio, 4), "blocked": len(samples) - len(verifiable),
             "examples": [f"{s.at.isoformat(timespec='minutes')} {s.error or s.status}" for s in failures[:5]]},
            locator="availability",
        )])
