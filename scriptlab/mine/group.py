"""Group paraphrases of the same customer question.

Input is one row per *distinct* normalised question (exact duplicates are collapsed before,
with their message counts), so the work grows with the number of distinct phrasings, not
with the number of messages. Each phrasing becomes a TF-IDF vector of jieba words and
character 2/3-grams (`scriptlab.mine.tokenize.analyzer`, with the shop's synonyms).

Clustering, in three passes, none of them all-pairs over the input:

1. **Leaders** (frequency order): phrasings are visited from most to least frequent, in
   blocks; each joins the most similar existing leader when the cosine similarity reaches
   the threshold, else it becomes a leader itself. The work is phrasings × leaders, done as
   blocked sparse products.
2. **Re-assignment**: each phrasing moves to the group whose centroid it is most similar
   to (one k-means step), which fixes order effects of the first pass.
3. **Merging**: groups whose centroids are similar are merged, most similar pair first, but
   only while every merged part stays similar to the merged centroid, so a chain of
   near-neighbours can never snowball into one giant group (the single-link failure).

A phrasing similar to nothing stays a group of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd
import scipy.sparse as sp

from scriptlab.mine.tokenize import question_terms

BLOCK = 2048  # phrasings compared per sparse product: bounds memory at ~BLOCK × leaders
MAX_MERGE_GROUPS = 5000  # pass 3 looks at the largest groups only (C² similarities)
N_KEYWORDS = 5
# Weight of question words (怎么, 可以, 吗 …) relative to content: they tell how something
# is asked, which matters less than what is asked.
QUESTION_WORD_WEIGHT = 0.4


def vectorize(texts: pd.Series, synonyms: Mapping[str, str] | None = None):
    """TF-IDF of `question_terms` (L2-normalised, float32); returns (matrix, feature names).

    Question-word and product features (``q:``, ``p:``) are scaled by `QUESTION_WORD_WEIGHT` before
    normalising, so what is asked outweighs how it is asked.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = TfidfVectorizer(
        analyzer=partial(question_terms, synonyms=synonyms), sublinear_tf=True,
        dtype=np.float32, norm=None,
    )
    matrix = vectorizer.fit_transform(texts.astype(str).tolist()).tocsr()
    features = vectorizer.get_feature_names_out()
    names = features.astype(str)
    weak = np.char.startswith(names, "q:") | np.char.startswith(names, "p:")
    scale = np.where(weak, QUESTION_WORD_WEIGHT, 1.0)
    matrix = normalize(matrix @ sp.diags(scale.astype(np.float32)), copy=False)
    return matrix.tocsr().astype(np.float32), features


def group(
    uniques: pd.DataFrame,
    *,
    threshold: float = 0.5,
    synonyms: Mapping[str, str] | None = None,
    replies: sp.csr_matrix | None = None,
    reply_threshold: float = 0.0,
) -> pd.DataFrame:
    """Cluster distinct questions.

    Parameters
    ----------
    uniques
        One row per distinct question: ``key`` (normalised text) and ``count`` (messages).
    threshold
        Cosine similarity at or above which a phrasing joins a group.
    synonyms
        Variant → canonical table applied before tokenising.
    replies
        Optional (distinct question × reply) counts of the agent replies that followed;
        with `reply_threshold` > 0, groups answered with the same replies are merged.

    Returns
    -------
    pandas.DataFrame
        `uniques` plus ``group`` (0 = the group with most messages, 1 = next …),
        ``centrality`` (cosine similarity to the group centroid) and ``keywords`` (the
        group's top words, a list shared by all rows of the group).
    """
    if uniques.empty:
        return uniques.assign(group=pd.Series(dtype="int64"), centrality=pd.Series(dtype=float),
                              keywords=pd.Series(dtype=object))
    order = np.lexsort((uniques["key"].to_numpy(), -uniques["count"].to_numpy()))
    frame = uniques.iloc[order].reset_index(drop=True)
    matrix, features = vectorize(frame["key"], synonyms)
    counts = frame["count"].to_numpy(dtype=np.float64)
    labels = leader_pass(matrix, threshold)
    labels = reassign(matrix, labels, counts, threshold)
    labels = merge_groups(matrix, labels, counts, threshold)
    if replies is not None and reply_threshold > 0:
        labels = merge_by_replies(labels, counts, replies[order], reply_threshold)
    labels = _rank_labels(labels, counts)
    centroids = centroid_matrix(matrix, labels, counts)
    centrality = np.asarray(matrix.multiply(centroids[labels]).sum(axis=1)).ravel()
    keywords = _keywords(centroids, features)
    frame = frame.assign(group=labels, centrality=centrality.astype(float),
                         keywords=[keywords[g] for g in labels])
    return frame.iloc[np.argsort(order)].set_index(uniques.index)


