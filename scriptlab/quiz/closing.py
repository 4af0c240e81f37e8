"""Closing a quiz: after it, answers typed in the browser are no longer taken."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.store import schema
from scriptlab.store.workspace import Workspace


def is_closed(conn: Connection, quiz_id: int) -> bool:
    c = schema.quiz_closures
    return conn.execute(sa.select(c.c.quiz_id).where(c.c.quiz_id == quiz_id)).first() is not None


def close_quiz(ws: Workspace, quiz_id: int, by: str, now: datetime | None = None) -> bool:
    """Close a quiz; False if it already was."""
    c = schema.quiz_closures
    with ws.write() as conn:
        if is_closed(conn, quiz_id):
            return False
        conn.execute(sa.insert(c).values(quiz_id=quiz_id, closed_at=now or datetime.now(),
                                         closed_by=by))
    return True


def reopen_quiz(ws: Workspace, quiz_id: int) -> bool:
    """Take answers again; False if the quiz was open."""
    c = schema.quiz_closures
    with ws.write() as conn:
        return bool(conn.execute(sa.delete(c).where(c.c.quiz_id == quiz_id)).rowcount)
