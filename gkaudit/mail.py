"""E-mail out (gkaudit remind): the SMTP settings of a sites file's `smtp:` section and one plain-text message.

`smtp: {host, port, from, security: starttls | ssl | none}`; the account comes from the environment
(GKAUDIT_SMTP_USER, GKAUDIT_SMTP_PASSWORD), never from a file that is committed or mailed around. Bodies are plain
text, so text crawled from an audited site (titles, anchors) cannot become markup in a mail reader.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from core.sites import EMAIL
from core.yamlfile import ConfigError, load_yaml

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 30  # seconds for the SMTP conversation


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    security: str = "starttls"
    user: str | None = None
    password: str | None = None


def load_smtp(path: str | Path) -> SmtpSettings:
    """The `smtp:` section of a sites file; ConfigError naming file, line and field when it is missing or wrong."""
    path = Path(path)
    data = load_yaml(path)
    smtp = data.get("smtp") if isinstance(data, dict) else None
    if not isinstance(smtp, dict):
        raise ConfigError(path, data.line_of("smtp") if isinstance(data, dict) else None, "smtp",
                          "发送提醒邮件需要 smtp 设置：smtp: {host: 邮件服务器, port: 587, from: 发件地址, security: starttls}")
    host = smtp.get("host")
    if not isinstance(host, str) or not host.strip():
        raise ConfigError(path, smtp.line_of("host") or data.line_of("smtp"), "smtp.host", "必须是邮件服务器地址")
    security = smtp.get("security", "starttls")
    if security not in SECURITY:
        raise ConfigError(path, smtp.line_of("security"), "smtp.security", f"必须是 {'、'.join(SECURITY)} 之一")
    port = smtp.get("port", DEFAULT_PORT[security])
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise ConfigError(path, smtp.line_of("port"), "smtp.port", "必须是 1–65535 的端口号")
    sender = smtp.get("from")
    if not isinstance(sender, str) or not EMAIL.fullmatch(sender.strip()):
        raise ConfigError(path, smtp.line_of("from") or data.line_of("smtp"), "smtp.from", "必须是发件人电子邮件地址")
    return SmtpSettings(host.strip(), port, sender.strip(), security, os.environ.get("GKAUDIT_SMTP_USER") or None,
                        os.environ.get("GKAUDIT_SMTP_PASSWORD") or None)


def _one_line(text: str) -> str:
    return " ".join(text.split())  # no header injection through a site's name


def send(settings: SmtpSettings, to: list[str], subject: str, body: str) -> None:
    """Send one plain-text message; OSError / smtplib.SMTPException when the server refuses or cannot be reached."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, ", ".join(to), _one_line(subject)
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="gkaudit")
    message.set_content(body, charset="utf-8")
    context = ssl.create_default_context()
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password or "")
        client.send_message(message)
