"""The pure-Python ranking core: normalisation, grams, scores."""

from __future__ import annotations

import pytest

from scriptlab.library.search import (
    Normalizer,
    SearchDoc,
    SearchIndex,
    grams,
    strip_small_talk,
    synonym_table,
)
from scriptlab.library.settings import DEFAULT_SYNONYMS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("亲，在吗？这个什么时候发货呀亲", "这个什么时候发货"),
        ("您好，请问一下，能开发票吗？谢谢", "能开发票吗"),
        ("在吗", "在吗"),  # nothing but small talk: kept, so it still finds something
        ("亲子装有吗", "亲子装有吗"),
        ("亲，这个适合送给母亲吗", "这个适合送给母亲吗"),
        ("", ""),
    ],
)
def test_strip_small_talk(text: str, expected: str) -> None:
    assert strip_small_talk(text) == expected


def test_normalizer_folds_width_script_case_emotes_and_synonyms() -> None:
    normalize = Normalizer(DEFAULT_SYNONYMS)
    assert normalize("請問ＳＦ[微笑]啥時候發出？") == "sf 什么时候发货"
    assert normalize("没有货了吗") == "没有货了吗"  # canonical words are not re-mapped
    assert normalize("没货了吗") == "没有货了吗"


def test_synonym_table_keeps_the_first_mapping() -> None:
    table = synonym_table({"快递": ["物流", "包裹"], "包裹": ["物流"], " ": ["x"]})
    assert table == {"快递": "快递", "物流": "快递", "包裹": "快递"}


def test_grams() -> None:
    assert grams("发货吗 xl码") == ["发", "货", "吗", "发货", "货吗", "发货吗", "xl", "码"]


def test_index_scores() -> None:
    index = SearchIndex([SearchDoc(("包邮吗", "免运费吗"), "满59包邮"),
                         SearchDoc(("几天发货",), "48小时内发货")])
    best = index.search("包邮吗", top=5)
    assert best[0].index == 0
    assert best[0].matched == "包邮吗"
    assert 0.5 < best[0].score <= 1.0
    assert index.search("", top=3) == []
    assert index.search("包邮", top=0) == []
