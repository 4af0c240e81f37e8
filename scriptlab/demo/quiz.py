"""The quiz stage's step of `scriptlab demo`: import the sample roster, make the quiz."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from scriptlab.demo.step import SAMPLE_DIR, DemoStep
from scriptlab.quiz.agents import import_agents
from scriptlab.quiz.new import new_quiz
from scriptlab.quiz.weeks import current_week, week_of
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

SAMPLE_AGENTS = "sample_agents.csv"
# The same roster as data/sample_agents.csv: the agent ids of the sample chat log.
_ROSTER = """工号,姓名,组,邮箱
kf_01,王小丽,售前组,wangxiaoli@example.com
kf_02,李娜,售前组,lina@example.com
kf_03,张伟,售前组,
kf_04,刘洋,售前组,liuyang@example.com
kf_05,陈静,售后组,chenjing@example.com
kf_06,杨帆,售后组,
kf_07,赵敏,售后组,zhaomin@example.com
kf_08,黄磊,售后组,
"""


def sample_agents(ws: Workspace) -> Path:
    """The bundled roster; written into the workspace when not in ./data."""
    bundled = SAMPLE_DIR / SAMPLE_AGENTS
    if bundled.exists():
        return bundled
    path = ws.root / SAMPLE_AGENTS
    path.write_text(_ROSTER, encoding="utf-8")
    return path


def quiz_week_for_latest_run(ws: Workspace) -> str:
    """The week after the latest mined message: last week's chats, this week's quiz."""
    with ws.engine.connect() as conn:
        last = conn.execute(
            sa.select(schema.mine_runs.c.last_ts).order_by(schema.mine_runs.c.id.desc()).limit(1)
        ).scalar()
    return week_of(last.date() + timedelta(days=7)) if last else current_week()


def demo_step(ws: Workspace, agents_file: Path | None = None) -> DemoStep:
    """Import the sample agents and create the quiz from the workspace's latest mining run.

    Needs a mining run (the mine stage's demo step runs first).
    """
    roster = import_agents(ws, agents_file or sample_agents(ws))
    result = new_quiz(ws, week=quiz_week_for_latest_run(ws), replace=True)
    quiz = result.quiz
    kinds = result.picks["kind"].value_counts()
    why = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    return DemoStep(
        "quiz",
        f"imported {roster.rows} agents; quiz {quiz.week}: {len(quiz.questions)} questions "
        f"({why}) from mining run {quiz.run_id} for {result.agents} agents",
        [(label, path) for label, path in result.files.labelled()],
    )
