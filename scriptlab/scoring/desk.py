"""The agent's side of a quiz, as the browser shows it: the questions with my answers
and drafts, saving drafts, submitting (through `import_answer_rows`, the same rules as an
imported answer file), and after scoring my answers beside the winners and my trend.

Every function takes the agent id from the caller's session, never from a request: an
agent sees and changes only their own answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.quiz.closing import is_closed
from scriptlab.scoring.answer_import import AnswersImport, import_answer_rows
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace
from scriptlab.text.mask import mask_text

MAX_ANSWER_CHARS = 2000


@dataclass(frozen=True)
class DeskQuiz:
    """A quiz as one agent may see it."""

    id: int
    week: str
    team: str | None
    closed: bool
    scored: bool


@dataclass(frozen=True)
class DeskQuestion:
    """One question with my submitted answer and my unsent draft."""

    question_id: int
    position: int
    question: str
    phrasings: list[str]
    answer: str | None  # submitted (None = not yet)
    draft: str | None  # saved while typing, newer than the answer


@dataclass(frozen=True)
class MyResult:
    """My scored answer to one question, beside the winning one."""

    position: int
    question: str
    mine: str
    total: float
    rank: int
    answers: int
    is_winner: bool
    winner: str | None
    components: dict[str, dict]
    dimensions: dict[str, float]  # rubric dimension -> mean 1-5 over reviewers
    comments: list[str]


def agent_quizzes(ws: Workspace, agent_id: str) -> list[DeskQuiz]:
    """The quizzes an agent takes (shop-wide ones and their team's), newest first."""
    q, ag, s = schema.quizzes, schema.agents, schema.scores
    with ws.engine.connect() as conn:
        team = conn.execute(sa.select(ag.c.team).where(ag.c.id == agent_id)).scalar()
        clause = q.c.team.is_(None) if team is None else sa.or_(q.c.team.is_(None),
                                                              q.c.team == team)
        rows = conn.execute(sa.select(q.c.id, q.c.week, q.c.team).where(clause)
                            .order_by(q.c.week.desc(), q.c.id.desc())).all()
        scored = set(conn.execute(sa.select(s.c.quiz_id).distinct()).scalars())
        return [DeskQuiz(r.id, r.week, r.team, is_closed(conn, r.id), r.id in scored)
                for r in rows]


def agent_quiz(ws: Workspace, agent_id: str, week: str) -> DeskQuiz:
    """The agent's quiz of `week` (their team's before the shop-wide one)."""
    found = [q for q in agent_quizzes(ws, agent_id) if q.week == week]
    if not found:
        raise ScriptlabError(f"No quiz {week} for you.")
    return sorted(found, key=lambda q: q.team is None)[0]


def desk_questions(ws: Workspace, agent_id: str, quiz_id: int) -> list[DeskQuestion]:
    qq, a, d = schema.quiz_questions, schema.answers, schema.answer_drafts
    with ws.engine.connect() as conn:
        questions = conn.execute(sa.select(qq).where(qq.c.quiz_id == quiz_id)
                                 .order_by(qq.c.position)).all()
        answers = {r.question_id: (r.text, r.imported_at) for r in conn.execute(
            sa.select(a.c.question_id, a.c.text, a.c.imported_at)
            .where(a.c.quiz_id == quiz_id, a.c.agent_id == agent_id))}
        drafts = {r.question_id: (r.text, r.updated_at) for r in conn.execute(
            sa.select(d.c.question_id, d.c.text, d.c.updated_at)
            .where(d.c.quiz_id == quiz_id, d.c.agent_id == agent_id))}
    out = []
    for q in questions:
        answer = answers.get(q.id)
        draft = drafts.get(q.id)
        if draft and answer and (draft[1] <= answer[1] or draft[0] == answer[0]):
            draft = None  # submitted since
        out.append(DeskQuestion(q.id, q.position, q.question, list(q.phrasings or []),
                                answer[0] if answer else None, draft[0] if draft else None))
    return out


def _check_open(conn: Connection, quiz: DeskQuiz) -> None:
    if is_closed(conn, quiz.id):
        raise ScriptlabError(f"Quiz {quiz.week} is closed; answers can no longer change.")


def _question_ids(conn: Connection, quiz_id: int) -> set[int]:
    qq = schema.quiz_questions
    return set(conn.execute(sa.select(qq.c.id).where(qq.c.quiz_id == quiz_id)).scalars())


def _checked_text(text: str) -> str:
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_ANSWER_CHARS:
        raise ScriptlabError(f"An answer has {len(text)} characters; keep it to "
                             f"{MAX_ANSWER_CHARS}.")
    return text


def save_draft(ws: Workspace, agent_id: str, quiz: DeskQuiz, question_id: int, text: str,
               now: datetime | None = None) -> None:
    """Keep what the agent typed so far (masked), one draft per question."""
    d = schema.answer_drafts
    text = mask_text(_checked_text(text))
    with ws.write() as conn:
        _check_open(conn, quiz)
        if question_id not in _question_ids(conn, quiz.id):
            raise ScriptlabError(f"Question {question_id} is not in quiz {quiz.week}.")
        values = {"text": text, "updated_at": now or datetime.now()}
        done = conn.execute(sa.update(d).where(d.c.question_id == question_id,
                                               d.c.agent_id == agent_id).values(**values))
        if not done.rowcount:
            conn.execute(sa.insert(d).values(quiz_id=quiz.id, question_id=question_id,
                                             agent_id=agent_id, **values))


def submit_answers(ws: Workspace, agent_id: str, quiz: DeskQuiz,
                   texts: dict[int, str]) -> AnswersImport:
    """Store the agent's answers ({question id: text}) as an answer import would."""
    with ws.engine.connect() as conn:
        _check_open(conn, quiz)
        known = _question_ids(conn, quiz.id)
    unknown = sorted(set(texts) - known)
    if unknown:
        raise ScriptlabError(f"Question {unknown[0]} is not in quiz {quiz.week}.")
    rows = [{"quiz_week": quiz.week, "question_id": str(qid), "agent_id": agent_id,
             "answer": _checked_text(text)} for qid, text in sorted(texts.items())]
    return import_answer_rows(ws, f"web:{agent_id}", rows, replace=True)


def my_results(ws: Workspace, agent_id: str, quiz_id: int) -> list[MyResult]:
    """My scored answers, each beside its question's winning answer."""
    a, s, qq, r = schema.answers, schema.scores, schema.quiz_questions, schema.ratings
    with ws.engine.connect() as conn:
        rows = conn.execute(
            sa.select(a.c.id, a.c.question_id, a.c.agent_id, a.c.text, s.c.total, s.c.rank,
                      s.c.is_winner, s.c.components, qq.c.position, qq.c.question)
            .select_from(s.join(a, a.c.id == s.c.answer_id)
                         .join(qq, qq.c.id == a.c.question_id))
            .where(s.c.quiz_id == quiz_id).order_by(qq.c.position, s.c.rank)).all()
        mine_ids = [x.id for x in rows if x.agent_id == agent_id]
        ratings = conn.execute(sa.select(r.c.answer_id, r.c.dimension, r.c.value, r.c.comment)
                               .where(r.c.answer_id.in_(mine_ids))).all() if mine_ids else []
    winners = {x.question_id: x.text for x in rows if x.is_winner}
    counts: dict[int, int] = {}
    for x in rows:
        counts[x.question_id] = counts.get(x.question_id, 0) + 1
    out = []
    for x in rows:
        if x.agent_id != agent_id:
            continue
        values: dict[str, list[int]] = {}
        comments: list[str] = []
        for rating in ratings:
            if rating.answer_id == x.id:
                values.setdefault(rating.dimension, []).append(rating.value)
                if rating.comment and rating.comment not in comments:
                    comments.append(rating.comment)
        out.append(MyResult(
            x.position, x.question, x.text, float(x.total), int(x.rank), counts[x.question_id],
            bool(x.is_winner), None if x.is_winner else winners.get(x.question_id),
            dict(x.components or {}), {k: sum(v) / len(v) for k, v in values.items()},
            comments))
    return out


def my_trend(ws: Workspace, agent_id: str) -> list[tuple[str, float]]:
    """(week, my week score 0-1) for every scored quiz I answered, oldest first; the week
    score is the leaderboard's: my totals summed over the quiz's questions."""
    a, s, qq, q = schema.answers, schema.scores, schema.quiz_questions, schema.quizzes
    with ws.engine.connect() as conn:
        sizes = dict(conn.execute(sa.select(qq.c.quiz_id, sa.func.count())
                                  .group_by(qq.c.quiz_id)).all())
        rows = conn.execute(
            sa.select(q.c.id, q.c.week, sa.func.sum(s.c.total))
            .select_from(s.join(a, a.c.id == s.c.answer_id).join(q, q.c.id == s.c.quiz_id))
            .where(a.c.agent_id == agent_id).group_by(q.c.id, q.c.week)
            .order_by(q.c.week)).all()
    return [(week, float(total) / max(sizes.get(quiz_id, 1), 1))
            for quiz_id, week, total in rows]
