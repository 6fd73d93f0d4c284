"""The `gkaudit` command line."""
from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from core import options as crawl_options
from core.as_of import resolve_as_of
from core.resources import REPOSITORY, RULES_DIR
from core.sites import load_sites
from core.vocab import EVIDENCE_TAGS, FINDING_KINDS, FINISH_REASONS, JOB_KINDS, ROLES, RUN_STATUSES, SEVERITIES
from core.vocab import SEVERITY_RANK, SITE_LEVEL_HINT, SITE_LEVELS, label, site_level
from core.yamlfile import ConfigError
from gkaudit import clickzh, ending
from gkaudit.durations import duration_text
from gkaudit.ledger_cli import db_option, ledger_group, open_db, stored
from store import DbUrlError, connect, ledger, resolve_db_url, sqlite_file
from store.db import SchemaError, current_revision, head_revision, upgrade
from store.runs import ResumeError, known_sites, latest_audit, latest_run, latest_runs_of, list_runs, run_as_of
from store.runs import run_site_ids
from store.tokens import add_token, list_tokens, revoke_token
from store.users import UserError, add_user, disable_user, list_users
from store.waivers import add_waiver, findings_with_prefix, list_waivers, one_problem, revoke_waiver

# The crawler, the checks, the reports and the commands' own modules are imported by the commands that use them:
# `gkaudit ledger list` or `users add` starts without loading Scrapy, the rule set and every report writer.
if TYPE_CHECKING:
    from checks.result import AuditResult, Finding
    from crawler.documents.ocr import OcrSettings

console = Console(stderr=True, soft_wrap=True)  # what happens: progress, notes, errors
# what came out: the verdict table, lists (stdout); written to a file or a pipe, wide enough for whole site names
results = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
# `gkaudit rules docs` writes the repository's docs/rules.md (a file of that name elsewhere, when installed).
RULES_DOC = REPOSITORY.parent / "docs" / "rules.md" if REPOSITORY.is_dir() else "rules.md"

rules_option = click.option("--rules", "rules_dir", default=str(RULES_DIR), type=click.Path(file_okay=False),
                            show_default=True, help="规则目录")


def _as_of(ctx, param, value):
    """The audit date, decided here once for the whole command (today when not given)."""
    try:
        return resolve_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _date_or_none(ctx, param, value):
    return _as_of(ctx, param, value) if value else None


def _level(ctx, param, value):
    """--level in the words of the sites file and the register: 省级/市级/县级/区县 or province/city/county."""
    level = site_level(value)
    if level is None:
        raise click.BadParameter(f"层级应为 {SITE_LEVEL_HINT}，而不是 {value!r}")
    return level


TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def _sites_file(ctx, param, value):
    """A register (XLSX/CSV) given where a sites file is wanted: say how to turn it into one."""
    if value and Path(value).suffix.lower() in TABLE_SUFFIXES:
        raise click.BadParameter(
            f"{value} 是台账表格，不是站点清单 YAML。先转换：gkaudit sites import {value} --out sites.yaml，"
            "再用 sites.yaml")
    return value


def _option_value(ctx, param, value):
    """A text option's own check (a nameserver address, a CA file that exists), as a flag's error."""
    problem = None if value is None else crawl_options.BY_NAME[param.name].problem(value)
    if problem:
        raise click.BadParameter(problem)
    return value


def option_flags(*names: str):
    """The command-line flags of these crawl options, derived from core.options (type, default, help, unit)."""
    def decorate(command):
        for name in reversed(names):
            option = crawl_options.BY_NAME[name]
            if option.choices:
                kind = click.Choice(option.choices)
            elif option.type is str:
                kind = click.STRING
            elif option.type is int:
                kind = click.IntRange(int(option.minimum))
            else:
                kind = click.FloatRange(option.minimum)
            if option.type is str:  # its help says what its absence means; its unit names the value
                command = click.option(option.flag, option.name, type=kind, default=None, callback=_option_value,
                                       metavar=option.unit or None, help=option.help)(command)
                continue
            default = option.default if option.choices else f"{option.default:g}{option.unit}"
            bare = {"is_flag": False, "flag_value": option.bare} if option.bare else {}
            command = click.option(option.flag, option.name, type=kind, default=None, callback=_option_value,
                                   help=f"{option.help}（默认 {default}）", **bare)(command)
        return command
    return decorate


AUDIT_OPTIONS = tuple(o.name for o in crawl_options.OPTIONS)  # every crawl option is a flag of `gkaudit audit`
# a recheck fetches a few pages (politeness and patience) and probes HTTPS and IPv6 again, as the run it rechecks did
RECHECK_OPTIONS = ("delay", "timeout", "network", "ca_bundle", "nameserver", "allow_addresses", "render", "ocr",
                   "ocr_pages", "ocr_confidence")


