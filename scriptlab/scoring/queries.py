"""What other stages may ask the scoring stage about its tables (answers, scores).

The library approves winners and the quiz stage weighs past best scores; both ask here
instead of reading ``answers`` and ``scores`` themselves, so a change to those tables stays
inside scoring. A winner is keyed on the quiz question it answers, so these queries join
the quiz's question and roster rows they hang on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.store import schema


@dataclass(frozen=True)
class Winner:
    """The winning answer of a topic's most recent scored quiz."""

    topic_id: int
    question_id: int
    group_id: int
    question: str
    phrasings: tuple[str, ...]
    answer_id: int
    text: str
    agent_id: str
    agent_name: str | None
    score: float | None
    quiz_week: str
    basis: str | None  # scoring's winner_basis: reviewed | unreviewed


def _winner_query() -> sa.Select:
    s, a, q, z, g = (schema.scores, schema.answers, schema.quiz_questions, schema.quizzes,
                     schema.agents)
    basis = s.c.winner_basis if "winner_basis" in s.c else sa.null()
    return (
        sa.select(
            q.c.topic_id, q.c.id.label("question_id"), q.c.group_id, q.c.question, q.c.phrasings,
            a.c.id.label("answer_id"), a.c.text, a.c.agent_id, g.c.name.label("agent_name"),
            s.c.total.label("score"), z.c.week.label("quiz_week"), basis.label("basis"),
        )
        .select_from(
            s.join(a, a.c.id == s.c.answer_id)
            .join(q, q.c.id == a.c.question_id)
            .join(z, z.c.id == q.c.quiz_id)
            .outerjoin(g, g.c.id == a.c.agent_id)
        )
        .where(s.c.is_winner.is_(True), a.c.text != "")
        .order_by(z.c.created_at.desc(), z.c.id.desc(), s.c.total.desc(), a.c.id)
    )


def _winner(row: Any) -> Winner:
    return Winner(
        topic_id=row.topic_id, question_id=row.question_id, group_id=row.group_id,
        question=row.question, phrasings=tuple(row.phrasings or ()), answer_id=row.answer_id,
        text=row.text, agent_id=row.agent_id, agent_name=row.agent_name,
        score=None if row.score is None else float(row.score), quiz_week=row.quiz_week,
        basis=row.basis,
    )


def latest_winners(conn: Connection, topic_id: int | None = None) -> dict[int, Winner]:
    """Topic → winner of the most recent quiz that has one for it (best total on ties)."""
    query = _winner_query()
    if topic_id is not None:
        query = query.where(schema.quiz_questions.c.topic_id == topic_id)
    found: dict[int, Winner] = {}
    for row in conn.execute(query):
        found.setdefault(row.topic_id, _winner(row))
    return found


def answer_as_winner(conn: Connection, answer_id: int) -> Winner | None:
    """Any answer, winner or not, in the shape of a winner (its score if scored); None if
    there is no such answer."""
    a, s, q, z = schema.answers, schema.scores, schema.quiz_questions, schema.quizzes
    query = sa.select(*_winner_query().selected_columns).select_from(
        a.join(q, q.c.id == a.c.question_id)
        .join(z, z.c.id == q.c.quiz_id)
        .outerjoin(schema.agents, schema.agents.c.id == a.c.agent_id)
        .outerjoin(s, s.c.answer_id == a.c.id)
    ).where(a.c.id == answer_id)
    row = conn.execute(query).first()
    return None if row is None else _winner(row)


def best_scores() -> sa.Subquery:
    """Quiz question id → the best ``total`` (0-1) among its answers' scores, as a
    subquery with columns ``question_id`` and ``best_score`` (questions not scored: absent)."""
    a, s = schema.answers, schema.scores
    return (
        sa.select(a.c.question_id, sa.func.max(s.c.total).label("best_score"))
        .select_from(a.join(s, s.c.answer_id == a.c.id))
        .group_by(a.c.question_id)
        .subquery()
    )
