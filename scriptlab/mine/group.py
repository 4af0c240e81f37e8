"""Group paraphrases of the same customer question.

Input is one row per *distinct* normalised question (exact duplicates are collapsed before,
with their message counts), so the work grows with the number of distinct phrasings, not
with the number of messages. Each phrasing becomes a TF-IDF vector of jieba words and
character n-grams (`scriptlab.text.tokenize.question_terms`: the analyzer's words and
n-grams, with the shop's synonyms, and question words and product names weighted down),
cut to its `MAX_FEATURES` heaviest features so sparse products stay sparse.

Clustering, in passes, none of them all-pairs over the input:

1. **Leaders** (frequency order): phrasings are visited from most to least frequent, in
   blocks; each joins the most similar existing leader when the cosine similarity reaches
   the threshold, else it becomes a leader itself. The work is phrasings × leaders, done as
   blocked sparse products.
2. **Re-assignment**: each phrasing moves to the group whose centroid it is most similar
   to (one k-means step), which fixes order effects of the first pass.
3. **Merging**: groups whose centroids are similar are merged, most similar pair first, but
   only while every merged part stays similar to the merged centroid, so a chain of
   near-neighbours can never snowball into one giant group (the single-link failure).

4. **Same answers** (optional): groups whose questions were followed by the same agent
   replies (the same reply script) are merged, with the same coherence rules; a reply
   that follows everything counts for little (TF-IDF over groups).

A phrasing similar to nothing stays a group of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd
import scipy.sparse as sp

from scriptlab.text.tokenize import question_terms

BLOCK = 2048  # phrasings compared per sparse product: bounds memory at ~BLOCK × leaders
MAX_MERGE_GROUPS = 5000  # pass 3 looks at the largest groups only (C² similarities)
N_KEYWORDS = 5
KEYWORD_SHARE = 0.05  # a keyword is used by at least this share of its group's messages
CHAIN_FLOOR = 0.5  # parts merged into one group are at least this × threshold alike
MAX_FEATURES = 12  # per phrasing, see _top_features
# Weight of question words (怎么, 可以, 吗 …) relative to content: they tell how something
# is asked, which matters less than what is asked.
QUESTION_WORD_WEIGHT = 0.4


def vectorize(texts: pd.Series, synonyms: Mapping[str, str] | None = None):
    """TF-IDF of `question_terms` (L2-normalised, float32); returns (matrix, feature names).

    Question-word and product features (``q:``, ``p:``) are scaled by
    `QUESTION_WORD_WEIGHT` before normalising, so what is asked outweighs how it is asked;
    each phrasing keeps its `MAX_FEATURES` heaviest features.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from scriptlab.mine.parallel import map_slices

    work = partial(_terms, synonyms=dict(synonyms or {}))
    terms = [t for part in map_slices(work, texts.astype(str).tolist()) for t in part]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32,
                                 norm=None)
    matrix = vectorizer.fit_transform(terms).tocsr()
    features = vectorizer.get_feature_names_out()
    names = features.astype(str)
    weak = np.char.startswith(names, "q:") | np.char.startswith(names, "p:")
    scale = np.where(weak, QUESTION_WORD_WEIGHT, 1.0)
    matrix = (matrix @ sp.diags(scale.astype(np.float32))).tocsr()
    matrix = normalize(_top_features(matrix, MAX_FEATURES), copy=False)
    return matrix.tocsr().astype(np.float32), features


def _terms(texts: list[str], synonyms: dict[str, str]) -> list[list[str]]:
    return [question_terms(t, synonyms) for t in texts]


def _identity(terms: list[str]) -> list[str]:
    return terms


