"""How good is the scoring? Measured on simulated answers of known true quality.

`simulate_and_score` runs the whole scoring (signals, bias correction, combination,
winners) in memory on `scriptlab.sample.answers` data; `evaluate` compares the result
with the truth. Used by the quality test, the demo and the README's "Quality" numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# A winner within this much true quality of the best answer counts as tied with it: one
# rubric point on one dimension is 0.25 × its weight (≥ 0.0375), so smaller differences
# are below what reviewers can express.
TIE_TOLERANCE = 0.05


@dataclass(frozen=True)
class Quality:
    """Spearman correlations with true quality, and how often the winner is truly best.

    Attributes
    ----------
    automatic
        Automatic score alone vs truth, over all answers with text.
    corrected, raw
        Bias-corrected rating score and plain mean rating vs truth, over rated answers.
    total
        Final combined score vs truth.
    winner_best
        Share of questions whose winner is truly best or tied (within `TIE_TOLERANCE`).
    winner_exact
        Share whose winner has exactly the best true quality.
    """

    automatic: float
    corrected: float
    raw: float
    total: float
    winner_best: float
    winner_exact: float
    questions: int
    answers: int

    def summary(self) -> str:
        return (f"Spearman with true quality: automatic {self.automatic:.3f}, bias-corrected "
                f"ratings {self.corrected:.3f} (raw mean {self.raw:.3f}), total "
                f"{self.total:.3f}; winner truly best (or tied) for "
                f"{100 * self.winner_best:.0f}% of {self.questions} questions")


def spearman(a, b) -> float:
    """Spearman rank correlation (ties averaged); NaN when either side is constant."""
    from scipy.stats import spearmanr

    x, y = np.asarray(a, float), np.asarray(b, float)
    if len(x) < 2 or np.all(x == x[0]) or np.all(y == y[0]):
        return float("nan")
    return float(spearmanr(x, y)[0])


def evaluate(scored: pd.DataFrame, truth: pd.DataFrame) -> Quality:
    """Compare `combine` output with the truth (``answer_id``, ``quality``)."""
    merged = scored.merge(truth[["answer_id", "quality"]], on="answer_id")
    filled = merged[~merged["no_answer"]]
    rated = filled[filled["reviewers"] > 0]
    best = merged.groupby("question_id")["quality"].max()
    winners = merged[merged["is_winner"]]
    gap = best.loc[winners["question_id"]].to_numpy() - winners["quality"].to_numpy()
    return Quality(
        automatic=spearman(filled["automatic"], filled["quality"]),
        corrected=spearman(rated["rating"], rated["quality"]),
        raw=spearman(rated["raw_rating"], rated["quality"]),
        total=spearman(merged["total"], merged["quality"]),
        winner_best=float(np.mean(gap <= TIE_TOLERANCE)) if len(gap) else float("nan"),
        winner_exact=float(np.mean(gap <= 1e-9)) if len(gap) else float("nan"),
        questions=int(merged["question_id"].nunique()),
        answers=len(merged),
    )


def simulate_and_score(n_questions: int = 20, n_agents: int = 12, *, per_answer: int = 2,
                       reference: str | None = "model", seed: int = 7,
                       settings=None) -> tuple[Quality, pd.DataFrame, pd.DataFrame]:
    """Simulate a quiz (the first `n_questions` intents), rate it, score it, evaluate.

    Parameters
    ----------
    per_answer
        Simulated reviewers (lenient, harsh, noisy) per answer, assigned as
        `scriptlab review sheet --per-answer` does.
    reference
        ``model``: each question's reference is the intent's model answer (an approved
        script); ``logs``: the replies agents sent in the logs (model 10×, a mediocre
        one 5×, a poor one 2×); None: no reference, consensus only.

    Returns
    -------
    (quality, scored, truth)
    """
    from scriptlab.sample.answers import REVIEWERS, simulate_answers, simulate_ratings
    from scriptlab.sample.generator import AGENTS
    from scriptlab.sample.intents import INTENTS
    from scriptlab.scoring.review_sheet import assign
    from scriptlab.scoring.scorer import compute_scores
    from scriptlab.scoring.settings import ScoringSettings

    settings = settings or ScoringSettings()
    intents = {q + 1: INTENTS[q % len(INTENTS)].key for q in range(n_questions)}
    known = [a.agent_id for a in AGENTS]
    agents = (known + [f"sim_{i:03d}" for i in range(max(0, n_agents - len(known)))])[:n_agents]
    truth = simulate_answers(intents, agents, seed=seed)
    truth.insert(0, "answer_id", np.arange(1, len(truth) + 1))
    by_key = {i.key: i for i in INTENTS}
    rows = []
    for question_id, key in intents.items():
        intent = by_key[key]
        if reference == "model":
            rows.append((question_id, intent.good_answer, "quiz", 1))
        elif reference == "logs":
            rows += [(question_id, intent.good_answer, "logs", 10),
                     (question_id, intent.mediocre_answers[0], "logs", 5),
                     (question_id, intent.poor_answers[0], "logs", 2)]
    references = pd.DataFrame(rows, columns=["question_id", "text", "source", "weight"])
    filled = truth.loc[truth["text"] != "", "answer_id"].tolist()
    names = [r.name for r in REVIEWERS]
    assignments = assign(filled, names, per_answer, seed)
    ratings = simulate_ratings(truth.set_index("answer_id"), assignments, seed=seed,
                               dimensions=list(settings.rubric))
    ratings = ratings.rename(columns={"key": "answer_id"}).assign(comment=None)
    scored, _ = compute_scores(truth[["answer_id", "question_id", "agent_id", "text"]],
                               references, ratings, settings)
    return evaluate(scored, truth), scored, truth
