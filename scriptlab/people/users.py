"""Users: a name, a role, and for agents the roster entry they answer as."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

ROLES = ("trainer", "lead", "reviewer", "agent")
_NAME = re.compile(r"^[\w.\-\u4e00-\u9fff]{1,64}$")


@dataclass(frozen=True)
class User:
    """A person who can sign in. `agent_id` is set for agents only."""

    id: int
    name: str
    role: str
    agent_id: str | None
    active: bool


def _user(row: sa.Row) -> User:
    return User(row.id, row.name, row.role, row.agent_id, bool(row.active))


def check_role(role: str) -> str:
    """The role, or a UsageError naming the four there are."""
    if role not in ROLES:
        raise UsageError(f"--role: '{role}' is not a role; use one of {', '.join(ROLES)}.")
    return role


def add_user(ws: Workspace, name: str, role: str, *, agent_id: str | None = None,
             now: datetime | None = None) -> User:
    """Create a user. An agent is tied to a roster agent: `agent_id`, else the roster
    agent whose id or name is `name`."""
    check_role(role)
    name = name.strip()
    if not _NAME.match(name):
        raise UsageError(f"'{name}' is not a usable user name; use letters, digits, Chinese "
                         "characters, '.', '-' or '_' (at most 64, no spaces).")
    with ws.write() as conn:
        if conn.execute(sa.select(schema.users.c.id).where(schema.users.c.name == name)).first():
            raise ScriptlabError(f"User {name} already exists; pick another name, or see "
                                 "scriptlab users list.")
        agent = _roster_agent(conn, name, agent_id) if role == "agent" else None
        if agent_id and role != "agent":
            raise UsageError("--agent is only for users with --role agent.")
        new_id = conn.execute(sa.insert(schema.users).values(
            name=name, role=role, agent_id=agent, active=True,
            created_at=now or datetime.now())).inserted_primary_key[0]
    return User(int(new_id), name, role, agent, True)


def _roster_agent(conn: Connection, name: str, agent_id: str | None) -> str:
    ag = schema.agents
    if agent_id:
        if conn.execute(sa.select(ag.c.id).where(ag.c.id == agent_id)).first() is None:
            raise ScriptlabError(f"No agent {agent_id} in the roster; import it first with "
                                 "scriptlab agents import, or fix --agent.")
        taken = conn.execute(sa.select(schema.users.c.name)
                             .where(schema.users.c.agent_id == agent_id)).scalar()
        if taken:
            raise ScriptlabError(f"Agent {agent_id} already signs in as user {taken}.")
        return agent_id
    found = conn.execute(sa.select(ag.c.id).where(sa.or_(ag.c.id == name, ag.c.name == name))
                         .order_by(ag.c.id)).scalars().all()
    if len(found) != 1:
        why = "no roster agent" if not found else f"{len(found)} roster agents"
        raise ScriptlabError(f"{why} with id or name {name}; pass --agent AGENT_ID to say "
                             "which roster agent this user answers as.")
    return _roster_agent(conn, name, found[0])


def ensure_agent_users(conn: Connection, agent_ids: list[str], now: datetime) -> None:
    """Give every roster agent in `agent_ids` a user (named after the agent id) if it has none."""
    u = schema.users
    have = set(conn.execute(sa.select(u.c.agent_id).where(u.c.agent_id.is_not(None))).scalars())
    names = set(conn.execute(sa.select(u.c.name)).scalars())
    rows = []
    for agent_id in agent_ids:
        if agent_id in have:
            continue
        name = agent_id if agent_id not in names else f"agent-{agent_id}"
        rows.append({"name": name, "role": "agent", "agent_id": agent_id, "active": True,
                     "created_at": now})
    if rows:
        conn.execute(sa.insert(u), rows)


def get_user(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(sa.select(schema.users).where(schema.users.c.id == user_id)).first()
    return _user(row) if row else None


def find_user(ws: Workspace, name: str) -> User:
    """The user called `name`, or an error that says how to list them."""
    with ws.engine.connect() as conn:
        row = conn.execute(sa.select(schema.users).where(schema.users.c.name == name)).first()
    if row is None:
        raise ScriptlabError(f"No user {name}; see scriptlab users list.")
    return _user(row)


def list_users(ws: Workspace, role: str | None = None) -> list[User]:
    """Every user (of a role), by role then name."""
    u = schema.users
    query = sa.select(u).order_by(u.c.role, u.c.name)
    if role:
        query = query.where(u.c.role == check_role(role))
    with ws.engine.connect() as conn:
        return [_user(r) for r in conn.execute(query)]


def revoke_user(ws: Workspace, name: str, *, now: datetime | None = None) -> tuple[int, int]:
    """Deactivate a user and revoke their open links and sessions; returns (links, sessions)."""
    now = now or datetime.now()
    user = find_user(ws, name)
    lk, se = schema.sign_in_links, schema.web_sessions
    with ws.write() as conn:
        conn.execute(sa.update(schema.users).where(schema.users.c.id == user.id)
                     .values(active=False))
        links = conn.execute(sa.update(lk).where(lk.c.user_id == user.id,
                                                 lk.c.used_at.is_(None),
                                                 lk.c.revoked_at.is_(None))
                             .values(revoked_at=now)).rowcount
        sessions = conn.execute(sa.update(se).where(se.c.user_id == user.id,
                                                    se.c.revoked_at.is_(None))
                                .values(revoked_at=now)).rowcount
    return int(links or 0), int(sessions or 0)


def reactivate_user(ws: Workspace, name: str) -> User:
    """Let a revoked user sign in again (with a new link)."""
    user = find_user(ws, name)
    with ws.write() as conn:
        conn.execute(sa.update(schema.users).where(schema.users.c.id == user.id)
                     .values(active=True))
    return User(user.id, user.name, user.role, user.agent_id, True)
