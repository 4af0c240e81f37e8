"""What other stages may ask the logs stage about its table (messages): mining streams the
imported, already masked messages from here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.store import schema

MESSAGE_COLUMNS = ["message_id", "session_id", "timestamp", "role", "agent_id", "text"]


def has_messages(conn: Connection) -> bool:
    """Whether any chat message was imported."""
    return conn.execute(sa.select(schema.messages.c.id).limit(1)).first() is not None


def message_chunks(conn: Connection, *, since: datetime | None = None,
                   until: datetime | None = None, chunk: int = 200_000
                   ) -> Iterator[pd.DataFrame]:
    """The imported messages in import order, `chunk` rows at a time (columns
    `MESSAGE_COLUMNS`; no agent is ""), optionally only those from `since` to `until`."""
    m = schema.messages
    stmt = sa.select(m.c.message_id, m.c.session_id, m.c.ts, m.c.role, m.c.agent_id, m.c.text)
    if since is not None:
        stmt = stmt.where(m.c.ts >= since)
    if until is not None:
        stmt = stmt.where(m.c.ts <= until)
    stmt = stmt.order_by(m.c.id)
    result = conn.execution_options(yield_per=chunk).execute(stmt)
    for part in result.partitions():
        frame = pd.DataFrame(part, columns=MESSAGE_COLUMNS)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"])
        frame["agent_id"] = frame["agent_id"].fillna("")
        yield frame