def leader_pass(matrix: sp.csr_matrix, threshold: float) -> np.ndarray:
    """Pass 1: rows (most frequent first) join the most similar leader, or lead a group."""
    n = matrix.shape[0]
    labels = np.empty(n, dtype=np.int64)
    leader_rows: list[int] = []
    leaders = None  # CSR of leader vectors, transposed once per block
    for start in range(0, n, BLOCK):
        block = matrix[start : start + BLOCK]
        size = block.shape[0]
        best = np.full(size, -1, dtype=np.int64)
        if leaders is not None:
            sims = (block @ leaders).tocsr()
            best_sim, best_leader = _row_argmax(sims)
            hit = best_sim >= threshold
            best[hit] = best_leader[hit]
        rest = np.flatnonzero(best < 0)
        if rest.size:
            inner = (block[rest] @ block[rest].T).toarray()
            new_leaders: list[int] = []  # positions in `rest`
            for i in range(rest.size):
                if new_leaders:
                    sims_i = inner[i, new_leaders]
                    j = int(np.argmax(sims_i))
                    if sims_i[j] >= threshold:
                        best[rest[i]] = len(leader_rows) + j
                        continue
                new_leaders.append(i)
                best[rest[i]] = len(leader_rows) + len(new_leaders) - 1
            added = [start + int(rest[i]) for i in new_leaders]
            leader_rows.extend(added)
            leaders = matrix[leader_rows].T.tocsr()
        labels[start : start + size] = best
    return labels


def centroid_matrix(
    matrix: sp.csr_matrix, labels: np.ndarray, counts: np.ndarray
) -> sp.csr_matrix:
    """L2-normalised centroid per label; members weighted by sqrt(message count)."""
    from sklearn.preprocessing import normalize

    n_groups = int(labels.max()) + 1
    weights = np.sqrt(counts).astype(np.float32)
    membership = sp.csr_matrix(
        (weights, (labels, np.arange(labels.size))), shape=(n_groups, labels.size)
    )
    return normalize((membership @ matrix).tocsr())


def reassign(
    matrix: sp.csr_matrix, labels: np.ndarray, counts: np.ndarray, threshold: float
) -> np.ndarray:
    """Pass 2: move each row to its most similar group centroid (if similar enough)."""
    centroids_t = centroid_matrix(matrix, labels, counts).T.tocsr()
    new = labels.copy()
    for start in range(0, matrix.shape[0], BLOCK):
        sims = (matrix[start : start + BLOCK] @ centroids_t).tocsr()
        best_sim, best_group = _row_argmax(sims)
        own = np.asarray(
            sims[np.arange(sims.shape[0]), labels[start : start + BLOCK]]
        ).ravel()
        move = (best_sim >= threshold) & (best_sim > own)
        new[start : start + BLOCK][move] = best_group[move]
    return _compact(new)


def merge_groups(
    matrix: sp.csr_matrix, labels: np.ndarray, counts: np.ndarray, threshold: float
) -> np.ndarray:
    """Pass 3: merge groups with similar centroids, refusing merges that lose coherence.

    A candidate pair is merged only if every part's centroid stays at or above
    `threshold` similarity to the centroid of the union: merging A with B with C is allowed
    only if all three still look like the result, which stops chaining.
    """
    sizes = np.bincount(labels, weights=counts)
    big = np.argsort(-sizes, kind="stable")[:MAX_MERGE_GROUPS]
    big = big[sizes[big] > 0]
    weights = np.sqrt(counts).astype(np.float32)
    membership = sp.csr_matrix(
        (weights, (labels, np.arange(labels.size))), shape=(int(labels.max()) + 1, labels.size)
    )
    sums = (membership @ matrix).tocsr()  # un-normalised centroid sums, per group
    return _compact(coherent_merge(sums, big, threshold)[labels])


