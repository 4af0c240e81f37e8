"""Similarity of each answer to the reference and to the team's leave-one-out consensus.

Texts become TF-IDF vectors over jieba words plus character 2/3-grams (the shared
`scriptlab.text.tokenize.analyzer`, so scoring and mining agree on "similar"). The
consensus of an answer is the centroid of the *other* agents' answers to the same
question, so an agent never agrees with themself. Everything is computed with sparse
matrix products over the whole quiz at once (no per-pair Python loop).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from scriptlab.scoring.signal import Signal, no_answer

REFERENCE_LABELS = {
    "library": "the approved script",
    "quiz": "the quiz reference",
    "logs": "the replies seen in the logs",
}


def similarity_signals(
    answers: pd.DataFrame, references: pd.DataFrame, *, saturation: float = 0.8,
    synonyms: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Reference and consensus similarity for every answer.

    Parameters
    ----------
    answers
        Columns ``question_id`` and ``text`` (masked; "" = no answer), any index.
    references
        Columns ``question_id``, ``text``, ``source`` (library | quiz | logs) and optionally
        ``weight``; several rows per question (logged replies) are combined into one
        weighted centroid.
    saturation
        Cosine that counts as a perfect match; values are ``min(1, cosine / saturation)``.
    synonyms
        The workspace's variant → canonical table (as in mining), so 免运费 matches 包邮.

    Returns
    -------
    DataFrame indexed like `answers` with Signal columns ``reference`` and ``consensus``.
    """
    from scipy import sparse

    if answers.empty:
        return pd.DataFrame({"reference": [], "consensus": []}, index=answers.index)
    texts = answers["text"].fillna("").astype(str).to_numpy()
    filled = np.array([bool(t.strip()) for t in texts])
    questions = answers["question_id"].to_numpy()
    ref_texts = references["text"].fillna("").astype(str).to_numpy()
    matrix = _tfidf(list(texts) + list(ref_texts), synonyms)
    answer_vecs = matrix[: len(texts)]
    ref_vecs = matrix[len(texts):]

    ref_best, ref_source = _reference_cosines(answer_vecs, questions, ref_vecs, references)
    loo, others = _leave_one_out_cosines(answer_vecs, questions, filled, sparse)

    ref_signals: list[Signal] = []
    cons_signals: list[Signal] = []
    for i in range(len(texts)):
        if not filled[i]:
            ref_signals.append(no_answer("reference"))
            cons_signals.append(no_answer("consensus"))
            continue
        ref_signals.append(_reference_signal(ref_best[i], ref_source[i], saturation))
        cons_signals.append(_consensus_signal(loo[i], int(others[i]), saturation))
    return pd.DataFrame({"reference": ref_signals, "consensus": cons_signals},
                        index=answers.index)


def _tfidf(texts: list[str], synonyms: Mapping[str, str] | None = None):
    """L2-normalised TF-IDF rows (words + char n-grams) for already-masked texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from scriptlab.text.normalize import clean
    from scriptlab.text.tokenize import analyzer
    from scriptlab.text.variables import without_variables

    # A script's fill-in slots ({订单号}) are values, not words: an answer that leaves them
    # out (or says the value) is not less similar for it.
    cleaned = [clean(without_variables(t)) for t in texts]
    # Agents often give the same text: tokenise each distinct text once.
    tokens = {text: analyzer(text, synonyms) for text in set(cleaned)}
    if not any(tokens.values()):
        from scipy import sparse

        return sparse.csr_matrix((len(texts), 1))
    vectorizer = TfidfVectorizer(analyzer=tokens.__getitem__, sublinear_tf=True, norm="l2")
    return vectorizer.fit_transform(cleaned).tocsr()


def _reference_cosines(answer_vecs, questions: np.ndarray, ref_vecs,
                       references: pd.DataFrame) -> tuple[np.ndarray, list[str | None]]:
    """Cosine to the question's reference, and the reference's source.

    Several reference texts (replies seen in the logs) become one count-weighted centroid:
    what agents usually say, so a rare poor reply that was logged once counts little.
    """
    from scipy import sparse

    n = answer_vecs.shape[0]
    best = np.full(n, np.nan)
    source: list[str | None] = [None] * n
    if ref_vecs.shape[0] == 0:
        return best, source
    codes, inverse = np.unique(references["question_id"].to_numpy(), return_inverse=True)
    weights = (references["weight"].to_numpy(float) if "weight" in references
               else np.ones(len(references)))
    membership = sparse.csr_matrix((weights, (inverse, np.arange(len(references)))),
                                   shape=(len(codes), len(references)))
    centroids = (membership @ ref_vecs).tocsr()
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    centroids = sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms),
                                       where=norms > 0)) @ centroids
    position = {qid: i for i, qid in enumerate(codes)}
    first_source = references.groupby("question_id", sort=False)["source"].first().to_dict()
    rows = np.array([position.get(q, -1) for q in questions])
    has_ref = rows >= 0
    if has_ref.any():
        picked = centroids[rows[has_ref]]
        best[has_ref] = np.asarray(answer_vecs[has_ref].multiply(picked).sum(axis=1)).ravel()
    for i in np.flatnonzero(has_ref):
        source[i] = first_source[questions[i]]
    return best, source


def _leave_one_out_cosines(answer_vecs, questions: np.ndarray, filled: np.ndarray, sparse):
    """cos(x_i, sum of the other filled answers to the same question), in closed form.

    With unit rows x and S the sum of a question's rows, the others' sum is S - x_i, so
    cos = (x_i·S - 1) / ||S - x_i|| and ||S - x_i||² = ||S||² - 2 x_i·S + 1.
    """
    codes, inverse = np.unique(questions, return_inverse=True)
    weights = filled.astype(float)
    membership = sparse.csr_matrix(
        (weights, (np.arange(len(questions)), inverse)), shape=(len(questions), len(codes))
    )
    sums = (membership.T @ answer_vecs).tocsr()  # one summed vector per question
    own_sum = membership @ sums
    dots = np.asarray(answer_vecs.multiply(own_sum).sum(axis=1)).ravel()
    sum_norm2 = np.asarray(sums.multiply(sums).sum(axis=1)).ravel()[inverse]
    self_norm2 = np.asarray(answer_vecs.multiply(answer_vecs).sum(axis=1)).ravel()
    others = np.bincount(inverse, weights=weights)[inverse] - weights
    rest_norm2 = np.maximum(sum_norm2 - 2 * dots + self_norm2, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where(rest_norm2 > 1e-12, (dots - self_norm2) / np.sqrt(rest_norm2), 0.0)
    return np.clip(cosine, 0.0, 1.0), others


def _reference_signal(cosine: float, source: str | None, saturation: float) -> Signal:
    if source is None or np.isnan(cosine):
        return Signal("reference", 0.0, "no reference: no approved script, quiz reference or "
                      "logged reply for this question", applies=False)
    value = float(min(1.0, max(cosine, 0.0) / saturation))
    return Signal("reference", value,
                  f"cosine {cosine:.2f} to {REFERENCE_LABELS.get(source, source)}")


def _consensus_signal(cosine: float, others: int, saturation: float) -> Signal:
    if others < 1:
        return Signal("consensus", 0.0, "no other answers to compare with", applies=False)
    value = float(min(1.0, cosine / saturation))
    noun = "answer" if others == 1 else "answers"
    return Signal("consensus", value,
                  f"cosine {cosine:.2f} to the other {others} {noun} (team consensus)")
