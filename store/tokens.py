"""API tokens of web accounts (gkaudit users token, /tokens, the JSON API under /api/v1/).

A token is shown once when it is made; only its SHA-256 is kept, so a copy of the database opens nothing. A token
acts as its user: same role, same scope, and it stops working when the user is disabled or the token revoked.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Field, Session, SQLModel, select

from core.clock import now
from store.users import Account, AuditLog, UserError, WebUser, _account, _aware

PREFIX = "gk_"  # tokens are recognisable in a leaked config file
TOUCH_MINUTES = 1  # last_used is written at most once a minute per token


class ApiToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)  # sha256 of the token
    user_id: int = Field(foreign_key="webuser.id", index=True)
    name: str  # what it is for (「门户CMS发布前检查」)
    created_at: datetime
    last_used: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself."""

    id: int
    user: str
    name: str
    created_at: datetime
    last_used: datetime | None
    revoked: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(session: Session, name: str) -> WebUser:
    user = session.exec(select(WebUser).where(WebUser.name == name)).first()
    if user is None:
        known = "、".join(session.exec(select(WebUser.name).order_by(WebUser.name)).all()) or "无"
        raise UserError(f"没有用户 {name}（已有用户：{known}）")
    return user


def add_token(engine, user_name: str, name: str, actor: str = "命令行", address: str = "") -> tuple[TokenInfo, str]:
    """(the token's listing, the token): the token is returned this once and never stored."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise UserError("令牌用途不能为空，最长 100 个字符（例如「门户CMS发布前检查」）")
    token = PREFIX + secrets.token_urlsafe(32)
    with Session(engine) as session:
        user = _user(session, user_name)
        if user.disabled:
            raise UserError(f"用户 {user_name} 已停用，不能创建令牌")
        row = ApiToken(token_hash=_digest(token), user_id=user.id, name=name, created_at=now())
        session.add(row)
        session.add(AuditLog(at=now(), actor=actor, action="token_add", target=f"{user_name}：{name}", address=address))
        session.commit()
        return TokenInfo(row.id, user.name, row.name, row.created_at, None, False), token


def list_tokens(engine, user_name: str | None = None) -> list[TokenInfo]:
    with Session(engine) as session:
        query = select(ApiToken, WebUser.name).join(WebUser, WebUser.id == ApiToken.user_id)
        if user_name is not None:
            query = query.where(WebUser.name == user_name)
        return [TokenInfo(t.id, user, t.name, t.created_at, t.last_used, t.revoked_at is not None)
                for t, user in session.exec(query.order_by(ApiToken.id)).all()]


def revoke_token(engine, token_id: int, user_name: str | None = None, actor: str = "命令行",
                 address: str = "") -> TokenInfo:
    """Revoke a token at once; user_name limits it to that user's tokens (a user revoking their own)."""
    with Session(engine) as session:
        found = session.exec(select(ApiToken, WebUser.name).join(WebUser, WebUser.id == ApiToken.user_id)
                             .where(ApiToken.id == token_id)).first()
        if found is None or (user_name is not None and found[1] != user_name):
            raise UserError(f"没有编号为 {token_id} 的令牌" + (f"（用户 {user_name}）" if user_name else ""))
        row, owner = found
        if row.revoked_at is None:
            row.revoked_at = now()
            session.add(row)
            session.add(AuditLog(at=now(), actor=actor, action="token_revoke", target=f"{owner}：{row.name}",
                                 address=address))
            session.commit()
        return TokenInfo(row.id, owner, row.name, row.created_at, row.last_used, True)


def token_account(engine, token: str | None) -> tuple[Account, int] | None:
    """(account, token id) of a live token of an enabled user, or None; touches last_used."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    at = now()
    with Session(engine) as session:
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
        if row is None or row.revoked_at is not None:
            return None
        user = session.get(WebUser, row.user_id)
        if user is None or user.disabled:
            return None
        if row.last_used is None or _aware(row.last_used) < at - timedelta(minutes=TOUCH_MINUTES):
            session.exec(update(ApiToken).where(ApiToken.id == row.id).values(last_used=at))
            session.commit()
        return _account(session, user), row.id
