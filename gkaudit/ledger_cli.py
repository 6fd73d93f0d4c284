"""`gkaudit ledger`: the 整改台账 on the command line — list it (for cron and scripts), show an item's timeline,
record what the bureau says (已整改, 误报申诉), decide disputes, waive, and import a returned 整改清单.xlsx."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.console import Console

from core.as_of import resolve_as_of
from core.vocab import FINDING_KINDS, LEDGER_STATUSES, SEVERITIES, label
from core.yamlfile import ConfigError
from gkaudit.ledger_import import import_returned
from store import connect, ledger, resolve_db_url, sqlite_file
from store.db import SchemaError

console = Console(stderr=True, soft_wrap=True, highlight=False)
db_option = click.option("--db", "db_url", default=None, metavar="文件或URL",
                         help="数据库：SQLite 文件路径（如 out/demo.db），或 URL（postgresql://用户@主机/库）；"
                              "默认 GKAUDIT_DB，或当前目录的 gkaudit.db")
by_option = click.option("--by", default=None, help="操作人（记入台账）")
def stored(db_url):
    """A database to read: a SQLite file that does not exist is a mistake (a typo, or forgetting the demo's
    --db out/demo.db), not a new empty database to list nothing from."""
    path = sqlite_file(resolve_db_url(db_url))
    if path is not None and not path.exists():
        if db_url is None and not os.environ.get("GKAUDIT_DB"):
            console.print(f"[red]当前目录没有数据库 {path}[/red]（没有给 --db，也没有设置 GKAUDIT_DB）。"
                          "make demo 之后用 --db out/demo.db，例如：gkaudit runs --db out/demo.db", highlight=False)
        else:
            console.print(f"[red]数据库文件 {path} 不存在[/red]（检查 --db / GKAUDIT_DB 的路径）", highlight=False)
        sys.exit(2)
    return open_db(db_url)


def open_db(db_url):
    """The database, or exit code 2 with the upgrade command when its schema is older than this gkaudit."""
    try:
        return connect(db_url)
    except SchemaError as exc:
        console.print(f"[red]数据库结构不兼容[/red] {exc}", highlight=False)
        sys.exit(2)


LIST_COLUMNS = ("编号", "问题编号", "站点", "规则", "问题类型", "级别", "首次发现", "整改时限", "状态", "问题描述")


def _day(ctx, param, value):
    try:
        return resolve_as_of(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _fail(message: str, code: int = 2):
    console.print(f"[red]{message}[/red]")
    sys.exit(code)


def _one(engine, ref: str) -> ledger.Item:
    """The item a reference names (ledger number, or 6+ characters of its 问题编号); exit 2 otherwise."""
    if not ref.isdigit() and len(ref) < 6:
        _fail(f"问题编号至少写 6 位：{ref}")
    found = ledger.find_items(engine, ref)
    if not found:
        _fail(f"整改台账中没有问题 {ref}（gkaudit ledger list 列出全部）")
    if len(found) > 1:
        _fail(f"{ref} 对应 {len(found)} 个问题（编号 {', '.join(str(i.id) for i in found[:10])}），请写得更长或用台账编号")
    return found[0]


@click.group("ledger")
def ledger_group():
    """整改台账：每个站点每个问题一条，从发现、下发、整改、复查到销号（全过程留痕）。"""


@ledger_group.command("list")
@click.option("--site", default=None, help="只列出这个站点")
@click.option("--status", type=click.Choice(list(LEDGER_STATUSES)), default=None,
              help="只列出这个状态：" + "，".join(f"{k}={v}" for k, v in LEDGER_STATUSES.items()))
@click.option("--overdue", is_flag=True, help="只列出逾期的（超过整改时限仍未销号）")
@click.option("--as-of", "today", callback=_day, help="按哪一天判断逾期 YYYY-MM-DD（默认今天）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@db_option
def ledger_list(site, status, overdue, today, as_json, db_url):
    """列出台账：制表符分隔的纯文本（便于 cron 和脚本），或 JSON。"""
    engine = stored(db_url)
    items = ledger.list_items(engine, site=site, status=status, overdue=overdue, today=today)
    if as_json:
        click.echo(json.dumps([i.contract() for i in items], ensure_ascii=False, indent=1))
        return
    click.echo("\t".join(LIST_COLUMNS))
    for i in items:
        click.echo("\t".join([str(i.id), i.problem[:8], i.site, "、".join(i.rules), label(FINDING_KINDS, i.kind),
                              label(SEVERITIES, i.severity), str(i.first_found), str(i.deadline or ""),
                              i.status_label, " ".join(i.message.split())]))
    overdue_count = sum(i.overdue for i in items)
    console.print(f"共 {len(items)} 项" + (f"，其中逾期 {overdue_count} 项" if overdue_count else ""))


@ledger_group.command("show")
@click.argument("ref")
@click.option("--as-of", "today", callback=_day, help="按哪一天判断逾期 YYYY-MM-DD（默认今天）")
@db_option
def ledger_show(ref, today, db_url):
    """显示一个问题（台账编号或问题编号）及其全过程记录。"""
    engine = stored(db_url)
    item = ledger.get_item(engine, _one(engine, ref).id, today)
    click.echo(f"台账编号 {item.id}  问题编号 {item.problem[:8]}  站点 {item.site}\n"
               f"规则 {'、'.join(item.rules)}  {label(FINDING_KINDS, item.kind)}  {label(SEVERITIES, item.severity)}\n"
               f"问题描述 {item.message}\n问题页面 {item.url}\n"
               f"首次发现 {item.first_found}（运行 {item.first_run}）  整改时限 {item.deadline or '无'}  "
               f"状态 {item.status_label}")
    click.echo("\n过程：")
    for e in ledger.timeline(engine, item.id):
        extra = "".join(f"，{name} {e.data[key]}" for key, name in (("done", "完成时间"), ("expires", "豁免至"),
                                                                      ("source", "来自")) if e.data.get(key))
        who = f"（{e.by}）" if e.by else ""
        run = f" 运行 {e.run_id}" if e.run_id else ""
        click.echo(f"  {e.at:%Y-%m-%d %H:%M}  {e.kind_label}{who}{run}  {e.note or ''}{extra}".rstrip())


@ledger_group.command("feedback")
@click.argument("ref")
@click.option("--note", required=True, help="整改情况（做了什么）")
@by_option
@click.option("--done", callback=_day, help="完成时间 YYYY-MM-DD")
@db_option
def ledger_feedback(ref, note, by, done, db_url):
    """记录网站的反馈「已整改」并等待复查；下一次 gkaudit recheck（或 recheck --queued）复查该站点后自动销号或重新打开。"""
    engine = stored(db_url)
    item = _one(engine, ref)
    try:
        recorded = ledger.feedback(engine, item.id, note, by, done)
    except ledger.LedgerError as exc:
        _fail(str(exc))
    done_text = ("已记录整改反馈，等待复查（gkaudit serve 的复查进程或 gkaudit worker --once 会自动复查；"
                 f"也可 gkaudit recheck --site {item.site}）")
    console.print(f"问题 {item.id}（{item.problem[:8]}）：" + (done_text if recorded else "相同的反馈已记录过，未重复记录"))


@ledger_group.command("dispute")
@click.argument("ref")
@click.option("--reason", required=True, help="申诉理由（为什么是误报）")
@by_option
@db_option
def ledger_dispute(ref, reason, by, db_url):
    """误报申诉：由监管员用 gkaudit ledger decide 裁决。"""
    engine = stored(db_url)
    item = _one(engine, ref)
    try:
        ledger.dispute(engine, item.id, reason, by)
    except ledger.LedgerError as exc:
        _fail(str(exc))
    console.print(f"问题 {item.id}（{item.problem[:8]}）：已记录误报申诉，等待裁决（gkaudit ledger decide {item.id} accept|reject）")


@ledger_group.command("decide")
@click.argument("ref")
@click.argument("decision", type=click.Choice(["accept", "reject"]))
@click.option("--note", default=None, help="裁决说明")
@by_option
@db_option
def ledger_decide(ref, decision, note, by, db_url):
    """裁决误报申诉：accept（申诉成立，豁免，不再扣分）或 reject（驳回，继续整改，整改时限不变）。"""
    engine = stored(db_url)
    item = _one(engine, ref)
    try:
        ledger.decide(engine, item.id, decision == "accept", by, note)
    except ledger.LedgerError as exc:
        _fail(str(exc))
    console.print(f"问题 {item.id}（{item.problem[:8]}）：" + ("申诉成立，已豁免" if decision == "accept" else "申诉驳回，继续整改"))


@ledger_group.command("waive")
@click.argument("ref")
@click.option("--reason", required=True, help="豁免原因")
@click.option("--expires", callback=_day, help="到期日期 YYYY-MM-DD（默认长期）")
@by_option
@db_option
def ledger_waive(ref, reason, expires, by, db_url):
    """豁免一个台账问题（仍在报告中显示，但不再扣分；到期后再次发现则重新打开）。"""
    engine = stored(db_url)
    item = _one(engine, ref)
    try:
        ledger.waive(engine, item.id, reason, expires, by)
    except ledger.LedgerError as exc:
        _fail(str(exc))
    console.print(f"问题 {item.id}（{item.problem[:8]}）：已豁免" + (f"，至 {expires}" if expires else ""))


@ledger_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@by_option
@db_option
def ledger_import(path, by, db_url):
    """导入网站退回的整改清单.xlsx：按表头找「问题编号」「整改情况」「责任人」「完成时间」列，填写了整改情况的行记为已整改。
    有行无法导入时逐行说明并以退出码 1 结束（其余行照常导入）。"""
    engine = stored(db_url)
    try:
        done = import_returned(engine, Path(path), by)
    except ConfigError as exc:
        _fail(f"无法导入 {exc}")
    for problem in done.problems:
        console.print(f"[yellow]跳过[/yellow] {problem}")
    console.print(f"已导入 {done.recorded} 项整改反馈" + (f"，{done.repeated} 项此前已导入" if done.repeated else "")
                  + (f"，{done.blank} 行未填写整改情况" if done.blank else "")
                  + (f"，{len(done.problems)} 行未导入" if done.problems else ""))
    if done.problems:
        sys.exit(1)
