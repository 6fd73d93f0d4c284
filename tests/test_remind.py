"""`gkaudit remind` against a real SMTP server on loopback (aiosmtpd): the list when an audit opens items, a digest
3 working days before the deadline and one when it has passed, each recorded in the ledger and never sent twice;
plain-text Chinese mail in which the audited site's hostile text stays inert; STARTTLS with a local CA."""
from __future__ import annotations

import email
import email.policy
import os
import socket
import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller

from store import connect, ledger
from tests.conftest import gkaudit
from tests.web.province import HOSTILE, fill, second_audit_ledger


class Inbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, port
    server.stop()


def sites_file(tmp_path, port: int, security: str = "none", contacts_b: str = "[b-web@example.gov.cn]"):
    path = tmp_path / "sites.yaml"
    path.write_text(f"""smtp:
  host: 127.0.0.1
  port: {port}
  from: gkaudit@example.gov.cn
  security: {security}
sites:
  - id: a
    name: 甲市生态环境局
    level: city
    url: http://127.0.0.10/
    contacts: [a-web@example.gov.cn, a-lead@example.gov.cn]
  - id: b
    name: 乙市生态环境局
    level: city
    url: http://127.0.0.11/
    contacts: {contacts_b}
  - id: c
    name: 丙县生态环境局
    level: county
    url: http://127.0.0.12/
""", encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'gk.db'}"
    engine = connect(url)
    second_audit_ledger(engine, fill(engine, with_ledger=False))  # every item due 2026-12-04
    return url, engine


def remind(db_url, sites, day):
    return gkaudit("remind", "--sites", str(sites), "--as-of", day, "--db", db_url)


def test_opened_due_soon_and_overdue_each_sent_once(tmp_path, smtp, db):
    inbox, port = smtp
    url, engine = db
    sites = sites_file(tmp_path, port)
    first = remind(url, sites, "2026-11-20")
    assert first.returncode == 0, first.stderr
    assert "站点 c 有待提醒的问题，但站点清单中没有 contacts" in first.stderr
    assert sorted(to for to, _ in inbox.messages) == [["a-web@example.gov.cn", "a-lead@example.gov.cn"],
                                                     ["b-web@example.gov.cn"]]
    to_a = next(m for to, m in inbox.messages if "a-web@example.gov.cn" in to)
    assert to_a["Subject"] == "【网站检查整改提醒】甲市生态环境局：新下发整改问题 2 项"
    assert to_a.get_content_type() == "text/plain" and not to_a.is_multipart()
    text = to_a.get_content()
    assert "首页底部未标注ICP备案编号" in text and "整改时限：2026-12-04" in text
    assert HOSTILE in text  # as plain text, not markup: no mail reader runs it

    assert remind(url, sites, "2026-11-20").returncode == 0 and len(inbox.messages) == 2  # nothing twice
    assert remind(url, sites, "2026-11-27").returncode == 0 and len(inbox.messages) == 2  # 5 working days ahead

    ledger.feedback(engine, ledger.list_items(engine, site="b")[0].id, "已修复链接")  # b's reported item waits for us
    assert remind(url, sites, "2026-12-01").returncode == 0  # 2026-12-04 is 3 working days away
    soon = inbox.messages[2:]
    assert [m["Subject"] for _, m in soon] == ["【网站检查整改提醒】甲市生态环境局：整改时限将至（3 个工作日内） 2 项",
                                               "【网站检查整改提醒】乙市生态环境局：整改时限将至（3 个工作日内） 1 项"]
    assert remind(url, sites, "2026-12-04").returncode == 0 and len(inbox.messages) == 4  # the day itself: not passed

    assert remind(url, sites, "2026-12-07").returncode == 0
    assert [m["Subject"] for _, m in inbox.messages[4:]] == [
        "【网站检查整改提醒】甲市生态环境局：已超过整改时限 2 项", "【网站检查整改提醒】乙市生态环境局：已超过整改时限 1 项"]
    assert remind(url, sites, "2026-12-08").returncode == 0 and len(inbox.messages) == 6

    item = ledger.list_items(engine, site="a")[0]
    events = [(e.kind, e.data.get("kind")) for e in ledger.timeline(engine, item.id)]
    assert events == [("detected", None), ("reminded", "opened"), ("reminded", "due_soon"), ("reminded", "overdue")]


def test_a_refused_mail_records_nothing_and_is_sent_next_time(tmp_path, smtp, db):
    inbox, port = smtp
    url, engine = db
    closed = free_port()  # nothing listens here
    failed = remind(url, sites_file(tmp_path, closed), "2026-11-20")
    assert failed.returncode == 1 and "发送失败" in failed.stderr and "下次运行会重试" in failed.stderr
    assert all(e.kind != "reminded" for i in ledger.list_items(engine) for e in ledger.timeline(engine, i.id))
    assert remind(url, sites_file(tmp_path, port), "2026-11-20").returncode == 0 and len(inbox.messages) == 2


def test_starttls_with_the_servers_certificate_checked(tmp_path, db, monkeypatch):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    server.start()
    try:
        url, _ = db
        with ca.cert_pem.tempfile() as ca_file:
            done = gkaudit("remind", "--sites", str(sites_file(tmp_path, port, "starttls")), "--as-of", "2026-11-20",
                           "--db", url, env=os.environ | {"SSL_CERT_FILE": ca_file})
        assert done.returncode == 0, done.stderr
        assert len(inbox.messages) == 2
    finally:
        server.stop()


def test_bad_contacts_and_smtp_settings_name_file_line_and_field(tmp_path, db):
    url, _ = db
    bad = remind(url, sites_file(tmp_path, 25, contacts_b="[b-web.example.gov.cn]"), "2026-11-20")
    assert bad.returncode == 2 and "contacts" in bad.stderr and "b-web.example.gov.cn" in bad.stderr
    assert "sites.yaml:16:" in bad.stderr  # the contacts line of site b
    wrong = remind(url, sites_file(tmp_path, 25, security="tls"), "2026-11-20")
    assert wrong.returncode == 2 and "smtp.security" in wrong.stderr


def test_dry_run_lists_and_records_nothing(tmp_path, db):
    url, engine = db
    sites = tmp_path / "plain.yaml"  # no smtp: section is needed to look
    sites.write_text("sites:\n  - id: a\n    name: 甲市生态环境局\n    level: city\n    url: http://127.0.0.10/\n"
                     "    contacts: [a-web@example.gov.cn]\n", encoding="utf-8")
    done = gkaudit("remind", "--sites", str(sites), "--as-of", "2026-12-07", "--db", url, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["将发送\ta\t新下发整改问题\t2 项\ta-web@example.gov.cn",
                                        "将发送\ta\t已超过整改时限\t2 项\ta-web@example.gov.cn"]
    assert all(e.kind != "reminded" for i in ledger.list_items(engine) for e in ledger.timeline(engine, i.id))
    missing = gkaudit("remind", "--sites", str(sites), "--as-of", "2026-12-07", "--db", url)
    assert missing.returncode == 2 and "smtp" in missing.stderr
