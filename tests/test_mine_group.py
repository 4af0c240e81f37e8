"""Grouping paraphrases: exact duplicates, paraphrases together, topics apart, no chaining."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from mine_fixtures import PHRASINGS
from sklearn.metrics import homogeneity_completeness_v_measure

from scriptlab.mine.group import coherent_merge, group, leader_pass, merge_by_replies
from scriptlab.text.normalize import normalize_text
from scriptlab.text.tokenize import BUILTIN_SYNONYMS


def _uniques(phrasings: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(normalize_text(p), intent) for intent, texts in phrasings.items() for p in texts]
    frame = pd.DataFrame(rows, columns=["key", "intent"]).drop_duplicates("key")
    return frame.assign(count=np.arange(len(frame)) % 5 + 1)


def test_paraphrases_group_and_topics_stay_apart() -> None:
    frame = group(_uniques(PHRASINGS), threshold=0.5, synonyms=BUILTIN_SYNONYMS)
    homogeneity, completeness, _ = homogeneity_completeness_v_measure(
        frame["intent"], frame["group"])
    assert homogeneity >= 0.95  # groups never mix different questions
    assert completeness >= 0.6  # most paraphrases found each other
    by_key = frame.set_index("key")["group"]
    assert by_key["什么时候发货"] == by_key["啥时候发货啊"] == by_key["几时能发货"]
    assert by_key["包邮吗"] == by_key["免运费吗"] == by_key["包不包邮"]
    assert by_key["什么时候发货"] != by_key["能开发票吗"]


def test_thesaurus_joins_paraphrases_sharing_no_words() -> None:
    uniques = pd.DataFrame({"key": ["配送费多少", "邮资多少", "运费多少", "能开发票吗",
                                    "什么时候出库", "什么时候fahuo", "什么时候发货"],
                            "count": [3, 2, 1, 4, 2, 2, 5]})
    frame = group(uniques, threshold=0.55, synonyms=BUILTIN_SYNONYMS)
    assert frame["group"].tolist()[:3] == [frame["group"][2]] * 3
    assert frame["group"][4] == frame["group"][5] == frame["group"][6]
    assert frame["group"].nunique() == 3


def test_output_columns_order_and_ranking() -> None:
    uniques = pd.DataFrame({"key": ["能开发票吗", "什么时候发货", "啥时候发货", "可以开发票吗"],
                            "count": [1, 5, 3, 2]}, index=[10, 11, 12, 13])
    frame = group(uniques, threshold=0.5, synonyms=BUILTIN_SYNONYMS)
    assert list(frame.index) == [10, 11, 12, 13]  # same rows, same order
    assert frame.loc[11, "group"] == frame.loc[12, "group"] == 0  # 8 messages: rank 0
    assert frame.loc[10, "group"] == frame.loc[13, "group"] == 1
    assert frame.loc[11, "keywords"][0] == "发货"
    assert (frame["centrality"] <= 1.0001).all() and (frame["centrality"] > 0).all()


def test_empty_input() -> None:
    frame = group(pd.DataFrame({"key": pd.Series(dtype=object), "count": pd.Series(dtype=int)}))
    assert frame.empty and {"group", "centrality", "keywords"} <= set(frame.columns)


def test_leader_pass_joins_only_similar_rows() -> None:
    rows = sp.csr_matrix(np.array([[1, 0, 0], [0.9, 0.436, 0], [0, 0, 1]], dtype=np.float32))
    assert leader_pass(rows, 0.8).tolist() == [0, 0, 1]
    assert leader_pass(rows, 0.95).tolist() == [0, 1, 2]


def test_coherent_merge_refuses_a_chain() -> None:
    """A-B and B-C are similar, A-C are not: B joins one side, the chain is not closed."""
    angle = np.deg2rad([0, 35, 70])
    rows = sp.csr_matrix(np.c_[np.cos(angle), np.sin(angle)].astype(np.float32))
    mapping = coherent_merge(rows, np.arange(3), threshold=0.8)
    assert mapping[0] != mapping[2]
    assert len(set(mapping.tolist())) == 2


def test_merge_by_replies_joins_groups_answered_with_the_same_script() -> None:
    labels = np.array([0, 1, 2])
    counts = np.array([5.0, 4.0, 6.0])
    # reply columns: 0 = shipping script, 1 = invoice script, 2 = "亲，稍等" (everywhere)
    replies = sp.csr_matrix(np.array([[4, 0, 1], [3, 0, 1], [0, 5, 1]], dtype=np.float32))
    merged = merge_by_replies(labels, counts, replies, threshold=0.5)
    assert merged[0] == merged[1] != merged[2]


def test_merge_by_replies_needs_evidence() -> None:
    labels = np.array([0, 1])
    replies = sp.csr_matrix(np.array([[1, 0], [1, 0]], dtype=np.float32))
    merged = merge_by_replies(labels, np.array([1.0, 1.0]), replies, 0.5, min_answers=3)
    assert merged.tolist() == [0, 1]


def test_reply_merge_can_require_alike_questions() -> None:
    labels = np.array([0, 1])
    replies = sp.csr_matrix(np.array([[4, 0], [4, 0]], dtype=np.float32))
    text = sp.csr_matrix(np.eye(2, dtype=np.float32))  # nothing in common
    counts = np.array([4.0, 4.0])
    assert merge_by_replies(labels, counts, replies, 0.5).tolist() == [0, 0]
    assert merge_by_replies(labels, counts, replies, 0.5, text=text,
                            text_floor=0.1).tolist() == [0, 1]
