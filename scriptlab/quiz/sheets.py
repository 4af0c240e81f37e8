"""Who gets which questions in which order: the per-agent view every output is made from.

With shuffling on, each agent gets their own order, drawn from the quiz's seed and the
agent id (so re-rendering gives the same order, and neighbours can't copy by number).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from scriptlab.quiz.quizzes import Quiz


@dataclass(frozen=True)
class Agent:
    """An agent a sheet is made for."""

    id: str
    name: str
    team: str | None = None


@dataclass(frozen=True)
class SheetQuestion:
    """A question as one agent sees it: `no` is its number on that agent's sheet."""

    no: int
    question_id: int
    question: str
    phrasings: tuple[str, ...]
    topic_id: int = 0  # the number trainers use everywhere (topics, library)


@dataclass(frozen=True)
class AgentSheet:
    """One agent's questions in their order; `agent` None is the blank shared sheet."""

    agent: Agent | None
    questions: tuple[SheetQuestion, ...]


def question_order(quiz: Quiz, agent_id: str | None, shuffle: bool) -> list[int]:
    """Indexes into `quiz.questions`, shuffled per agent when asked (seeded, stable)."""
    order = list(range(len(quiz.questions)))
    if shuffle and agent_id is not None:
        random.Random(f"{quiz.seed}:{agent_id}").shuffle(order)
    return order


def agent_sheet(quiz: Quiz, agent: Agent | None, shuffle: bool) -> AgentSheet:
    """The sheet of one agent (or the blank shared sheet when `agent` is None)."""
    questions = tuple(
        SheetQuestion(no=no, question_id=q.id, question=q.question, phrasings=q.phrasings,
                      topic_id=q.topic_id)
        for no, q in enumerate(
            (quiz.questions[i] for i in question_order(quiz, agent and agent.id, shuffle)),
            start=1,
        )
    )
    return AgentSheet(agent=agent, questions=questions)


def agent_sheets(quiz: Quiz, agents: Sequence[Agent], shuffle: bool) -> list[AgentSheet]:
    """One sheet per agent, in roster order."""
    return [agent_sheet(quiz, agent, shuffle) for agent in agents]
