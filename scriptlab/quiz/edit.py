"""`scriptlab quiz edit`: the trainer drops, adds or replaces questions before answers come in.

Question numbers (`--drop N`, `--replace N TOPIC`) are the positions on the quiz sheet as
it stands; topics (`--add TOPIC`) are the topic numbers `topics list` and `quiz show` print.
A topic is added through its group in the quiz's mining run. Positions are renumbered
1..n afterwards and the sheets and answer templates written again. Refused once answers
were imported: the templates handed out would no longer match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.library.queries import approved_scripts
from scriptlab.quiz.output import QuizFiles
from scriptlab.quiz.questions import context_phrasings, reference_answer
from scriptlab.quiz.quizzes import Quiz, get_quiz, load_quiz
from scriptlab.quiz.source import load_groups
from scriptlab.quiz.weeks import parse_week
from scriptlab.store import schema
from scriptlab.store.topic_rules import banned_topics
from scriptlab.store.workspace import Workspace


@dataclass(frozen=True)
class QuizEdit:
    """The edited quiz, the files written again, and what changed in words."""

    quiz: Quiz
    files: QuizFiles
    changes: tuple[str, ...]


def edit_quiz(
    ws: Workspace, week: str, *, team: str | None = None, drop: Sequence[int] = (),
    add: Sequence[int] = (), replace: Sequence[tuple[int, int]] = (),
    out_dir: Path | None = None,
) -> QuizEdit:
    """Apply replacements, drops and additions (in that order), renumber, re-render."""
    from scriptlab.quiz.new import render_stored_quiz

    if not (drop or add or replace):
        raise UsageError("Nothing to change: give --drop N, --add TOPIC or --replace N TOPIC.")
    quiz = get_quiz(ws, parse_week(week), team)
    changes: list[str] = []
    with ws.write() as conn:
        answered = conn.execute(sa.select(sa.func.count()).select_from(schema.answers)
                                .where(schema.answers.c.quiz_id == quiz.id)).scalar_one()
        if answered:
            raise ScriptlabError(f"Quiz {quiz.label} already has {answered} imported answers; "
                                 "it can no longer be edited. Make a new quiz for another "
                                 "week instead.")
        by_position = {q.position: q for q in quiz.questions}
        for n in [*drop, *(n for n, _ in replace)]:
            if n not in by_position:
                raise UsageError(f"Quiz {quiz.label} has no question {n}; its questions are "
                                 f"1-{len(quiz.questions)} (see scriptlab quiz show {quiz.week}).")
        groups = load_groups(conn, quiz.run_id)
        banned = banned_topics(conn)
        approved = approved_scripts(conn)
        scripts = dict(zip(approved["topic_id"], approved["script"], strict=True))
        settings = quiz.settings
        taken = {q.topic_id for q in quiz.questions}

        def row_for(topic: int) -> dict:
            if topic in banned:
                raise ScriptlabError(f"Topic {topic} is banned; unban it first: scriptlab "
                                     f"topics unban {topic}")
            found = groups[groups["topic_id"] == topic]
            if found.empty:
                raise ScriptlabError(f"Topic {topic} has no question group in mining run "
                                     f"{quiz.run_id}, which this quiz is made from; see its "
                                     "topics with: scriptlab topics list")
            group = found.iloc[0]
            return {
                "quiz_id": quiz.id, "topic_id": topic, "group_id": int(group["group_id"]),
                "question": group["representative"],
                "phrasings": context_phrasings(group["representative"], group["variants"],
                                               int(settings.get("phrasings", 3))),
                "reference": reference_answer(group["replies"], scripts.get(topic),
                                              min_chars=int(settings.get(
                                                  "reference_min_chars", 8))),
                "reason": "chosen by the trainer (quiz edit)",
            }

        order: list[tuple[str, object]] = [("keep", q) for q in quiz.questions]
        for n, topic in replace:
            if topic in taken:
                raise UsageError(f"Topic {topic} is already in quiz {quiz.label}.")
            order[n - 1] = ("new", row_for(topic))
            taken.add(topic)
            changes.append(f"question {n} ({by_position[n].question}) → topic {topic}")
        dropped = set(drop)
        order = [item for i, item in enumerate(order, start=1) if i not in dropped]
        changes += [f"dropped question {n} ({by_position[n].question})" for n in sorted(dropped)]
        for topic in add:
            if topic in taken:
                raise UsageError(f"Topic {topic} is already in quiz {quiz.label}.")
            order.append(("new", row_for(topic)))
            taken.add(topic)
            changes.append(f"added topic {topic}")
        if not order:
            raise UsageError(f"That would leave quiz {quiz.label} with no questions.")
        qq = schema.quiz_questions
        kept_ids = {item.id for kind, item in order if kind == "keep"}  # type: ignore[union-attr]
        gone = [q.id for q in quiz.questions if q.id not in kept_ids]
        if gone:
            conn.execute(sa.delete(qq).where(qq.c.id.in_(gone)))
        # Renumber in two steps so (quiz, position) stays unique throughout.
        conn.execute(sa.update(qq).where(qq.c.quiz_id == quiz.id)
                     .values(position=qq.c.position + 10_000))
        for position, (kind, item) in enumerate(order, start=1):
            if kind == "keep":
                conn.execute(sa.update(qq).where(qq.c.id == item.id)  # type: ignore[union-attr]
                             .values(position=position))
            else:
                conn.execute(sa.insert(qq).values(position=position, **item))  # type: ignore[arg-type]
        edited = load_quiz(conn, quiz.id)
    _, files = render_stored_quiz(ws, edited.week, team=edited.team, out_dir=out_dir)
    return QuizEdit(edited, files, tuple(changes))
