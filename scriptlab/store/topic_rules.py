"""The trainer's topic decisions as the stages read them (see `scriptlab.topics.decisions`).

Mining, quiz and library code read these from the tables directly, so they depend on the
schema only: which topic a merged topic counts as, which topics are banned, and which
phrasings were split into or away from a topic.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.store import schema


def resolve_map(conn: Connection) -> dict[int, int]:
    """Topic id -> the topic it counts as (merges followed to the end; cycles refused)."""
    t = schema.topics
    merged = {r.id: r.merged_into for r in conn.execute(
        sa.select(t.c.id, t.c.merged_into).where(t.c.merged_into.is_not(None)))}
    out: dict[int, int] = {}
    for start in merged:
        seen, current = {start}, start
        while current in merged:
            current = merged[current]
            if current in seen:
                break
            seen.add(current)
        out[start] = current
    return out


def banned_topics(conn: Connection) -> set[int]:
    """Topics the trainer banned (after merges: a topic merged into a banned one is banned)."""
    t = schema.topics
    banned = set(conn.execute(sa.select(t.c.id).where(t.c.status == "banned")).scalars())
    resolved = resolve_map(conn)
    return banned | {a for a, b in resolved.items() if b in banned}


def pinned_phrasings(conn: Connection) -> tuple[dict[int, list[str]], dict[int, set[str]]]:
    """Phrasings split into topics, and phrasings split away from them."""
    t = schema.topics
    pinned: dict[int, list[str]] = {}
    excluded: dict[int, set[str]] = {}
    for r in conn.execute(sa.select(t.c.id, t.c.phrasings, t.c.excluded)
                          .where(sa.or_(t.c.phrasings.is_not(None),
                                        t.c.excluded.is_not(None)))):
        if r.phrasings:
            pinned[r.id] = list(r.phrasings)
        if r.excluded:
            excluded[r.id] = set(r.excluded)
    return pinned, excluded


def resolve(topic_id: int | None, mapping: Mapping[int, int]) -> int | None:
    """The topic a topic counts as."""
    return None if topic_id is None else mapping.get(int(topic_id), int(topic_id))
