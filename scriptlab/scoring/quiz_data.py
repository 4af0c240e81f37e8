"""Load what scoring works on from the workspace: a quiz's questions, references,
answers and ratings, as DataFrames with documented columns."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.library.queries import active_scripts
from scriptlab.mine.queries import group_replies
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

QUESTION_COLUMNS = ["question_id", "position", "topic_id", "group_id", "question", "phrasings"]
REFERENCE_COLUMNS = ["question_id", "text", "source", "weight"]
ANSWER_COLUMNS = ["answer_id", "question_id", "agent_id", "agent_name", "text", "code"]
RATING_COLUMNS = ["answer_id", "reviewer", "dimension", "value", "comment"]
# How many logged replies stand in for a missing reference (most frequent first).
LOGGED_REPLIES = 5


@dataclass(frozen=True)
class QuizRef:
    """The quiz being scored."""

    id: int
    week: str
    team: str | None
    seed: int

    @property
    def label(self) -> str:
        return f"{self.week} (team {self.team})" if self.team else self.week

    @property
    def slug(self) -> str:
        """`2026-W48` or `2026-W48-售前组`, for file names."""
        if not self.team:
            return self.week
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in self.team)
        return f"{self.week}-{safe}"


def find_quiz(ws: Workspace, week: str, team: str | None = None) -> QuizRef:
    """The quiz of a week (and team); same rules and messages as `scriptlab quiz show`."""
    from scriptlab.quiz.quizzes import get_quiz
    from scriptlab.quiz.weeks import parse_week

    quiz = get_quiz(ws, parse_week(week), team)
    return QuizRef(id=quiz.id, week=quiz.week, team=quiz.team, seed=quiz.seed)


def load_questions(conn: Connection, quiz_id: int) -> pd.DataFrame:
    """The quiz's questions in order; ``phrasings`` is a list of customer wordings."""
    qq = schema.quiz_questions
    rows = conn.execute(
        sa.select(qq.c.id.label("question_id"), qq.c.position, qq.c.topic_id, qq.c.group_id,
                  qq.c.question, qq.c.phrasings, qq.c.reference)
        .where(qq.c.quiz_id == quiz_id).order_by(qq.c.position)
    ).all()
    frame = pd.DataFrame([r._asdict() for r in rows],
                         columns=[*QUESTION_COLUMNS, "reference"])
    frame["phrasings"] = frame["phrasings"].apply(lambda p: list(p or []))
    return frame


def load_references(conn: Connection, questions: pd.DataFrame) -> pd.DataFrame:
    """Reference texts per question, best first: the active library script of the topic,
    else the quiz's reference, else the most frequent agent replies seen in the logs
    (``weight`` = how often each was sent; scoring uses their weighted centroid)."""
    topics = [int(t) for t in questions["topic_id"].dropna().unique()]
    groups = [int(g) for g in questions["group_id"].dropna().unique()]
    scripts = active_scripts(conn, topics)
    replies = {group_id: [(text, max(count, 1)) for text, count in texts
                          if text and text.strip()]
               for group_id, texts in group_replies(conn, groups).items()}
    out: list[dict] = []
    for q in questions.itertuples():
        if q.topic_id in scripts and scripts[q.topic_id].strip():
            out.append({"question_id": q.question_id, "text": scripts[q.topic_id],
                        "source": "library", "weight": 1})
        elif isinstance(q.reference, str) and q.reference.strip():
            out.append({"question_id": q.question_id, "text": q.reference, "source": "quiz",
                        "weight": 1})
        else:
            out.extend({"question_id": q.question_id, "text": text, "source": "logs",
                        "weight": count}
                       for text, count in replies.get(q.group_id, [])[:LOGGED_REPLIES])
    return pd.DataFrame(out, columns=REFERENCE_COLUMNS)


def load_answers(conn: Connection, quiz_id: int) -> pd.DataFrame:
    """Every imported answer of the quiz ("" = no answer), with the agent's name."""
    a, ag = schema.answers, schema.agents
    rows = conn.execute(
        sa.select(a.c.id.label("answer_id"), a.c.question_id, a.c.agent_id,
                  ag.c.name.label("agent_name"), a.c.text, a.c.code)
        .select_from(a.join(ag, ag.c.id == a.c.agent_id))
        .where(a.c.quiz_id == quiz_id).order_by(a.c.question_id, a.c.agent_id)
    ).all()
    return pd.DataFrame([r._asdict() for r in rows], columns=ANSWER_COLUMNS)


def load_ratings(conn: Connection, quiz_id: int) -> pd.DataFrame:
    """Every rating of the quiz's answers."""
    a, r = schema.answers, schema.ratings
    rows = conn.execute(
        sa.select(r.c.answer_id, r.c.reviewer, r.c.dimension, r.c.value, r.c.comment)
        .select_from(r.join(a, a.c.id == r.c.answer_id))
        .where(a.c.quiz_id == quiz_id).order_by(r.c.answer_id, r.c.reviewer, r.c.dimension)
    ).all()
    return pd.DataFrame([r._asdict() for r in rows], columns=RATING_COLUMNS)
