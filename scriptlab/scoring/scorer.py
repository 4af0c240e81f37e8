"""`scriptlab score`: every signal, the ratings, the combination, stored in one go.

`compute_scores` is the pure part (DataFrames in, DataFrames out) that tests and the
quality benchmark call directly; `score_quiz` loads a quiz from the workspace, computes
and replaces the quiz's rows in ``scores`` in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.scoring.combine import combine
from scriptlab.scoring.keypoints import keypoint_signals
from scriptlab.scoring.leaderboard import leaderboard, week_scores
from scriptlab.scoring.quiz_data import (
    QuizRef,
    find_quiz,
    load_answers,
    load_questions,
    load_ratings,
    load_references,
)
from scriptlab.scoring.ratings import RatingAnalysis, analyse_ratings
from scriptlab.scoring.settings import ScoringSettings, check_scoring_settings
from scriptlab.scoring.similarity import similarity_signals
from scriptlab.scoring.style import style_signals
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace


@dataclass(frozen=True)
class ScoreResult:
    """A scored quiz, ready for the report and exports.

    Attributes
    ----------
    questions
        question_id, position, question, phrasings, reference, reference_source.
    scored
        `combine` columns plus position, agent_name, code and text; ranked per question.
    ratings
        Bias-corrected ratings, reviewer effects, agreement and disagreements.
    leaderboard
        `scriptlab.scoring.leaderboard.LEADERBOARD_COLUMNS`.
    reviewed
        Whether any answer of the quiz has ratings (else the scores are automatic only).
    """

    quiz: QuizRef
    questions: pd.DataFrame
    scored: pd.DataFrame
    ratings: RatingAnalysis
    leaderboard: pd.DataFrame
    reviewed: bool
    settings: ScoringSettings
    computed_at: datetime


def automatic_signals(answers: pd.DataFrame, references: pd.DataFrame,
                      settings: ScoringSettings,
                      synonyms: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Reference, consensus, key-point and style signals, indexed like `answers`."""
    similar = similarity_signals(answers, references, saturation=settings.similarity_saturation,
                                 synonyms=synonyms)
    return similar.assign(
        keypoints=keypoint_signals(answers, references, policy_terms=settings.policy_terms,
                                   consensus_share=settings.consensus_share),
        style=style_signals(answers, settings),
    )


def compute_scores(answers: pd.DataFrame, references: pd.DataFrame, ratings: pd.DataFrame,
                   settings: ScoringSettings, synonyms: Mapping[str, str] | None = None,
                   ) -> tuple[pd.DataFrame, RatingAnalysis]:
    """Score answers (answer_id, question_id, agent_id, text) with their ratings.

    Returns the `combine` frame (ranked, winners marked) and the rating analysis.
    """
    check_scoring_settings(settings)
    answers = answers.reset_index(drop=True)
    signals = automatic_signals(answers, references, settings, synonyms)
    filled_ids = set(answers.loc[answers["text"].fillna("").str.strip() != "", "answer_id"])
    ratings = ratings[ratings["answer_id"].isin(filled_ids)]
    analysis = analyse_ratings(ratings, dict(settings.rubric), method=settings.bias_correction,
                               reviewer_prior=settings.reviewer_prior,
                               top_disagreements=settings.disagreements)
    scored = combine(answers, signals, analysis.answers,
                     signal_weights=settings.signal_weights, rating_weight=settings.rating_weight,
                     min_ratings=settings.min_ratings, rubric=settings.rubric)
    return scored, analysis


def score_quiz(ws: Workspace, week: str, team: str | None = None) -> ScoreResult:
    """Score a stored quiz and replace its rows in ``scores``."""
    settings = ws.settings.scoring
    quiz = find_quiz(ws, week, team)
    with ws.engine.connect() as conn:
        questions = load_questions(conn, quiz.id)
        references = load_references(conn, questions)
        answers = load_answers(conn, quiz.id)
        ratings = load_ratings(conn, quiz.id)
        history = past_week_scores(conn, quiz, settings.trend_weeks)
    if answers.empty:
        raise ScriptlabError(f"Quiz {quiz.label} has no answers yet; import the filled answer "
                             "files first: scriptlab answers import FILE...")
    from scriptlab.text.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(ws.root, ws.settings.mine)  # same words as mining
    scored, analysis = compute_scores(answers, references, ratings, settings,
                                      vocabulary.synonyms)
    scored = scored.merge(answers[["answer_id", "agent_name", "code", "text"]], on="answer_id")
    scored = scored.merge(questions[["question_id", "position"]], on="question_id")
    scored = scored.sort_values(["position", "rank"], kind="mergesort").reset_index(drop=True)
    board = leaderboard(scored, answers[["agent_id", "agent_name"]].drop_duplicates(),
                        len(questions), history, quiz.week)
    now = datetime.now()
    with ws.write() as conn:
        _store(conn, quiz.id, scored, now)
    first_ref = references.drop_duplicates("question_id").set_index("question_id")
    questions = questions.assign(
        reference=questions["question_id"].map(first_ref["text"]),
        reference_source=questions["question_id"].map(first_ref["source"]),
    )
    return ScoreResult(quiz, questions, scored, analysis, board,
                       reviewed=bool((scored["reviewers"] > 0).any()), settings=settings,
                       computed_at=now)


def _store(conn: Connection, quiz_id: int, scored: pd.DataFrame, now: datetime) -> None:
    s = schema.scores
    conn.execute(sa.delete(s).where(s.c.quiz_id == quiz_id))
    rows = [
        {"quiz_id": quiz_id, "answer_id": int(r.answer_id), "total": float(r.total),
         "components": r.components, "rank": int(r.rank), "is_winner": bool(r.is_winner),
         "winner_basis": r.winner_basis, "automatic": float(r.automatic),
         "rating": None if pd.isna(r.rating) else float(r.rating),
         "reviewers": int(r.reviewers), "computed_at": now}
        for r in scored.itertuples(index=False)
    ]
    if rows:
        conn.execute(sa.insert(s), rows)


def past_week_scores(conn: Connection, quiz: QuizRef, weeks: int) -> pd.DataFrame:
    """Agents' week scores in the team's earlier quizzes (the last `weeks` of them)."""
    q, qq, a, s = schema.quizzes, schema.quiz_questions, schema.answers, schema.scores
    team_clause = q.c.team.is_(None) if quiz.team is None else q.c.team == quiz.team
    earlier = conn.execute(
        sa.select(q.c.id, q.c.week).where(team_clause, q.c.week < quiz.week)
        .order_by(q.c.week.desc()).limit(weeks)
    ).all()
    frames = []
    for quiz_id, week in earlier:
        n = conn.execute(sa.select(sa.func.count()).select_from(qq)
                         .where(qq.c.quiz_id == quiz_id)).scalar_one()
        rows = conn.execute(
            sa.select(a.c.agent_id, s.c.total).select_from(s.join(a, a.c.id == s.c.answer_id))
            .where(s.c.quiz_id == quiz_id)
        ).all()
        if rows:
            scored = pd.DataFrame([r._asdict() for r in rows])
            frames.append(week_scores(scored, n, week))
    if not frames:
        return pd.DataFrame(columns=["week", "agent_id", "score"])
    return pd.concat(frames, ignore_index=True)
