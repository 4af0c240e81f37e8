"""The pure-Python ranking core: normalisation, terms, scores, and the fast path being exact."""

from __future__ import annotations

import re

import pytest

from scriptlab.library import search
from scriptlab.library.search import (
    Normalizer,
    SearchDoc,
    SearchIndex,
    concept_pattern,
    grams,
    page_config,
    stem,
    strip_small_talk,
)


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("請問ＳＦ[微笑]啥時候發出？", "sf 啥时候发出"),  # width, script, case, emote, particle
        ("亲，这个包不包邮呀？谢谢", "这个包邮"),  # small talk, A-not-A question folded
        ("有没有现货", "有现货"),
        ("订单号<订单号> 什么时候退钱", "什么时候退钱"),  # masked data and its label dropped
        ("手机13812345678 能改地址吗", "手机  能改地址"),  # a typed-out number dropped
        ("这是什么", "这是什么"),  # 么 of 什么 is not a particle
        ("吗", "吗"),  # nothing left: kept as is
        ("第一行\n第二行", "第一行 第二行"),
    ],
)
def test_normalizer(text: str, expected: str) -> None:
    assert Normalizer()(text) == expected


def test_many_normalises_like_one_at_a_time() -> None:
    texts = ["亲，包邮吗", "發貨", "a\nb", "", "订单<订单号>"]
    normalize = Normalizer()
    assert normalize.many(texts) == [normalize(t) for t in texts]


def test_terms_are_grams_then_concepts() -> None:
    normalize = Normalizer()
    assert normalize.terms("快递费") == ["快", "递", "费", "快递", "递费", "快递费", "#运费"]
    # The longest thesaurus word wins; a word can stand for several groups.
    assert normalize.terms("运费险")[-1:] == ["#运费险"]
    assert [t for t in normalize.terms("尺寸多少") if t[0] == "#"] == ["#尺码", "#尺寸"]
    # Protected words are not read as the shorter word inside them.
    assert [t for t in normalize.terms("多少钱") if t[0] == "#"] == ["#价格"]
    # A narrower concept also names its broader one: 包邮 is a shipping-fee question.
    assert [t for t in normalize.terms("包邮") if t[0] == "#"] == ["#包邮", "#运费"]


def test_a_fee_question_finds_the_free_shipping_entry() -> None:
    index = SearchIndex([SearchDoc(("包邮吗", "满多少免邮"), "满59元全国包邮"),
                         SearchDoc(("怎么退货",), "七天无理由退货，退回运费由买家承担")])
    assert index.search("要付快递费不", top=1)[0].index == 0


def test_shop_synonyms_extend_the_thesaurus() -> None:
    plain = Normalizer()
    shop = Normalizer({"运费": ["邮递费"], "暖居": ["暖居小鋪", "ＮＵＡＮ"]})
    assert "#运费" not in plain.terms("邮递费")
    assert "#运费" in shop.terms("邮递费")
    # Shop words are folded like texts (traditional, full width, case).
    assert shop.terms(shop("暖居小鋪"))[-1] == "#暖居"
    assert shop.terms(shop("Nuan"))[-1] == "#暖居"
    assert Normalizer().many([]) == []


def test_concept_pattern_matches_longest_and_whole_latin_words() -> None:
    pattern = re.compile(concept_pattern(["快递", "快递费", "sf", "l码", "12期", "a+b"]))
    assert pattern.findall("快递费快递sf sfx xsf l码 xl码 12期 a12期 a+b") == [
        "快递费", "快递", "sf", "l码", "12期", "a+b"]


def test_grams() -> None:
    assert grams("发货吗 xl码") == ["发", "货", "吗", "发货", "货吗", "发货吗", "xl", "码"]
    assert grams("refunds shipped iphone14") == ["refund", "ship", "iphone14"]


@pytest.mark.parametrize(("words", "stemmed"), [
    (["ship", "ships", "shipped", "shipping"], "ship"),
    (["return", "returns", "returned", "returning"], "return"),
    (["size", "sizes", "sized"], "siz"),
    (["delivery", "deliveries"], "delivery"),
    (["box", "boxes"], "box"),
    (["dress", "dresses"], "dress"),
    (["fall", "falls"], "fall"),
])
def test_english_inflections_meet(words: list[str], stemmed: str) -> None:
    assert {stem(w) for w in words} == {stemmed}


def test_stem_leaves_short_words_pinyin_and_codes_alone() -> None:
    for word in ("xl", "sku", "xxl", "kuaidi", "fahuo", "status", "this", "iphone14", "用"):
        assert stem(word) == word


def test_an_english_library_finds_inflected_questions() -> None:
    index = SearchIndex([SearchDoc(("When will my order ship?",), "We ship within 48 hours."),
                         SearchDoc(("How do I return an item?",), "Start a return online.")])
    assert index.search("returning items", top=1)[0].index == 1
    assert index.search("has it shipped yet", top=1)[0].index == 0


def test_index_scores() -> None:
    index = SearchIndex([SearchDoc(("包邮吗", "免运费吗"), "满59包邮"),
                         SearchDoc(("几天发货",), "48小时内发货")])
    best = index.search("包邮吗", top=5)
    assert best[0].index == 0
    assert best[0].matched == "包邮吗"
    assert 0.5 < best[0].score <= 1.0
    assert index.search("邮费要另外付吗", top=1)[0].index == 0  # only the thesaurus links them
    assert index.search("", top=3) == []
    assert index.search("包邮", top=0) == []
    assert index.search("xyz", top=3) == []


def test_an_empty_index_finds_nothing() -> None:
    assert SearchIndex([]).search("包邮吗") == []


def test_the_fast_path_scores_exactly_and_keeps_the_best(monkeypatch) -> None:
    """Candidate generation (budgeted postings, then the best CANDIDATES) only chooses which
    entries get scored: their scores are exact, and the best entry is still found."""
    docs = [SearchDoc((f"{a}{b}吗", f"请问{b}{a}", "在吗"), f"亲，{a}的{b}问题我们会处理")
            for a in ("包邮", "发货", "退款", "换货", "发票", "尺码", "安装", "保修")
            for b in ("多久", "怎么办", "可以", "什么时候", "在哪", "运费")]
    queries = ["包邮吗", "发货多久", "退款怎么办", "发票在哪开", "运费谁出", "保修", "在吗"]
    exhaustive = SearchIndex(docs)
    expected = {q: {h.index: h for h in exhaustive.search(q, top=len(docs))} for q in queries}
    monkeypatch.setattr(search, "POSTINGS_BUDGET", 60)
    monkeypatch.setattr(search, "CANDIDATES", 10)
    fast = SearchIndex(docs)
    for q in queries:
        hits = fast.search(q, top=5)
        assert [expected[q][h.index] for h in hits] == hits, q
        assert hits[0] == min(expected[q].values(), key=lambda h: (-h.score, h.index)), q


def test_page_config_is_plain_json_with_javascript_ready_patterns() -> None:
    import json

    config = json.loads(json.dumps(page_config({"运费": ["邮递费"]}), ensure_ascii=False))
    assert config["concepts"]["邮递费"] == ["运费"]
    assert config["concept_mark"] == "#"
    for source in config["patterns"].values():
        re.compile(source)
        assert "(?P" not in source and "\\Z" not in source