class Main(click.Group):
    """Every command: a database that cannot be opened or written is one clear line, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except OperationalError as exc:
            console.print(f"[red]无法打开或写入数据库[/red]（{exc.orig or exc}）。检查 --db / GKAUDIT_DB、"
                          "数据库服务是否在运行、磁盘空间是否充足。", highlight=False)
            sys.exit(2)
        except DbUrlError as exc:
            console.print(f"[red]--db / GKAUDIT_DB 有误[/red]：{exc}", highlight=False)
            sys.exit(2)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM outside a crawl
            ending.interrupted()
        except Exception as exc:  # one Chinese line; the traceback with -v
            ending.unexpected(exc)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gkaudit")
def main():
    """gkaudit：政府网站合规检查（政务公开、网站检查指标），生成整改清单。"""


@main.command()
@click.option("--sites", "sites_path", type=click.Path(dir_okay=False), callback=_sites_file, help="站点清单 YAML 文件")
@click.option("--export", "export_dir", type=click.Path(file_okay=False), help="检查磁盘上的静态站点导出目录（代替 --sites）")
@click.option("--base-url", help="静态导出对应的网站地址（与 --export 一起用）")
@click.option("--name", "site_name", help="静态导出的网站名称（默认取域名）")
@click.option("--level", "site_level", default="市级", show_default=True, callback=_level, metavar="层级",
              help=f"静态导出的网站层级：{SITE_LEVEL_HINT}")
@click.option("--as-of", callback=_as_of, help="检查基准日期 YYYY-MM-DD（默认今天）")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="报告输出目录")
@db_option
@rules_option
@option_flags(*AUDIT_OPTIONS)
@click.option("--fail-on", type=click.Choice(["veto", "deduct", "any"]), default=None,
              help="有此级别（或更严重）的问题时以退出码 1 结束（CI 用）")
@click.option("-q", "--quiet", is_flag=True, help="只输出错误（用于 cron）")
@click.option("-v", "--verbose", is_flag=True, help="显示抓取日志")
@click.option("--resume", "resume", type=int, default=None, metavar="RUN",
              help="继续一次未完成的运行（中断、被杀或数据库故障后）：沿用它的站点、基准日期和抓取设置，已抓取的页面不再抓取")
def audit(sites_path, export_dir, base_url, site_name, site_level, as_of, out_dir, db_url, rules_dir, fail_on, quiet,
          verbose, resume, **options):
    """抓取站点、检查并输出 findings.json、汇总和各站点整改清单。"""
    from crawler.runner import StoreError
    from gkaudit.audit import run_audit
    from gkaudit.pipeline import ReportError
    from gkaudit.preflight import prepare
    ending.stop_like_ctrl_c()
    if resume is not None:
        if sites_path or export_dir:
            raise click.UsageError("--resume 沿用原运行的站点，不能再给 --sites 或 --export")
    elif bool(sites_path) == bool(export_dir) or bool(export_dir) != bool(base_url):
        raise click.UsageError("请给出 --sites FILE，或者 --export DIR 加 --base-url URL（二选一），或者 --resume RUN")
    export = (export_dir, base_url, site_name, site_level) if export_dir else None  # everything checked at once:
    ready = _config(prepare, rules_dir=rules_dir, sites_path=sites_path, export=export, out_dir=out_dir,
                    as_of=None if resume is not None else as_of)  # gkaudit.preflight
    sites_file, rules = ready.sites_file, ready.rules
    info = (lambda *a, **k: None) if quiet else console.print  # --quiet: errors and warnings only
    if sites_file is not None:
        info(f"检查 {len(sites_file.sites)} 个站点，规则 {len(rules)} 条，基准日期 {as_of}", highlight=False)
    else:
        info(f"继续运行 {resume}，规则 {len(rules)} 条", highlight=False)
    if quiet:
        options["progress"] = 0
    try:
        audited = run_audit(sites_file, rules, Path(out_dir), db_url=db_url, as_of=as_of, options=options,
                            export_dir=export_dir, resume=resume, log_level="INFO" if verbose else "WARNING")
    except ResumeError as exc:
        console.print(f"[red]无法继续[/red] {exc}", highlight=False)
        sys.exit(2)
    except SchemaError as exc:
        console.print(f"[red]数据库结构不兼容[/red] {exc}", highlight=False)
        sys.exit(2)
    except StoreError as exc:
        console.print(f"[red]数据库写入失败（{exc.cause}），抓取已停止[/red]（已写入的数据保留，运行标记为未完成；修复后可用 "
                      f"gkaudit audit --resume 继续）: {exc}", highlight=False)
        sys.exit(1)
    except ReportError as exc:
        ending.report_failed(exc, out_dir, db_url)
    result, run_id = audited.result, audited.run_id
    if not quiet:
        _print_summary(result)
    rendered = audited.rendered
    info(f"用时：抓取 {audited.crawl_seconds:.1f} 秒，检查 {rendered.judge_seconds:.1f} 秒，"
         f"报告 {rendered.report_seconds:.1f} 秒", highlight=False)
    info(f"运行编号 {run_id}；报告：{Path(out_dir) / 'index.html'}；机器可读结果：{audited.files[0]}", highlight=False)
    applied = rendered.ledger
    info(f"整改台账：新登记 {applied.detected} 项，销号 {applied.closed} 项，再次出现 {applied.reopened} 项"
         f"（gkaudit ledger list{' --db ' + db_url if db_url else ''}）", highlight=False)
    if not result.run.complete:
        console.print(f"[yellow]抓取未完成（已中断），已保存的数据保留，本次运行标记为未完成。"
                      f"继续抓取：gkaudit audit --resume {run_id} --out {out_dir}{' --db ' + db_url if db_url else ''}[/yellow]", highlight=False)
        sys.exit(130)
    if fail_on and failing(result, fail_on):
        console.print(f"[red]存在 {fail_on} 级别及以上的问题（--fail-on {fail_on}）[/red]", highlight=False)
        sys.exit(1)


FAIL_ON = {"veto": "veto", "deduct": "deduct", "any": "advice"}  # --fail-on word → the least severe it counts


def failing(result: AuditResult, level: str) -> list[Finding]:
    """Findings (not waived) at or above the --fail-on level."""
    worst = SEVERITY_RANK[FAIL_ON[level]]
    return [f for f in result.findings if SEVERITY_RANK[f.severity] <= worst and f.status != "waived"]


def _print_summary(result: AuditResult) -> None:
    """The verdict table as the supervisor's summary has it: rank order (合格 above 不合格), 扣分 in points beside
    扣分项 as a count, 否决原因 named, not-tested reasons as notes (注1…) told once under the table."""
    from reports.legend import not_tested_notes, refs_text, veto_text
    colours = {"pass": "green", "fail": "red", "not_tested": "yellow"}
    sites = result.ranked()
    notes, refs = not_tested_notes(result, sites)
    table = Table(title=f"检查结果（基准日期 {result.as_of}）")
    for col in ("排名", "站点", "页面", "结论", "得分", "扣分", "否决原因", "扣分项", "提示项", "未检测"):
        table.add_column(col)
    for s in sites:
        c, colour = s.counts, colours[s.verdict]
        verdict = f"[{colour}]{s.verdict_label}[/{colour}]" if result.run.complete \
            else "[yellow]检测未完成[/yellow]"  # an interrupted crawl concludes nothing (no 合格 on half a site)
        table.add_row(str(s.rank or ""), Text(s.name), str(s.pages), verdict,
                      "" if s.score is None else f"{s.score:g}", "" if s.points_lost is None else f"{s.points_lost:g}",
                      Text(veto_text(result, s)), str(c.deduct), str(c.advice), refs_text(refs.get(s.site, [])))
    results.print(table)
    for n in notes:
        results.print(Text(f"注{n.number}：{n.text}（{n.sites} 个站点）" + (f"。{n.hint}" if n.hint else "")))


@main.command()
@click.option("--run", "run_id", type=int, default=None,
              help="复查哪次运行的问题（默认每个站点最近一次包含它的完成运行）")
@click.option("--site", "site_ids", multiple=True, help="只复查这些站点（可重复；默认最近一次全面检查的全部站点）")
@click.option("--queued", is_flag=True, help="复查整改台账中反馈已整改、等待复查的问题所在的站点")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="报告输出目录")
@db_option
@click.option("--as-of", callback=_as_of, help="复查基准日期 YYYY-MM-DD（默认今天）")
@rules_option
@option_flags(*RECHECK_OPTIONS)
def recheck(run_id, site_ids, queued, out_dir, db_url, as_of, rules_dir, **options):
    """复查：只重新抓取上次问题所在的页面，判断哪些已整改、哪些仍未整改（几秒钟，而不是全站抓取），并更新整改台账。"""
    from gkaudit.preflight import prepare
    from gkaudit.recheck import recheck as run_recheck
    ending.stop_like_ctrl_c()
    rules = _config(prepare, rules_dir=rules_dir, out_dir=out_dir, as_of=as_of).rules  # gkaudit.preflight
    engine = stored(db_url)
    groups = _recheck_bases(engine, run_id, list(site_ids), queued)
    for base, sites in groups.items():
        out = Path(out_dir) if len(groups) == 1 else Path(out_dir) / f"run-{base}"
        done = run_recheck(engine, resolve_db_url(db_url), base, sites, rules, as_of, out, options | {"progress": 0})
        result = done.rendered.result
        _print_summary(result)
        fixed = len(result.resolved)
        still = sum(1 for f in result.findings if f.status in ("open", "reopened"))
        new = sum(1 for f in result.findings if f.status == "new")
        applied = done.rendered.ledger
        console.print(f"复查运行 {done.run_id}（基于运行 {base}，站点 {', '.join(sites or [])}）：重新抓取 {done.fetched} 个网址；"
                      f"已整改 {fixed} 项，仍未整改 {still} 项，新发现 {new} 项；整改台账：销号 {applied.closed} 项，"
                      f"复查未通过 {applied.failed} 项，再次出现 {applied.reopened} 项，新登记 {applied.detected} 项；"
                      f"报告：{out / 'index.html'}", highlight=False)


def _recheck_bases(engine, run_id: int | None, site_ids: list[str], queued: bool) -> dict[int, list[str]]:
    """Run to build on → the sites rechecked from it: each site from the newest complete run holding it (a
    recheck of one site holds only that site), or all from --run. Unknown sites end the command (exit 2)."""
    if run_id is not None:
        if run_as_of(engine, run_id) is None:
            console.print(f"[red]数据库中没有运行 {run_id}[/red]", highlight=False)
            sys.exit(2)
        in_run = run_site_ids(engine, run_id)
        unknown = [s for s in site_ids if s not in in_run]
        if unknown:
            console.print(f"[red]运行 {run_id} 中没有站点 {', '.join(unknown)}[/red]（该运行的站点：{', '.join(in_run)}）",
                          highlight=False)
            sys.exit(2)
        return {run_id: site_ids or in_run}
    known = known_sites(engine)
    if not known:
        console.print("[red]数据库中没有可复查的运行[/red]（先运行 gkaudit audit）", highlight=False)
        sys.exit(2)
    if queued:
        site_ids = [s for s in ledger.queued_rechecks(engine) if s in known]
        if not site_ids:
            console.print("整改台账中没有等待复查的问题", highlight=False)
            sys.exit(0)
    unknown = [s for s in site_ids if s not in known]
    if unknown:
        console.print(f"[red]没有检查过站点 {', '.join(unknown)}[/red]（已知站点：{', '.join(known)}）", highlight=False)
        sys.exit(2)
    if not site_ids:
        audit = latest_audit(engine)
        site_ids = run_site_ids(engine, audit) if audit else known
    groups: dict[int, list[str]] = {}
    for site, base in latest_runs_of(engine, site_ids).items():
        groups.setdefault(base, []).append(site)
    return {base: sorted(sites, key=site_ids.index) for base, sites in sorted(groups.items())}


@main.command()
@click.argument("finding_id")
@click.option("--reason", required=True, help="豁免原因（显示在整改清单中）")
@click.option("--expires", callback=_date_or_none, help="到期日期 YYYY-MM-DD（默认长期）")
@db_option
def waive(finding_id, reason, expires, db_url):
    """豁免一个问题（按 findings.json 中的 id，可只写前 6 位以上）：仍在报告中显示，但不再扣分。"""
    if len(finding_id) < 6:
        console.print("[red]问题编号至少写 6 位[/red]")
        sys.exit(2)
    if expires is not None and expires < date.today():
        console.print(f"[red]到期日期 {expires} 已经过去[/red]：豁免不会生效。请给今天或以后的日期，或不写 --expires（长期豁免）",
                      highlight=False)
        sys.exit(2)
    engine = stored(db_url)
    found = findings_with_prefix(engine, finding_id)
    if not found or (len(found) > 1 and not one_problem(found, finding_id)):
        what = "没有找到" if not found else f"匹配到 {len(found)} 个问题，请写得更长"
        console.print(f"[red]{what}：{finding_id}[/red]", highlight=False)
        sys.exit(2)
    for finding in found:  # a row several rules share is waived for each of them
        add_waiver(engine, finding, reason, expires)
    for item in ledger.find_items(engine, finding_id):  # the 整改台账 records it too
        if item.status in ledger.ACTIVE:
            ledger.waive(engine, item.id, reason, expires, with_waivers=False)
    until = f"，至 {expires}" if expires else ""
    rules = "、".join(f.rule for f in found)
    console.print(f"已豁免 {found[0].site} {rules}：{found[0].message}（{reason}{until}）。"
                  "下次检查或 `gkaudit report` 生效；gkaudit waivers list 列出全部豁免。", highlight=False)


@main.group()
def waivers():
    """豁免：列出、撤销（豁免用 gkaudit waive 添加）。"""


@waivers.command("list")
@click.option("--site", default=None, help="只列出这个站点的豁免")
@db_option
def waivers_list(site, db_url):
    """列出豁免：制表符分隔的纯文本（与 gkaudit ledger list 相同），撤销时用第一列的编号。"""
    found = list_waivers(stored(db_url), site)
    if not found:
        click.echo("没有豁免" + (f"（站点 {site}）" if site else ""))
        return
    today = date.today()
    click.echo("\t".join(("编号", "站点", "规则", "问题编号", "问题", "原因", "到期", "状态", "豁免时间")))
    for w in found:
        click.echo("\t".join((str(w.id), w.site, w.rule, w.fingerprint[:8], " ".join(w.message.split()),
                              " ".join(w.reason.split()), str(w.expires) if w.expires else "长期",
                              "有效" if w.active(today) else "已过期", w.created_at.strftime("%Y-%m-%d %H:%M"))))


@waivers.command("revoke")
@click.argument("waiver_id", type=int, metavar="编号")
@click.option("--reason", default=None, help="撤销原因（记入整改台账）")
@db_option
def waivers_revoke(waiver_id, reason, db_url):
    """撤销一个豁免（编号见 gkaudit waivers list）：该问题下次检查或 gkaudit report 起重新扣分，整改台账恢复为待整改。"""
    engine = stored(db_url)
    gone = revoke_waiver(engine, waiver_id)
    if gone is None:
        console.print(f"[red]没有编号为 {waiver_id} 的豁免[/red]（gkaudit waivers list 列出全部豁免）", highlight=False)
        sys.exit(2)
    reopened = ledger.unwaive(engine, gone.fingerprint, reason or f"撤销豁免 {waiver_id}（原因：{gone.reason}）")
    items = f"；整改台账第 {'、'.join(map(str, reopened))} 项恢复为待整改" if reopened else ""
    console.print(f"已撤销豁免 {waiver_id}：{gone.site} {gone.rule}（{gone.reason}）{items}。"
                  "下次检查或 gkaudit report 生效。", highlight=False)


@main.command()
@click.option("--run", "run_id", type=int, default=None, help="运行编号（默认最近一次）")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="报告输出目录")
@db_option
@rules_option
def report(run_id, out_dir, db_url, rules_dir):
    """用当前规则和豁免重新评判一次已保存的抓取并输出报告（不重新抓取）。"""
    from checks.rules import load_rules
    from gkaudit.pipeline import judge_and_render
    rules = _config(load_rules, rules_dir)
    engine = stored(db_url)
    run_id = run_id or latest_run(engine)
    if run_id is None or run_as_of(engine, run_id) is None:
        console.print(f"[red]数据库中没有运行 {run_id or ''}[/red]", highlight=False)
        sys.exit(2)
    rendered = judge_and_render(engine, run_id, rules, Path(out_dir))
    _print_summary(rendered.result)
    console.print(f"运行编号 {run_id}；报告：{Path(out_dir) / 'index.html'}；机器可读结果：{rendered.files[0]}",
                  highlight=False)


@main.command()
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="最多列出最近几次运行")
@db_option
def runs(limit, db_url):
    """列出最近的运行：编号、开始时间、状态（未完成的可用 gkaudit audit --resume 继续）。"""
    engine = stored(db_url)  # also marks runs whose process was killed as incomplete
    table = Table("编号", "开始时间", "基准日期", "状态", "原因", "站点数", "页面数", "站点清单")
    for run in list_runs(engine, limit):
        table.add_row(str(run.id), run.started_at.strftime("%Y-%m-%d %H:%M"), str(run.as_of),
                      label(RUN_STATUSES, run.status), label(FINISH_REASONS, run.finish_reason), str(run.sites),
                      str(run.pages), run.label or "")
    results.print(table)


@main.command()
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（design.md 约定的字段；文档：格式、页数、文字层等）")
@click.option("--text", "as_text", is_flag=True, help="文档：输出提取的文字（页与页之间以换页符分隔）")
@click.option("--as-of", callback=_as_of, help="日期上限：晚于此日期的日期不作为发布日期（默认今天）")
@click.option("--ocr", is_flag=True, help="文档：对扫描页做文字识别（Tesseract 中文，最多 20 页，置信度 60% 以下的页不用），同 audit --ocr")
def inspect(target, as_json, as_text, as_of, ocr):
    """显示 gkaudit 从一个页面或附件文档（网址或本地文件）提取的事实。"""
    from crawler.documents.ocr import OcrSettings
    from crawler.documents.sandbox import detect_format
    from crawler.facts import extract
    from gkaudit.fetch import fetch
    try:
        url, body, content_type = fetch(target)
    except OSError as exc:
        console.print(f"[red]无法读取[/red] {target}: {exc}", highlight=False)
        sys.exit(2)
    if detect_format(body, url, content_type):
        _inspect_document(body, url, content_type, as_json, as_text, OcrSettings() if ocr else None)
        return
    if as_text:
        console.print(f"[red]不是文档[/red] {target}：--text 只用于附件（PDF、Office、WPS、OFD）", highlight=False)
        sys.exit(2)
    facts = extract(body, url, content_type, as_of=as_of)
    data = facts.contract()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_facts(data)


FACT_LABELS = {  # gkaudit inspect without --json: the keys of the JSON contract as a reader says them
    "url": "网址", "title": "标题", "encoding": "编码", "published": "发布日期", "published_source": "发布日期来源",
    "site_id_code": "网站标识码", "icp": "ICP 备案编号", "police_record": "公安备案号", "jiucuo_sitecode": "找错系统站点码",
    "conac": "党政机关网站标识", "column_name": "栏目名称", "links": "链接数", "format": "格式", "pages": "页数",
    "text_layer": "有文字层", "producer": "生成软件", "scanned_pages": "扫描页", "unreadable": "无法读取的原因",
    "truncated": "内容被截断", "ocr": "文字识别", "headings": "标题层级", "dates": "日期", "personal": "个人信息",
    "notice": "公示", "annual_report": "年度报告", "budget": "预决算",
}


def _fact_text(value) -> str:
    """A fact for a reader: 未找到 for nothing, 是/否, lists joined with 、; nested facts stay compact JSON."""
    if value is None or value == "" or value == [] or value == {}:
        return "未找到"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "、".join(map(str, value))
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _print_facts(data: dict) -> None:
    for key, value in data.items():
        click.echo(f"{label(FACT_LABELS, key)}：{_fact_text(value)}")


DOCUMENT_KEYS = ("format", "pages", "text_layer", "title", "producer", "scanned_pages", "links", "unreadable",
                 "truncated")


def _inspect_document(body: bytes, url: str, content_type: str | None, as_json: bool, as_text: bool,
                      ocr: OcrSettings | None = None) -> None:
    """A document goes through the bounded reader, as in an audit; its facts come from crawler.documents.facts."""
    from crawler.documents.facts import document_facts
    from crawler.documents.sandbox import read_bounded
    doc = read_bounded(body, url, content_type, ocr=ocr)
    if as_text:
        click.echo(doc.text)
        return
    data = {key: getattr(doc, key) for key in DOCUMENT_KEYS}
    if doc.ocr is not None:  # --ocr on a document with scanned pages: each page's confidence, those used
        data["ocr"] = doc.ocr
    data.update(document_facts(doc))  # the facts module decides what an unreadable document yields
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_facts(data)


@main.group()
def sites():
    """站点清单：从监管台账（XLSX/CSV）导入、检查。"""


@sites.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出的 sites.yaml")
def sites_import(source, out):
    """导入台账（列：网站名称、网址、层级、网站标识码、主管单位）为 sites.yaml。"""
    from gkaudit.site_import import convert, write_sites
    try:
        found, warnings = convert(Path(source))
        write_sites(found, Path(out))
        load_sites(out)  # what we wrote must load
    except ConfigError as exc:
        console.print(f"[red]台账错误[/red] {exc}", highlight=False)
        sys.exit(2)
    for w in warnings:
        console.print(f"[yellow]注意[/yellow] {w}", highlight=False)
    console.print(f"已导入 {len(found)} 个站点 → {out}", highlight=False)


@sites.command("check")
@click.argument("sites_path", type=click.Path(dir_okay=False), callback=_sites_file)
def sites_check(sites_path):
    """检查站点清单：与 gkaudit audit 开始抓取前的检查相同（字段类型和取值范围、站点 id、抓取设置、规则参数），以及非 .gov.cn 域名。"""
    from gkaudit.preflight import prepare
    loaded = _config(prepare, rules_dir=RULES_DIR, sites_path=sites_path).sites_file  # exactly what audit checks
    table = Table(title=f"{sites_path}：{len(loaded.sites)} 个站点")
    for col in ("id", "网站名称", "层级", "网址", "主管单位"):
        table.add_column(col)
    for s in loaded.sites:
        table.add_row(s.id, s.name, SITE_LEVELS[s.level], s.url, s.supervisor or "")
    results.print(table)
    for s in loaded.sites:
        if not s.host.endswith(".gov.cn"):
            console.print(f"[yellow]注意[/yellow] {s.id}: 域名 {s.host} 不是 .gov.cn（GUIDE-02）", highlight=False)


@main.group()
def wording():
    """严重表述错误词表（WORD-02）：检查词库、领导人姓名职务表、站点清单中的补充词条。"""


@wording.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def wording_check(path):
    """检查词表文件（格式见 docs/page-facts.md「Leader list」）：字段、类别、日期，以及会在正确写法中误报的词条。"""
    from gkaudit.wording_check import check_file as check_wording_file, summary as wording_summary
    what, entries, laws = _config(check_wording_file, path)
    table = Table(title=f"{path}：{what}，{len(entries)} 条")
    for col in ("类别", "词条", "其中自某日起生效"):
        table.add_column(col)
    for category, count, dated in wording_summary(entries):
        table.add_row(category, str(count), str(dated) if dated else "")
    if laws:
        table.add_row("法律法规名称（版本年份）", str(laws), "")
    console.print(table)
    console.print("检查通过", highlight=False)


@main.command()
@click.option("--sites", "sites_path", required=True, type=click.Path(dir_okay=False), callback=_sites_file,
              help="站点清单 YAML 文件")
@db_option
@click.option("--count", type=click.IntRange(1), default=1, show_default=True, help="每个站点采样次数")
@click.option("--interval", type=click.FloatRange(0), default=0.0, show_default=True, help="两次采样的平均间隔秒数（随机抖动 ±50%）")
@click.option("--timeout", type=click.FloatRange(0.1), default=15.0, show_default=True, help="超时秒数（检查指标为 15 秒）")
def probe(sites_path, db_url, count, interval, timeout):
    """首页可用性监测（GWS-V2）：采样并保存，供“站点无法访问”规则评判。建议每天随机时间运行 20 次以上。"""
    from gkaudit.probe import probe as run_probe
    sites_file = _config(load_sites, sites_path)
    taken = run_probe(connect(db_url), sites_file.sites, count, interval, timeout)
    table = Table(title=f"可用性监测：{len(taken)} 次采样")
    for col in ("站点", "正常", "无法访问", "被拦截"):
        table.add_column(col)
    for site in sites_file.sites:
        mine = [s for s in taken if s.site == site.id]
        table.add_row(site.name, str(sum(s.ok for s in mine)), str(sum(not s.ok and not s.blocked for s in mine)),
                      str(sum(s.blocked for s in mine)))
    results.print(table)


@main.group()
def db():
    """数据库：查看结构版本、升级（保留已有数据）。"""


@db.command("upgrade")
@db_option
def db_upgrade(db_url):
    """把数据库结构升级到当前版本（Alembic 迁移，保留数据）。"""
    url = resolve_db_url(db_url)
    path = sqlite_file(url)
    if path is not None:  # a new SQLite file in a folder not made yet (--db out/new.db)
        path.parent.mkdir(parents=True, exist_ok=True)
    before, after = upgrade(create_engine(url))
    console.print(f"数据库结构：{before or '（空）'} → {after}", highlight=False)


@db.command("current")
@db_option
def db_current(db_url):
    """显示数据库的结构版本和当前程序需要的版本。"""
    click.echo(f"数据库: {current_revision(create_engine(resolve_db_url(db_url))) or '（无版本记录）'}  程序: {head_revision()}")


@main.group()
def rules():
    """规则目录：列出规则、查看规则说明。"""


@rules.command("list")
@rules_option
def rules_list(rules_dir):
    """列出全部规则。"""
    from checks.rules import load_rules
    table = Table(caption="依据等级：" + "；".join(f"{tag} {text}" for tag, text in EVIDENCE_TAGS.items()),
                  caption_justify="left")
    for col in ("规则", "名称", "类型", "级别", "依据等级"):
        table.add_column(col)
    for r in sorted(_config(load_rules, rules_dir), key=lambda r: r.id):
        table.add_row(r.id, r.title, label(FINDING_KINDS, r.kind), SEVERITIES[r.severity], r.evidence)
    results.print(table)


@rules.command("show")
@click.argument("rule_id")
@rules_option
def rules_show(rule_id, rules_dir):
    """显示一条规则的说明、依据、参数和整改要求。"""
    from checks.rules import load_rules
    found = [r for r in _config(load_rules, rules_dir) if r.id.lower() == rule_id.lower()]
    if not found:
        console.print(f"[red]没有规则 {rule_id}[/red]（`gkaudit rules list` 列出全部规则）", highlight=False)
        sys.exit(2)
    r = found[0]
    severity = SEVERITIES[r.severity]
    if r.severity == "deduct":
        severity += f"（每项 {r.points:g} 分" + (f"，最多 {r.cap:g} 分）" if r.cap else "）")
    if r.severity == "veto" and r.min_count > 1:
        severity += f"（达到 {r.min_count} 项即单项否决，不足时为预警提示）"
    levels = "、".join(SITE_LEVELS[level] for level in r.levels)
    click.echo(f"{r.id}  {r.title}\n\n" + (f"对应要求: {r.requirement}\n" if r.requirement else "")
               + f"问题类型: {FINDING_KINDS[r.kind]} ({r.kind})\n级别: {severity}\n检查类型: {r.check}\n"
               f"参数: {json.dumps(r.params, ensure_ascii=False, default=str)}\n适用层级: {levels}\n"
               f"依据: {r.basis}\n依据等级: {r.evidence}（{label(EVIDENCE_TAGS, r.evidence)}）\n\n"
               f"为什么重要: {r.why}\n整改要求: {r.fix}\n"
               + (f"整改时限: 首次发现后 {r.deadline_days} 个工作日\n" if r.deadline_days else "")
               + (f"说明: {r.notes}\n" if r.notes else "") + f"定义位置: {r.source}")


@rules.command("docs")
@rules_option
@click.option("--out", "out_path", default=str(RULES_DOC), show_default=True, type=click.Path(dir_okay=False),
              help="输出的 Markdown 文件")
def rules_docs(rules_dir, out_path):
    """由规则文件和检查类型的说明生成规则文档（docs/rules.md；规则或检查类型改动后运行）。"""
    from checks.docs import write_rules_doc
    changed = _config(write_rules_doc, rules_dir, out_path)
    console.print(f"{'已更新' if changed else '已是最新，未改动'}：{out_path}", highlight=False)


schedule_out_option = click.option("--out", "out_dir", default="out/schedule", show_default=True,
                                   type=click.Path(file_okay=False), help="报告目录（每次运行写入 DIR/任务/时间/）")
scrapyd_option = click.option("--scrapyd", "scrapyd_url", default=None,
                              help="把抓取交给 Scrapyd（schedule.json），例如 http://127.0.0.1:6800")
schedules_option = click.option("--schedules", "schedules_path", required=True, type=click.Path(dir_okay=False),
                                help="计划文件 YAML（见 config/schedules.example.yaml）")
schedule_sites_option = click.option("--sites", "sites_path", type=click.Path(dir_okay=False), default=None,
                                     callback=_sites_file,
                                     help="站点清单 YAML（默认取计划文件中的 sites:）")


def _schedules(schedules_path, sites_path, warn=True):
    """Load a schedules file (exit code 2 on a config error) and print its warnings."""
    from gkaudit.schedules import load_schedules
    loaded = _config(load_schedules, schedules_path, sites_path)
    for warning in loaded.warnings if warn else []:
        console.print(f"[yellow]注意[/yellow] {warning}", highlight=False)
    return loaded


@main.group()
def schedule():
    """定时任务：列出计划文件中的任务，或立即运行其中一个（长期运行请用 gkaudit scheduler）。"""


@schedule.command("list")
@schedules_option
@schedule_sites_option
@click.option("--next", "count", type=click.IntRange(1, 50), default=3, show_default=True, help="显示接下来几次运行时间")
def schedule_list(schedules_path, sites_path, count):
    """列出每个任务：类型、cron、站点和接下来的运行时间。"""
    from gkaudit.schedules import next_runs
    loaded = _schedules(schedules_path, sites_path)
    click.echo(f"计划文件 {loaded.path}，站点清单 {loaded.sites_file.path}，时区 {loaded.timezone}")
    for job in loaded.jobs:
        times = [t.strftime("%Y-%m-%d %H:%M %z") for t in next_runs(job, loaded.timezone, count)]
        extra = f"，随机延后至多 {duration_text(job.jitter)}" if job.jitter else ""
        extra += f"，每次每站 {job.count} 次采样" if job.kind == "probe" else ""
        click.echo(f"\n{job.id}  {JOB_KINDS[job.kind]} ({job.kind})  cron \"{job.cron}\"  组 {job.group}{extra}")
        click.echo(f"  站点（{len(job.site_ids)}）: {', '.join(job.site_ids)}")
        click.echo(f"  下次运行: {'; '.join(times) or '无'}")
        click.echo(f"  错过后补跑宽限: {duration_text(job.misfire_grace)}")


@schedule.command("run")
@click.argument("job_id")
@schedules_option
@schedule_sites_option
@db_option
@schedule_out_option
@rules_option
@scrapyd_option
@click.option("-q", "--quiet", is_flag=True, help="只输出警告和错误")
@click.option("--child", is_flag=True, hidden=True)  # started by gkaudit scheduler, which printed the warnings
def schedule_run(job_id, schedules_path, sites_path, db_url, out_dir, rules_dir, scrapyd_url, quiet, child):
    """立即运行一个任务一次（与调度器运行它的方式相同，含站点锁）。退出码 75：所有站点都正被其他检查抓取。"""
    from gkaudit.jobs import run_job
    from gkaudit.preflight import prepare
    from gkaudit.scheduler import setup_logging
    loaded = _schedules(schedules_path, sites_path, warn=not child)
    _config(prepare, rules_dir=rules_dir, sites_file=loaded.sites_file, out_dir=out_dir)  # gkaudit.preflight
    job = loaded.job(job_id)
    if job is None:
        console.print(f"[red]计划文件中没有任务 {job_id}[/red]（可用: {', '.join(j.id for j in loaded.jobs)}）", highlight=False)
        sys.exit(2)
    setup_logging(quiet)
    ending.stop_like_ctrl_c()
    stop = None
    if scrapyd_url:  # waiting on Scrapyd: SIGINT / SIGTERM cancel its job (it stops cleanly), then we judge what was stored
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
    sys.exit(_config(lambda: run_job(loaded, job, db_url=db_url, out_dir=Path(out_dir), rules_dir=rules_dir,
                                     scrapyd_url=scrapyd_url, stop=stop)))


@main.command()
@schedules_option
@schedule_sites_option
@db_option
@schedule_out_option
@rules_option
@scrapyd_option
@click.option("-q", "--quiet", is_flag=True, help="只输出警告和错误（每次运行的开始和结果不再输出）")
def scheduler(schedules_path, sites_path, db_url, out_dir, rules_dir, scrapyd_url, quiet):
    """长期运行的调度器：按计划文件运行全面检查、更新检查和可用性监测；计划保存在数据库中，重启后继续。"""
    from checks.rules import check_site_rules, load_rules
    from gkaudit.jobs import absolute_db_url
    from gkaudit.scheduler import Context, serve, setup_logging
    loaded = _schedules(schedules_path, sites_path)
    _config(check_site_rules, loaded.sites_file, _config(load_rules, rules_dir))
    setup_logging(quiet)
    serve(Context(loaded, Path(schedules_path).resolve(), Path(loaded.sites_file.path).resolve(),
                  absolute_db_url(resolve_db_url(db_url)), Path(out_dir).resolve(), Path(rules_dir).resolve(),
                  scrapyd_url))


main.add_command(ledger_group)


@main.group()
def users():
    """网页服务（gkaudit serve）的账号：添加、列出、停用。"""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, metavar="ROLE",
              help="角色：" + "、".join(f"{k}（{v}）" for k, v in ROLES.items()))
@click.option("--display", default="", help="显示的姓名（默认同用户名）")
@click.option("--site", "sites", multiple=True, help="网站管理员负责的站点 id（可重复）")
@click.option("--supervisor", "supervisors", multiple=True, help="监管员的主管单位（与站点清单的 supervisor 相同，可重复）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（第一行），不提示")
@db_option
def users_add(name, role, display, sites, supervisors, password_stdin, db_url):
    """添加一个账号；密码从提示输入（两次）或 --password-stdin 读取，只保存 argon2 散列。"""
    if role not in ROLES:  # before asking for a password
        console.print(f"[red]未知角色 {role}[/red]（可用：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}）",
                      highlight=False)
        sys.exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码", err=True)
    try:
        account = add_user(open_db(db_url), name, role, password, display, sites, supervisors)
    except UserError as exc:
        console.print(f"[red]无法添加用户[/red] {exc}", highlight=False)
        sys.exit(2)
    scope = "、".join(sorted(account.sites | account.supervisors))
    console.print(f"已添加用户 {account.name}（{account.role_label}{'：' + scope if scope else ''}）", highlight=False)


@users.command("list")
@db_option
def users_list(db_url):
    """列出账号：用户名、姓名、角色、范围、状态。"""
    table = Table("用户名", "姓名", "角色", "范围", "状态", "创建时间")
    for u in list_users(open_db(db_url)):
        table.add_row(u.name, u.display, u.role_label, "、".join(sorted(u.sites | u.supervisors)),
                      "已停用" if u.disabled else "正常", u.created_at.strftime("%Y-%m-%d %H:%M") if u.created_at else "")
    results.print(table)


@users.command("disable")
@click.argument("name")
@db_option
def users_disable(name, db_url):
    """停用一个账号（立即结束它的所有登录会话；记录保留）。"""
    try:
        disable_user(open_db(db_url), name)
    except UserError as exc:
        console.print(f"[red]无法停用[/red] {exc}", highlight=False)
        sys.exit(2)
    console.print(f"已停用用户 {name}", highlight=False)


@users.group("token")
def users_token():
    """API 令牌（/api/v1/）：创建、列出、吊销。令牌只在创建时显示一次，数据库只保存其散列。"""


@users_token.command("add")
@click.argument("name")
@click.option("--for", "purpose", required=True, help="令牌用途（例如「门户CMS发布前检查」）")
@db_option
def users_token_add(name, purpose, db_url):
    """为用户 NAME 创建一个 API 令牌，打印到标准输出（只此一次）。"""
    try:
        info, token = add_token(open_db(db_url), name, purpose)
    except UserError as exc:
        console.print(f"[red]无法创建令牌[/red] {exc}", highlight=False)
        sys.exit(2)
    Console(stderr=True).print(f"已为用户 {info.user} 创建令牌 {info.id}（{info.name}）；请立即保存，之后不再显示：",
                               highlight=False)
    click.echo(token)


@users_token.command("list")
@click.option("--user", "user_name", default=None, help="只列出这个用户的令牌")
@db_option
def users_token_list(user_name, db_url):
    """列出令牌：编号、用户、用途、创建与最近使用时间、状态（不显示令牌本身）。"""
    table = Table("编号", "用户", "用途", "创建时间", "最近使用", "状态")
    for t in list_tokens(open_db(db_url), user_name):
        table.add_row(str(t.id), t.user, t.name, t.created_at.strftime("%Y-%m-%d %H:%M"),
                      t.last_used.strftime("%Y-%m-%d %H:%M") if t.last_used else "从未使用",
                      "已吊销" if t.revoked else "有效")
    Console(soft_wrap=True).print(table)


@users_token.command("revoke")
@click.argument("token_id", type=int)
@db_option
def users_token_revoke(token_id, db_url):
    """吊销编号为 TOKEN_ID 的令牌（立即失效）。"""
    try:
        info = revoke_token(open_db(db_url), token_id)
    except UserError as exc:
        console.print(f"[red]无法吊销[/red] {exc}", highlight=False)
        sys.exit(2)
    console.print(f"已吊销用户 {info.user} 的令牌 {info.id}（{info.name}）", highlight=False)


@main.command("remind")
@click.option("--sites", "sites_path", required=True, type=click.Path(dir_okay=False),
              help="站点清单（各站点的 contacts: 收件人，顶层 smtp: 邮件服务器设置）")
@click.option("--as-of", "today", default=None, help="按哪一天计算时限 YYYY-MM-DD（默认今天）")
@click.option("--dry-run", is_flag=True, help="只列出要发送的提醒，不发送、不记录")
@db_option
def remind_command(sites_path, today, dry_run, db_url):
    """按整改台账发送邮件提醒（供 cron 每天运行）：新下发的问题、3 个工作日内到期的问题、已逾期的问题；已发送的不再重复。"""
    from gkaudit import remind
    from gkaudit.mail import load_smtp
    try:
        day = resolve_as_of(today) if today else date.today()
    except ValueError as exc:
        console.print(f"[red]日期有误[/red] {exc}", highlight=False)
        sys.exit(2)
    sites = _config(load_sites, sites_path).sites
    settings = None if dry_run else _config(load_smtp, sites_path)
    outcome = remind.run(open_db(db_url), sites, settings, day, dry_run)
    for r in outcome.sent:
        click.echo(f"{'将发送' if dry_run else '已发送'}\t{r.site.id}\t{remind.KINDS[r.kind]}\t{len(r.items)} 项\t"
                   f"{'、'.join(r.site.contacts)}")
    for site in outcome.no_contacts:
        console.print(f"[yellow]未发送[/yellow] 站点 {site} 有待提醒的问题，但站点清单中没有 contacts（收件人）", highlight=False)
    for r, why in outcome.failed:
        console.print(f"[red]发送失败[/red] 站点 {r.site.id}（{remind.KINDS[r.kind]}）：{why}；未记录，下次运行会重试",
                      highlight=False)
    console.print(f"共{'将' if dry_run else '已'}发送 {len(outcome.sent)} 封提醒邮件", highlight=False)
    sys.exit(1 if outcome.failed else 0)


@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="监听端口")
@click.option("--forwarded-allow-ips", default=None, metavar="IPS",
              help="信任其 X-Forwarded-Proto/For 的反向代理地址（逗号分隔；默认 127.0.0.1）。经 HTTPS 代理时 Cookie 带 Secure")
@rules_option
@click.option("--worker/--no-worker", "with_worker", default=True, show_default=True,
              help="在服务中运行复查进程：网站反馈「已整改」后自动复查（--no-worker 时由 gkaudit worker 执行）")
@click.option("--worker-interval", type=click.FloatRange(1), default=60, show_default=True, metavar="秒",
              help="复查进程查看队列的间隔（新的「已整改」反馈会立即唤醒它）")
@click.option("--recheck-out", default="out/rechecks", show_default=True, type=click.Path(file_okay=False),
              help="复查报告的输出目录（每个站点、每次复查一个子目录）")
@click.option("--schedules", "schedules_path", default=None, type=click.Path(dir_okay=False),
              help="计划文件 YAML：复查页列出其中的定时任务及下次运行时间，监管员可「立即运行」（如全面检查）")
@click.option("--schedule-out", "out_dir", default="out/schedule", show_default=True, type=click.Path(file_okay=False),
              help="「立即运行」的任务的报告目录（每次运行写入 DIR/任务/时间/）")
def serve_web(db_url, host, port, forwarded_allow_ips, rules_dir, with_worker, worker_interval, recheck_out,
              schedules_path, out_dir):
    """网页服务：总览、整改台账、问题处理（已整改申请复查、误报申诉、裁决、豁免）、复查队列、检查批次、用户管理
    （账号用 gkaudit users add 创建）。"""
    import uvicorn

    from checks.rules import load_rules
    from gkaudit.web.app import create_app
    from gkaudit.worker import Worker

    engine = open_db(db_url)
    rules = _config(load_rules, rules_dir)
    if not list_users(engine):
        console.print("[yellow]注意[/yellow] 数据库中还没有用户：先运行 gkaudit users add 用户名 --role admin",
                      highlight=False)
    schedules = _schedules(schedules_path, None) if schedules_path else None
    worker = Worker(resolve_db_url(db_url), rules_dir, recheck_out, interval=worker_interval,
                    schedules=schedules_path, jobs_out=out_dir) if with_worker else None
    console.print(f"gkaudit serve：http://{host}:{port}/（Ctrl-C 停止）"
                  + (f"；复查报告写入 {recheck_out}" if worker else "；未启动复查进程"), highlight=False)
    if worker:
        worker.start()
    try:
        uvicorn.run(create_app(engine, rules, worker, schedules), host=host, port=port, proxy_headers=True,
                    forwarded_allow_ips=forwarded_allow_ips, log_level="warning")
    finally:
        if worker:
            worker.stop()


@main.command("worker")
@db_option
@rules_option
@click.option("--out", "out_dir", default="out/rechecks", show_default=True, type=click.Path(file_okay=False),
              help="复查报告的输出目录（每个站点、每次复查一个子目录）")
@click.option("--once", is_flag=True, help="只处理一轮队列后退出（供 cron 定时运行）")
@click.option("--site", "site_ids", multiple=True, help="只复查这些站点（可重复；不论是否排队、是否刚尝试过）")
@click.option("--interval", type=click.FloatRange(1), default=60, show_default=True, metavar="秒",
              help="不带 --once 时查看队列的间隔")
@click.option("--retry-minutes", type=click.FloatRange(0), default=30, show_default=True,
              help="复查未完成（站点无法访问或被拦截）的站点多久后再试")
def worker_command(db_url, rules_dir, out_dir, once, site_ids, interval, retry_minutes):
    """复查进程：逐个复查整改台账中反馈「已整改」的问题所在站点（遵守站点的抓取间隔和同一站点同时只抓取一次），
    问题随之自动销号或重新打开；站点无法访问或被拦截时问题保持「已整改待复查」，稍后再试。"""
    from checks.rules import load_rules
    from gkaudit.worker import Worker
    stored(db_url)
    _config(load_rules, rules_dir)
    worker = Worker(resolve_db_url(db_url), rules_dir, out_dir, interval=interval, retry_minutes=retry_minutes)
    only = list(site_ids) or None
    if only:
        known = known_sites(worker.engine)
        unknown = [s for s in only if s not in known]
        if unknown:
            console.print(f"[red]没有检查过站点 {', '.join(unknown)}[/red]（已知站点：{', '.join(known) or '无'}）",
                          highlight=False)
            sys.exit(2)
    if once or only:
        done = worker.run_round(only)
        for outcome in done:
            console.print(outcome.summary(), highlight=False)
        if not done:
            console.print("整改台账中没有到期需要复查的站点", highlight=False)
        worker.engine.dispose()
        sys.exit(1 if any(o.state == "error" for o in done) else 0)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    worker.start()
    console.print(f"复查进程已启动，每 {interval:g} 秒查看一次队列（Ctrl-C 停止）", highlight=False)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()


def _config(load, *args, **kwargs):
    """Run a config loader; a ConfigError (it names file, line and field) ends the command with exit code 2."""
    try:
        return load(*args, **kwargs)
    except ConfigError as exc:
        console.print(f"[red]配置错误[/red] {exc}", highlight=False)
        sys.exit(2)


clickzh.localise(main)