def merge_by_replies(
    labels: np.ndarray,
    counts: np.ndarray,
    replies: sp.csr_matrix,
    threshold: float,
    min_answers: int = 3,
) -> np.ndarray:
    """Pass 4: merge groups whose questions got the same agent replies (the same script).

    `replies` holds, per distinct question, how often each reply followed it. A group's
    reply profile is TF-IDF over groups, so a reply that follows everything ("亲，稍等")
    counts for little. Groups need `min_answers` answered questions to take part; merges
    keep every part's profile at or above `threshold` similarity to the union's.
    """
    n_groups = int(labels.max()) + 1
    membership = sp.csr_matrix(
        (np.ones(labels.size, dtype=np.float32), (labels, np.arange(labels.size))),
        shape=(n_groups, labels.size),
    )
    sums = (membership @ replies.astype(np.float32)).tocsr()
    answered = np.asarray(sums.sum(axis=1)).ravel()
    eligible = np.flatnonzero(answered >= min_answers)
    if eligible.size < 2:
        return labels
    df = np.bincount(sums[eligible].indices, minlength=sums.shape[1])
    idf = np.log((1 + eligible.size) / (1 + df)).astype(np.float32) + 1.0
    weighted = (sums @ sp.diags(idf)).tocsr()
    order = eligible[np.argsort(-answered[eligible], kind="stable")][:MAX_MERGE_GROUPS]
    mapping = coherent_merge(weighted, order, threshold)
    # Groups with too few answers to lead a merge may still join one whose answers match.
    small = np.flatnonzero((answered > 0) & (answered < min_answers))
    roots = np.unique(mapping[order])
    if small.size and roots.size:
        from sklearn.preprocessing import normalize

        root_sums = sp.csr_matrix((np.ones(order.size, dtype=np.float32),
                                   (np.searchsorted(roots, mapping[order]), order)),
                                  shape=(roots.size, n_groups)) @ weighted
        sims = (normalize(weighted[small]) @ normalize(root_sums).T).toarray()
        best = sims.argmax(axis=1)
        join = sims[np.arange(small.size), best] >= threshold
        mapping[small[join]] = roots[best[join]]
    return _compact(mapping[labels])


def coherent_merge(sums: sp.csr_matrix, candidates: np.ndarray, threshold: float) -> np.ndarray:
    """Greedy merging of rows of `sums` (profile sums), most similar pair first.

    Only `candidates` (row indices) take part. A merge happens when the two profiles'
    cosine similarity reaches `threshold` and every original part stays at least that
    similar to the merged profile. Returns, for every row, the row it was merged into.
    """
    from sklearn.preprocessing import normalize

    mapping = np.arange(sums.shape[0])
    if candidates.size < 2:
        return mapping
    unit = normalize(sums[candidates])
    sims = (unit @ unit.T).toarray()
    np.fill_diagonal(sims, 0.0)
    rows, cols = np.nonzero(np.triu(sims) >= threshold)
    if rows.size == 0:
        return mapping
    pairs = sorted(zip(sims[rows, cols], rows, cols, strict=True), key=lambda p: -p[0])
    parent = list(range(candidates.size))
    parts: dict[int, list[int]] = {i: [i] for i in range(candidates.size)}
    total = {i: sums[candidates[i]] for i in range(candidates.size)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _sim, a, b in pairs:
        ra, rb = root(int(a)), root(int(b))
        if ra == rb:
            continue
        merged = total[ra] + total[rb]
        merged_unit = merged / max(np.sqrt(merged.multiply(merged).sum()), 1e-12)
        members = parts[ra] + parts[rb]
        cohesion = (unit[members] @ merged_unit.T).toarray().ravel()
        if cohesion.min() < threshold:
            continue
        parent[rb] = ra
        parts[ra] = members
        total[ra] = merged
        del parts[rb], total[rb]
    for i in range(candidates.size):
        mapping[candidates[i]] = candidates[root(i)]
    return mapping


def _row_argmax(sims: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Per-row max value and its first column in a CSR matrix (0 and -1 for empty rows)."""
    n = sims.shape[0]
    best = np.zeros(n, dtype=np.float64)
    where = np.full(n, -1, dtype=np.int64)
    lengths = np.diff(sims.indptr)
    nonempty = np.flatnonzero(lengths)
    if nonempty.size:
        best[nonempty] = np.maximum.reduceat(sims.data, sims.indptr[nonempty])
        row_of = np.repeat(np.arange(n), lengths)
        is_max = sims.data >= best[row_of]
        hit_rows, hit_cols = row_of[is_max], sims.indices[is_max]
        first = np.unique(hit_rows, return_index=True)[1]
        where[hit_rows[first]] = hit_cols[first]
    return best, where


def _compact(labels: np.ndarray) -> np.ndarray:
    """Renumber labels 0..k-1 (keeping their order)."""
    return np.unique(labels, return_inverse=True)[1].astype(np.int64)


def _rank_labels(labels: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Renumber groups by total message count, largest first (ties: first seen)."""
    sizes = np.bincount(labels, weights=counts)
    order = np.lexsort((np.arange(sizes.size), -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[labels]


def _keywords(centroids: sp.csr_matrix, features: np.ndarray) -> list[list[str]]:
    """Top word features of each centroid (character n-grams are for matching only)."""
    is_word = np.char.startswith(features.astype(str), "w:") & ~np.char.startswith(
        features.astype(str), "w:<"
    )
    out: list[list[str]] = []
    for g in range(centroids.shape[0]):
        row = centroids.getrow(g)
        keep = is_word[row.indices]
        idx, val = row.indices[keep], row.data[keep]
        top = idx[np.argsort(-val, kind="stable")[:N_KEYWORDS]]
        out.append([str(features[i])[2:] for i in top])
    return out
