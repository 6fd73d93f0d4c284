"""Web accounts (gkaudit users, gkaudit serve): users with a role and a scope, their sessions, login attempts and
the audit log of who did what.

A password is kept only as its argon2 hash; a session only as the SHA-256 of its cookie token, so a copy of the
database opens no account and no session. Roles are core.vocab ROLES; what a role may do is gkaudit/web/policy.py's.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Index, func, update
from sqlmodel import Field, Session, SQLModel, delete, select

from core.clock import now
from core.vocab import ROLES

SESSION_HOURS = 12  # a session ends 12 hours after login, or after 2 idle hours
IDLE_HOURS = 2
THROTTLE_MINUTES = 15  # failed logins counted over this window
MAX_FAILURES_PER_USER = 5  # then that name is refused until the window passes
MAX_FAILURES_PER_ADDRESS = 20  # one address (a bureau behind one NAT) may mistype more before it is refused
SCOPE_KINDS = ("site", "supervisor")  # a webmaster's site ids; a supervisor's supervising units (SiteRun.supervisor)

_hasher = PasswordHasher()


class WebUser(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)  # login name
    display: str = ""
    role: str  # core.vocab ROLES
    password_hash: str
    disabled: bool = False
    created_at: datetime


class UserScope(SQLModel, table=True):
    """One site id (kind site) or supervising unit (kind supervisor) a user answers for."""

    __table_args__ = (Index("ix_userscope_user", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="webuser.id")
    kind: str  # site | supervisor
    value: str


class WebSession(SQLModel, table=True):
    token_hash: str = Field(primary_key=True)  # sha256 of the cookie's token
    user_id: int = Field(foreign_key="webuser.id", index=True)
    csrf: str  # the token every form of this session carries
    created_at: datetime
    expires_at: datetime
    last_seen: datetime


class AuditLog(SQLModel, table=True):
    """Who did what, when, to what (全过程留痕)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str  # a login name, or 命令行 for gkaudit users
    action: str  # core.vocab AUDIT_ACTIONS
    target: str = ""
    address: str = ""


class LoginAttempt(SQLModel, table=True):
    __table_args__ = (Index("ix_loginattempt_name_at", "name", "at"), Index("ix_loginattempt_address_at", "address", "at"))

    id: int | None = Field(default=None, primary_key=True)
    name: str
    address: str
    at: datetime
    ok: bool


@dataclass(frozen=True)
class Account:
    """A user as the web service decides with it: role and scope, never the hash."""

    id: int
    name: str
    display: str
    role: str
    disabled: bool
    sites: frozenset[str]
    supervisors: frozenset[str]
    created_at: datetime | None = None

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


class UserError(ValueError):
    """Bad input for an account (a duplicate or unknown name, a role that needs a scope); the message is Chinese."""


def _account(session: Session, user: WebUser) -> Account:
    scope = session.exec(select(UserScope).where(UserScope.user_id == user.id)).all()
    return Account(user.id, user.name, user.display, user.role, user.disabled,
                   frozenset(s.value for s in scope if s.kind == "site"),
                   frozenset(s.value for s in scope if s.kind == "supervisor"), user.created_at)


def add_user(engine, name: str, role: str, password: str, display: str = "", sites=(), supervisors=(),
             actor: str = "命令行", address: str = "") -> Account:
    """A new account; a webmaster needs at least one site, a supervisor at least one supervising unit."""
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise UserError("用户名不能为空、不能含空白字符，最长 64 个字符")
    if role not in ROLES:
        raise UserError(f"未知角色 {role}（可用：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}）")
    if len(password) < 8:
        raise UserError("密码至少 8 个字符")
    sites, supervisors = [s.strip() for s in sites if s.strip()], [s.strip() for s in supervisors if s.strip()]
    if role == "webmaster" and not sites:
        raise UserError("网站管理员至少要指定一个站点（--site 站点id）")
    if role == "supervisor" and not supervisors:
        raise UserError("监管员至少要指定一个主管单位（--supervisor 单位名称，与站点清单的 supervisor 相同）")
    if (sites and role != "webmaster") or (supervisors and role != "supervisor"):
        raise UserError(f"{ROLES[role]}不按站点或主管单位划分范围：--site 只用于网站管理员，--supervisor 只用于监管员")
    with Session(engine) as session:
        if session.exec(select(WebUser).where(WebUser.name == name)).first():
            raise UserError(f"用户 {name} 已存在")
        user = WebUser(name=name, display=display.strip() or name, role=role,
                       password_hash=_hasher.hash(password), created_at=now())
        session.add(user)
        session.flush()
        for kind, values in (("site", sites), ("supervisor", supervisors)):
            for value in dict.fromkeys(values):
                session.add(UserScope(user_id=user.id, kind=kind, value=value))
        session.add(AuditLog(at=now(), actor=actor, action="user_add", target=f"{name}（{ROLES[role]}）",
                             address=address))
        session.commit()
        return _account(session, user)


