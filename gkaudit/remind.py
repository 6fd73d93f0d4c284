"""gkaudit remind (for cron): e-mail each site's contacts (sites file `contacts:`) what the ledger asks of them —
the list when an audit opens items, a digest 3 working days before deadlines, and one when a deadline has passed.

Each reminder sent is recorded as a ledger `reminded` event (data.kind), so running it again sends nothing twice; a
reopened item is announced again. A mail the server refused records nothing, so the next run tries again.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import date

from core.sites import Site
from core.vocab import SEVERITIES, label
from core.workdays import add_workdays
from gkaudit.mail import SmtpSettings, send
from store import ledger

DUE_SOON_WORKDAYS = 3
KINDS = {"opened": "新下发整改问题", "due_soon": f"整改时限将至（{DUE_SOON_WORKDAYS} 个工作日内）", "overdue": "已超过整改时限"}
WAITING = ("open",)  # what the bureau still has to act on (a reported or disputed item waits for us)
BY = "gkaudit remind"


@dataclass(frozen=True)
class Reminder:
    site: Site
    kind: str  # KINDS
    items: tuple[ledger.Item, ...]


@dataclass
class Outcome:
    sent: list[Reminder]
    failed: list[tuple[Reminder, str]]
    no_contacts: list[str]  # sites with something to send and no contacts: in the sites file


def due(item: ledger.Item, today: date) -> str | None:
    """The deadline reminder an item is due on `today`: overdue, due_soon, or None."""
    if item.status not in WAITING or item.deadline is None:
        return None
    if item.deadline < today:
        return "overdue"
    return "due_soon" if item.deadline <= add_workdays(today, DUE_SOON_WORKDAYS) else None


def plan(engine, sites: list[Site], today: date) -> list[Reminder]:
    """Every reminder not sent yet, one per site and kind, items by deadline."""
    out = []
    for site in sites:
        items = [i for i in ledger.list_items(engine, site=site.id, today=today) if i.status in WAITING]
        sent = ledger.reminded_since_open(engine, [i.id for i in items])
        for kind in KINDS:
            mine = tuple(i for i in items if kind not in sent[i.id] and
                         (i.status == "open" if kind == "opened" else due(i, today) == kind))
            if mine:
                out.append(Reminder(site, kind, mine))
    return out


def subject(r: Reminder) -> str:
    return f"【网站检查整改提醒】{r.site.name}：{KINDS[r.kind]} {len(r.items)} 项"


def body(r: Reminder, today: date) -> str:
    """Plain text: nothing an audited page wrote can become markup or a link a mail reader follows by itself."""
    lead = {"opened": "本次检查发现以下问题，已列入整改台账，请在整改时限内完成整改，并在 gkaudit 网页服务中反馈「已整改」：",
            "due_soon": f"以下问题的整改时限将在 {DUE_SOON_WORKDAYS} 个工作日内到期，请尽快完成整改并反馈：",
            "overdue": "以下问题已超过整改时限，仍未整改完成，请立即整改并反馈："}[r.kind]
    lines = [f"{r.site.name}（{r.site.url}）：", "", lead, ""]
    for n, item in enumerate(r.items, 1):
        lines += [f"{n}. [{label(SEVERITIES, item.severity)}] {' '.join(item.message.split())}",
                  f"   问题编号：{item.problem[:12]}（台账 {item.id}）  规则：{'、'.join(item.rules)}",
                  f"   位置：{item.url}",
                  f"   整改时限：{item.deadline.isoformat() if item.deadline else '—'}  状态：{item.status_label}", ""]
    lines += [f"提醒日期：{today.isoformat()}。本邮件由 gkaudit 自动发送，请勿直接回复。"]
    return "\n".join(lines)


def run(engine, sites: list[Site], settings: SmtpSettings | None, today: date, dry_run: bool = False) -> Outcome:
    """Send what plan() finds (nothing when dry_run) and record each mail sent on its items."""
    outcome = Outcome([], [], [])
    for r in plan(engine, sites, today):
        if not r.site.contacts:
            if r.site.id not in outcome.no_contacts:
                outcome.no_contacts.append(r.site.id)
            continue
        if dry_run:
            outcome.sent.append(r)
            continue
        try:
            send(settings, list(r.site.contacts), subject(r), body(r, today))
        except (OSError, smtplib.SMTPException) as exc:
            outcome.failed.append((r, f"{type(exc).__name__}: {exc}"))
            continue
        ledger.remind(engine, [i.id for i in r.items], f"已发送邮件提醒：{KINDS[r.kind]}（{'、'.join(r.site.contacts)}）",
                      BY, {"kind": r.kind, "to": list(r.site.contacts)})
        outcome.sent.append(r)
    return outcome
