"""The reviewer's side of a quiz in the browser: a blind queue of answer codes in the
reviewer's own shuffled order (the review sheet's `shuffled`), one answer at a time with
its question and reference, and ratings stored through `import_rating_rows` (the same
rules as an imported review sheet).

Nothing returned here holds an agent's id or name: the dataclasses have no field for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from scriptlab.errors import ScriptlabError
from scriptlab.scoring.answer_codes import normalise_code
from scriptlab.scoring.quiz_data import load_answers, load_questions, load_references
from scriptlab.scoring.ratings_import import RatingsImport, import_rating_rows
from scriptlab.scoring.review_sheet import shuffled
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace


@dataclass(frozen=True)
class QueueItem:
    code: str
    position: int
    question: str
    done: bool


@dataclass(frozen=True)
class ReviewItem:
    """One answer to rate, with what the reviewer gave it so far."""

    code: str
    position: int
    question: str
    phrasings: list[str]
    reference: str | None
    text: str
    values: dict[str, int]
    comment: str
    index: int  # 1-based place in the queue
    total: int
    previous: str | None
    next: str | None
    next_open: str | None  # the next code not rated yet, after this one


def _rows(ws: Workspace, quiz_id: int, seed: int, reviewer: str):
    with ws.engine.connect() as conn:
        questions = load_questions(conn, quiz_id)
        answers = load_answers(conn, quiz_id)
        references = load_references(conn, questions)
        r = schema.ratings
        answer_ids = answers["answer_id"].tolist()
        mine = conn.execute(sa.select(r.c.answer_id, r.c.dimension, r.c.value, r.c.comment)
                            .where(r.c.reviewer == reviewer,
                                   r.c.answer_id.in_(answer_ids))).all() if answer_ids else []
    filled = answers[answers["text"].str.strip() != ""].drop(columns=["agent_id", "agent_name"])
    rows = filled.merge(questions[["question_id", "position", "question", "phrasings"]],
                        on="question_id")
    ordered = shuffled(rows, seed, reviewer) if not rows.empty else rows
    first_ref = references.drop_duplicates("question_id").set_index("question_id")["text"]
    return ordered, first_ref.to_dict(), mine


def review_queue(ws: Workspace, quiz_id: int, seed: int, reviewer: str) -> list[QueueItem]:
    """Every non-empty answer of the quiz, in this reviewer's order, and whether it is rated."""
    ordered, _, mine = _rows(ws, quiz_id, seed, reviewer)
    rated = {m.answer_id for m in mine}
    return [QueueItem(r.code, int(r.position), r.question, r.answer_id in rated)
            for r in ordered.itertuples()]


def review_item(ws: Workspace, quiz_id: int, seed: int, reviewer: str, code: str) -> ReviewItem:
    """The answer under `code`, or an error if the quiz has no such (non-empty) answer."""
    ordered, references, mine = _rows(ws, quiz_id, seed, reviewer)
    code = normalise_code(code)
    codes = ordered["code"].tolist()
    if code not in codes:
        raise ScriptlabError(f"No answer {code} to review in this quiz.")
    i = codes.index(code)
    row = ordered.iloc[i]
    answer_id = int(row["answer_id"])
    rated = {m.answer_id for m in mine}
    values = {m.dimension: int(m.value) for m in mine if m.answer_id == answer_id}
    comment = next((m.comment or "" for m in mine if m.answer_id == answer_id), "")
    ids = ordered["answer_id"].tolist()
    later = [codes[j] for j in [*range(i + 1, len(codes)), *range(0, i)]
             if ids[j] not in rated and j != i]
    return ReviewItem(
        code, int(row["position"]), row["question"], list(row["phrasings"]),
        references.get(int(row["question_id"])), row["text"], values, comment, i + 1,
        len(codes), codes[i - 1] if i > 0 else None,
        codes[i + 1] if i + 1 < len(codes) else None, later[0] if later else None)


def rate_answer(ws: Workspace, quiz_id: int, reviewer: str, code: str,
                values: Mapping[str, str], comment: str) -> RatingsImport:
    """Store one reviewer's 1-5 values per dimension and comment for the answer `code`."""
    row = {"code": code, "comment": comment, **values}
    return import_rating_rows(ws, f"web:{reviewer}", reviewer, [row], quiz_id=quiz_id,
                              replace=True)
