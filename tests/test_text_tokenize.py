"""Tokens, synonyms (built-in and the shop's) and the workspace vocabulary files."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptlab.errors import ScriptlabError
from scriptlab.mine.settings import MineSettings
from scriptlab.text.tokenize import (
    BUILTIN_SYNONYMS,
    analyzer,
    apply_synonyms,
    apply_thesaurus,
    char_ngrams,
    parse_synonyms,
    question_terms,
    words,
)
from scriptlab.text.vocabulary import ensure_vocabulary_files, load_vocabulary


def test_parse_synonyms() -> None:
    table = parse_synonyms("# comment\n包邮=免运费，不要运费\n\n小金瓶=精华液")
    assert table == {"免运费": "包邮", "不要运费": "包邮", "精华液": "小金瓶"}


def test_parse_synonyms_rejects_a_line_without_equals() -> None:
    with pytest.raises(ScriptlabError) as err:
        parse_synonyms("包邮 免运费", "synonyms.txt")
    assert str(err.value) == (
        "synonyms.txt line 1: '包邮 免运费' should look like 包邮=免运费,不要运费 (the word to "
        "use, '=', then its variants separated by commas)."
    )


def test_builtin_synonyms_unify_everyday_variants() -> None:
    assert apply_synonyms("啥时候发货", BUILTIN_SYNONYMS) == "什么时候发货"
    assert apply_synonyms("咋退", BUILTIN_SYNONYMS) == "咋退"  # one-character: whole words only
    assert question_terms("咋退", BUILTIN_SYNONYMS)[:2] == ["w:退货", "q:怎么"]
    assert apply_synonyms("没有发票吗", {"没": "没有"}) == "没有发票吗"  # not 没有有


def test_one_character_variant_never_changes_a_longer_word() -> None:
    assert "w:发票" in question_terms("发票怎么开", BUILTIN_SYNONYMS)
    assert "w:发货" in question_terms("今天能发吗", BUILTIN_SYNONYMS)


def test_question_terms_separate_what_from_how() -> None:
    a = set(question_terms("怎么退货", BUILTIN_SYNONYMS))
    b = set(question_terms("可以退货吗", BUILTIN_SYNONYMS))
    content = {t for t in a & b if t.startswith(("w:", "c:"))}
    assert "w:退货" in content
    assert "p:毛衣" in question_terms("这件毛衣可以退货吗", BUILTIN_SYNONYMS)


def test_thesaurus_gives_variants_their_topic_name() -> None:
    assert apply_thesaurus(["快递费", "谁", "出"]) == ["运费", "谁出"]  # words joined up
    assert "w:运费" in question_terms("邮费多少", BUILTIN_SYNONYMS)
    assert "w:发货" in question_terms("什么时候fahuo", BUILTIN_SYNONYMS)
    terms = question_terms("什么时候寄出", BUILTIN_SYNONYMS)
    assert "w:发货" in terms and "w:寄出" not in terms


def test_thesaurus_keeps_word_boundaries_and_ambiguous_terms() -> None:
    assert apply_thesaurus(["发货", "需要", "多久"]) == ["发货", "需要", "多久"]  # not 要多久
    assert apply_thesaurus(["能", "换", "地址"]) == ["能", "换", "地址"]  # one character
    assert apply_thesaurus(["尺寸"]) == ["尺寸"]  # clothing size or dimension: left alone
    assert apply_thesaurus(["多少"]) == ["多少"]  # protected: not 少


def test_shop_synonyms_come_before_the_thesaurus() -> None:
    assert "w:小金瓶" in question_terms("精华液包邮吗", {"精华液": "小金瓶"})
    assert "w:运费险" in question_terms("退货险", {"退货险": "运费险"})


def test_a_not_a_is_folded_before_synonyms() -> None:
    assert question_terms("免不免运费", BUILTIN_SYNONYMS)[0] == "w:包邮"


def test_latin_words_are_not_cut_into_letters() -> None:
    terms = question_terms("hello 换个size", BUILTIN_SYNONYMS)
    assert "w:hello" in terms and "w:尺码" in terms  # size: a thesaurus term
    assert not any(t.startswith("c:") and t[2:].isascii() for t in terms)


def test_words_and_char_ngrams() -> None:
    assert words("我的<订单号>什么时候发货") == ["<订单号>", "什么时候", "发货"]
    assert char_ngrams("发货了, ok", (2,)) == ["发货", "货了", "ok"]
    assert all(t.startswith(("w:", "c:")) for t in analyzer("什么时候发货"))


def test_workspace_vocabulary(tmp_path: Path) -> None:
    settings = MineSettings()
    ensure_vocabulary_files(tmp_path, settings)
    assert (tmp_path / "dictionary.txt").read_text(encoding="utf-8").startswith("#")
    (tmp_path / "dictionary.txt").write_text("小金瓶\n", encoding="utf-8")
    (tmp_path / "synonyms.txt").write_text("小金瓶=精华液,金瓶精华\n", encoding="utf-8")
    vocabulary = load_vocabulary(tmp_path, settings)
    assert vocabulary.synonyms["精华液"] == "小金瓶"
    assert vocabulary.synonyms["啥时候"] == "什么时候"  # built-ins still apply
    assert vocabulary.words == ("小金瓶",)
    assert "w:小金瓶" in question_terms("精华液怎么用", vocabulary.synonyms)


def test_builtin_synonyms_can_be_turned_off(tmp_path: Path) -> None:
    vocabulary = load_vocabulary(tmp_path, MineSettings(builtin_synonyms=False))
    assert vocabulary.synonyms == {}


def test_unreadable_synonyms_file(tmp_path: Path) -> None:
    (tmp_path / "synonyms.txt").write_bytes("包邮=免运费".encode("gbk"))
    with pytest.raises(ScriptlabError, match="cannot read it as UTF-8 text"):
        load_vocabulary(tmp_path, MineSettings())