def list_users(engine) -> list[Account]:
    with Session(engine) as session:
        return [_account(session, u) for u in session.exec(select(WebUser).order_by(WebUser.name)).all()]


def disable_user(engine, name: str, actor: str = "命令行", address: str = "") -> Account:
    """Disable an account and end its sessions at once."""
    with Session(engine) as session:
        user = session.exec(select(WebUser).where(WebUser.name == name)).first()
        if user is None:
            known = "、".join(session.exec(select(WebUser.name).order_by(WebUser.name)).all()) or "无"
            raise UserError(f"没有用户 {name}（已有用户：{known}）")
        user.disabled = True
        session.add(user)
        session.exec(delete(WebSession).where(WebSession.user_id == user.id))
        session.add(AuditLog(at=now(), actor=actor, action="user_disable", target=name, address=address))
        session.commit()
        return _account(session, user)


def log_action(engine, actor: str, action: str, target: str = "", address: str = "") -> None:
    with Session(engine) as session:
        session.add(AuditLog(at=now(), actor=actor, action=action, target=target, address=address))
        session.commit()


def audit_log(engine, limit: int = 50) -> list[AuditLog]:
    with Session(engine) as session:
        return list(session.exec(select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)).all())


# ---- login, throttling and sessions

def throttled(engine, name: str, address: str) -> bool:
    """Too many failed logins for this name or from this address in the last THROTTLE_MINUTES."""
    since = now() - timedelta(minutes=THROTTLE_MINUTES)
    with Session(engine) as session:
        def failures(column, value):
            return session.exec(select(func.count()).select_from(LoginAttempt)
                                .where(column == value, LoginAttempt.at >= since, ~LoginAttempt.ok)).one()
        return (failures(LoginAttempt.name, name) >= MAX_FAILURES_PER_USER
                or failures(LoginAttempt.address, address) >= MAX_FAILURES_PER_ADDRESS)


def check_password(engine, name: str, password: str, address: str) -> Account | None:
    """The account when the name and password match an enabled user; every attempt is recorded."""
    with Session(engine) as session:
        user = session.exec(select(WebUser).where(WebUser.name == name)).first()
        ok = False
        if user is not None and not user.disabled:
            try:
                ok = _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            _hasher.hash(password)  # as slow as a real check: the answer's timing does not tell which names exist
        session.add(LoginAttempt(name=name[:200], address=address, at=now(), ok=ok))
        session.commit()
        return _account(session, user) if ok else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(engine, account: Account) -> tuple[str, str]:
    """(cookie token, CSRF token) of a new session."""
    token, csrf, at = secrets.token_urlsafe(32), secrets.token_urlsafe(32), now()
    with Session(engine) as session:
        session.exec(delete(WebSession).where(WebSession.expires_at < at))  # old sessions go on the way
        session.add(WebSession(token_hash=_digest(token), user_id=account.id, csrf=csrf, created_at=at,
                               expires_at=at + timedelta(hours=SESSION_HOURS), last_seen=at))
        session.commit()
    return token, csrf


def session_account(engine, token: str | None) -> tuple[Account, str] | None:
    """(account, CSRF token) of a live session of an enabled user, or None; touches last_seen. Every request of
    the web service asks this: two queries of plain columns."""
    if not token:
        return None
    at, digest = now(), _digest(token)
    with Session(engine) as session:
        row = session.exec(select(WebSession.expires_at, WebSession.last_seen, WebSession.csrf, WebUser.id,
                                  WebUser.name, WebUser.display, WebUser.role, WebUser.disabled, WebUser.created_at)
                           .join(WebUser, WebUser.id == WebSession.user_id)
                           .where(WebSession.token_hash == digest)).first()
        if row is None:
            return None
        expires_at, last_seen, csrf, user_id, name, display, role, disabled, created_at = row
        if disabled or _aware(expires_at) < at or _aware(last_seen) < at - timedelta(hours=IDLE_HOURS):
            session.exec(delete(WebSession).where(WebSession.token_hash == digest))
            session.commit()
            return None
        if _aware(last_seen) < at - timedelta(minutes=1):  # at most one write a minute per session
            session.exec(update(WebSession).where(WebSession.token_hash == digest).values(last_seen=at))
            session.commit()
        scope = session.exec(select(UserScope.kind, UserScope.value).where(UserScope.user_id == user_id)).all()
        return Account(user_id, name, display, role, disabled, frozenset(v for k, v in scope if k == "site"),
                       frozenset(v for k, v in scope if k == "supervisor"), created_at), csrf


def end_session(engine, token: str | None) -> None:
    if token:
        with Session(engine) as session:
            session.exec(delete(WebSession).where(WebSession.token_hash == _digest(token)))
            session.commit()


def _aware(value: datetime) -> datetime:
    """SQLite hands datetimes back without their offset: they were written as local time."""
    return value if value.tzinfo is not None else value.astimezone()
