"""The quiz stage's demo step: sample roster in, quiz files out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from quiz_fixtures import QuizWorkspace

from scriptlab.demo.quiz import _ROSTER, demo_step
from scriptlab.quiz.agents import list_agents
from scriptlab.store import schema

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_agents.csv"


@pytest.fixture
def mined(tmp_path: Path) -> QuizWorkspace:
    built = QuizWorkspace.create(tmp_path)
    run = built.add_run()
    with built.ws.engine.begin() as conn:
        conn.execute(sa.update(schema.mine_runs).where(schema.mine_runs.c.id == run)
                     .values(last_ts=datetime(2026, 11, 18, 21, 0)))  # a Wednesday of W47
    return built


def test_demo_step_imports_agents_and_makes_the_quiz(mined: QuizWorkspace) -> None:
    step = demo_step(mined.ws, SAMPLE)
    assert step.stage == "quiz"
    assert step.summary == (
        "imported 8 agents; quiz 2026-W48: 8 questions (8 frequent) from mining run 1 "
        "for 8 agents"
    )
    assert [label for label, _ in step.outputs] == [
        "printable sheet", "markdown sheet", "answer template", "answer template (CSV)"]
    assert all(path.exists() for _, path in step.outputs)
    # Running it again replaces the quiz instead of failing.
    assert demo_step(mined.ws, SAMPLE).summary == step.summary


def test_demo_step_writes_the_roster_when_data_is_missing(
    mined: QuizWorkspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./data here
    demo_step(mined.ws)
    assert (mined.ws.root / "sample_agents.csv").exists()
    assert list_agents(mined.ws)["agent_id"].tolist()[:2] == ["kf_01", "kf_02"]


def test_built_in_roster_is_the_bundled_file() -> None:
    assert SAMPLE.read_text(encoding="utf-8") == _ROSTER
