"""What other stages may ask the quiz stage about its tables (agents, quizzes,
quiz_questions): the library names a script's author from the agent roster."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.store import schema


def agent_names(conn: Connection) -> dict[str, str | None]:
    """Agent id → name, every agent of the roster (active or not)."""
    g = schema.agents
    return {row.id: row.name for row in conn.execute(sa.select(g.c.id, g.c.name))}
