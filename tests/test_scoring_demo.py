"""The scoring step of `scriptlab demo`, on a quiz built from the sample intents."""

from __future__ import annotations

import sqlalchemy as sa
from scoring_fixtures import SAMPLE_AGENTS, build_quiz, intent_questions

from scriptlab.demo import DemoStep
from scriptlab.demo.scoring import demo_step
from scriptlab.store import schema


def test_demo_step_imports_simulated_files_and_scores(workspace) -> None:
    build_quiz(workspace, intent_questions(6), SAMPLE_AGENTS, seed=5)
    step = demo_step(workspace)
    assert isinstance(step, DemoStep) and step.stage == "scoring"
    assert "48 answers from 8 agents" in step.summary
    assert "ratings from 3 reviewers" in step.summary
    assert "6 winners" in step.summary
    labels = [label for label, _ in step.outputs]
    assert labels == ["filled answers (simulated)", "review sheet lenient (simulated)",
                      "review sheet harsh (simulated)", "review sheet noisy (simulated)",
                      "score report", "scores csv", "scores csv", "scores xlsx"]
    for _, path in step.outputs:
        assert path.exists() and path.parent == workspace.reports_dir
    with workspace.engine.connect() as conn:
        bases = conn.execute(sa.select(schema.scores.c.winner_basis)
                             .where(schema.scores.c.is_winner.is_(True))).scalars().all()
    assert bases == ["reviewed"] * 6
    # Running the step again changes nothing in the stored answers (idempotent imports).
    demo_step(workspace)
    with workspace.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.answers)).scalar() == 48


def test_simulation_matches_quiz_questions_to_their_intents() -> None:
    import pandas as pd

    from scriptlab.sample.answers import match_intents
    from scriptlab.sample.intents import INTENTS

    questions = pd.DataFrame({
        "question_id": [1, 2, 3],
        "question": ["发货要多久？", "一般多久到", "可以保价到双十一不？"],
        "phrasings": [["你家一般几天发货？"], ["哪天能收到"], ["价保到什么时候？"]],
    })
    assert match_intents(questions) == {1: "ship_time", 2: "delivery_time",
                                        3: "price_protection"}
    assert {i.key for i in INTENTS} >= set(match_intents(questions).values())
