"""`gkaudit wording check FILE`: validate a wording list before an audit reads it — the shipped library, a deployment's
leader list or a province's additions (a wording file), or the `wording:` sections of a sites file.

Errors stop with file, line and field (core.yamlfile.ConfigError); what loads is summarised per category, with the
entries that only count from a date, so a list can be reviewed by whoever maintains it.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from core.sites import load_sites
from core.wording import CATEGORIES, Entry, check_entries, library, load_library, load_wording_file
from core.yamlfile import ConfigError, load_yaml


def check_file(path: str | Path) -> tuple[str, list[Entry], int]:
    """(what the file is, its entries, laws with version years). ConfigError when anything is wrong."""
    path = Path(path)
    data = load_yaml(path)
    if isinstance(data, dict) and "sites" in data:
        sites = load_sites(path).sites
        seen: dict[str, Entry] = {}
        for site in sites:
            for d in (site.settings or {}).get("wording") or []:
                entry = Entry.from_dict(d)
                seen.setdefault(f"{entry.wrong}\x1f{entry.since}", entry)
        return f"站点清单（{len(sites)} 个站点）的补充词条", list(seen.values()), 0
    if isinstance(data, dict) and ("outdated" in data or "laws" in data):
        shipped = load_library(path)
        return "词库", shipped.entries, len(shipped.laws)
    entries = load_wording_file(path)
    problems = check_entries(entries, library().entries)
    if problems:
        raise ConfigError(path, None, None, problems[0])
    return "词表文件", entries, 0


def summary(entries: list[Entry]) -> list[tuple[str, int, int]]:
    """(category, entries, entries counted only from a date) in the library's order."""
    counts = Counter(e.category for e in entries)
    dated = Counter(e.category for e in entries if e.since)
    return [(c, counts[c], dated[c]) for c in CATEGORIES if counts[c]]
