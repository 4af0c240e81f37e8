"""What a quiz is made from, read straight from the workspace tables.

Mining runs and their question groups (with customer phrasings and logged agent
replies), the history of past quizzes with each question's best score, and the
approved library scripts. Reading the tables here (not through the mine stage's
code) keeps the quiz stage depending only on the schema, the stages' contract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.store import schema
from scriptlab.store.topic_rules import resolve, resolve_map

if TYPE_CHECKING:
    import pandas as pd

GROUP_COLUMNS = [
    "group_id", "run_id", "topic_id", "rank", "representative", "count", "sessions",
    "customers", "share", "prev_count", "trend", "keywords", "is_new", "variants", "replies",
]
HISTORY_COLUMNS = ["quiz_id", "week", "team", "run_id", "question_id", "topic_id",
                   "best_score"]
APPROVED_COLUMNS = ["topic_id", "script"]

MINE_HINT = "run `scriptlab mine` first"


def resolve_run(conn: Connection, run_id: int | None = None) -> int:
    """The mining run to quiz from: the one asked for, else the latest.

    Raises
    ------
    ScriptlabError
        No mining run in the workspace, or `run_id` unknown.
    """
    runs = [r.id for r in conn.execute(sa.select(schema.mine_runs.c.id)
                                       .order_by(schema.mine_runs.c.id))]
    if not runs:
        raise ScriptlabError(
            f"No mining run in this workspace; {MINE_HINT} (after `scriptlab logs import`)."
        )
    if run_id is None:
        return runs[-1]
    if run_id not in runs:
        raise ScriptlabError(
            f"Mining run {run_id} does not exist; known runs: {_id_list(runs)}. "
            "Leave out --from-run to use the latest."
        )
    return run_id


def _id_list(ids: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(i) for i in ids[-limit:])
    return f"…, {shown}" if len(ids) > limit else shown


def load_groups(conn: Connection, run_id: int) -> pd.DataFrame:
    """The question groups of a mining run, best rank first (columns `GROUP_COLUMNS`).

    `variants` and `replies` are lists of (text, count), most frequent first; `is_new`
    says the group's topic was first seen in this run although earlier runs exist.
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
    variants = _texts(conn, schema.group_variants, ids)
    replies = _texts(conn, schema.group_replies, ids)
    merged = resolve_map(conn)  # the trainer's merges hold for earlier runs' groups too
    records = []
    for r in rows:
        record = r._asdict()
        record["topic_id"] = resolve(record["topic_id"], merged)
        first_run = record.pop("first_run_id")
        record["is_new"] = bool(earlier_runs > 0 and first_run == run_id)
        record["variants"] = variants.get(r.group_id, [])
        record["replies"] = replies.get(r.group_id, [])
        records.append(record)
    return pd.DataFrame(records, columns=GROUP_COLUMNS)


def _texts(conn: Connection, table: sa.Table, group_ids: list[int]) -> dict[int, list]:
    out: dict[int, list[tuple[str, int]]] = {}
    if not group_ids:
        return out
    query = (
        sa.select(table.c.group_id, table.c.text, table.c.count)
        .where(table.c.group_id.in_(group_ids))
        .order_by(table.c.group_id, table.c.count.desc(), table.c.id)
    )
    for row in conn.execute(query):
        out.setdefault(row.group_id, []).append((row.text, int(row.count)))
    return out


def load_history(
    conn: Connection, *, team: str | None = None, exclude_quiz_id: int | None = None
) -> pd.DataFrame:
    """Every question of past quizzes with its best score (columns `HISTORY_COLUMNS`).

    `best_score` is the highest `scores.total` (0-1) among the question's answers, NaN
    while the quiz is not scored. For a team, its own quizzes and whole-shop ones
    (no team) count; without a team, every quiz counts.
    """
    import pandas as pd

    q, qq, a, s = schema.quizzes, schema.quiz_questions, schema.answers, schema.scores
    best = (
        sa.select(a.c.question_id, sa.func.max(s.c.total).label("best_score"))
        .select_from(a.join(s, s.c.answer_id == a.c.id))
        .group_by(a.c.question_id)
        .subquery()
    )
    query = (
        sa.select(
            q.c.id.label("quiz_id"), q.c.week, q.c.team, q.c.run_id,
            qq.c.id.label("question_id"),
            qq.c.topic_id, best.c.best_score,
        )
        .select_from(q.join(qq, qq.c.quiz_id == q.c.id)
                     .outerjoin(best, best.c.question_id == qq.c.id))
        .order_by(q.c.week, q.c.id, qq.c.position)
    )
    if team is not None:
        query = query.where(sa.or_(q.c.team == team, q.c.team.is_(None)))
    if exclude_quiz_id is not None:
        query = query.where(q.c.id != exclude_quiz_id)
    rows = conn.execute(query).all()
    merged = resolve_map(conn)
    frame = pd.DataFrame([{**r._asdict(), "topic_id": resolve(r.topic_id, merged)}
                          for r in rows], columns=HISTORY_COLUMNS)
    frame["best_score"] = frame["best_score"].astype(float)
    return frame


def load_approved(conn: Connection) -> pd.DataFrame:
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
