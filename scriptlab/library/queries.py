"""What other stages may ask the library about its tables (library_entries): the quiz stage
leaves out, or re-tests, topics that already have an approved script; scoring takes a
topic's approved script as the reference answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.store import schema

if TYPE_CHECKING:
    import pandas as pd

APPROVED_COLUMNS = ["topic_id", "script"]


def approved_scripts(conn: Connection) -> pd.DataFrame:
    """Active library scripts, the newest approval per topic (columns `APPROVED_COLUMNS`)."""
    import pandas as pd

    e = schema.library_entries
    rows = conn.execute(
        sa.select(e.c.topic_id, e.c.script)
        .where(e.c.status == "active")
        .order_by(e.c.topic_id, e.c.approved_at.desc(), e.c.id.desc())
    ).all()
    frame = pd.DataFrame([r._asdict() for r in rows], columns=APPROVED_COLUMNS)
    return frame.drop_duplicates("topic_id", keep="first").reset_index(drop=True)


def active_scripts(conn: Connection, topic_ids: list[int]) -> dict[int, str]:
    """Topic → its active library script (the latest approval wins), for these topics."""
    e = schema.library_entries
    scripts: dict[int, str] = {}
    if topic_ids:
        for row in conn.execute(
            sa.select(e.c.topic_id, e.c.script)
            .where(e.c.topic_id.in_(topic_ids), e.c.status == "active")
            .order_by(e.c.approved_at, e.c.id)
        ):
            scripts[row.topic_id] = row.script
    return scripts
