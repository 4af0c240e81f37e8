"""Build scoring workspaces by inserting rows straight into the contract tables.

`build_quiz` makes a mining run, topics, groups (with logged replies), agents, a quiz
and its questions, and optionally approved library scripts; `add_answers` and
`add_ratings` fill the scoring tables directly (the import commands are tested
separately). Nothing here depends on the other stages' code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from scriptlab.scoring.answer_codes import new_code
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

WEEK = "2026-W48"
NOW = datetime(2026, 11, 27, 10, 0)


@dataclass(frozen=True)
class QuestionSpec:
    """One quiz question: wording, customer phrasings, references."""

    question: str
    phrasings: tuple[str, ...] = ()
    reference: str | None = None  # quiz_questions.reference
    replies: tuple[str, ...] = ()  # group_replies, most frequent first
    library: str | None = None  # an active library script for the topic


@dataclass(frozen=True)
class BuiltQuiz:
    quiz_id: int
    week: str
    team: str | None
    seed: int
    question_ids: list[int]
    agents: list[str] = field(default_factory=list)


# Three hand-made questions of a small shop, with logged replies and references.
SHIP = QuestionSpec(
    "什么时候发货？", ("今天拍什么时候发", "几天能发货呀"),
    reference="亲，付款后48小时内发货，16:00前付款当天发出哦~",
    replies=("亲，48小时内发货哦", "很快就发"),
)
RETURN = QuestionSpec(
    "可以退货吗？", ("不合适能退吗", "七天无理由吗"),
    replies=("亲，支持7天无理由退换，吊牌完好就可以哦", "可以退"),
)
COURIER = QuestionSpec(
    "发什么快递？", ("能发顺丰吗", "默认什么快递"),
    library="亲，默认发中通，需要顺丰补差价10元哦~",
)
AGENTS = (("kf_01", "小美"), ("kf_02", "阿强"), ("kf_03", "小雪"), ("kf_04", "大刘"))


def build_quiz(
    ws: Workspace,
    questions: Sequence[QuestionSpec] = (SHIP, RETURN, COURIER),
    agents: Sequence[tuple[str, str]] = AGENTS,
    *,
    week: str = WEEK,
    team: str | None = None,
    seed: int = 42,
) -> BuiltQuiz:
    """Insert a quiz with its upstream rows; agents are created if missing."""
    with ws.engine.begin() as conn:
        run_id = conn.execute(sa.insert(schema.mine_runs).values(
            created_at=NOW, sources=["fixture"], stats={}, settings={},
        )).inserted_primary_key[0]
        known = set(conn.execute(sa.select(schema.agents.c.id)).scalars())
        new_agents = [{"id": a, "name": n, "team": team, "active": True, "updated_at": NOW}
                      for a, n in agents if a not in known]
        if new_agents:
            conn.execute(sa.insert(schema.agents), new_agents)
        quiz_id = conn.execute(sa.insert(schema.quizzes).values(
            week=week, team=team, run_id=run_id, seed=seed, settings={}, created_at=NOW,
        )).inserted_primary_key[0]
        question_ids = []
        for position, spec in enumerate(questions, start=1):
            topic_id = conn.execute(sa.insert(schema.topics).values(
                label=spec.question, created_at=NOW, first_run_id=run_id, last_run_id=run_id,
            )).inserted_primary_key[0]
            group_id = conn.execute(sa.insert(schema.question_groups).values(
                run_id=run_id, topic_id=topic_id, rank=position, representative=spec.question,
                count=10, sessions=10, customers=10, share=0.1, keywords=[],
            )).inserted_primary_key[0]
            for n, reply in enumerate(spec.replies):
                conn.execute(sa.insert(schema.group_replies).values(
                    group_id=group_id, text=reply, count=10 - n, agents=["kf_01"]))
            if spec.library:
                conn.execute(sa.insert(schema.library_entries).values(
                    topic_id=topic_id, question=spec.question, variants=[], script=spec.library,
                    tags=[], status="active", approved_by="组长", approved_at=NOW,
                    updated_at=NOW,
                ))
            question_ids.append(conn.execute(sa.insert(schema.quiz_questions).values(
                quiz_id=quiz_id, position=position, topic_id=topic_id, group_id=group_id,
                question=spec.question, phrasings=list(spec.phrasings),
                reference=spec.reference, reason="fixture",
            )).inserted_primary_key[0])
    return BuiltQuiz(quiz_id, week, team, seed, question_ids, [a for a, _ in agents])


def add_answers(ws: Workspace, quiz: BuiltQuiz,
                answers: Mapping[tuple[int, str], str]) -> dict[tuple[int, str], int]:
    """Store answers {(question position, agent id): text}; returns their ids."""
    ids = {}
    with ws.engine.begin() as conn:
        import_id = conn.execute(sa.insert(schema.imports).values(
            kind="answers", source="fixture", sha256="0" * 64, rows=len(answers), skipped=0,
            imported_at=NOW)).inserted_primary_key[0]
        taken: set[str] = set()
        for (position, agent_id), text in answers.items():
            question_id = quiz.question_ids[position - 1]
            ids[(position, agent_id)] = conn.execute(sa.insert(schema.answers).values(
                quiz_id=quiz.quiz_id, question_id=question_id, agent_id=agent_id, text=text,
                code=new_code(quiz.quiz_id, quiz.seed, question_id, agent_id, taken),
                import_id=import_id, imported_at=NOW,
            )).inserted_primary_key[0]
    return ids


def add_ratings(ws: Workspace, ratings: Sequence[tuple[int, str, str, int]]) -> None:
    """Store ratings (answer id, reviewer, dimension, value)."""
    with ws.engine.begin() as conn:
        import_id = conn.execute(sa.insert(schema.imports).values(
            kind="ratings", source="fixture", sha256="0" * 64, rows=len(ratings), skipped=0,
            imported_at=NOW)).inserted_primary_key[0]
        conn.execute(sa.insert(schema.ratings), [
            {"answer_id": a, "reviewer": r, "dimension": d, "value": v, "import_id": import_id}
            for a, r, d, v in ratings
        ])


def answer_csv(path: Path, rows: Sequence[Mapping[str, object]],
               columns: Sequence[str] | None = None) -> Path:
    """Write an answer file in the CSV template layout (UTF-8 with BOM)."""
    from scriptlab.quiz.template_columns import ANSWER_COLUMNS

    frame = pd.DataFrame(list(rows), columns=list(columns or ANSWER_COLUMNS))
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def template_rows(quiz: BuiltQuiz, texts: Mapping[tuple[int, str], str],
                  questions: Sequence[QuestionSpec] = (SHIP, RETURN, COURIER)) -> list[dict]:
    """Rows of a filled answer template for {(position, agent id): answer}."""
    names = dict(AGENTS)
    return [
        {"quiz_week": quiz.week, "question_id": quiz.question_ids[pos - 1], "question_no": pos,
         "question": questions[pos - 1].question,
         "phrasings": " / ".join(questions[pos - 1].phrasings), "agent_id": agent,
         "agent_name": names.get(agent, agent), "answer": text}
        for (pos, agent), text in texts.items()
    ]


def intent_questions(n: int, start: int = 0) -> list[QuestionSpec]:
    """Questions made from the sample intent catalogue, as mining + quiz would make them:
    the canonical question, a few customer phrasings, the agents' logged replies."""
    from scriptlab.sample.generator import phrasings
    from scriptlab.sample.intents import INTENTS

    return [
        QuestionSpec(i.canonical, tuple(phrasings(i.key)[:3]),
                     replies=(i.good_answer, i.mediocre_answers[0], i.poor_answers[0]))
        for i in INTENTS[start:start + n]
    ]


SAMPLE_AGENTS = (("kf_01", "王小丽"), ("kf_02", "李娜"), ("kf_03", "张伟"), ("kf_04", "刘洋"),
                 ("kf_05", "陈静"), ("kf_06", "杨帆"), ("kf_07", "赵敏"), ("kf_08", "黄磊"))
