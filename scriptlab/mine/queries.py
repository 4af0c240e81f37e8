"""What other stages may ask the mining stage about its tables (mine_runs, topics,
question_groups, group_variants, group_replies).

The quiz stage builds quizzes from a run's groups and the library takes an entry's customer
phrasings and tags from them; both ask here, so the mining tables stay the mining stage's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.store import schema

if TYPE_CHECKING:
    import pandas as pd

# Columns of `groups`; ``is_new``: the group's topic was first seen in this run although
# earlier runs exist.
GROUP_COLUMNS = [
    "group_id", "run_id", "topic_id", "rank", "representative", "count", "sessions",
    "customers", "share", "prev_count", "trend", "keywords", "is_new", "variants", "replies",
]


def run_ids(conn: Connection) -> list[int]:
    """Every mining run's id, oldest first."""
    return [r.id for r in conn.execute(sa.select(schema.mine_runs.c.id)
                                       .order_by(schema.mine_runs.c.id))]


def groups(conn: Connection, run_id: int) -> pd.DataFrame:
    """The question groups of a mining run, best rank first (columns `GROUP_COLUMNS`).

    `variants` and `replies` are lists of (text, count), most frequent first.
    """
    import pandas as pd

    g, t = schema.question_groups, schema.topics
    earlier_runs = conn.execute(
        sa.select(sa.func.count()).select_from(schema.mine_runs)
        .where(schema.mine_runs.c.id < run_id)
    ).scalar_one()
    rows = conn.execute(
        sa.select(
            g.c.id.label("group_id"), g.c.run_id, g.c.topic_id, g.c.rank, g.c.representative,
            g.c.count, g.c.sessions, g.c.customers, g.c.share, g.c.prev_count, g.c.trend,
            g.c.keywords, t.c.first_run_id,
        )
        .select_from(g.outerjoin(t, g.c.topic_id == t.c.id))
        .where(g.c.run_id == run_id)
        .order_by(g.c.rank, g.c.id)
    ).all()
    ids = [r.group_id for r in rows]
    variants = group_texts(conn, schema.group_variants, ids)
    replies = group_texts(conn, schema.group_replies, ids)
    records = []
    for r in rows:
        record = r._asdict()
        first_run = record.pop("first_run_id")
        record["is_new"] = bool(earlier_runs > 0 and first_run == run_id)
        record["variants"] = variants.get(r.group_id, [])
        record["replies"] = replies.get(r.group_id, [])
        records.append(record)
    return pd.DataFrame(records, columns=GROUP_COLUMNS)


def group_texts(conn: Connection, table: sa.Table, group_ids: list[int]) -> dict[int, list]:
    """(text, count) lists per group id, most frequent first (`table`: group_variants or
    group_replies)."""
    out: dict[int, list[tuple[str, int]]] = {}
    for start in range(0, len(group_ids), 500):  # stay under SQLite's variable limit
        chunk = group_ids[start : start + 500]
        query = (sa.select(table.c.group_id, table.c.text, table.c.count)
                 .where(table.c.group_id.in_(chunk))
                 .order_by(table.c.group_id, table.c.count.desc(), table.c.id))
        for row in conn.execute(query):
            out.setdefault(row.group_id, []).append((row.text, int(row.count)))
    return out


def group_replies(conn: Connection, group_ids: list[int]) -> dict[int, list]:
    """The logged agent replies per group id as (text, count), most frequent first."""
    return group_texts(conn, schema.group_replies, group_ids)


def topic_label(conn: Connection, topic_id: int) -> str | None:
    """A topic's label, None if there is no such topic."""
    t = schema.topics
    row = conn.execute(sa.select(t.c.label).where(t.c.id == topic_id)).first()
    return None if row is None else row.label


def latest_phrasings(conn: Connection, topic_id: int) -> tuple[list[str], list[str]]:
    """The customer phrasings (most frequent first) and keywords of the topic's group in
    the latest mining run that has it; nothing when no run has it."""
    g, v = schema.question_groups, schema.group_variants
    group = conn.execute(
        sa.select(g.c.id, g.c.keywords).where(g.c.topic_id == topic_id)
        .order_by(g.c.run_id.desc(), g.c.id.desc()).limit(1)
    ).first()
    if group is None:
        return [], []
    texts = list(conn.execute(
        sa.select(v.c.text).where(v.c.group_id == group.id).order_by(v.c.count.desc(), v.c.id)
    ).scalars())
    return texts, [_keyword(k) for k in (group.keywords or [])]


def _keyword(item: Any) -> str:
    """A mining keyword: a word, or a [word, weight] pair."""
    return str(item[0] if isinstance(item, list | tuple) and item else item)
