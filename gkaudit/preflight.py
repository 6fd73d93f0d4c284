"""Everything a command can check before it crawls, checked at once (issue 22): `prepare()` serves `gkaudit audit`,
`recheck`, `schedule run` and `gkaudit sites check`, so checking a sites file says exactly what an audit will.

What is checked (README "安全", docs/operations.md): the sites file (types and ranges of every field and of its
`crawl:` options exactly as the command-line flags take them, site ids that are safe folder names — core.sites
SITE_ID — and none that is the name of a run's own report file), rule overrides (existing rules, known parameters,
valid values), the audit date (core.as_of), and that --out is a folder this process can write into. Every
problem is reported together, each with file:line:field, as one ConfigErrors (exit code 2), before anything is
crawled or stored; only when there is none is --out created.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from checks.rule import Rule
from checks.rules import check_site_rules, load_rules
from core.as_of import as_of_problem
from core.sites import SitesFile, export_site, load_sites
from core.yamlfile import ConfigError, ConfigErrors, collect
from reports import RUN_WRITERS

COMMAND_LINE = "命令行"  # the "file" of an error about a flag
# Names a site's folder cannot take in --out: the run's own files, and the folders `recheck` writes per base run.
RESERVED_IDS = frozenset(writer.NAME.casefold() for writer in RUN_WRITERS)
RESERVED_PATTERN = re.compile(r"run-[0-9]+", re.IGNORECASE)


@dataclass
class Prepared:
    sites_file: SitesFile | None
    rules: list[Rule]


def prepare(*, rules_dir: str | Path, sites_path: str | Path | None = None, export: tuple | None = None,
            sites_file: SitesFile | None = None, out_dir: str | Path | None = None,
            as_of: date | None = None) -> Prepared:
    """Load and check the sites (a sites file, a static export `(dir, base_url, name, level)`, or one already
    loaded) and the rules; check the audit date and the --out folder; raise every problem at once."""
    errors: list[ConfigError] = []
    if sites_path is not None:
        sites_file = collect(errors, load_sites, sites_path)
    elif export is not None:
        sites_file = collect(errors, export_site, *export)
    rules = collect(errors, load_rules, rules_dir)
    if sites_file is not None:
        if rules is not None:
            collect(errors, check_site_rules, sites_file, rules)
        errors += reserved_ids(sites_file)
    if as_of is not None and (problem := as_of_problem(as_of)):
        errors.append(ConfigError(COMMAND_LINE, None, "--as-of", problem))
    if out_dir is not None:
        errors += out_dir_problems(Path(out_dir), sites_file)
    ConfigErrors.raise_all(errors)
    if out_dir is not None:
        _create(Path(out_dir))
    return Prepared(sites_file, rules or [])


def reserved_ids(sites_file: SitesFile) -> list[ConfigError]:
    """Site ids that would be a run's own file in --out (index.html, findings.json, 汇总.xlsx …) or a recheck's
    run-N folder, and ids that differ only in letter case (one folder on Windows and macOS)."""
    errors, seen = [], {}
    for site in sites_file.sites:
        folded = site.id.casefold()
        line = site.lines.get("id")
        if folded in RESERVED_IDS or RESERVED_PATTERN.fullmatch(site.id):
            errors.append(ConfigError(sites_file.path, line, "id",
                                      f"站点 id {site.id!r} 与报告文件或目录同名（保留的名称：{'、'.join(sorted(RESERVED_IDS))}、run-数字）"))
        elif folded in seen and seen[folded] != site.id:
            errors.append(ConfigError(sites_file.path, line, "id",
                                      f"站点 id {site.id!r} 与 {seen[folded]!r} 只有大小写不同（在 Windows、macOS 上是同一个目录）"))
        seen.setdefault(folded, site.id)
    return errors


def out_dir_problems(out_dir: Path, sites_file: SitesFile | None) -> list[ConfigError]:
    """--out must be a folder (existing, or creatable under its nearest existing parent) this process can write
    into, as shown by creating and removing a folder there (permission bits lie to root and on read-only mounts);
    a site's folder must not already be a file."""
    def bad(message):
        return [ConfigError(COMMAND_LINE, None, "--out", f"{out_dir}: {message}")]

    existing = out_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        return bad("不是目录" if existing == out_dir else f"{existing} 是文件，无法在其下创建输出目录")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".gkaudit-check-", dir=existing))
    except OSError as exc:
        return bad(f"无法写入（{exc.strerror or exc}）：请换一个可写的输出目录")
    if sites_file is not None and existing == out_dir:
        return [e for site in sites_file.sites if (out_dir / site.id).exists() and not (out_dir / site.id).is_dir()
                for e in bad(f"站点 {site.id} 的报告目录 {out_dir / site.id} 已是一个文件")]
    return []


def _create(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(COMMAND_LINE, None, "--out", f"{out_dir}: 无法创建输出目录（{exc.strerror or exc}）") from None
