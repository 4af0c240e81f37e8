"""The HTML score report of a quiz (``reports/score-<week>.html``).

A jinja2 template with autoescape on; a shop overrides it by dropping a file named
`TEMPLATE` into ``<workspace>/templates/``. This module only turns a `ScoreResult` into
plain values for the template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from scriptlab.files import write_files
from scriptlab.scoring.combine import AUTOMATIC, TIE_BREAKS
from scriptlab.scoring.quiz_data import QuizRef
from scriptlab.scoring.scorer import ScoreResult
from scriptlab.store.workspace import Workspace

TEMPLATE = "score_report.html.j2"
COMPONENT_LABELS = {"ratings": "reviewers", "reference": "reference", "consensus": "consensus",
                    "keypoints": "key points", "style": "style"}
SOURCE_LABELS = {"library": "approved script (library)", "quiz": "quiz reference",
                 "logs": "agent replies seen in the logs"}


def report_path(out_dir: Path, quiz: QuizRef) -> Path:
    return out_dir / f"score-{quiz.slug}.html"


def write_report(ws: Workspace, result: ScoreResult, out_dir: Path | None = None) -> Path:
    """Render the report and write it (temp file, then rename)."""
    out = Path(out_dir) if out_dir is not None else ws.reports_dir
    path = report_path(out, result.quiz)
    write_files(out, {path.name: render_report(ws, result)})
    return path


def render_report(ws: Workspace, result: ScoreResult) -> str:
    """The report as an HTML string."""
    from scriptlab.templating import environment

    env = environment("scriptlab.scoring", ws.templates_dir)
    return env.get_template(TEMPLATE).render(**report_context(result))


def report_context(result: ScoreResult) -> dict[str, Any]:
    """Everything the template shows, as plain Python values."""
    scored = result.scored
    settings = result.settings
    filled = scored[~scored["no_answer"]]
    rated = int((filled["reviewers"] > 0).sum())
    return {
        "quiz": result.quiz,
        "computed_at": result.computed_at.strftime("%Y-%m-%d %H:%M"),
        "reviewed": result.reviewed,
        "rated": rated,
        "answers_total": len(scored),
        "answers_filled": len(filled),
        "agents": int(scored["agent_id"].nunique()),
        "questions_total": len(result.questions),
        "winners_reviewed": int((scored["winner_basis"] == "reviewed").sum()),
        "winners_unreviewed": int((scored["winner_basis"] == "unreviewed").sum()),
        "min_ratings": settings.min_ratings,
        "rating_weight": settings.rating_weight,
        "signal_weights": _weights(settings.signal_weights),
        "rubric": _weights(settings.rubric),
        "bias_correction": result.ratings.method,
        "tie_breaks": TIE_BREAKS,
        "leaderboard": _leaderboard(result.leaderboard),
        "agreement": _agreement(result.ratings.agreement),
        "reviewers": _reviewers(result.ratings.reviewers),
        "disagreements": _disagreements(result),
        "questions": _questions(result),
        "component_labels": COMPONENT_LABELS,
        "components": ["ratings", *AUTOMATIC],
    }


def _weights(weights: dict) -> list[tuple[str, str]]:
    total = sum(weights.values()) or 1.0
    return [(name, f"{100 * w / total:.0f}%") for name, w in weights.items()]


def _leaderboard(board: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for r in board.itertuples(index=False):
        trend = list(r.trend)
        rows.append({
            "rank": r.rank, "agent_id": r.agent_id, "agent_name": r.agent_name,
            "score": f"{r.score:.3f}", "answered": r.answered, "questions": r.questions,
            "wins": r.wins, "best_rank": r.best_rank,
            "change": None if pd.isna(r.change) else f"{r.change:+.3f}",
            "trend": [(w, f"{s:.3f}") for w, s in trend],
            "spark": _sparkline([s for _, s in trend]),
        })
    return rows


def _sparkline(values: list[float], width: int = 90, height: int = 18) -> str:
    """SVG polyline points for a score trend (0-1 on the vertical axis)."""
    if len(values) < 2:
        return ""
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - max(0.0, min(1.0, v)) * height:.1f}"
                    for i, v in enumerate(values))


def _agreement(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for r in frame.itertuples(index=False):
        alpha = None if r.alpha is None or pd.isna(r.alpha) else float(r.alpha)
        verdict = ("" if alpha is None else "reliable" if alpha >= 0.8 else
                   "tentative" if alpha >= 0.667 else "low: calibrate")
        rows.append({"dimension": r.dimension, "alpha": None if alpha is None else f"{alpha:.3f}",
                     "units": r.units, "note": r.note, "verdict": verdict})
    return rows


def _reviewers(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    grouped = frame.groupby("reviewer")
    out = []
    for reviewer, group in grouped:
        noise = group["noise"].dropna()
        out.append({"reviewer": reviewer, "leniency": f"{group['leniency'].mean():+.2f}",
                    "noise": f"{noise.mean():.2f}" if len(noise) else "–",
                    "ratings": int(group["ratings"].sum()),
                    "answers": int(group["ratings"].max())})
    return out


def _disagreements(result: ScoreResult) -> list[dict[str, Any]]:
    frame = result.ratings.disagreements
    if frame.empty:
        return []
    lookup = result.scored.set_index("answer_id")
    rows = []
    for r in frame.itertuples(index=False):
        if r.answer_id not in lookup.index:
            continue
        answer = lookup.loc[r.answer_id]
        rows.append({"code": answer["code"], "position": int(answer["position"]),
                     "agent": f"{answer['agent_name']} ({answer['agent_id']})",
                     "text": answer["text"], "dimension": r.dimension, "spread": int(r.spread),
                     "values": r.values, "comments": r.comments})
    return rows


def _questions(result: ScoreResult) -> list[dict[str, Any]]:
    by_question = {qid: group for qid, group in result.scored.groupby("question_id", sort=False)}
    out = []
    for q in result.questions.itertuples(index=False):
        group = by_question.get(q.question_id)
        answers = [] if group is None else [_answer(r) for r in group.itertuples(index=False)]
        winner = next((a for a in answers if a["is_winner"]), None)
        out.append({
            "position": q.position, "question": q.question, "phrasings": list(q.phrasings)[:5],
            "reference": q.reference if isinstance(q.reference, str) else None,
            "reference_source": SOURCE_LABELS.get(q.reference_source, ""),
            "answers": answers, "winner": winner,
        })
    return out


def _answer(r) -> dict[str, Any]:
    components = []
    for name in ["ratings", *AUTOMATIC]:
        c = r.components.get(name)
        if c is None:
            continue
        components.append({"name": name, "label": COMPONENT_LABELS.get(name, name),
                           "value": f"{c['value']:.2f}", "weight": f"{100 * c['weight']:.0f}%",
                           "contribution": f"{c['contribution']:.3f}", "reason": c["reason"],
                           "applies": c["applies"] and c["weight"] > 0})
    return {"rank": r.rank, "agent_id": r.agent_id, "agent_name": r.agent_name, "code": r.code,
            "text": r.text, "no_answer": bool(r.no_answer), "total": f"{r.total:.3f}",
            "automatic": f"{r.automatic:.3f}",
            "rating": None if pd.isna(r.rating) else f"{r.rating:.3f}",
            "reviewers": int(r.reviewers), "is_winner": bool(r.is_winner),
            "winner_basis": r.winner_basis, "components": components}