def _top_features(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep each row's `k` heaviest features: the faint rest (common characters, question
    words) barely moves a cosine but makes sparse products dense and slow."""
    lengths = np.diff(matrix.indptr)
    if k <= 0 or lengths.max(initial=0) <= k:
        return matrix
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    order = np.lexsort((-matrix.data, rows))  # by row, heaviest first
    rank = np.arange(order.size) - np.repeat(matrix.indptr[:-1], lengths)
    keep = order[rank < k]
    keep.sort()
    return sp.csr_matrix((matrix.data[keep], matrix.indices[keep],
                          np.concatenate([[0], np.cumsum(np.minimum(lengths, k))])),
                         shape=matrix.shape)


def group(
    uniques: pd.DataFrame,
    *,
    threshold: float = 0.5,
    synonyms: Mapping[str, str] | None = None,
    replies: sp.csr_matrix | None = None,
    reply_threshold: float = 0.0,
    reply_text_floor: float = 0.0,
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
        with `reply_threshold` > 0, groups answered with the same replies are merged
        (if their questions are at least `reply_text_floor` alike).

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
        labels = merge_by_replies(labels, counts, replies[order], reply_threshold,
                                  text=matrix, text_floor=reply_text_floor)
    labels = _rank_labels(labels, counts)
    centroids = centroid_matrix(matrix, labels, counts)
    centrality = np.asarray(matrix.multiply(centroids[labels]).sum(axis=1)).ravel()
    keywords = _keywords(matrix, labels, counts, features)
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
    """Pass 2: move rows to the most similar centroid of a large group (if similar enough).

    Only the `MAX_MERGE_GROUPS` largest groups attract rows, so the work stays
    rows × a constant however many one-off phrasings there are.
    """
    centroids = centroid_matrix(matrix, labels, counts)
    sizes = np.bincount(labels, weights=counts)
    targets = np.argsort(-sizes, kind="stable")[:MAX_MERGE_GROUPS]
    centroids_t = centroids[targets].T.tocsr()
    own_sim = np.asarray(matrix.multiply(centroids[labels]).sum(axis=1)).ravel()
    new = labels.copy()
    for start in range(0, matrix.shape[0], BLOCK):
        sims = (matrix[start : start + BLOCK] @ centroids_t).tocsr()
        best_sim, best = _row_argmax(sims)
        stop = start + sims.shape[0]
        move = (best >= 0) & (best_sim >= threshold) & (best_sim > own_sim[start:stop] + 1e-6)
        new[start:stop][move] = targets[best[move]]
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
    text: sp.csr_matrix | None = None,
    text_floor: float = 0.0,
) -> np.ndarray:
    """Pass 4: merge groups whose questions got the same agent replies (the same script).

    `replies` holds, per distinct question, how often each reply followed it. A group's
    reply profile is TF-IDF over groups, so a reply that follows everything ("亲，稍等")
    counts for little. Groups need `min_answers` answered questions to take part; merges
    keep every part's profile at or above `threshold` similarity to the union's. With
    `text` (the phrasings' TF-IDF rows), the two sides' questions must also be at least
    `text_floor` alike: a shared generic reply alone never joins unrelated questions.
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
    text_sums = None
    if text is not None and text_floor > 0:
        text_sums = (membership @ text).tocsr()
    mapping = coherent_merge(weighted, order, threshold, gate=text_sums, gate_floor=text_floor)
    # Groups with too few answers to lead a merge may still join one whose answers match.
    small = np.flatnonzero((answered > 0) & (answered < min_answers))
    roots = np.unique(mapping[order])
    if small.size and roots.size:
        from sklearn.preprocessing import normalize

        root_sums = sp.csr_matrix((np.ones(order.size, dtype=np.float32),
                                   (np.searchsorted(roots, mapping[order]), order)),
                                  shape=(roots.size, n_groups)) @ weighted
        sims = (normalize(weighted[small]) @ normalize(root_sums).T).toarray()
        if text_sums is not None:
            root_text = sp.csr_matrix((np.ones(order.size, dtype=np.float32),
                                       (np.searchsorted(roots, mapping[order]), order)),
                                      shape=(roots.size, n_groups)) @ text_sums
            alike = (normalize(text_sums[small]) @ normalize(root_text).T).toarray()
            sims[alike < text_floor] = 0.0
        best = sims.argmax(axis=1)
        join = sims[np.arange(small.size), best] >= threshold
        mapping[small[join]] = roots[best[join]]
    return _compact(mapping[labels])


def coherent_merge(
    sums: sp.csr_matrix,
    candidates: np.ndarray,
    threshold: float,
    *,
    gate: sp.csr_matrix | None = None,
    gate_floor: float = 0.0,
) -> np.ndarray:
    """Greedy merging of rows of `sums` (profile sums), most similar pair first.

    Only `candidates` (row indices) take part. A merge happens when the two profiles'
    cosine similarity reaches `threshold`, every original part stays at least that similar
    to the merged profile, and no part on one side is less than `CHAIN_FLOOR` × threshold
    similar to a part on the other. With `gate` (a second profile per row), the two
    sides' gate profiles must also be at least `gate_floor` similar.
    Returns, for every row, the row it was merged into.
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
    gates = {i: gate[candidates[i]] for i in range(candidates.size)} if gate is not None else {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _sim, a, b in pairs:
        ra, rb = root(int(a)), root(int(b))
        if ra == rb:
            continue
        if sims[np.ix_(parts[ra], parts[rb])].min() < CHAIN_FLOOR * threshold:
            continue  # some part on one side is unlike some part on the other: a chain
        if gates and _cosine(gates[ra], gates[rb]) < gate_floor:
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
        if gates:
            gates[ra] = gates[ra] + gates.pop(rb)
    for i in range(candidates.size):
        mapping[candidates[i]] = candidates[root(i)]
    return mapping


def _cosine(a: sp.csr_matrix, b: sp.csr_matrix) -> float:
    norm = np.sqrt(a.multiply(a).sum() * b.multiply(b).sum())
    return float(a.multiply(b).sum() / norm) if norm > 0 else 0.0


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


def _keywords(
    matrix: sp.csr_matrix, labels: np.ndarray, counts: np.ndarray, features: np.ndarray
) -> list[list[str]]:
    """Each group's words, most widely used first: the share of the group's messages whose
    phrasing has the word (at least `KEYWORD_SHARE`); ties go to the rarer word overall."""
    is_word = np.char.startswith(features.astype(str), "w:")
    n_groups = int(labels.max()) + 1
    membership = sp.csr_matrix((counts.astype(np.float32), (labels, np.arange(labels.size))),
                               shape=(n_groups, labels.size))
    present = matrix.copy()
    present.data = np.where(is_word[present.indices], 1.0, 0.0).astype(np.float32)
    present.eliminate_zeros()
    coverage = (membership @ present).tocsr()  # messages per group using each word
    sizes = np.bincount(labels, weights=counts)
    overall = np.asarray(present.multiply(counts[:, None]).sum(axis=0)).ravel()
    out: list[list[str]] = []
    for g in range(n_groups):
        row = coverage.getrow(g)
        share = row.data / max(sizes[g], 1)
        keep = share >= KEYWORD_SHARE
        idx, share = row.indices[keep], share[keep]
        top = idx[np.lexsort((overall[idx], -share))[:N_KEYWORDS]]
        out.append([str(features[i])[2:] for i in top])
    return out
