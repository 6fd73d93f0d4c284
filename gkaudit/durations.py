"""Durations as people say them: 「3 天」「1 天 6 小时」「50 分钟」, never 259200 秒."""
from __future__ import annotations

UNITS = (("天", 86400), ("小时", 3600), ("分钟", 60), ("秒", 1))


def duration_text(seconds: float) -> str:
    """The two largest non-zero units, rounded down below them (3 天; 1 天 6 小时; 45 秒; 0 秒)."""
    left = int(round(seconds))
    parts = []
    for name, size in UNITS:
        count, left = divmod(left, size)
        if count:
            parts.append(f"{count} {name}")
        if len(parts) == 2 or (parts and not count):
            break
    return " ".join(parts) or "0 秒"
