"""One-time sign-in links and browser sessions.

A link carries a random token (``secrets.token_urlsafe``); the workspace keeps only its
SHA-256, so a copied database opens nobody's account. A link works once, until it
expires or is revoked; using it starts a session whose own token (again stored hashed)
lives in an HttpOnly cookie, with a CSRF token for the forms.
"""

from __future__ import annotations

import csv
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.people.users import User, _user, ensure_agent_users, get_user
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

LINK_DAYS = 7
SESSION_HOURS = 12 * 7


class SignInError(ScriptlabError):
    """A link that cannot sign anyone in; `reason` is unknown | used | expired | revoked."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"This sign-in link is {reason}; ask your trainer for a new one.")
        self.reason = reason


@dataclass(frozen=True)
class Invite:
    """A personal sign-in link, as printed and written to the invite CSV."""

    user: User
    token: str
    expires_at: datetime

    def url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/signin/{self.token}"


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the cookie's token (shown once) and the forms' CSRF token."""

    token: str
    csrf: str
    user: User
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(conn: Connection, user: User, now: datetime, days: int = LINK_DAYS) -> Invite:
    """A new one-time link for `user` (older links stay valid until used or expired)."""
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(days=days)
    conn.execute(sa.insert(schema.sign_in_links).values(
        user_id=user.id, token_hash=token_hash(token), created_at=now, expires_at=expires))
    return Invite(user, token, expires)


def invite_users(ws: Workspace, names: list[str], *, days: int = LINK_DAYS,
                 now: datetime | None = None) -> list[Invite]:
    """Links for the named users (active ones only)."""
    now = now or datetime.now()
    u = schema.users
    with ws.write() as conn:
        rows = {r.name: _user(r) for r in conn.execute(sa.select(u).where(u.c.name.in_(names)))}
        missing = [n for n in names if n not in rows]
        if missing:
            raise ScriptlabError(f"No user {', '.join(missing)}; add with scriptlab users add "
                                 "NAME --role ROLE.")
        revoked = [n for n in names if not rows[n].active]
        if revoked:
            raise ScriptlabError(f"User {', '.join(revoked)} is revoked; let them back in with "
                                 "scriptlab users restore NAME first.")
        return [issue_link(conn, rows[n], now, days) for n in names]


def invite_quiz(ws: Workspace, quiz_id: int, *, days: int = LINK_DAYS,
                now: datetime | None = None) -> list[Invite]:
    """Links for everyone who takes part in a quiz: each active agent of its team (a user
    is made for an agent who has none) and every active reviewer."""
    now = now or datetime.now()
    q, ag, u = schema.quizzes, schema.agents, schema.users
    with ws.write() as conn:
        team = conn.execute(sa.select(q.c.team).where(q.c.id == quiz_id)).scalar()
        clause = sa.true() if team is None else ag.c.team == team
        agent_ids = list(conn.execute(sa.select(ag.c.id).where(ag.c.active.is_(True), clause)
                                      .order_by(ag.c.id)).scalars())
        if not agent_ids:
            raise ScriptlabError("No active agents for this quiz; import the roster first: "
                                 "scriptlab agents import FILE")
        ensure_agent_users(conn, agent_ids, now)
        people = conn.execute(
            sa.select(u).where(u.c.active.is_(True),
                               sa.or_(u.c.agent_id.in_(agent_ids), u.c.role == "reviewer"))
            .order_by(u.c.role, u.c.name)).all()
        return [issue_link(conn, _user(r), now, days) for r in people]


def write_invites_csv(path: Path, invites: list[Invite], base_url: str) -> Path:
    """name, role, agent_id, link, expires: UTF-8 with BOM so Excel shows the Chinese."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "role", "agent_id", "link", "expires"])
        for i in invites:
            writer.writerow([i.user.name, i.user.role, i.user.agent_id or "", i.url(base_url),
                             i.expires_at.strftime("%Y-%m-%d %H:%M")])
    tmp.replace(path)
    return path


def link_state(ws: Workspace, token: str, now: datetime | None = None) -> User:
    """The user a link would sign in, without using it (for the confirm page)."""
    now = now or datetime.now()
    with ws.engine.connect() as conn:
        row = _link_row(conn, token)
        _check_link(row, now)
        user = get_user(conn, row.user_id)
    if user is None or not user.active:
        raise SignInError("revoked")
    return user


def _link_row(conn: Connection, token: str) -> sa.Row:
    lk = schema.sign_in_links
    row = conn.execute(sa.select(lk).where(lk.c.token_hash == token_hash(token))).first()
    if row is None:
        raise SignInError("unknown")
    return row


def _check_link(row: sa.Row, now: datetime) -> None:
    if row.revoked_at is not None:
        raise SignInError("revoked")
    if row.used_at is not None:
        raise SignInError("used")
    if row.expires_at <= now:
        raise SignInError("expired")


def redeem_link(ws: Workspace, token: str, *, now: datetime | None = None,
                hours: int = SESSION_HOURS) -> Session:
    """Use a link (once) and start a session."""
    now = now or datetime.now()
    lk, se = schema.sign_in_links, schema.web_sessions
    with ws.write() as conn:
        row = _link_row(conn, token)
        _check_link(row, now)
        user = get_user(conn, row.user_id)
        if user is None or not user.active:
            raise SignInError("revoked")
        used = conn.execute(sa.update(lk).where(lk.c.id == row.id, lk.c.used_at.is_(None))
                            .values(used_at=now)).rowcount
        if used != 1:  # another request used it first
            raise SignInError("used")
        session_token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        expires = now + timedelta(hours=hours)
        conn.execute(sa.insert(se).values(user_id=user.id, token_hash=token_hash(session_token),
                                          csrf=csrf, created_at=now, expires_at=expires))
    return Session(session_token, csrf, user, expires)


def session_user(ws: Workspace, token: str, now: datetime | None = None) -> Session | None:
    """The live session of a cookie token (user active, not expired or revoked), else None."""
    now = now or datetime.now()
    se, u = schema.web_sessions, schema.users
    with ws.engine.connect() as conn:
        row = conn.execute(
            sa.select(se.c.csrf, se.c.expires_at, u)
            .select_from(se.join(u, u.c.id == se.c.user_id))
            .where(se.c.token_hash == token_hash(token), se.c.revoked_at.is_(None),
                   se.c.expires_at > now, u.c.active.is_(True))).first()
    if row is None:
        return None
    return Session(token, row.csrf, _user(row), row.expires_at)


def end_session(ws: Workspace, token: str, now: datetime | None = None) -> None:
    """Sign out: the session's token stops working."""
    se = schema.web_sessions
    with ws.write() as conn:
        conn.execute(sa.update(se).where(se.c.token_hash == token_hash(token))
                     .values(revoked_at=now or datetime.now()))
