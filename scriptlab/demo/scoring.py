"""The scoring stage's step of `scriptlab demo`.

For the demo workspace's latest quiz: simulate the agents' filled answer file and three
reviewers' filled review sheets (a lenient, a harsh and a noisy one), import them through
the real import functions, score, and write the report and exports, all under reports/.
"""

from __future__ import annotations

import sqlalchemy as sa

from scriptlab.demo.step import DemoStep
from scriptlab.errors import ScriptlabError
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace


def demo_step(ws: Workspace) -> DemoStep:
    """Answer, review, import and score the workspace's latest quiz with simulated people.

    Needs a quiz (the quiz stage's demo step runs first).
    """
    import pandas as pd

    from scriptlab.evaluation.scoring import evaluate
    from scriptlab.sample.answers import (
        REVIEWERS,
        fill_review_sheet,
        match_intents,
        simulate_answers,
        simulate_ratings,
        write_answer_file,
    )
    from scriptlab.scoring.answer_import import import_answers
    from scriptlab.scoring.export import write_exports
    from scriptlab.scoring.quiz_data import load_answers, load_questions
    from scriptlab.scoring.ratings_import import import_ratings
    from scriptlab.scoring.report import write_report
    from scriptlab.scoring.review_sheet import write_review_sheets
    from scriptlab.scoring.scorer import score_quiz

    q, ag = schema.quizzes, schema.agents
    with ws.engine.connect() as conn:
        quiz = conn.execute(sa.select(q).order_by(q.c.created_at.desc(), q.c.id.desc())
                            .limit(1)).first()
        if quiz is None:
            raise ScriptlabError("The scoring demo needs a quiz; run the quiz step first "
                                 "(scriptlab quiz new).")
        team_clause = sa.true() if quiz.team is None else ag.c.team == quiz.team
        agents = pd.DataFrame([r._asdict() for r in conn.execute(
            sa.select(ag.c.id.label("agent_id"), ag.c.name.label("agent_name"))
            .where(ag.c.active.is_(True), team_clause).order_by(ag.c.id))])
        questions = load_questions(conn, quiz.id)
    if agents.empty:
        raise ScriptlabError("The scoring demo needs agents; import them first "
                             "(scriptlab agents import).")
    reports = ws.reports_dir
    reports.mkdir(parents=True, exist_ok=True)
    truth = simulate_answers(match_intents(questions), agents["agent_id"].tolist(),
                             seed=quiz.seed)
    answer_file = write_answer_file(reports / f"answers-{quiz.week}-filled.xlsx", quiz.week,
                                    questions, agents, truth)
    imported = import_answers(ws, [answer_file], replace=True)

    reviewers = [r.name for r in REVIEWERS]
    sheets = write_review_sheets(ws, quiz.week, reviewers, team=quiz.team, force=True)
    with ws.engine.connect() as conn:
        stored = load_answers(conn, quiz.id)
    keyed = stored.merge(truth, on=["question_id", "agent_id"], suffixes=("", "_sim"))
    by_code = keyed.set_index("code")
    rubric = list(ws.settings.scoring.rubric)
    assignments = {r: pd.read_excel(p, sheet_name=0)["答案编号"].tolist()
                   for r, p in sheets.paths.items()}
    ratings = simulate_ratings(by_code, assignments, dimensions=rubric, seed=quiz.seed)
    for reviewer, path in sheets.paths.items():
        mine = ratings[ratings["reviewer"] == reviewer]
        values = {code: dict(zip(g["dimension"], g["value"], strict=True))
                  for code, g in mine.groupby("key")}
        fill_review_sheet(path, values)
    rated = import_ratings(ws, list(sheets.paths.values()), replace=True)

    result = score_quiz(ws, quiz.week, quiz.team)
    report = write_report(ws, result)
    exports = write_exports(result, reports)
    quality = evaluate(result.scored, keyed[["answer_id", "quality"]])
    overall = result.ratings.agreement.set_index("dimension")["alpha"].get("(all)")
    top = result.leaderboard.iloc[0] if len(result.leaderboard) else None
    summary = (
        f"{imported.added + imported.updated + imported.unchanged} answers from "
        f"{len(agents)} agents, {rated.added + rated.updated + rated.unchanged} ratings from "
        f"{len(reviewers)} reviewers (alpha {overall:.2f}); "
        f"{int(result.scored['is_winner'].sum())} winners"
        + (f", top agent {top['agent_name']} ({top['score']:.2f})" if top is not None else "")
        + f"; bias-corrected ratings vs true quality Spearman {quality.corrected:.2f} "
          f"(raw mean {quality.raw:.2f})"
    ) if overall is not None else f"{len(result.scored)} answers scored"
    outputs = [("filled answers (simulated)", answer_file)]
    outputs += [(f"review sheet {r} (simulated)", p) for r, p in sheets.paths.items()]
    outputs += [("score report", report)]
    outputs += [(f"scores {p.suffix.lstrip('.')}", p) for p in exports]
    return DemoStep("scoring", summary, outputs)
