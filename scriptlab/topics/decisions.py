"""Topics are the trainer's: decisions stored on the ``topics`` rows and honoured by later runs.

* **ban**: the topic is never quizzed again (a phone number mined as a "question", a topic
  the shop does not want trained). `unban` undoes it.
* **merge A into B**: A's groups, now and in every later run, count as B: quizzes treat
  them as one topic, history and "recently quizzed" follow B.
* **split**: phrasings taken out of a topic into a new one; later runs match those phrasings
  to the new topic, and no longer to the old.
* **rename**: the label shown in lists.

The same topic number is what `quiz show`, the quiz sheet, `library candidates/approve/retire`
and `topics` print and accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.store import schema
from scriptlab.store.topic_rules import banned_topics, pinned_phrasings, resolve, resolve_map
from scriptlab.store.workspace import Workspace

__all__ = ["TopicRow", "banned_topics", "list_topics", "merge_topics", "pinned_phrasings",
           "rename_topic", "resolve", "resolve_map", "set_banned", "split_topic"]


@dataclass(frozen=True)
class TopicRow:
    """One topic as `topics list` shows it."""

    id: int
    label: str
    status: str  # active | banned | merged
    merged_into: int | None
    last_count: int  # messages in the latest run that has a group of it (0: none)
    last_run_id: int | None
    representative: str


def list_topics(ws: Workspace, *, include_merged: bool = False) -> list[TopicRow]:
    """Every topic, most asked (in its latest run) first."""
    t, g = schema.topics, schema.question_groups
    with ws.engine.connect() as conn:
        latest = (sa.select(g.c.topic_id, sa.func.max(g.c.id).label("group_id"))
                  .where(g.c.topic_id.is_not(None)).group_by(g.c.topic_id).subquery())
        rows = conn.execute(
            sa.select(t.c.id, t.c.label, t.c.status, t.c.merged_into, g.c.count, g.c.run_id,
                      g.c.representative)
            .select_from(t.outerjoin(latest, latest.c.topic_id == t.c.id)
                         .outerjoin(g, g.c.id == latest.c.group_id))
        ).all()
    out = [TopicRow(r.id, r.label, "merged" if r.merged_into else r.status, r.merged_into,
                    int(r.count or 0), r.run_id, r.representative or r.label) for r in rows]
    if not include_merged:
        out = [r for r in out if r.status != "merged"]
    return sorted(out, key=lambda r: (-(r.last_run_id or 0), -r.last_count, r.id))


def _topic(conn: Connection, topic_id: int) -> sa.Row:
    row = conn.execute(sa.select(schema.topics).where(schema.topics.c.id == topic_id)).first()
    if row is None:
        raise ScriptlabError(f"No topic {topic_id}; see the topic numbers with: scriptlab "
                             "topics list")
    return row


def set_banned(ws: Workspace, topic_ids: Sequence[int], banned: bool) -> list[str]:
    """Ban (or unban) topics; returns their labels."""
    with ws.write() as conn:
        labels = [_topic(conn, i).label for i in topic_ids]
        conn.execute(sa.update(schema.topics).where(schema.topics.c.id.in_(list(topic_ids)))
                     .values(status="banned" if banned else "active"))
    return labels


def merge_topics(ws: Workspace, sources: Sequence[int], target: int) -> str:
    """Merge topics into `target` (kept across runs); returns the target's label."""
    if target in sources:
        raise UsageError(f"Cannot merge topic {target} into itself.")
    with ws.write() as conn:
        into = _topic(conn, target)
        if into.merged_into is not None:
            raise ScriptlabError(f"Topic {target} is itself merged into topic "
                                 f"{into.merged_into}; merge into that one.")
        for source in sources:
            _topic(conn, source)
        t = schema.topics
        conn.execute(sa.update(t).where(t.c.id.in_(list(sources))).values(merged_into=target))
        # Topics merged earlier into a source now point at the target directly.
        conn.execute(sa.update(t).where(t.c.merged_into.in_(list(sources)))
                     .values(merged_into=target))
        return into.label


def rename_topic(ws: Workspace, topic_id: int, label: str) -> str:
    """Give a topic a new label; returns the old one."""
    label = label.strip()
    if not label:
        raise UsageError("The new label is empty.")
    with ws.write() as conn:
        old = _topic(conn, topic_id).label
        conn.execute(sa.update(schema.topics).where(schema.topics.c.id == topic_id)
                     .values(label=label))
    return old


def split_topic(ws: Workspace, topic_id: int, phrasings: Sequence[str],
                label: str | None = None) -> int:
    """Move phrasings out of a topic into a new topic; later runs follow. Returns its id."""
    texts = [p.strip() for p in phrasings if p.strip()]
    if not texts:
        raise UsageError("Give the phrasings to split off, e.g. scriptlab topics split 7 "
                         "\"能开发票吗\".")
    with ws.write() as conn:
        row = _topic(conn, topic_id)
        excluded = list(dict.fromkeys([*(row.excluded or []), *texts]))
        conn.execute(sa.update(schema.topics).where(schema.topics.c.id == topic_id)
                     .values(excluded=excluded))
        return conn.execute(sa.insert(schema.topics).values(
            label=label or texts[0], created_at=datetime.now(), first_run_id=row.last_run_id,
            last_run_id=row.last_run_id, phrasings=texts, status="active",
        )).inserted_primary_key[0]
