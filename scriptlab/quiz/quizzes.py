"""Stored quizzes: find, load, list and delete them.

A quiz is one team's questions for one ISO week (`quizzes` + `quiz_questions`). The
dataclasses here are what rendering and the commands work with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

if TYPE_CHECKING:
    import pandas as pd

QUIZ_LIST_COLUMNS = ["quiz_id", "week", "team", "run_id", "questions", "answers", "seed",
                     "created_at"]


@dataclass(frozen=True)
class QuizQuestion:
    """One question of a stored quiz."""

    id: int
    position: int
    topic_id: int
    group_id: int
    question: str
    phrasings: tuple[str, ...]
    reference: str | None
    reason: str


@dataclass(frozen=True)
class Quiz:
    """A stored quiz with its questions in order."""

    id: int
    week: str
    team: str | None
    run_id: int
    seed: int
    created_at: datetime
    settings: dict[str, Any] = field(default_factory=dict)
    questions: tuple[QuizQuestion, ...] = ()

    @property
    def label(self) -> str:
        """`2026-W48` or `2026-W48 (team 售前组)`, for messages."""
        return quiz_label(self.week, self.team)

    @property
    def shuffle(self) -> bool:
        return bool(self.settings.get("shuffle", False))


def quiz_label(week: str, team: str | None) -> str:
    """How messages name a quiz."""
    return f"{week} (team {team})" if team else week


def find_quiz_id(conn: Connection, week: str, team: str | None) -> int | None:
    """The id of the quiz for a week and team (no team = the whole shop's quiz)."""
    q = schema.quizzes
    team_clause = q.c.team.is_(None) if team is None else q.c.team == team
    return conn.execute(sa.select(q.c.id).where(q.c.week == week, team_clause)).scalar()


def load_quiz(conn: Connection, quiz_id: int) -> Quiz:
    """A stored quiz by id, questions ordered by position."""
    q, qq = schema.quizzes, schema.quiz_questions
    row = conn.execute(sa.select(q).where(q.c.id == quiz_id)).one()
    questions = tuple(
        QuizQuestion(
            id=r.id, position=r.position, topic_id=r.topic_id, group_id=r.group_id,
            question=r.question, phrasings=tuple(r.phrasings or ()), reference=r.reference,
            reason=r.reason,
        )
        for r in conn.execute(
            sa.select(qq).where(qq.c.quiz_id == quiz_id).order_by(qq.c.position)
        )
    )
    return Quiz(
        id=row.id, week=row.week, team=row.team, run_id=row.run_id, seed=row.seed,
        created_at=row.created_at, settings=dict(row.settings or {}), questions=questions,
    )


def get_quiz(ws: Workspace, week: str, team: str | None = None) -> Quiz:
    """The quiz of a week: the team's, else the whole shop's, else the week's only quiz.

    Raises
    ------
    ScriptlabError
        No such quiz, or several teams have one that week and no team was given.
    """
    q = schema.quizzes
    with ws.engine.connect() as conn:
        quiz_id = find_quiz_id(conn, week, team)
        if quiz_id is None and team is None:
            teams = conn.execute(
                sa.select(q.c.id, q.c.team).where(q.c.week == week).order_by(q.c.team)
            ).all()
            if len(teams) == 1:
                quiz_id = teams[0].id
            elif teams:
                raise ScriptlabError(
                    f"Several teams have a quiz for {week}: "
                    f"{', '.join(str(t.team) for t in teams)}. Choose one with --team."
                )
        if quiz_id is None:
            weeks = conn.execute(
                sa.select(q.c.week).distinct().order_by(q.c.week.desc()).limit(8)
            ).scalars().all()
            known = f"quizzes exist for {', '.join(weeks)}" if weeks else "no quiz exists yet"
            raise ScriptlabError(
                f"No quiz for {quiz_label(week, team)} ({known}). "
                f"Create it with: scriptlab quiz new --week {week}"
                + (f" --team {team}" if team else "")
            )
        return load_quiz(conn, quiz_id)


def list_quizzes(ws: Workspace) -> pd.DataFrame:
    """Every quiz, newest week first, with its question and answer counts."""
    import pandas as pd

    q, qq, a = schema.quizzes, schema.quiz_questions, schema.answers
    questions = (sa.select(qq.c.quiz_id, sa.func.count().label("questions"))
                 .group_by(qq.c.quiz_id).subquery())
    answers = (sa.select(a.c.quiz_id, sa.func.count().label("answers"))
               .where(a.c.text != "").group_by(a.c.quiz_id).subquery())
    query = (
        sa.select(
            q.c.id.label("quiz_id"), q.c.week, q.c.team, q.c.run_id,
            sa.func.coalesce(questions.c.questions, 0).label("questions"),
            sa.func.coalesce(answers.c.answers, 0).label("answers"),
            q.c.seed, q.c.created_at,
        )
        .select_from(q.outerjoin(questions, questions.c.quiz_id == q.c.id)
                     .outerjoin(answers, answers.c.quiz_id == q.c.id))
        .order_by(q.c.week.desc(), q.c.team, q.c.id)
    )
    with ws.engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame([r._asdict() for r in rows], columns=QUIZ_LIST_COLUMNS)


def delete_quiz(conn: Connection, quiz_id: int, label: str) -> None:
    """Remove a quiz and its questions, refusing when answers were already imported."""
    a = schema.answers
    answered = conn.execute(
        sa.select(sa.func.count()).select_from(a).where(a.c.quiz_id == quiz_id)
    ).scalar_one()
    if answered:
        raise ScriptlabError(
            f"The quiz for {label} already has {answered} imported answers, so it cannot be "
            "replaced. Create the new quiz for another week (--week) or team (--team)."
        )
    conn.execute(sa.delete(schema.quiz_questions).where(schema.quiz_questions.c.quiz_id
                                                        == quiz_id))
    conn.execute(sa.delete(schema.quizzes).where(schema.quizzes.c.id == quiz_id))
