"""What a quiz is made from: mining runs and their question groups (with customer phrasings
and logged agent replies), the history of past quizzes with each question's best score, and
the approved library scripts.

The quiz stage reads only its own tables (quizzes, quiz_questions); it asks the mining,
scoring and library stages through their queries modules for the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.mine.queries import groups as run_groups
from scriptlab.mine.queries import run_ids
from scriptlab.scoring.queries import best_scores
from scriptlab.store import schema
from scriptlab.store.topic_rules import resolve, resolve_map

if TYPE_CHECKING:
    import pandas as pd

HISTORY_COLUMNS = ["quiz_id", "week", "team", "run_id", "question_id", "topic_id",
                   "best_score"]

MINE_HINT = "run `scriptlab mine` first"


def resolve_run(conn: Connection, run_id: int | None = None) -> int:
    """The mining run to quiz from: the one asked for, else the latest.

    Raises
    ------
    ScriptlabError
        No mining run in the workspace, or `run_id` unknown.
    """
    runs = run_ids(conn)
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
    """The question groups of a mining run (`scriptlab.mine.queries.groups`), their topics as
    the trainer's merges say (a merge holds for earlier runs' groups too)."""
    import pandas as pd

    groups = run_groups(conn, run_id)
    merged = resolve_map(conn)
    groups["topic_id"] = [resolve(None if pd.isna(t) else t, merged) for t in groups["topic_id"]]
    return groups


def load_history(
    conn: Connection, *, team: str | None = None, exclude_quiz_id: int | None = None
) -> pd.DataFrame:
    """Every question of past quizzes with its best score (columns `HISTORY_COLUMNS`).

    `best_score` is the highest `scores.total` (0-1) among the question's answers, NaN
    while the quiz is not scored. For a team, its own quizzes and whole-shop ones
    (no team) count; without a team, every quiz counts.
    """
    import pandas as pd

    q, qq = schema.quizzes, schema.quiz_questions
    best = best_scores()
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
